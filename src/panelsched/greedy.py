"""Today's practice, as a baseline: first come, first served, the next sitting with room.

CBC 9: "The Panel administrator will book a slot on the Panel date requested or the next
available slot." Referrals are taken in order of submission; each goes to the earliest sitting
it may attend where a slot is free for the sitting and for everyone who must attend. This is
the reference every benchmark compares against, so it is kept honest: it uses the same
eligibility as the solver and books as early in the window as it can.
"""

from __future__ import annotations

from collections import defaultdict

from panelsched.model import minutes_of
from panelsched.plan import Booking, Plan
from panelsched.problem import ProblemData
from panelsched.timeslots import Timeline, minute_to_time


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
    sitting_busy: dict[int, Timeline] = defaultdict(Timeline)
    person_busy: dict[tuple[str, object], Timeline] = defaultdict(Timeline)
    for index, sitting in enumerate(problem.sittings):
        for b_start, b_end in problem.authority.panel(sitting.panel).breaks:
            sitting_busy[index].add(minutes_of(b_start), minutes_of(b_end))
    for period in problem.unavailability:
        if not period.whole_days:
            for day, first, last in period.blocks():
                person_busy[(period.person, day)].add(first, last)

    bookings: list[Booking] = []
    unplaced: list[str] = []

    def book(referral: int, sitting_index: int, start: int, pinned: bool) -> None:
        sitting = problem.sittings[sitting_index]
        end = start + problem.slot_minutes[referral]
        sitting_busy[sitting_index].add(start, end)
        for person in problem.referrals[referral].people:
            person_busy[(person, sitting.date)].add(start, end)
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
        length = problem.slot_minutes[referral]
        people = problem.referrals[referral].people
        for sitting_index in problem.candidates[referral]:
            sitting = problem.sittings[sitting_index]
            open_, close = sitting.window_minutes
            busy = [sitting_busy[sitting_index]] + [person_busy[(p, sitting.date)] for p in people]
            free = Timeline.first_common_gap(busy, open_, close, length)
            if free is not None:
                book(referral, sitting_index, free, pinned=False)
                break
        else:
            unplaced.append(problem.referrals[referral].referral_id)
    return Plan.of(bookings, unplaced)
