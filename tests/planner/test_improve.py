"""Local search on stage 1's plan (planner/improve.py): moves, swaps and chains.

Sittings as in conftest: crp sits Thursdays 13:00-14:00, 60 minutes, in 15-minute slots and
20-minute slots for complex cases; everyone submitted Monday 4 Jan, so a case heard on 7 Jan
waits 3 days, on 14 Jan 10 and on 21 Jan 17 (urgent cases count three times).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from panelsched.planner.cpsat import assignment
from panelsched.planner.cpsat.improve import improve

JAN7, JAN14, JAN21 = date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21)


def _stage(problem):
    days = (JAN7, JAN14, JAN21)
    options = {
        r: [s for s in choices if problem.sittings[s].date in days]
        for r, choices in enumerate(problem.candidates)
    }
    return assignment.build(problem, options)


def _plan(problem, stage, where: dict[str, date]) -> np.ndarray:
    """The mask of arcs booking each referral id on the day given (absent: unplaced)."""
    ids = [problem.referrals[r].referral_id for r in stage.arcs.referral.tolist()]
    days = [problem.sittings[s].date for s in stage.arcs.sitting.tolist()]
    return np.array([where.get(i) == d for i, d in zip(ids, days, strict=True)])


def _booked(problem, stage, plan) -> dict[str, date]:
    return {
        problem.referrals[r].referral_id: problem.sittings[s].date
        for r, s in stage.chosen(plan).items()
    }


def _keeps_rows(stage, plan) -> bool:
    return all(int(row.coefs[plan[row.arcs]].sum()) <= row.upper for row in stage.rows)


def _waiting(stage, plan) -> int:
    return int(assignment.waiting(stage.arcs)[plan].sum())


def test_a_referral_moves_to_an_earlier_sitting_with_room(problem_of, referral):
    # R1 alone on 21 Jan (17 days) while 7 Jan is empty: moving it saves 14 days (3 days).
    problem = problem_of(referral("R1"))
    stage = _stage(problem)
    better = improve(stage, _plan(problem, stage, {"R1": JAN21}))
    assert _booked(problem, stage, better) == {"R1": JAN7}
    assert _waiting(stage, better) == 3


def test_an_unplaced_referral_is_booked(problem_of, referral):
    # Placing a referral is the first level: R1 unplaced is booked, on 7 Jan (3 days).
    problem = problem_of(referral("R1"))
    stage = _stage(problem)
    better = improve(stage, _plan(problem, stage, {}))
    assert _booked(problem, stage, better) == {"R1": JAN7}


def test_an_urgent_case_swaps_with_a_routine_one_at_a_full_sitting(problem_of, referral):
    # 7 Jan full with four routine cases, U (urgent) on 14 Jan: no single move fits, but U
    # and R1 changing places saves 3 x 7 - 7 = 14 weighted days: 4 x 3 + 3 x 10 = 42 before
    # (R1-R4 on 7 Jan, U 30), 3 x 3 + 3 x 3 + 10 = 28 after.
    cases = [referral(f"R{i}") for i in range(1, 5)] + [referral("U", priority="urgent")]
    problem = problem_of(*cases)
    stage = _stage(problem)
    start = _plan(problem, stage, {"R1": JAN7, "R2": JAN7, "R3": JAN7, "R4": JAN7, "U": JAN14})
    assert _waiting(stage, start) == 42
    better = improve(stage, start)
    booked = _booked(problem, stage, better)
    assert booked["U"] == JAN7
    assert sorted(booked.values()).count(JAN14) == 1
    assert _waiting(stage, better) == 28
    assert _keeps_rows(stage, better)


def test_a_swap_that_frees_minutes_lets_a_third_case_in(problem_of, referral):
    # 60 minutes a sitting. 7 Jan: complex C1, C2 and S1 (55 minutes); 14 Jan: complex C3,
    # S2, S3 (50); 21 Jan: S4. Waiting 3 x 3 + 3 x 10 + 17 = 56. No move fits (5 and 10
    # minutes free), and every swap alone changes nothing or breaks a sitting's minutes
    # (C3 with S1: 7 Jan 60, 14 Jan 45, -7 + 7 = 0 days). C3 with S1 and then S4 into the
    # 15 minutes freed on 14 Jan saves 7: 7 Jan C1-C3 (9 days), 14 Jan S1-S4 (40) = 49.
    # From there no move, swap or chain helps (the best, 42, swaps three cases for four).
    cases = [referral(f"C{i}", complex=True) for i in range(1, 4)]
    cases += [referral(f"S{i}") for i in range(1, 5)]
    problem = problem_of(*cases)
    stage = _stage(problem)
    start = _plan(
        problem,
        stage,
        {"C1": JAN7, "C2": JAN7, "S1": JAN7, "C3": JAN14, "S2": JAN14, "S3": JAN14, "S4": JAN21},
    )
    assert _keeps_rows(stage, start)
    assert _waiting(stage, start) == 56
    better = improve(stage, start)
    assert _booked(problem, stage, better) == {
        **{f"C{i}": JAN7 for i in range(1, 4)},
        **{f"S{i}": JAN14 for i in range(1, 5)},
    }
    assert _waiting(stage, better) == 49
    assert _keeps_rows(stage, better)


def test_a_move_that_waits_less_but_is_later_than_due_is_not_taken(problem_of, referral):
    # Fewer late cases come before waiting. 7 Jan is full with R1-R3 and D, due 7 Jan (CLA
    # review 28 Jan less 21 days); R, urgent, waits on 14 Jan. Swapping R with R1, R2 or R3
    # saves 3 x 7 - 7 = 14 weighted days; swapping it with D would save as much but make D
    # late, so it is never taken.
    cases = [referral(f"R{i}") for i in range(1, 4)] + [
        referral("D", cla_review=date(2027, 1, 28)),
        referral("R", priority="urgent"),
    ]
    problem = problem_of(*cases)
    stage = _stage(problem)
    start = _plan(problem, stage, {"R1": JAN7, "R2": JAN7, "R3": JAN7, "D": JAN7, "R": JAN14})
    better = improve(stage, start)
    booked = _booked(problem, stage, better)
    # The urgent case swaps with a routine one (saves 14 weighted days), never with D.
    assert booked["D"] == JAN7
    assert booked["R"] == JAN7
    late = assignment.late(stage.arcs)
    assert int(late[better].sum()) == int(late[start].sum()) == 0


@pytest.mark.parametrize("passes", [0, 1])
def test_no_pass_or_one_pass_gives_a_plan_at_least_as_good(problem_of, referral, passes):
    # With no pass the plan is returned as it is; one pass already moves R1 to 7 Jan.
    problem = problem_of(referral("R1"))
    stage = _stage(problem)
    start = _plan(problem, stage, {"R1": JAN21})
    better = improve(stage, start, max_passes=passes)
    assert _waiting(stage, better) == (17 if passes == 0 else 3)
