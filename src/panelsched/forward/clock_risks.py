"""Statutory clocks at risk: the open cases whose clock's last sitting is near, and where each
stands (issue 26, "warned of ahead").

The planner cannot stop a late request; it can say early and plainly which cases will miss
which clock. :func:`clock_risks` lists every case not yet decided whose due date a statutory
clock sets (:attr:`Due.is_clock <panelsched.core.due.Due.is_clock>`) and whose last viable
sitting falls within the coming weeks, or has passed while the case is still open:

- **booked in time**: booked at a sitting on or before the last viable sitting;
- **booked late**: booked after it, by so many days;
- **not bookable in time**: the planner could not book it at all.

A case booked late or not booked says why in the planner's own words
(:func:`panelsched.planner.explain.explain`, as :mod:`.booking` explains a round): no sitting
between its cut-off and the last viable sitting, the sittings in time full, someone it needs
away, a sitting cancelled. Each case is explained as if it were not booked, with every other
booking where it is, so the sentence is why no sitting in time could take it, not that it was
heard late (its booked date and days late are fields of their own).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from panelsched.core.clocks import start_of
from panelsched.core.due import Due
from panelsched.core.plan import Plan
from panelsched.forward.diary import Diary, Hearing
from panelsched.planner.explain import explain
from panelsched.planner.problem import ProblemData, build_problem

RiskState = Literal["booked in time", "booked late", "not bookable in time"]
STATES: tuple[RiskState, ...] = ("booked in time", "booked late", "not bookable in time")

# Room after the furthest date that matters, so an explanation can name the first sitting a
# case could make after its clock's last one.
MARGIN = timedelta(weeks=13)


@dataclass(frozen=True, slots=True)
class ClockRisk:
    """One open case on a statutory clock, and where it stands.

    Attributes
    ----------
    key, reference
        The hearing as outputs name it (``R-1``, ``R-1#2``) and its case reference.
    panel, panel_name
        The panel's id and name.
    clock_id, clock_name, source
        The clock (``ehc-assessment-decision``, ``6-week assessment decision``) and its
        citation (``SEND Regulations 2014, reg. 5``).
    requested
        The date the clock counts from (the referral's ``requested`` or other start column).
    clock_end
        The day the clock ends, its pauses included.
    last_sitting
        The last viable sitting: the clock's end less the time the decision needs after it.
    booked
        The date of its booking in force, or ``None``.
    state
        ``booked in time``, ``booked late`` or ``not bookable in time``.
    days_late
        For a late booking, days after :attr:`last_sitting`; else ``None``.
    why
        Why no sitting in time could take it (empty when booked in time).
    days_left
        Days from today to :attr:`last_sitting` (negative once it has passed).
    """

    key: str
    reference: str
    panel: str
    panel_name: str
    clock_id: str
    clock_name: str
    source: str
    requested: date | None
    clock_end: date
    last_sitting: date
    booked: date | None
    state: RiskState
    days_late: int | None
    why: str
    days_left: int

    @property
    def will_miss(self) -> bool:
        """True when it is booked late or cannot be booked in time."""
        return self.state != "booked in time"

    @property
    def state_words(self) -> str:
        """The state as a person says it: ``booked late, by 11 days``."""
        if self.days_late is not None:
            return f"{self.state}, by {self.days_late} day{'s' if self.days_late != 1 else ''}"
        return self.state

    @property
    def days_left_words(self) -> str:
        """``today``, ``1 day``, ``12 days``, or ``3 days ago`` once the last sitting passed."""
        if self.days_left == 0:
            return "today"
        count = abs(self.days_left)
        words = f"{count} day{'s' if count != 1 else ''}"
        return f"{words} ago" if self.days_left < 0 else words


def _requested(diary: Diary, hearing: Hearing, due: Due) -> date | None:
    """The date ``due``'s clock counts from, read from the column the clock names."""
    for clock in diary.authority.clocks_of(hearing.panel):
        if clock.id == due.rule:
            return start_of(hearing.referral, clock.starts)
    return None


def _chosen(
    diary: Diary, now: datetime, weeks: int, panels: Collection[str] | None
) -> list[tuple[Hearing, Due]]:
    """Open hearings on a clock whose last viable sitting is on or before ``weeks`` ahead."""
    limit = now.date() + timedelta(weeks=weeks)
    found = []
    for hearing in diary.hearings:
        if diary.is_decided(hearing.id) or (panels and hearing.panel not in panels):
            continue
        due = diary.due(hearing)
        if due is not None and due.is_clock and due.date <= limit:
            found.append((hearing, due))
    return found


def _problem(diary: Diary, now: datetime, risky: Sequence[Hearing]) -> ProblemData:
    """The planner's input over the sittings the risky hearings could have gone to.

    Every hearing booked in that span (decided or not) is there, so a sitting shows as full as
    it is; nothing is pinned, so each explanation weighs the rules alone. A hearing still
    waiting is offered no sitting that has opened by ``now``, as when :mod:`.booking` plans.
    """
    start = min(h.referral.submitted.date() for h in risky)
    furthest = [now.date(), *(b.date for b in diary.in_force.values())]
    furthest += [d for h in risky if (d := diary.due_date(h)) is not None]
    end = max(furthest) + MARGIN
    ids = {h.id for h in risky} | {
        hearing_id for hearing_id, b in diary.in_force.items() if start <= b.date <= end
    }
    hearings = [h for h in diary.hearings if h.id in ids]
    problem = build_problem(
        diary.authority,
        [diary.planner_referral(h) for h in hearings],
        diary.availability,
        start=start,
        end=end,
    )
    waiting = {diary.keys[h.id] for h in risky if h.id not in diary.in_force}
    index = problem.referral_index()
    rows = {index[key] for key in waiting}
    past = {i for i, s in enumerate(problem.sittings) if s.opens <= now}
    if not rows or not past:
        return problem
    candidates = tuple(
        tuple(i for i in options if i not in past) if r in rows else options
        for r, options in enumerate(problem.candidates)
    )
    return replace(problem, candidates=candidates)


def _why(diary: Diary, problem: ProblemData, key: str) -> str:
    """The planner's sentence for ``key`` as if it were not booked, all else as booked."""
    index = problem.referral_index()
    bookings = [
        diary.as_booking(b)
        for hearing_id, b in diary.in_force.items()
        if diary.keys[hearing_id] in index and diary.keys[hearing_id] != key
    ]
    for explained in explain(problem, Plan.of(bookings, [key])):
        if explained.referral_id == key:
            return explained.reason
    return ""


def clock_risks(
    diary: Diary, now: datetime, weeks: int, panels: Collection[str] | None = None
) -> tuple[ClockRisk, ...]:
    """Every open case whose statutory clock's last viable sitting is within ``weeks`` weeks of
    ``now`` (or has passed), with where it stands.

    Parameters
    ----------
    diary
        The store's contents.
    now
        The moment of reading; days left count from its date.
    weeks
        How far ahead to look.
    panels
        Only these panels' cases (every panel's when ``None`` or empty).

    Returns
    -------
    tuple of ClockRisk
        The fewest days left first; then by panel and key.
    """
    chosen = _chosen(diary, now, weeks, panels)
    if not chosen:
        return ()
    missing = {
        h.id for h, due in chosen if (b := diary.in_force.get(h.id)) is None or b.date > due.date
    }
    problem = _problem(diary, now, [h for h, _ in chosen]) if missing else None
    names = {p.id: p.name for p in diary.base.panels}
    found = []
    for hearing, due in chosen:
        booking = diary.in_force.get(hearing.id)
        key = diary.keys[hearing.id]
        state: RiskState
        if booking is None:
            state, late = "not bookable in time", None
        elif booking.date > due.date:
            state, late = "booked late", (booking.date - due.date).days
        else:
            state, late = "booked in time", None
        why = _why(diary, problem, key) if problem is not None and hearing.id in missing else ""
        found.append(
            ClockRisk(
                key=key,
                reference=hearing.referral_id,
                panel=hearing.panel,
                panel_name=names.get(hearing.panel, hearing.panel),
                clock_id=due.rule,
                clock_name=due.name,
                source=due.source,
                requested=_requested(diary, hearing, due),
                clock_end=due.from_date or due.date,
                last_sitting=due.date,
                booked=booking.date if booking is not None else None,
                state=state,
                days_late=late,
                why=why,
                days_left=(due.date - now.date()).days,
            )
        )
    return tuple(sorted(found, key=lambda r: (r.days_left, r.panel, r.key)))


__all__ = ["MARGIN", "STATES", "ClockRisk", "RiskState", "clock_risks"]
