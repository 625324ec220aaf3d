"""Problem data for the planner: sittings, referrals and who is away, checked and indexed.

Everything the solver and the greedy baseline need is worked out here, once: which sittings
each referral may go to (S1, S2, S5, S8, S9), its last date in time (S6, S7, S8, S9), its slot
length (S3, S4), and the pinned bookings. Solvers see only this frozen data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from panelsched.core.availability import Unavailability
from panelsched.core.due import Due
from panelsched.core.panels import Authority, minutes_of
from panelsched.core.plan import PinnedBooking
from panelsched.core.quorum import inquorate_sittings
from panelsched.core.referrals import Referral
from panelsched.core.sittings import (
    Sitting,
    cancelled_sittings,
    generate_sittings,
    ratification_due,
    ratification_sitting,
)
from panelsched.core.sittings import (
    decision_moment as sitting_decision_moment,
)
from panelsched.errors import InputError, Problem

# Why a referral cannot go to a sitting of its own panel; the codes are used in explanations.
BEFORE_SUBMISSION = "before_submission"
CUTOFF_PASSED = "cutoff_passed"
TOO_EARLY = "too_early"
OUTSIDE_RANGE = "outside_range"
PERSON_AWAY = "person_away"
INQUORATE = "inquorate"


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why one sitting is closed to one referral.

    Attributes
    ----------
    code
        One of the codes above (``person_away``, ``inquorate``).
    detail
        The reason in words.
    person
        Who is away, for ``person_away``.
    """

    code: str
    detail: str
    person: str = ""


@dataclass(frozen=True)
class ProblemData:
    """The planner's frozen input. Build it with :func:`build_problem`.

    Attributes
    ----------
    authority
        The panel model.
    start, end
        The planning range: new bookings go to sittings dated within it.
    sittings
        Every sitting in range (and any sitting a pinned booking names), sorted.
    referrals
        Sorted by ``referral_id``.
    unavailability
        Every period someone is away.
    candidates
        For each referral (same order), the indices into ``sittings`` it may be booked at,
        in date order. A pinned referral has exactly its pinned sitting.
    due
        For each referral, its last date in time with the rule that sets it, or ``None``.
    slot_minutes
        For each referral, the minutes its slot takes at its panel (S3, S4).
    pinned_start
        For each referral, its pinned start in minutes after midnight, or ``None``.
    pinned
        The pinned bookings as given (checked: each names a referral and a sitting).
    cancelled
        The sittings in range that the calendar cancelled, with the cut-offs they had: what
        an explanation names when a case met a cut-off whose sitting no longer sits.
    inquorate
        Each sitting that cannot be quorate on the known availability, by sitting id, with
        why (:func:`panelsched.core.quorum.shortfall`). No case is offered such a sitting unless
        its panel says ``inquorate: warn``.
    """

    authority: Authority
    start: date
    end: date
    sittings: tuple[Sitting, ...]
    referrals: tuple[Referral, ...]
    unavailability: tuple[Unavailability, ...]
    candidates: tuple[tuple[int, ...], ...]
    due: tuple[Due | None, ...]
    slot_minutes: tuple[int, ...]
    pinned_start: tuple[int | None, ...]
    pinned: tuple[PinnedBooking, ...]
    _away: dict[str, tuple[Unavailability, ...]] = field(repr=False, compare=False)
    cancelled: tuple[Sitting, ...] = ()
    inquorate: Mapping[str, str] = field(default_factory=dict)

    def referral_index(self) -> dict[str, int]:
        """Position of each referral id in :attr:`referrals`."""
        return {r.referral_id: i for i, r in enumerate(self.referrals)}

    def sitting_index(self) -> dict[str, int]:
        """Position of each sitting id in :attr:`sittings`."""
        return {s.id: i for i, s in enumerate(self.sittings)}

    def away(self, person: str) -> tuple[Unavailability, ...]:
        """Every period ``person`` is away."""
        return self._away.get(person, ())

    def is_late(self, referral: int, sitting: int) -> bool:
        """True when booking ``referral`` at ``sitting`` is after its last date in time."""
        due = self.due[referral]
        return due is not None and self.sittings[sitting].date > due.date

    def due_date(self, referral: int) -> date | None:
        """The last sitting date ``referral`` is in time for, or ``None``."""
        due = self.due[referral]
        return due.date if due is not None else None

    def wait_days(self, referral: int, sitting: int) -> int:
        """Days from submission to the sitting."""
        return (self.sittings[sitting].date - self.referrals[referral].submitted.date()).days

    def exclusion(self, referral: int, sitting: int) -> Exclusion | None:
        """Why ``sitting`` is closed to ``referral`` (``None`` when it is open).

        Only sittings of the referral's own panel are considered (S1).
        """
        chosen = self.referrals[referral]
        own = [self.sittings[i] for i in self.panel_sittings(chosen.panel)]
        late_ok = first_late_sitting(chosen, own) if may_be_late(self.authority, chosen) else None
        ctx = _Context(self.authority, self.start, self.end, self._away, self.inquorate)
        return _exclusion(ctx, chosen, self.sittings[sitting], late_ok)

    def panel_sittings(self, panel: str) -> tuple[int, ...]:
        """Indices of ``panel``'s sittings, in date order."""
        return tuple(i for i, s in enumerate(self.sittings) if s.panel == panel)


