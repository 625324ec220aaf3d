"""Today's practice, as a baseline: first come, first served, the next sitting with room.

CBC 9: "The Panel administrator will book a slot on the Panel date requested or the next
available slot." Referrals are taken in order of submission; each goes to the earliest sitting
it may attend where a slot is free for the sitting and for everyone who must attend. This is
the reference every benchmark compares against, so it is kept honest: it uses the same
eligibility as the solver and books as early in the window as it can.
"""

from __future__ import annotations

from panelsched.core.plan import Booking, Plan
from panelsched.core.timeslots import minute_to_time
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.problem import ProblemData


def book_greedily(problem: ProblemData) -> Plan:
    """Book every referral first come, first served.

    Parameters
    ----------
    problem
        The planner's input.

    Returns
    -------
    Plan
        Pinned bookings as they were, then each referral at its earliest sitting with room.
    """
    taken = Occupancy(problem)
    bookings: list[Booking] = []
    unplaced: list[str] = []

    def book(referral: int, sitting_index: int, start: int, pinned: bool) -> None:
        sitting = problem.sittings[sitting_index]
        end = start + problem.slot_minutes[referral]
        taken.take(referral, sitting_index, start)
        bookings.append(
            Booking(
                date=sitting.date,
                start=minute_to_time(start),
                panel=sitting.panel,
                end=minute_to_time(end),
                referral_id=problem.referrals[referral].referral_id,
                pinned=pinned,
            )
        )

    for referral, minute in enumerate(problem.pinned_start):
        if minute is not None:
            book(referral, problem.candidates[referral][0], minute, pinned=True)

    order = sorted(
        (i for i, m in enumerate(problem.pinned_start) if m is None),
        key=lambda i: (problem.referrals[i].submitted, problem.referrals[i].referral_id),
    )
    for referral in order:
        for sitting_index in problem.candidates[referral]:
            free = taken.first_free(referral, sitting_index)
            if free is not None:
                book(referral, sitting_index, free, pinned=False)
                break
        else:
            unplaced.append(problem.referrals[referral].referral_id)
    return Plan.of(bookings, unplaced)
