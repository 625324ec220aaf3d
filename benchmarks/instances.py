"""Realistic planner instances of a given size, for the benchmarks.

An instance is a year of referrals (2027) to a synthetic authority whose panels are sized so
that demand is near 90% of their capacity, with the leave, court days and training of everyone
the referrals name (see :mod:`panelsched.synthetic` for the assumptions about arrivals,
review dates and leave: about a third of cases carry a CLA review date).

The authority clones Lambeth-like panels (a Thursday afternoon resource panel of 15-minute
slots, a Wednesday legal planning panel of 30-minute slots, ...) until their capacity over 2027
at 90% load gives the requested number of referrals, the last window trimmed or stretched to
the remainder. Clones sit on their template's weekday, half an hour later for each round of
cloning, and the first two templates both sit on Thursday afternoons, so on some days one
person's panels overlap in time (the synthetic workforce is shared by all panels: a team
manager presents at several of them).

    from instances import make_instance
    instance = make_instance(3000)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority, Panel
from panelsched.core.referrals import Referral
from panelsched.synthetic import (
    DemandProfile,
    expected_counts,
    generate_availability,
    generate_referrals,
    people_of,
)

YEAR_START, YEAR_END = date(2027, 1, 1), date(2027, 12, 31)
# build_problem's default range runs 13 weeks past the last submission; leave covers it all.
PLAN_END = YEAR_END + timedelta(weeks=13)
LOAD = 0.9
SEED = 7
# "Several panels" even for a small authority: below this many full panels' worth of demand,
# the first templates are used with shorter windows.
MIN_PANELS = 3


@dataclass(frozen=True, slots=True)
class _Template:
    """A Lambeth-like panel to clone (source tag LAM for the first two; the rest assumed)."""

    kind: str
    cadence: str
    opens: time
    closes: time
    slot: int
    complex_slot: int
    cutoff: str
    papers: str | None = None
    breaks: tuple[tuple[time, time], ...] = ()


TEMPLATES = (
    _Template("crp", "FREQ=WEEKLY;BYDAY=TH", time(13), time(16), 15, 30, "MO 13:00", "TU 17:00"),
    _Template(
        "short-breaks", "FREQ=WEEKLY;BYDAY=TH", time(13, 30), time(16, 30), 15, 30, "MO 17:00"
    ),
    _Template("lpp", "FREQ=WEEKLY;BYDAY=WE", time(10), time(14), 30, 60, "MO 10:00"),
    _Template("care", "FREQ=WEEKLY;BYDAY=MO", time(14), time(17), 15, 30, "3 working days 17:00"),
    _Template(
        "access",
        "FREQ=WEEKLY;BYDAY=TU",
        time(9, 30),
        time(13),
        20,
        40,
        "4 working days 12:00",
        breaks=((time(11, 0), time(11, 15)),),
    ),
    _Template("16plus", "FREQ=WEEKLY;BYDAY=FR", time(10), time(13), 15, 30, "TU 17:00"),
    _Template(
        "perm", "FREQ=MONTHLY;BYDAY=1TH,3TH", time(9, 30), time(12, 30), 30, 45, "5 days 12:00"
    ),
)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _panel(number: int, template: _Template, shift: int, length: int | None = None) -> Panel:
    """Clone ``template`` as panel ``number``, shifted ``shift`` minutes, ``length`` minutes long.

    The shift wraps (in half hours) within 09:00-18:00 so no window leaves the working day.
    """
    opens = _minutes(template.opens)
    window = _minutes(template.closes) - opens
    length = window if length is None else length
    latest = 18 * 60 - length
    cycle = (latest - 9 * 60) // 30 * 30 + 30
    opens = min(latest, 9 * 60 + (opens - 9 * 60 + shift) % cycle)
    base = _minutes(template.opens)
    breaks = tuple(
        (_clock(_minutes(b) - base + opens), _clock(_minutes(e) - base + opens))
        for b, e in template.breaks
        if _minutes(e) - base <= length
    )
    return Panel(
        id=f"b{number:02d}-{template.kind}",
        name=f"Benchmark {template.kind} panel {number}",
        cadence=template.cadence,
        time=(_clock(opens), _clock(opens + length)),
        slot_minutes=template.slot,
        complex_slot_minutes=template.complex_slot,
        cutoff=template.cutoff,
        papers=template.papers,
        breaks=breaks,
        assumed="synthetic benchmark panel cloned from a Lambeth-like template",
    )


def _expected(panel: Panel, profile: DemandProfile) -> float:
    authority = Authority(authority="Benchmark", panels=(panel,))
    return expected_counts(authority, YEAR_START, YEAR_END, LOAD, profile)[panel.id]


def _sized(
    number: int, template: _Template, shift: int, target: float, profile: DemandProfile
) -> tuple[Panel, float]:
    """Panel ``number`` cloned from ``template`` with its window resized to take ``target``
    referrals at 90% load (a whole number of slots, at least one complex slot, within
    09:00-18:00), and the referrals it expects."""
    panel = _panel(number, template, shift)
    expected = _expected(panel, profile)
    minutes = panel.capacity_minutes * target / expected
    step = template.slot
    length = max(template.complex_slot, step * round(minutes / step))
    panel = _panel(number, template, shift, min(length, 8 * 60))
    return panel, _expected(panel, profile)


def make_authority(count: int, profile: DemandProfile | None = None) -> Authority:
    """A synthetic authority whose panels take about ``count`` referrals in 2027 at 90% load.

    Panels are cloned from :data:`TEMPLATES` in turn; each round of clones sits half an hour
    later than the last. What is left when no whole clone fits goes to the last panel: to a
    new resource panel with a shorter window when it is at least half a panel's worth, else
    by lengthening the last clone's window. Windows change in whole slots, so the expected
    demand is within half a slot per sitting of ``count``. Demand under :data:`MIN_PANELS`
    full panels goes to that many panels with shorter windows.
    """
    profile = profile or DemandProfile()
    full = _panel(1, TEMPLATES[0], 0)
    if count < MIN_PANELS * _expected(full, profile):
        # A small authority: its first panels, each with a window sized to a share of demand.
        return Authority(
            authority=f"Benchmark {count}",
            panels=tuple(
                _sized(n + 1, TEMPLATES[n], 0, count / MIN_PANELS, profile)[0]
                for n in range(MIN_PANELS)
            ),
        )
    panels: list[tuple[_Template, int, Panel, float]] = []
    total = 0.0
    number = 0
    while True:
        template = TEMPLATES[number % len(TEMPLATES)]
        shift = 30 * (number // len(TEMPLATES))
        panel = _panel(number + 1, template, shift)
        expected = _expected(panel, profile)
        if total + expected > count:
            break
        number += 1
        panels.append((template, shift, panel, expected))
        total += expected
    rest = count - total
    if rest >= expected / 2:
        # Resource panels have the shortest slots, so their windows trim most finely.
        template = TEMPLATES[0]
        panel, got = _sized(number + 1, template, shift, rest, profile)
        panels.append((template, shift, panel, got))
    elif rest > 0:
        template, shift, _, last = panels.pop()
        panel, got = _sized(number, template, shift, last + rest, profile)
        panels.append((template, shift, panel, got))
    return Authority(authority=f"Benchmark {count}", panels=tuple(p for _, _, p, _ in panels))


@dataclass(frozen=True)
class Instance:
    """A benchmark instance: the authority, referrals and everyone's leave."""

    authority: Authority
    referrals: tuple[Referral, ...]
    availability: tuple[Unavailability, ...]
    expected: float

    @property
    def load(self) -> float:
        """Booked minutes over capacity minutes in 2027, by construction."""
        return LOAD * len(self.referrals) / self.expected

    @property
    def people(self) -> int:
        """Everyone some referral needs."""
        return len(people_of(self.referrals))


def make_instance(count: int, seed: int = SEED, profile: DemandProfile | None = None) -> Instance:
    """Exactly ``count`` referrals submitted in 2027 and the leave of everyone they name.

    Same ``count`` and ``seed``, same instance.
    """
    profile = profile or DemandProfile()
    authority = make_authority(count, profile)
    expected = sum(expected_counts(authority, YEAR_START, YEAR_END, LOAD, profile).values())
    referrals = generate_referrals(
        authority, YEAR_START, YEAR_END, count=count, load=LOAD, profile=profile, seed=seed
    )
    availability = generate_availability(
        people_of(referrals), YEAR_START, PLAN_END, seed, profile.leave, authority.holidays
    )
    return Instance(authority, referrals, availability, expected)


__all__ = ["TEMPLATES", "Instance", "make_authority", "make_instance"]
