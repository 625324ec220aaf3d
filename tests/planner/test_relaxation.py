"""The linear relaxation of stage 1 (planner/relaxation.py): bounds and arc prices.

Sittings as in conftest: crp sits Thursdays 13:00-14:00 with four 15-minute slots; panel "one"
has a single slot a sitting.
"""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np

from panelsched.planner.cpsat import assignment, relaxation

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)


def _only_on(problem, *days):
    return {
        r: [s for s in options if problem.sittings[s].date in days]
        for r, options in enumerate(problem.candidates)
    }


def test_levels_are_bounded_in_turn(problem_of, referral):
    # Five cases due 7 Jan (CLA review 28 Jan less 21 days), four slots on 7 Jan, 14 Jan too.
    # Best: all five placed, one late by 7 days; waiting 4 x 3 + 10 = 22 (submitted 4 Jan).
    problem = problem_of(*(referral(f"A{i}", cla_review=date(2027, 1, 28)) for i in range(5)))
    stage = assignment.build(problem, _only_on(problem, JAN7, JAN14))
    relaxed = relaxation.relax(stage)
    assert relaxed is not None
    # Nothing told before and no wait ceiling: kept, days moved and over the ceiling are 0.
    assert relaxed.held == (-5, 1, 7, 0, 0, 0)
    assert round(relaxed.bound, 6) == 22


def test_a_known_level_is_not_solved_again(problem_of, referral):
    # Told that the plan places both (-2), the relaxation takes it as it is.
    problem = problem_of(referral("R1"), referral("R2"))
    stage = assignment.build(problem, dict(enumerate(problem.candidates)))
    relaxed = relaxation.relax(stage, known=[-2])
    assert relaxed is not None
    assert relaxed.held == (-2, 0, 0, 0, 0, 0)
    # Both on 7 Jan, 3 days each.
    assert round(relaxed.bound, 6) == 6


def test_every_plan_waits_at_least_the_bound_plus_its_arc_prices(problem_of, referral):
    # Panel "one" (one slot a sitting), 7 and 14 Jan offered: R routine and U urgent, both
    # submitted 4 Jan. Best is U on 7 Jan, R on 14 Jan: 3 x 3 + 10 = 19. Weak duality says any
    # plan keeping levels 1-2 waits at least 19 plus the prices of its arcs; every such plan
    # of this tiny problem is checked, which is what lets the planner leave costly arcs out.
    problem = problem_of(
        referral("R", panel="one"),
        referral("U", panel="one", priority="urgent"),
        referral("V", panel="one"),
        panels=("one",),
    )
    stage = assignment.build(problem, _only_on(problem, JAN7, JAN14, date(2027, 1, 21)))
    relaxed = relaxation.relax(stage)
    assert relaxed is not None
    assert relaxed.held == (-3, 0, 0, 0, 0, 0)
    # U 7 Jan (3 x 3), R and V 14 and 21 Jan (10 + 17).
    assert round(relaxed.bound, 6) == 36
    arcs = stage.arcs
    checked = 0
    for choice in itertools.product([False, True], repeat=len(arcs)):
        x = np.array(choice)
        if not all(int((row.coefs * x[row.arcs]).sum()) <= row.upper for row in stage.rows):
            continue
        if int(x.sum()) != 3:
            continue
        wait = int(arcs.wait[x].sum())
        assert wait >= relaxed.bound + float(relaxed.reduced_costs[x].sum()) - 1e-6
        if wait <= relaxed.bound:
            # An optimal plan keeps every one of its arcs at the smallest allowance.
            assert relaxed.keep(0.0)[x].all()
        checked += 1
    # Three referrals, three sittings, one slot each: 3! plans place all three.
    assert checked == 6


def test_an_empty_stage_has_a_zero_bound(problem_of, referral):
    problem = problem_of(referral("R1"))
    stage = assignment.build(problem, {0: []})
    relaxed = relaxation.relax(stage)
    assert relaxed is not None
    assert relaxed.bound == 0.0
    assert len(relaxed.reduced_costs) == 0
