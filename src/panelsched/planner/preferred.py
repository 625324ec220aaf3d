"""Re-planning with bookings people were already told: kept where they can be, else moved least.

A *preferred* booking (``solve(preferred=...)``) is a date and time someone was told, which
the planner may change at a cost: stage 1 keeps as many as it can at their sitting, right after
fewest late cases (:func:`panelsched.planner.cpsat.assignment.kept`), then moves the rest as
few days as it can; stage 2 keeps a kept booking's start time wherever it still fits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from panelsched.core.panels import minutes_of
from panelsched.core.plan import PinnedBooking
from panelsched.core.sittings import sitting_id
from panelsched.core.timeslots import Timeline
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.problem import ProblemData


@dataclass(frozen=True, slots=True)
class Told:
    """What one referral was told: its sitting (``None`` if no longer in the problem), start."""

    sitting: int | None
    start: int


def told_of(problem: ProblemData, preferred: Iterable[PinnedBooking]) -> dict[int, Told]:
    """Referral index to what it was told, for the preferred bookings of unpinned referrals.

    Raises
    ------
    ValueError
        When a booking names a referral the problem does not have (a caller's mistake: the
        files a user gives are checked before they reach the planner).
    """
    index = problem.referral_index()
    sittings = problem.sitting_index()
    told = {}
    for booking in preferred:
        referral = index.get(booking.referral_id)
        if referral is None:
            raise ValueError(f"preferred booking {booking.referral_id!r} is not a referral")
        if problem.pinned_start[referral] is not None:
            continue  # pinned: it keeps its slot whatever
        panel = problem.referrals[referral].panel
        told[referral] = Told(
            sittings.get(sitting_id(panel, booking.date)), minutes_of(booking.start)
        )
    return told


def hold_told_times(
    problem: ProblemData, chosen: Mapping[int, int], told: Mapping[int, Told]
) -> ProblemData:
    """``problem`` with the start of each booking kept at its told sitting pinned, if it fits.

    A told start is pinned when its slot still lies inside the window, clear of breaks,
    pinned slots, the people's part-day leave and told starts pinned before it (in order of
    start), so stage 2 times the other bookings around them; one that no longer fits is timed
    like any other. Booking flags (``pinned``) still come from ``problem``.
    """
    if not told:
        return problem
    taken = Occupancy(problem)
    for referral, start in enumerate(problem.pinned_start):
        if start is not None:
            taken.take(referral, problem.candidates[referral][0], start)
    starts = list(problem.pinned_start)
    staying = sorted(
        (t.start, problem.referrals[r].referral_id, r)
        for r, t in told.items()
        if t.sitting is not None and chosen.get(r) == t.sitting
    )
    for start, _rid, referral in staying:
        sitting = told[referral].sitting
        assert sitting is not None
        each = problem.sittings[sitting]
        opens, closes = each.window_minutes
        end = start + problem.slot_minutes[referral]
        busy = [taken.at_sitting(sitting)] + [
            taken.by_person(person, each.date) for person in problem.referrals[referral].people
        ]
        if (
            opens <= start
            and end <= closes
            and Timeline.first_common_gap(busy, start, end, end - start) == start
        ):
            taken.take(referral, sitting, start)
            starts[referral] = start
    return dataclasses.replace(problem, pinned_start=tuple(starts))


__all__ = ["Told", "hold_told_times", "told_of"]
