"""Booking hearings into sittings with the planner, keeping what was already communicated.

Every hearing booked at a sitting still ahead is pinned: the planner must leave it at its date
and time, and books only the hearings that are waiting (new referrals, follow-ups, cases whose
sitting was cancelled). With ``replan`` the future bookings are freed too and may move; in
between, the bookings :mod:`.moves` chooses (cases booked late, and a bounded number of others)
are offered an earlier date and keep their slot when the planner finds none.
Sittings that have already opened are never offered: nothing is booked into the past.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from panelsched.core.panels import Authority
from panelsched.core.plan import PinnedBooking, Plan
from panelsched.core.sittings import Sitting
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.planner.explain import explain
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.planner.result import Method

# The field ``date`` of Placement shadows the type inside its body.
Day = date
Clock = time

# Room after the furthest date a hearing may be booked: the planner needs sittings beyond a
# due date to book a case late rather than not at all.
HORIZON = timedelta(weeks=26)


@dataclass(frozen=True, slots=True)
class Settings:
    """How the planner is run: the method, its time limit per round and seed."""

    time_limit: float = 5.0
    seed: int = 0
    method: Method = "cpsat"


@dataclass(frozen=True, slots=True)
class Placement:
    """A hearing given a slot: new, or moved from ``previous``."""

    hearing_id: int
    panel: str
    date: date
    start: time
    end: time
    previous: StoredBooking | None = None
    late_reason: str = ""

    @property
    def slot(self) -> tuple[str, Day, Clock, Clock]:
        """Where and when."""
        return (self.panel, self.date, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A hearing the planner could not book, and why, in a sentence."""

    hearing_id: int
    reason: str


@dataclass(frozen=True)
class BookingRound:
    """What one call of :func:`book_waiting` decided."""

    placed: tuple[Placement, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    problem: ProblemData | None = None
    plan: Plan | None = None


def _open_hearings(diary: Diary, now: datetime) -> list[Hearing]:
    """Hearings still to be heard at a sitting that has not opened yet (or not booked)."""
    chosen = []
    for hearing in diary.hearings:
        if diary.is_decided(hearing.id):
            continue
        booking = diary.in_force.get(hearing.id)
        if booking is not None and _sitting_opens(diary, booking) <= now:
            continue  # heard, or due to be: waiting for its outcome, not for a booking
        chosen.append(hearing)
    return chosen


def _sitting_opens(diary: Diary, booking: StoredBooking) -> datetime:
    sitting = diary.sitting(booking.panel, booking.date)
    start = sitting.start if sitting is not None else booking.start
    return datetime.combine(booking.date, start)


def _not_yet_open(problem: ProblemData, now: datetime) -> ProblemData:
    """The problem without sittings that opened at or before ``now`` for unpinned hearings."""
    past = {i for i, s in enumerate(problem.sittings) if s.opens <= now}
    if not past:
        return problem
    candidates = tuple(
        options
        if problem.pinned_start[r] is not None
        else tuple(i for i in options if i not in past)
        for r, options in enumerate(problem.candidates)
    )
    return replace(problem, candidates=candidates)


def _range_end(authority: Authority, hearings: list[Hearing], start: date) -> date:
    furthest = start
    for hearing in hearings:
        referral = hearing.referral
        due = authority.due_date(referral)
        for day in (due, authority.earliest(referral), referral.submitted.date()):
            if day is not None:
                furthest = max(furthest, day)
    return furthest + HORIZON


def book_waiting(
    diary: Diary,
    now: datetime,
    settings: Settings,
    *,
    replan: bool = False,
    release: Collection[int] = (),
    movable: Collection[int] = (),
) -> BookingRound:
    """Book every waiting hearing, leaving the bookings already made where they are.

    Parameters
    ----------
    diary
        The store's contents (with any hearings this command added).
    now
        The moment of the command; sittings opening at or before it are not offered.
    settings
        Planner method, time limit and seed.
    replan
        Free every booking at a sitting still ahead, so the planner may move it.
    release
        Hearings whose booking is freed anyway (their sitting was cancelled).
    movable
        Hearings whose booking is offered an earlier date (:mod:`.moves`): one the planner
        would not bring to an earlier date keeps its slot exactly.

    Returns
    -------
    BookingRound
        New and moved bookings, and hearings that could not be booked with the reason.
    """
    offered = set(movable) - set(release)
    while True:
        round_ = _round(diary, now, settings, replan=replan, free=set(release) | offered)
        # Moving later, or to another time at the same sitting, helps nobody offered an
        # earlier date and would be one more change to tell: pin those back and plan again
        # (each round pins at least one more, so this ends).
        back = {
            p.hearing_id
            for p in round_.placed
            if p.hearing_id in offered and p.previous is not None and p.date >= p.previous.date
        } | {u.hearing_id for u in round_.unplaced if u.hearing_id in offered}
        if not back:
            return round_
        offered -= back


def _round(
    diary: Diary, now: datetime, settings: Settings, *, replan: bool, free: Collection[int]
) -> BookingRound:
    """One run of the planner: waiting hearings and those in ``free`` (every booking ahead
    with ``replan``) are placed; every other booking ahead is pinned."""
    from panelsched.planner import SolveParams, WorkLimit, solve

    hearings = _open_hearings(diary, now)
    pins: list[PinnedBooking] = []
    placing: list[Hearing] = []
    for hearing in hearings:
        booking = diary.in_force.get(hearing.id)
        if booking is None or replan or hearing.id in free:
            placing.append(hearing)
        else:
            pins.append(PinnedBooking(diary.keys[hearing.id], booking.date, booking.start))
    if not placing:
        return BookingRound()
    start = now.date()
    problem = build_problem(
        diary.authority,
        [diary.planner_referral(h) for h in hearings],
        diary.availability,
        pins,
        start=start,
        end=_range_end(diary.authority, placing, start),
        pinned_file="the planner's bookings",
    )
    problem = _not_yet_open(problem, now)
    result = solve(
        problem,
        WorkLimit(settings.time_limit),
        SolveParams(method=settings.method, seed=settings.seed),
    )
    explained = explain(problem, result.plan)
    late = {e.referral_id: e.reason for e in explained if e.status == "late"}
    unplaced_reason = {e.referral_id: e.reason for e in explained if e.status == "unplaced"}
    freed = {diary.keys[h.id]: h for h in placing}
    placed = []
    for made in result.plan.bookings:
        chosen = freed.get(made.referral_id)
        if chosen is None:
            continue  # pinned: it stays exactly as stored, whatever the planner said
        placed.append(
            Placement(
                hearing_id=chosen.id,
                panel=made.panel,
                date=made.date,
                start=made.start,
                end=made.end,
                previous=diary.in_force.get(chosen.id),
                late_reason=late.get(made.referral_id, ""),
            )
        )
    unplaced = tuple(
        Unplaced(freed[key].id, unplaced_reason.get(key, "no sitting could take it"))
        for key in result.plan.unplaced
        if key in freed
    )
    return BookingRound(tuple(placed), unplaced, problem, result.plan)


def sitting_of(diary: Diary, booking: StoredBooking | Placement) -> Sitting | None:
    """The sitting a booking is at."""
    return diary.sitting(booking.panel, booking.date)


__all__ = ["HORIZON", "BookingRound", "Placement", "Settings", "Unplaced", "book_waiting"]
