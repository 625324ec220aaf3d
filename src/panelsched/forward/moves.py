"""Which bookings already made a command may move.

A booking ahead has been communicated: the social worker, the team manager and everyone
attending have it in their diaries. A command therefore moves as few as it can, by choosing
which bookings the planner sees as pinned and which it may place again (the planner itself is
not changed):

=============  =====================================================================
``keep``       nothing already booked moves; only hearings waiting are booked
               (``planner add``'s default)
``late``       hearings booked after their due date are offered the capacity too
               (``planner extra``'s default; ``--move-late-only``)
``late`` + N   and up to N others, those that would be heard soonest ahead of their
               booking (``--move N``)
``all``        every booking ahead may move: full re-planning (``--replan``)
=============  =====================================================================

Hearings waiting for a sitting (unplaced) are always booked. Under ``late`` a booking the
planner would not bring to an earlier date keeps its slot, so nobody offered the capacity is
moved later or shuffled within their own sitting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from panelsched.core.panels import minutes_of
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.planner.problem import ProblemData, build_problem

Scope = Literal["none", "late", "all"]

# Room after the last booking ahead, so every sitting a booking is at is in the problem.
_MARGIN = timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class Moves:
    """Which bookings already made may move.

    Parameters
    ----------
    scope
        ``"none"``, ``"late"`` (cases booked after their due date) or ``"all"``.
    others
        With ``"late"``: how many other bookings may move too.
    """

    scope: Scope = "none"
    others: int = 0

    def __post_init__(self) -> None:
        if self.others < 0:
            raise ValueError("others must be 0 or more")
        if self.others and self.scope != "late":
            raise ValueError("others only go with the 'late' scope")

    @property
    def words(self) -> str:
        """What may move, for the command's record: ``late cases and up to 2 others``."""
        if self.scope == "none":
            return "no booking already made"
        if self.scope == "all":
            return "any booking ahead"
        others = ""
        if self.others:
            others = f" and up to {self.others} other {'case' if self.others == 1 else 'cases'}"
        return f"cases booked late{others}"


KEEP = Moves("none")
LATE_ONLY = Moves("late")
REPLAN = Moves("all")


@dataclass(frozen=True, slots=True)
class Movable:
    """The bookings one command offers the capacity to, by hearing id.

    Attributes
    ----------
    late
        Hearings booked after their due date.
    others
        Hearings in time chosen under ``Moves.others``, most to gain first.
    """

    late: tuple[int, ...] = ()
    others: tuple[int, ...] = ()

    @property
    def hearing_ids(self) -> frozenset[int]:
        """Every hearing that may move."""
        return frozenset((*self.late, *self.others))


def booked_ahead(diary: Diary, now: datetime) -> list[tuple[Hearing, StoredBooking]]:
    """Hearings booked at a slot still ahead and not decided, in hearing order."""
    found = []
    for hearing in diary.hearings:
        booking = diary.in_force.get(hearing.id)
        if booking is None or hearing.id in diary.outcomes or booking.opens <= now:
            continue
        found.append((hearing, booking))
    return found


def _open_problem(
    diary: Diary, now: datetime, booked: list[tuple[Hearing, StoredBooking]]
) -> ProblemData:
    """The booked hearings as if none were booked: every sitting open to each, and each due
    date (an emergency's is the next sitting after its decision, S9)."""
    last = max(b.date for _, b in booked)
    return build_problem(
        diary.authority,
        [diary.planner_referral(h) for h, _ in booked],
        diary.availability,
        start=now.date(),
        end=last + _MARGIN,
    )


def _free_minutes(diary: Diary) -> dict[tuple[str, date], int]:
    """Minutes booked at each sitting (panel, date), from the bookings in force."""
    used: dict[tuple[str, date], int] = defaultdict(int)
    for booking in diary.in_force.values():
        used[(booking.panel, booking.date)] += minutes_of(booking.end) - minutes_of(booking.start)
    return used


def movable(diary: Diary, now: datetime, moves: Moves) -> Movable:
    """The bookings ahead that ``moves`` offers the capacity to.

    Parameters
    ----------
    diary
        The store, with any sitting the command added.
    now
        The command's moment: only bookings at slots still ahead can move.
    moves
        What may move. ``"none"`` and ``"all"`` choose nothing here (the first moves nobody,
        the second frees every booking).

    Returns
    -------
    Movable
        The late bookings, and with ``moves.others`` the others that would gain most: those
        with the most (weighted) days between their booking and the earliest sitting open to
        them with room for their slot.
    """
    if moves.scope != "late":
        return Movable()
    booked = booked_ahead(diary, now)
    if not booked:
        return Movable()
    problem = _open_problem(diary, now, booked)
    position = problem.referral_index()
    at = problem.sitting_index()
    late: list[int] = []
    in_time: list[tuple[int, int, StoredBooking]] = []
    for hearing, booking in booked:
        index = position[diary.keys[hearing.id]]
        sitting = at.get(booking.sitting_id)
        if sitting is not None and problem.is_late(index, sitting):
            late.append(hearing.id)
        else:
            in_time.append((hearing.id, index, booking))
    if not moves.others:
        return Movable(tuple(late))
    used = _free_minutes(diary)
    gains: list[tuple[int, date, str, int]] = []
    for hearing_id, index, booking in in_time:
        need = problem.slot_minutes[index]
        sooner = [
            problem.sittings[i]
            for i in problem.candidates[index]
            if problem.sittings[i].opens > now
            and problem.sittings[i].date < booking.date
            and problem.sittings[i].capacity_minutes
            - used[(problem.sittings[i].panel, problem.sittings[i].date)]
            >= need
        ]
        if not sooner:
            continue
        days = (booking.date - sooner[0].date).days
        weight = problem.referrals[index].weight
        gains.append((-days * weight, booking.date, diary.keys[hearing_id], hearing_id))
    chosen = tuple(hearing_id for *_, hearing_id in sorted(gains)[: moves.others])
    return Movable(tuple(late), chosen)


__all__ = [
    "KEEP",
    "LATE_ONLY",
    "REPLAN",
    "Movable",
    "Moves",
    "Scope",
    "booked_ahead",
    "movable",
]
