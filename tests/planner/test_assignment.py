"""Stage 1 (planner/assignment.py): which sitting each referral goes to, rule by rule.

Each test builds the stage-1 model for a tiny problem (see conftest: crp sits Thursdays
13:00-14:00, 60 minutes, 15-minute slots, 20 for complex cases; lpp 13:30-14:30 on the same
days), optimises its levels in order as ``solve`` does, and checks the sittings chosen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from ortools.sat.python import cp_model

from panelsched.planner import assignment
from panelsched.problem import ProblemData

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)
DUE_JAN7 = {"cla_review": date(2027, 1, 28)}


def optimise(
    problem: ProblemData, options: Mapping[int, Sequence[int]] | None = None
) -> tuple[dict[str, date], int, int]:
    """Levels 1 then 2, each proven optimal: (referral id -> date, placement, waiting)."""
    if options is None:
        options = dict(enumerate(problem.candidates))
    am = assignment.build(problem, options)
    values = []
    for level in assignment.LEVELS:
        expression = level(am)
        am.model.minimize(expression)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(am.model) == cp_model.OPTIMAL
        value = round(solver.objective_value)
        am.model.add(expression <= value)
        values.append(value)
    chosen = {r: s for (r, s), var in am.choose.items() if solver.boolean_value(var)}
    chosen.update(am.pinned)
    days = {problem.referrals[r].referral_id: problem.sittings[s].date for r, s in chosen.items()}
    return days, values[0], values[1]


def only_on(problem: ProblemData, *days: date) -> dict[int, list[int]]:
    """Each referral offered only the sittings of its panel on ``days``."""
    return {
        r: [s for s in options if problem.sittings[s].date in days]
        for r, options in enumerate(problem.candidates)
    }


def test_the_rules_are_listed_in_order():
    names = [rule.__name__ for rule in assignment.RULES]
    assert names == ["one_sitting_at_most", "sitting_minutes", "one_place_at_a_time"]
    assert [level.__name__ for level in assignment.LEVELS] == ["placement_level", "waiting_level"]


def test_each_referral_gets_one_sitting_at_most(problem_of, referral):
    problem = problem_of(referral("R1"), referral("R2"))
    days, placement, waiting = optimise(problem)
    # Both fit on 7 Jan: each booked once, 3 days' wait each.
    assert days == {"R1": JAN7, "R2": JAN7}
    assert (placement, waiting) == (0, 6)


def test_complex_minutes_count_against_the_sitting(problem_of, referral):
    # Only 7 Jan is offered. X takes 20 minutes, R1-R3 15 each: 65 > 60, so one stays out.
    # Leaving X out places three (45 minutes); leaving an R out also places three (50).
    problem = problem_of(referral("X", complex=True), *(referral(f"R{i}") for i in range(1, 4)))
    days, placement, _ = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 3
    # One unplaced costs one more than the model's 4 referrals: 5.
    assert placement == 5
    minutes = sum(
        problem.slot_minutes[i] for i, r in enumerate(problem.referrals) if r.referral_id in days
    )
    assert minutes <= 60


def test_pinned_minutes_leave_less_room(problem_of, referral, pin):
    # P1 is pinned at 7 Jan 13:00 (15 minutes): 45 minutes remain for R1-R4, so three fit.
    cases = [referral(f"R{i}") for i in range(1, 5)]
    problem = problem_of(referral("P1"), *cases, pinned=[pin("P1", JAN7, "13:00")])
    days, placement, _ = optimise(problem, only_on(problem, JAN7))
    assert days["P1"] == JAN7
    assert sum(1 for c in cases if c.referral_id in days) == 3
    # One unplaced costs one more than the model's referrals (P1 included): 5 + 1 = 6.
    assert placement == 6


def test_one_person_cannot_fill_two_overlapping_sittings(problem_of, referral):
    # TM-X presents four cases at crp (13:00-14:00) and four at lpp (13:30-14:30), 7 Jan only.
    # Each sitting has room for four, but TM-X has 13:00-14:30 = 90 minutes: six slots.
    crp = [referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)]
    lpp = [referral(f"L{i}", panel="lpp", team_manager="TM-X") for i in range(1, 5)]
    problem = problem_of(*crp, *lpp, panels=("crp", "lpp"))
    days, _, _ = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 6


def test_sittings_that_do_not_overlap_do_not_limit_a_person(problem_of, referral):
    # The Care Panel sits 09:30-10:30, crp 13:00-14:00: TM-X can fill both.
    crp = [referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)]
    care = [referral(f"K{i}", panel="care", team_manager="TM-X") for i in range(1, 5)]
    problem = problem_of(*crp, *care, panels=("crp", "care"))
    days, _, _ = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 8


def test_one_unplaced_costs_more_than_every_referral_late(problem_of, referral):
    # Five cases due 7 Jan, four slots on 7 Jan, and 14 Jan offered too. Each could be at most
    # 7 days late, so a late case weighs 1 + 5 x 7 = 36, plus its 7 days late: 43. Leaving it
    # unplaced instead would cost (5 + 1) x 36 = 216.
    problem = problem_of(*(referral(f"A{i}", **DUE_JAN7) for i in range(1, 6)))
    days, placement, waiting = optimise(problem, only_on(problem, JAN7, JAN14))
    assert Counter(days.values()) == {JAN7: 4, JAN14: 1}
    assert placement == 43
    # 4 x 3 + 10 days.
    assert waiting == 22


def test_waiting_counts_urgent_cases_three_times(problem_of, referral):
    # One slot a sitting (panel "one"): R routine, U urgent, both submitted Monday 4 Jan.
    # U first: 3 x 3 + 10 = 19; R first: 3 + 3 x 10 = 33.
    problem = problem_of(
        referral("R", panel="one"),
        referral("U", panel="one", priority="urgent"),
        panels=("one",),
    )
    days, placement, waiting = optimise(problem)
    assert days == {"U": JAN7, "R": JAN14}
    assert (placement, waiting) == (0, 19)
