"""Random draws for the generator, each reproducible from a seed and a purpose.

Every random draw comes from a :class:`random.Random` seeded with a text made of the seed and a
purpose (``"7:referrals"``); seeding with text is stable across Python versions and only
``Random.random()`` is used, whose output for a seed Python keeps stable. There is no global
state.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta

from panelsched.core.workdays import WorkingCalendar


def check_share(name: str, value: float) -> None:
    """Raise :class:`ValueError` unless ``value`` is a share between 0 and 1."""
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1")


def seeded(seed: int, purpose: str) -> random.Random:
    """The generator for one ``purpose`` of ``seed`` (``"7:referrals"``)."""
    return random.Random(f"{seed}:{purpose}")


def below(rng: random.Random, n: int) -> int:
    """A uniform integer in ``[0, n)`` from ``random()`` alone."""
    return min(int(rng.random() * n), n - 1)


def between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]``."""
    return low + below(rng, high - low + 1)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by inversion; split large means so ``exp(-mean)`` never underflows."""
    if mean <= 0:
        return 0
    total = 0
    while mean > 0:
        part = min(mean, 50.0)
        mean -= part
        threshold, count, product = math.exp(-part), 0, rng.random()
        while product > threshold:
            count += 1
            product *= rng.random()
        total += count
    return total


def pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    """An index drawn with weights given as a running total."""
    point = rng.random() * cumulative[-1]
    return min(bisect_right(cumulative, point), len(cumulative) - 1)


def working_days(start: date, end: date, workdays: WorkingCalendar) -> list[date]:
    """The working days from ``start`` to ``end``, inclusive."""
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [d for d in days if workdays.is_working_day(d)]


def normal(rng: random.Random) -> float:
    """A standard normal draw (Box-Muller) from ``random()`` alone."""
    u = 1.0 - rng.random()
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.random())


__all__ = [
    "below",
    "between",
    "check_share",
    "normal",
    "pick",
    "poisson",
    "seeded",
    "working_days",
]
