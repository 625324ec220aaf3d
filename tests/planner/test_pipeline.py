"""plan_referrals: the plan, its baseline, explanations and summary, as ``panelsched plan``
makes them."""

from __future__ import annotations

from datetime import date

from panelsched.planner import SecondsLimit, SolveParams, WorkLimit, solve
from panelsched.planner.explain import explain
from panelsched.planner.pipeline import plan_referrals
from panelsched.planner.problem import build_problem
from panelsched.planner.summary import summary_record

JAN7 = date(2027, 1, 7)


def test_the_plan_is_the_solvers_with_the_baseline_beside_it(model_of, referral):
    authority = model_of("crp")
    cases = [referral("R1"), referral("R2")]
    outcome = plan_referrals(authority, cases, limit=WorkLimit(2.0))
    problem = build_problem(authority, cases)
    alone = solve(problem, WorkLimit(2.0))
    assert outcome.result.plan == alone.plan
    assert outcome.baseline.method == "greedy"
    assert outcome.explanations == explain(outcome.problem, outcome.result.plan)
    # A limit given as work records no seconds.
    assert "time_limit" not in outcome.summary
    assert outcome.summary["placed"] == 2


def test_greedy_is_its_own_baseline(model_of, referral):
    authority = model_of("crp")
    outcome = plan_referrals(
        authority, [referral("R1")], limit=SecondsLimit(5.0), params=SolveParams("greedy")
    )
    assert outcome.result is outcome.baseline
    assert "time_limit" not in outcome.summary


def test_pins_that_may_move_become_told_bookings(model_of, referral, pin):
    authority = model_of("crp")
    cases = [referral("R1"), referral("R2")]
    pins = [pin("R1", JAN7, "13:00")]
    outcome = plan_referrals(
        authority, cases, pins=pins, pins_may_move=True, limit=SecondsLimit(5.0)
    )
    assert outcome.told == tuple(pins)
    # The problem plans R1 afresh: it is no longer pinned.
    assert all(start is None for start in outcome.problem.pinned_start)
    expected = summary_record(outcome.problem, outcome.result, outcome.baseline, 5.0, outcome.told)
    expected["solve_seconds"] = outcome.summary["solve_seconds"]
    expected["baseline"]["solve_seconds"] = outcome.summary["baseline"]["solve_seconds"]
    assert outcome.summary == expected
    assert "moved" in outcome.summary