def first_late_sitting(referral: Referral, sittings: Iterable[Sitting]) -> Sitting | None:
    """The first of ``sittings`` after submission, if its cut-off had already passed.

    That is the one sitting a late paper can reach with the chair's permission (S2).
    """
    for sitting in sittings:
        if sitting.opens > referral.submitted:
            if sitting.cutoff is not None and sitting.cutoff < referral.submitted:
                return sitting
            return None
    return None


def decision_moment(referral: Referral) -> datetime:
    """When an emergency referral's decision counts as taken (S9): its submission, read by
    :func:`panelsched.core.sittings.decision_moment` (a date alone is after that day's
    sittings)."""
    return sitting_decision_moment(referral.submitted)


def may_be_late(authority: Authority, referral: Referral) -> bool:
    """True when ``referral`` may be heard at the first sitting whose cut-off it missed."""
    # S2: the chair may accept a late paper; S9: an emergency decision is ratified at the next
    # sitting, so it is treated as having permission. SWI accepts no late applications at all.
    panel = authority.panel(referral.panel)
    return panel.late_applications and (
        referral.late_permission or referral.priority == "emergency"
    )


@dataclass(frozen=True, slots=True)
class _Context:
    authority: Authority
    start: date
    end: date
    away: dict[str, tuple[Unavailability, ...]]
    inquorate: Mapping[str, str] = field(default_factory=dict)


def _exclusion(
    ctx: _Context, referral: Referral, sitting: Sitting, late_ok: Sitting | None
) -> Exclusion | None:
    if sitting.opens <= referral.submitted:
        return Exclusion(BEFORE_SUBMISSION, "sits before the referral was submitted")
    if referral.priority == "emergency" and sitting.opens <= decision_moment(referral):
        return Exclusion(BEFORE_SUBMISSION, "sits before the emergency decision was taken")
    if sitting.cutoff is not None and referral.submitted > sitting.cutoff and late_ok != sitting:
        return Exclusion(CUTOFF_PASSED, f"its cut-off {sitting.cutoff:%d/%m/%Y %H:%M} had passed")
    panel = ctx.authority.panel(sitting.panel)
    earliest = referral.earliest(panel.lead_times)
    if earliest is not None and sitting.date < earliest:
        return Exclusion(TOO_EARLY, f"is before {earliest:%d/%m/%Y}, the first date allowed")
    if not ctx.start <= sitting.date <= ctx.end:
        return Exclusion(OUTSIDE_RANGE, "is outside the planning range")
    short = ctx.inquorate.get(sitting.id)
    if short is not None and panel.inquorate == "refuse":
        return Exclusion(INQUORATE, short)
    start, end = sitting.window_minutes
    slot = panel.slot_for(referral.complex)
    for person in referral.people:
        for away in ctx.away.get(person, ()):
            if away.covers_day(sitting.date):
                return Exclusion(PERSON_AWAY, f"{person} is unavailable that day", person)
            if (
                not away.whole_days
                and away.clashes(sitting.date, sitting.start, sitting.end)
                and _free_minutes(away, sitting.date, start, end) < slot
            ):
                return Exclusion(PERSON_AWAY, f"{person} is unavailable during the sitting", person)
    return None


def _free_minutes(away: Unavailability, day: date, start: int, end: int) -> int:
    """The longest stretch of the window ``[start, end)`` outside ``away`` on ``day``."""
    block_start = minutes_of(away.start.time()) if away.start.date() == day else 0
    block_end = minutes_of(away.end.time()) if away.end.date() == day else 24 * 60
    before = max(0, min(end, block_start) - start)
    after = max(0, end - max(start, block_end))
    return max(before, after)


def _default_range(referrals: Sequence[Referral]) -> tuple[date, date]:
    # From the first submission to 13 weeks after the last: room for the last cases to wait.
    submitted = [r.submitted.date() for r in referrals]
    return min(submitted), max(submitted) + timedelta(weeks=13)


