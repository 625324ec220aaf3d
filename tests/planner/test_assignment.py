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

from panelsched.planner.cpsat import assignment
from panelsched.planner.problem import ProblemData

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)
RE_PLANNING_AND_CEILING = (assignment.kept, assignment.days_moved, assignment.over_ceiling)
DUE_JAN7 = {"cla_review": date(2027, 1, 28)}


def optimise(
    problem: ProblemData, options: Mapping[int, Sequence[int]] | None = None
) -> tuple[dict[str, date], tuple[int, ...]]:
    """Every level in turn, each proven optimal: (referral id -> date, each level's value).

    The levels are unplaced (minus the number placed), late, days late and weighted waiting;
    those with no cost here (bookings told before, a wait ceiling) are left out.
    """
    if options is None:
        options = dict(enumerate(problem.candidates))
    stage = assignment.build(problem, options)
    cp = assignment.to_cpsat(stage)
    values = []
    for level in assignment.LEVELS:
        if level in RE_PLANNING_AND_CEILING and not level(stage.arcs).any():
            continue
        expression = cp.expression(level(stage.arcs))
        cp.model.minimize(expression)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(cp.model) == cp_model.OPTIMAL
        value = round(solver.objective_value)
        cp.model.add(expression <= value)
        values.append(value)
    chosen = stage.chosen(cp.values(solver))
    days = {problem.referrals[r].referral_id: problem.sittings[s].date for r, s in chosen.items()}
    return days, tuple(values)


def only_on(problem: ProblemData, *days: date) -> dict[int, list[int]]:
    """Each referral offered only the sittings of its panel on ``days``."""
    return {
        r: [s for s in options if problem.sittings[s].date in days]
        for r, options in enumerate(problem.candidates)
    }


def test_the_rules_are_listed_in_order():
    names = [rule.__name__ for rule in assignment.RULES]
    assert names == [
        "one_sitting_at_most",
        "sitting_minutes",
        "one_place_at_a_time",
        "part_day_leave",
    ]
    levels = [level.__name__ for level in assignment.LEVELS]
    assert levels == [
        "unplaced",
        "late",
        "days_after_due",
        "kept",
        "days_moved",
        "over_ceiling",
        "waiting",
    ]


def test_each_referral_gets_one_sitting_at_most(problem_of, referral):
    problem = problem_of(referral("R1"), referral("R2"))
    days, values = optimise(problem)
    # Both fit on 7 Jan: each booked once (two placed), none late, 3 days' wait each.
    assert days == {"R1": JAN7, "R2": JAN7}
    assert values == (-2, 0, 0, 6)


def test_complex_minutes_count_against_the_sitting(problem_of, referral):
    # Only 7 Jan is offered. X takes 20 minutes, R1-R3 15 each: 65 > 60, so one stays out.
    # Leaving X out places three (45 minutes); leaving an R out also places three (50).
    problem = problem_of(referral("X", complex=True), *(referral(f"R{i}") for i in range(1, 4)))
    days, values = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 3
    assert values[0] == -3
    minutes = sum(
        problem.slot_minutes[i] for i, r in enumerate(problem.referrals) if r.referral_id in days
    )
    assert minutes <= 60


def test_pinned_minutes_leave_less_room(problem_of, referral, pin):
    # P1 is pinned at 7 Jan 13:00 (15 minutes): 45 minutes remain for R1-R4, so three fit.
    cases = [referral(f"R{i}") for i in range(1, 5)]
    problem = problem_of(referral("P1"), *cases, pinned=[pin("P1", JAN7, "13:00")])
    days, values = optimise(problem, only_on(problem, JAN7))
    assert days["P1"] == JAN7
    assert sum(1 for c in cases if c.referral_id in days) == 3
    # The level counts choices only: P1 is not one, so three placed.
    assert values[0] == -3


def test_one_person_cannot_fill_two_overlapping_sittings(problem_of, referral):
    # TM-X presents four cases at crp (13:00-14:00) and four at lpp (13:30-14:30), 7 Jan only.
    # Each sitting has room for four, but TM-X has 13:00-14:30 = 90 minutes: six slots.
    crp = [referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)]
    lpp = [referral(f"L{i}", panel="lpp", team_manager="TM-X") for i in range(1, 5)]
    problem = problem_of(*crp, *lpp, panels=("crp", "lpp"))
    days, _ = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 6


def test_sittings_that_do_not_overlap_do_not_limit_a_person(problem_of, referral):
    # The Care Panel sits 09:30-10:30, crp 13:00-14:00: TM-X can fill both.
    crp = [referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)]
    care = [referral(f"K{i}", panel="care", team_manager="TM-X") for i in range(1, 5)]
    problem = problem_of(*crp, *care, panels=("crp", "care"))
    days, _ = optimise(problem, only_on(problem, JAN7))
    assert len(days) == 8


def test_placing_a_case_late_beats_leaving_it_out(problem_of, referral):
    # Five cases due 7 Jan, four slots on 7 Jan, and 14 Jan offered too. All five are placed
    # (level 1 first), one of them late by 7 days.
    problem = problem_of(*(referral(f"A{i}", **DUE_JAN7) for i in range(1, 6)))
    days, values = optimise(problem, only_on(problem, JAN7, JAN14))
    assert Counter(days.values()) == {JAN7: 4, JAN14: 1}
    # 4 x 3 days' wait on 7 Jan, 10 days for the one on 14 Jan.
    assert values == (-5, 1, 7, 22)


def test_waiting_counts_urgent_cases_three_times(problem_of, referral):
    # One slot a sitting (panel "one"): R routine, U urgent, both submitted Monday 4 Jan.
    # U first: 3 x 3 + 10 = 19; R first: 3 + 3 x 10 = 33.
    problem = problem_of(
        referral("R", panel="one"),
        referral("U", panel="one", priority="urgent"),
        panels=("one",),
    )
    days, values = optimise(problem)
    assert days == {"U": JAN7, "R": JAN14}
    assert values == (-2, 0, 0, 19)


def test_slots_are_counted_whole_between_breaks(problem_of, referral):
    # brk sits 10:00-11:10 with a 10:30-10:40 break and 20-minute slots: 60 minutes by the
    # clock, but each 30-minute stretch holds one slot, so 40 minutes can be booked.
    problem = problem_of(referral("B1", panel="brk"), panels=("brk",))
    sitting = problem.panel_sittings("brk")[0]
    assert problem.sittings[sitting].capacity_minutes == 60
    assert assignment.usable_minutes(problem, sitting) == 40


def test_part_day_leave_leaves_only_the_slots_still_free(problem_of, referral, away_part):
    # TM-X trains 13:00-13:30 on 7 Jan: of crp's 13:00-14:00 only two 15-minute slots are
    # left for TM-X's three cases, so stage 1 puts two on 7 Jan and one on 14 Jan (waits
    # 3 + 3 + 10 = 16), rather than three on 7 Jan for stage 2 to send one back.
    cases = [referral(f"T{i}", team_manager="TM-X") for i in range(1, 4)]
    problem = problem_of(*cases, unavailable=[away_part("TM-X", JAN7, "13:00", "13:30")])
    days, values = optimise(problem, only_on(problem, JAN7, JAN14))
    assert Counter(days.values()) == {JAN7: 2, JAN14: 1}
    assert values == (-3, 0, 0, 16)
