"""Occupancy: what is taken at a sitting, and by whom, for first-fit slotting.

One panel sits Wednesday 6 January 2027 10:00-11:10 with a 10:30-10:40 break; slots are 20
minutes. Minutes are after midnight: 10:00 is 600.
"""

from __future__ import annotations

from datetime import date, datetime

from panelsched.core.availability import Unavailability
from panelsched.core.sittings import sitting_id
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.problem import ProblemData, build_problem
from tests.helpers.builders import authority, referral

JAN6 = date(2027, 1, 6)

AUTHORITY = authority("brk")  # cut-off Monday 4 Jan 13:00 for Wednesday 6 Jan


def _problem(*people: tuple[str, str], leave: tuple[Unavailability, ...] = ()) -> ProblemData:
    referrals = [
        referral(f"R{n}", panel="brk", social_worker=worker, team_manager=manager)
        for n, (worker, manager) in enumerate(people, start=1)
    ]
    return build_problem(AUTHORITY, referrals, unavailability=leave, start=JAN6, end=JAN6)


def test_breaks_and_part_day_leave_are_taken_before_any_slot() -> None:
    training = Unavailability(
        "SW-1", datetime(2027, 1, 6, 10, 0), datetime(2027, 1, 6, 10, 15), whole_days=False
    )
    problem = _problem(("SW-1", "TM-1"), ("SW-2", "TM-2"), ("SW-3", "TM-3"), leave=(training,))
    sitting = problem.sitting_index()[sitting_id("brk", JAN6)]
    taken = Occupancy(problem)
    # R1: 10:00 has SW-1 in training; 10:15 (its end) runs 10:15-10:35 into the break; 10:40
    # (the break's end) runs 10:40-11:00, inside the 11:10 close: 640.
    assert taken.first_free(0, sitting) == 640
    # R2 has no one away: 10:00 (600). Once it takes 10:00-10:20, R3 cannot start at 10:20
    # (10:20-10:40 runs into the break): 10:40 again.
    assert taken.first_free(1, sitting) == 600
    taken.take(1, sitting, 600)
    assert taken.first_free(2, sitting) == 640
    # R3 takes 10:40-11:00; 11:00-11:20 would pass the close, so R1 no longer fits.
    taken.take(2, sitting, 640)
    assert taken.first_free(0, sitting) is None
    assert taken.at_sitting(sitting).spans() == ((600, 620), (630, 640), (640, 660))
    assert taken.by_person("SW-1", JAN6).spans() == ((600, 615),)
    assert taken.by_person("TM-3", JAN6).spans() == ((640, 660),)


def test_a_person_is_taken_by_each_of_their_slots_that_day_only() -> None:
    problem = _problem(("SW-1", "TM-X"), ("SW-2", "TM-X"))
    sitting = problem.sitting_index()[sitting_id("brk", JAN6)]
    taken = Occupancy(problem)
    # TM-X presents R1 at 10:00-10:20, so R2 (also TM-X) waits until 10:20; 10:20-10:40 runs
    # into the break, so 10:40.
    taken.take(0, sitting, 600)
    assert taken.first_free(1, sitting) == 640
    assert taken.by_person("TM-X", JAN6).spans() == ((600, 620),)
    assert taken.by_person("TM-X", date(2027, 1, 13)).spans() == ()