def build_problem(
    authority: Authority,
    referrals: Iterable[Referral],
    unavailability: Iterable[Unavailability] = (),
    pinned: Iterable[PinnedBooking] = (),
    start: date | None = None,
    end: date | None = None,
    pinned_file: str = "pinned bookings",
) -> ProblemData:
    """Check and index the planner's input.

    Parameters
    ----------
    authority
        The panel model.
    referrals
        Referrals to book (ids unique; panels known to the model).
    unavailability
        When people are away.
    pinned
        Earlier bookings that keep their date and time.
    start, end
        The planning range; by default from the first submission to 13 weeks after the last.
    pinned_file
        The pinned file's name, for messages.

    Raises
    ------
    InputError
        When a pinned booking names an unknown referral, a date the panel does not sit, or a
        start outside the sitting's window.
    """
    ordered = tuple(sorted(referrals, key=lambda r: r.referral_id))
    if not ordered:
        raise InputError.one("referrals", "there are no referrals to plan")
    default_start, default_end = _default_range(ordered)
    start = start or default_start
    end = end or max(default_end, start)
    if end < start:
        raise InputError.one(
            "planning range",
            f"ends on {end:%d/%m/%Y}, before it starts on {start:%d/%m/%Y}"
            " (the first submission, unless --from is given)",
        )
    pins = tuple(pinned)
    pin_dates = [p.date for p in pins]
    # S9 counts from the decision, which may precede the range: its sittings are needed too.
    decided = [r.submitted.date() for r in ordered if r.priority == "emergency"]
    sittings = generate_sittings(
        authority, min([start, *pin_dates, *decided]), max([end, *pin_dates])
    )
    calendar_of: dict[str, list[Sitting]] = defaultdict(list)
    for sitting in sittings:
        calendar_of[sitting.panel].append(sitting)
    pinned_days = set(pin_dates)
    inside = tuple(s for s in sittings if start <= s.date <= end or s.date in pinned_days)
    grouped: dict[str, list[Unavailability]] = defaultdict(list)
    for period in unavailability:
        grouped[period.person].append(period)
    away = {person: tuple(periods) for person, periods in sorted(grouped.items())}
    # Found where candidates are built, so every method and every explanation sees the same.
    short = inquorate_sittings(authority, inside, (p for ps in away.values() for p in ps))
    ctx = _Context(authority, start, end, away, short)
    by_panel: dict[str, list[int]] = defaultdict(list)
    for index, sitting in enumerate(inside):
        by_panel[sitting.panel].append(index)
    by_key = {(s.panel, s.date): i for i, s in enumerate(inside)}
    position = {r.referral_id: i for i, r in enumerate(ordered)}

    pinned_at: dict[int, tuple[int, int]] = {}
    problems: list[Problem] = []
    for pin in pins:
        row = pin.row or None
        if pin.referral_id not in position:
            problems.append(
                Problem(pinned_file, f"'{pin.referral_id}' is not in the referrals file", row=row)
            )
            continue
        referral = ordered[position[pin.referral_id]]
        panel = authority.panel(referral.panel)
        at = by_key.get((referral.panel, pin.date))
        if at is None:
            problems.append(
                Problem(
                    pinned_file,
                    f"{panel.id} does not sit on {pin.date:%d/%m/%Y}",
                    column="date",
                    row=row,
                )
            )
            continue
        sitting = inside[at]
        begin, finish = sitting.window_minutes
        minute = minutes_of(pin.start)
        if not begin <= minute <= finish - panel.slot_for(referral.complex):
            problems.append(
                Problem(
                    pinned_file,
                    f"{pin.start:%H:%M} leaves no room for a slot in the "
                    f"{sitting.start:%H:%M}-{sitting.end:%H:%M} window",
                    column="start",
                    row=row,
                )
            )
            continue
        pinned_at[position[pin.referral_id]] = (at, minute)
    if problems:
        raise InputError(problems)

    candidates: list[tuple[int, ...]] = []
    dues: list[Due | None] = []
    for index, referral in enumerate(ordered):
        panel = authority.panel(referral.panel)
        due = authority.due(referral)
        if referral.priority == "emergency":
            taken = decision_moment(referral)
            ratify = ratification_sitting(calendar_of[panel.id], taken, panel.late_applications)
            if ratify is not None and (due is None or ratify.date < due.date):
                due = ratification_due(ratify, taken)
        if index in pinned_at:
            options: tuple[int, ...] = (pinned_at[index][0],)
        else:
            own = by_panel[referral.panel]
            late_ok = (
                first_late_sitting(referral, (inside[i] for i in own))
                if may_be_late(authority, referral)
                else None
            )
            options = tuple(i for i in own if _exclusion(ctx, referral, inside[i], late_ok) is None)
        candidates.append(options)
        dues.append(due)
    return ProblemData(
        authority=authority,
        start=start,
        end=end,
        sittings=inside,
        referrals=ordered,
        unavailability=tuple(p for periods in away.values() for p in periods),
        candidates=tuple(candidates),
        due=tuple(dues),
        slot_minutes=tuple(authority.panel(r.panel).slot_for(r.complex) for r in ordered),
        pinned_start=tuple(
            pinned_at[i][1] if i in pinned_at else None for i in range(len(ordered))
        ),
        pinned=pins,
        _away=away,
        cancelled=cancelled_sittings(authority, start, end),
        inquorate=short,
    )


__all__ = [
    "INQUORATE",
    "Exclusion",
    "ProblemData",
    "build_problem",
    "decision_moment",
    "first_late_sitting",
    "may_be_late",
]
