"""Families of planner instances a council would recognise, each over many seeds (issue 13).

A family is a way of making a year of referrals: its panels, who presents and who is away.
One seed of a family is one year (referrals submitted in 2027, planned to March 2028); the
benchmark runs each family over ten or more seeds and reports the median and the worst, so
that no figure rests on one lucky year.

======  =========  =========================================================================
family  referrals  what it is
======  =========  =========================================================================
``a``   3,000      today's benchmark (:func:`instances.make_instance`): Lambeth-like panels
                   cloned to size, teams of 6-8 social workers, about 25 days' leave a year
``b``   3,000      six weekly panels, two of them on Wednesday with overlapping windows
                   (09:30-12:30 and 11:00-14:00); presenters from pools of N/10 social
                   workers and N/50 team managers shared by every panel; 40% of people away
                   for a week or two; a third of cases with a CLA review 4-11 weeks after
                   submission; 20% complex (20-minute slots, else 15); about 88% full
``c``   20,000     family ``b`` scaled: 40 weekly panels (six copies of its week and four
                   panels of a seventh, each copy a weekday on, so every weekday has
                   overlapping pairs), pools of 2,000 and 400 people shared by all of them
``d``   50,000     a regional consortium: ten authorities of ten weekly panels each (family
                   ``b``'s week and four more), each authority with its own pools
======  =========  =========================================================================

Everything here is an assumption about a typical year, not a council's fact (see
:mod:`panelsched.synthetic` for arrivals, priorities and the other dates). Same family and
seed, same instance.

    from families import make
    instance = make("b", seed=3)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import yaml
from instances import PLAN_END, YEAR_END, YEAR_START, Instance, make_instance

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority, Panel
from panelsched.core.referrals import Referral
from panelsched.exports.input_files import write_availability_csv, write_referrals_csv
from panelsched.synthetic import (
    DemandProfile,
    expected_counts,
    generate_leave_blocks,
    generate_referrals,
    people_of,
)

FAMILIES = ("a", "b", "c", "d")
SIZES = {"a": 3000, "b": 3000, "c": 20000, "d": 50000}
# Family b's demand: a third of cases with a CLA review 4-11 weeks ahead (none closer) and a
# fifth complex; every other share is synthetic's default.
PROFILE = DemandProfile(
    complex_share=0.2, cla_share=1 / 3, cla_lead_days=(28, 77), cla_close_share=0.0
)
# Who is away: 40% of people, each for one or two whole working weeks.
AWAY_SHARE = 0.4
AWAY_WEEKS = (1, 2)
# Presenters: N/10 social workers and N/50 team managers, so teams of five.
CASES_PER_MANAGER = 50
TEAM_SIZE = 5
# Panels per authority in the consortium (family d), and its authorities.
CONSORTIUM_PANELS = 10
CONSORTIUM_SIZE = 10
SLOT, COMPLEX_SLOT = 15, 20


@dataclass(frozen=True, slots=True)
class _Weekly:
    """One weekly panel of the family's week: its kind, weekday and window."""

    kind: str
    day: str
    opens: time
    closes: time


# The family's week. The Wednesday pair overlaps from 11:00 to 12:30, so a manager with a
# case at each is in two places at once unless their slots are apart.
WEEK = (
    _Weekly("resource", "WE", time(9, 30), time(12, 30)),
    _Weekly("legal", "WE", time(11, 0), time(14, 0)),
    _Weekly("care", "MO", time(14, 0), time(17, 0)),
    _Weekly("access", "TU", time(9, 30), time(12, 30)),
    _Weekly("permanence", "TH", time(13, 0), time(16, 0)),
    _Weekly("leaving-care", "FR", time(10, 0), time(13, 0)),
)
DAYS = ("MO", "TU", "WE", "TH", "FR")


def week_panels(count: int, prefix: str = "p") -> tuple[Panel, ...]:
    """``count`` weekly panels: :data:`WEEK` in turn, each further copy a weekday later.

    Copy ``k`` sits ``k`` weekdays after the first (wrapping), so with six or more copies
    every weekday has an overlapping pair. Ids are ``p01-resource``, ``p02-legal``, ...
    """
    panels = []
    for number in range(count):
        weekly = WEEK[number % len(WEEK)]
        copy = number // len(WEEK)
        day = DAYS[(DAYS.index(weekly.day) + copy) % len(DAYS)]
        title = weekly.kind.replace("-", " ").capitalize()
        panels.append(
            Panel(
                id=f"{prefix}{number + 1:02d}-{weekly.kind}",
                name=f"{title} Panel {prefix.upper()}{number + 1}",
                cadence=f"FREQ=WEEKLY;BYDAY={day}",
                time=(weekly.opens, weekly.closes),
                slot_minutes=SLOT,
                complex_slot_minutes=COMPLEX_SLOT,
                cutoff="3 working days 17:00",
                assumed="synthetic benchmark panel (issue 13's instance families)",
            )
        )
    return tuple(panels)


