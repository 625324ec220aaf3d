"""Leave, court days and training for the people referrals name.

Each person's periods depend only on the seed and their id, so adding a person leaves everyone
else's leave unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from panelsched.core.availability import Unavailability
from panelsched.core.referrals import Referral
from panelsched.core.workdays import working_calendar
from panelsched.synthetic.draws import below, between, check_share, poisson, seeded, working_days
from panelsched.synthetic.profiles import LeaveProfile
from panelsched.synthetic.school_holidays import is_school_holiday


def people_of(referrals: Iterable[Referral]) -> tuple[str, ...]:
    """Everyone who must attend some referral, sorted."""
    return tuple(sorted({person for r in referrals for person in r.people}))


def _leave_for(
    person: str,
    rng: random.Random,
    days: Sequence[date],
    profile: LeaveProfile,
    fraction: float,
) -> list[Unavailability]:
    taken: set[date] = set()
    periods: list[Unavailability] = []
    index = {d: i for i, d in enumerate(days)}

    def whole(first: date, last: date, reason: str) -> None:
        opens, closes = datetime.combine(first, time()), datetime.combine(last, time())
        periods.append(Unavailability(person, opens, closes, True, reason))

    budget = round(profile.annual_leave_days * fraction * (0.85 + 0.3 * rng.random()))
    singles = min(budget, poisson(rng, profile.single_days * fraction))
    rest = budget - singles
    mondays = [d for d in days if d.weekday() == 0]
    while rest >= 5 and mondays:
        weeks = 2 if rest >= 10 and rng.random() < profile.two_week_share else 1
        placed = False
        for _ in range(30):
            holiday = rng.random() < profile.school_holiday_preference
            pool = [m for m in mondays if is_school_holiday(m)] if holiday else mondays
            monday = (pool or mondays)[below(rng, len(pool or mondays))]
            last = monday + timedelta(days=7 * (weeks - 1) + 4)
            block = [monday + timedelta(n) for n in range((last - monday).days + 1)]
            work = [d for d in block if d in index]
            if last > days[-1] or not work or taken.intersection(block):
                continue
            taken.update(block)
            whole(monday, last, "annual leave")
            rest -= len(work)
            placed = True
            break
        if not placed:
            break
    singles += max(rest, 0)

    def free_day() -> date | None:
        for _ in range(30):
            day = days[below(rng, len(days))]
            if day not in taken:
                taken.add(day)
                return day
        return None

    for _ in range(singles):
        day = free_day()
        if day is not None:
            whole(day, day, "annual leave")
    if person.startswith(profile.court_prefixes):
        for _ in range(poisson(rng, profile.court_days_per_year * fraction)):
            day = free_day()
            if day is not None:
                whole(day, day, "court")
    for _ in range(poisson(rng, profile.training_per_year * fraction)):
        day = free_day()
        if day is not None:
            begin, finish = profile.training_times[below(rng, len(profile.training_times))]
            periods.append(
                Unavailability(
                    person,
                    datetime.combine(day, begin),
                    datetime.combine(day, finish),
                    False,
                    "training",
                )
            )
    return periods


def generate_availability(
    people: Iterable[str],
    start: date,
    end: date,
    seed: int = 0,
    profile: LeaveProfile | None = None,
    holidays: str = "ENG",
) -> tuple[Unavailability, ...]:
    """Leave, court days and part-day training for each person, inside ``start`` to ``end``.

    Each person's periods depend only on the seed and their id, so adding a person leaves
    everyone else's leave unchanged. A person's periods never overlap.

    Parameters
    ----------
    people
        Person ids as written in the referrals file.
    start, end
        The range, inclusive; every period lies inside it.
    seed
        Same seed, same periods.
    profile
        How much people are away; :class:`LeaveProfile` defaults when ``None``.
    holidays
        The UK subdivision whose bank holidays are not working days.

    Returns
    -------
    tuple of Unavailability
        Sorted by person, start and end. Whole-day periods run from midnight of the first
        day to midnight of the last day.
    """
    profile = profile or LeaveProfile()
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    days = working_days(start, end, working_calendar(holidays))
    if not days:
        return ()
    fraction = ((end - start).days + 1) / 365.25
    periods = [
        period
        for person in sorted(set(people))
        for period in _leave_for(person, seeded(seed, f"leave:{person}"), days, profile, fraction)
    ]
    return tuple(sorted(periods, key=lambda p: (p.person, p.start, p.end, p.reason)))


def generate_leave_blocks(
    people: Iterable[str],
    start: date,
    end: date,
    seed: int = 0,
    share: float = 0.4,
    weeks: tuple[int, int] = (1, 2),
) -> tuple[Unavailability, ...]:
    """A week or two of leave for ``share`` of ``people``; everyone else always available.

    Each person is drawn on their own (a draw seeded by ``seed`` and their id): with chance
    ``share`` they take one block of whole weeks, Monday to Friday, ``weeks`` long (each
    length equally likely), starting on a Monday drawn uniformly among those whose block ends
    by ``end``. Simpler than :func:`generate_availability`, and so a benchmark family says
    exactly who is away.

    Parameters
    ----------
    people
        Person ids as written in the referrals file.
    start, end
        The range, inclusive; every block lies inside it.
    seed
        Same seed, same blocks; a person's block does not depend on who else is listed.
    share
        The chance each person is away at all (0.4: 40% of people).
    weeks
        ``(low, high)`` whole weeks a block lasts.

    Returns
    -------
    tuple of Unavailability
        Sorted by person; whole-day periods from the Monday to the Friday.
    """
    check_share("share", share)
    if not 1 <= weeks[0] <= weeks[1]:
        raise ValueError("weeks must be (low, high) with 1 <= low <= high")
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    first_monday = start + timedelta(days=-start.weekday() % 7)
    periods = []
    for person in sorted(set(people)):
        rng = seeded(seed, f"leave-block:{person}")
        if rng.random() >= share:
            continue
        length = between(rng, *weeks)
        last_monday = end - timedelta(days=7 * (length - 1) + 4)
        mondays = (last_monday - first_monday).days // 7 + 1
        if mondays < 1:
            continue
        monday = first_monday + timedelta(weeks=below(rng, mondays))
        friday = monday + timedelta(days=7 * (length - 1) + 4)
        periods.append(
            Unavailability(
                person,
                datetime.combine(monday, time()),
                datetime.combine(friday, time()),
                True,
                "annual leave",
            )
        )
    return tuple(periods)


__all__ = ["generate_availability", "generate_leave_blocks", "people_of"]