def _pooled(count: int) -> DemandProfile:
    """The family's profile with pools of ``count / 10`` social workers, ``count / 50``
    managers."""
    teams = max(1, round(count / CASES_PER_MANAGER))
    return dataclasses.replace(PROFILE, teams=teams, team_size=(TEAM_SIZE, TEAM_SIZE))


def _expected(authority: Authority, profile: DemandProfile) -> float:
    """Referrals that fill 100% of ``authority``'s 2027 sittings."""
    return sum(expected_counts(authority, YEAR_START, YEAR_END, 1.0, profile).values())


def _one_authority(
    name: str, panels: Sequence[Panel], count: int, seed: int
) -> tuple[Authority, tuple[Referral, ...], float]:
    authority = Authority(authority=name, panels=tuple(panels))
    profile = _pooled(count)
    capacity = _expected(authority, profile)
    referrals = generate_referrals(
        authority, YEAR_START, YEAR_END, count=count, profile=profile, seed=seed
    )
    return authority, referrals, capacity


def _relabel(referral: Referral, tag: str) -> Referral:
    """``referral`` with its case, child and people prefixed by ``tag`` (one authority's)."""
    return dataclasses.replace(
        referral,
        referral_id=f"{tag}-{referral.referral_id}",
        child_id=f"{tag}-{referral.child_id}",
        social_worker=f"{tag}-{referral.social_worker}",
        team_manager=f"{tag}-{referral.team_manager}",
        attendees=tuple(f"{tag}-{person}" for person in referral.attendees),
    )


def _away(referrals: Sequence[Referral], seed: int) -> tuple[Unavailability, ...]:
    return generate_leave_blocks(
        people_of(referrals), YEAR_START, PLAN_END, seed, AWAY_SHARE, AWAY_WEEKS
    )


def make(family: str, seed: int, count: int | None = None) -> Instance:
    """One year of ``family`` (``"a"`` to ``"d"``), ``count`` referrals (its size by default).

    Returns
    -------
    Instance
        The authority, referrals, leave, and the referrals that would fill 100% of the
        year's sittings (so ``Instance.load`` is booked over capacity minutes).
    """
    size = count if count is not None else SIZES[family]
    if family == "a":
        return make_instance(size, seed)
    if family in ("b", "c"):
        panels = week_panels(6 if family == "b" else 40)
        authority, referrals, capacity = _one_authority(f"Family {family}", panels, size, seed)
        return Instance(authority, referrals, _away(referrals, seed), capacity * 0.9)
    if family == "d":
        each = size // CONSORTIUM_SIZE
        panels: list[Panel] = []
        referrals: list[Referral] = []
        capacity = 0.0
        for number in range(1, CONSORTIUM_SIZE + 1):
            tag = f"A{number:02d}"
            own = week_panels(CONSORTIUM_PANELS, prefix=f"a{number:02d}p")
            share = each + (size - each * CONSORTIUM_SIZE if number == CONSORTIUM_SIZE else 0)
            _, made, got = _one_authority(tag, own, share, seed * 1000 + number)
            panels.extend(own)
            referrals.extend(_relabel(r, tag) for r in made)
            capacity += got
        authority = Authority(authority="Regional consortium", panels=tuple(panels))
        ordered = tuple(sorted(referrals, key=lambda r: r.referral_id))
        return Instance(authority, ordered, _away(ordered, seed), capacity * 0.9)
    raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")


def write(instance: Instance, folder: Path) -> tuple[Path, Path, Path]:
    """The instance as a user would give it: ``model.yaml``, ``referrals.csv``,
    ``availability.csv`` in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    model, referrals, availability = (
        folder / "model.yaml",
        folder / "referrals.csv",
        folder / "availability.csv",
    )
    panels = [
        {
            "id": p.id,
            "name": p.name,
            "cadence": p.cadence,
            "time": f"{p.time[0]:%H:%M}-{p.time[1]:%H:%M}",
            "slot_minutes": p.slot_minutes,
            **({"complex_slot_minutes": p.complex_slot_minutes} if p.complex_slot_minutes else {}),
            **({"cutoff": p.cutoff.text} if p.cutoff else {}),
            **({"papers": p.papers.text} if p.papers else {}),
            **({"breaks": [f"{b:%H:%M}-{e:%H:%M}" for b, e in p.breaks]} if p.breaks else {}),
            **({"assumed": p.assumed} if p.assumed else {}),
        }
        for p in instance.authority.panels
    ]
    document = {"authority": instance.authority.authority, "holidays": "ENG", "panels": panels}
    model.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    write_referrals_csv(instance.referrals, referrals)
    write_availability_csv(instance.availability, availability)
    return model, referrals, availability


__all__ = ["FAMILIES", "SIZES", "WEEK", "make", "week_panels", "write"]
