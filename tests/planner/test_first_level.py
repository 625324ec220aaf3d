"""The first level's proven bound (no plan places more referrals) and a plan that misses it.

A late bound holds only for plans that reach that bound: a plan that places fewer is never
reported "at its bound", its status is never ``optimal``, and the summary and the terminal
say in words how many it places against the limit, without claiming a better plan exists.

Calendar (tests/planner/conftest.py): the Resource Panel (crp) sits on Thursdays 7 and
14 January 2027, four 15-minute slots each; a case submitted Monday 4 January 09:00 can go to
either.
"""

from __future__ import annotations

import time as clock
from dataclasses import replace
from datetime import date

from rich.console import Console

from panelsched.cli.plan_tables import summary_table
from panelsched.core.plan import Plan
from panelsched.planner import WorkLimit, solve
from panelsched.planner.cpsat.pick import Candidate, Rounds, best_result
from panelsched.planner.greedy import book_greedily
from panelsched.planner.pipeline import PlanOutcome
from panelsched.planner.problem import build_problem
from panelsched.planner.summary import summary_record
from tests.helpers.builders import authority, referral

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)


def _printed(outcome: PlanOutcome) -> str:
    console = Console(width=200, record=True)
    console.print(summary_table(outcome))
    return " ".join(console.export_text().split())


def test_a_plan_that_places_all_it_can_reports_the_first_levels_bound() -> None:
    # Eleven cases all due 7 January, eight slots up to 14 January: at most 8 placed (3
    # unplaced), and of those at most 4 in time on 7 January, so at least 4 late. The plan
    # meets both, so the late bound it proved is reported.
    cases = [referral(f"R{i:02}", deadline=JAN7) for i in range(11)]
    problem = build_problem(authority("crp"), cases, end=JAN14)
    result = solve(problem, WorkLimit(2.0))
    assert (result.unplaced, result.late) == (3, 4)
    assert (result.unplaced_bound, result.first_level_met, result.late_bound) == (3, True, 4)
    record = summary_record(problem, result, result)
    assert (record["placed_bound"], record["unplaced_bound"]) == (8, 3)
    assert (record["first_level_met"], record["first_level_missed"]) == (True, [])
    outcome = PlanOutcome(problem, result, result, (), (), record)
    assert "it places 8 of 11 referrals, as many as any plan can" in _printed(outcome)


def test_a_plan_that_places_fewer_than_it_could_is_not_reported_at_its_bound() -> None:
    # Five cases, eight slots: every one can be placed (round 1's relaxation proves 0
    # unplaced). A round whose search stopped short hands back a plan with R5 unplaced, and
    # claims it proven (over the sittings it left open); the first-come-first-served plan is
    # no better here. Before, the late bound was clamped to the plan's own count (0 late, "at
    # its bound") and the status said optimal.
    problem = build_problem(authority("crp"), [referral(f"R{i}") for i in range(1, 6)], end=JAN14)
    full = book_greedily(problem)
    short = Plan.of((b for b in full.bookings if b.referral_id != "R5"), ["R5"])
    found = Rounds(candidates=[Candidate(short, True, 12)], late_bound=0)
    found.unplaced_bounds = {"crp": 0}
    result = best_result(problem, short, (), found, clock.perf_counter())
    assert (result.unplaced, result.late) == (1, 0)
    assert result.status == "feasible"
    assert (result.unplaced_bound, result.first_level_met) == (0, False)
    # Neither the late bound nor the bound on waiting is about a plan that places fewer.
    assert (result.late_bound, result.bound, result.gap) == (None, None, None)
    assert result.panels_below_bound == (("crp", 4, 5),)
    words = "the plan places 4 referrals at Resource Panel, where no plan can place more than 5"
    assert words in result.notes
    record = summary_record(problem, result, result)
    assert (record["placed_bound"], record["unplaced_bound"]) == (5, 0)
    assert record["first_level_met"] is False and record["late_bound"] is None
    assert record["first_level_missed"] == [
        {"panel": "crp", "placed": 4, "placed_bound": 5, "sentence": words}
    ]
    outcome = PlanOutcome(problem, result, result, (), (), record)
    # No bound on waiting to show, so the caption opens with it.
    assert (
        "It places 4 of 5 referrals, below the proven limit of 5 (a plan placing more may "
        "exist): " + words
    ) in _printed(outcome)


def test_without_a_proven_bound_nothing_is_claimed() -> None:
    # No relaxation solved (the greedy baseline, say): no bound, and no verdict either way.
    problem = build_problem(authority("crp"), [referral("R1")], end=JAN14)
    result = solve(problem, WorkLimit(2.0))
    bare = replace(result, unplaced_bound=None, late_bound=None, panels_below_bound=())
    record = summary_record(problem, bare, bare)
    assert (record["placed_bound"], record["first_level_met"]) == (None, None)
    outcome = PlanOutcome(problem, bare, bare, (), (), record)
    assert "limit" not in _printed(outcome) and "it places" not in _printed(outcome)
    # With it, a plan placing every referral says just that.
    outcome = PlanOutcome(problem, result, result, (), (), summary_record(problem, result, result))
    assert "it places the 1 referral" in _printed(outcome)


def test_a_bound_out_of_the_relaxations_sight_is_not_called_reached() -> None:
    # SW-P presents four cases at crp (13:00-14:00) and three at lpp (13:30-14:30) on Thursday
    # 7 January, the one sitting of each in range: seven 15-minute slots in the 90 minutes
    # from 13:00 to 14:30, so at most six can be heard, and one is left unplaced. Each
    # panel's relaxation sees only its own sitting (4 and 3 slots, all free), so the bound it
    # proves is 0 unplaced; the plan leaves 1. Before, the rounds re-solved crp with the
    # dropped case's sitting closed, proved that, and reported "optimal" with a late bound
    # of 0 "at its bound".
    cases = [referral(f"C{i}", panel="crp", social_worker="SW-P") for i in range(1, 5)]
    cases += [referral(f"L{i}", panel="lpp", social_worker="SW-P") for i in range(1, 4)]
    problem = build_problem(authority("crp", "lpp"), cases, end=JAN7)
    result = solve(problem, WorkLimit(2.0))
    assert result.unplaced == 1
    assert (result.status, result.unplaced_bound, result.first_level_met) == ("feasible", 0, False)
    assert (result.late_bound, result.bound) == (None, None)
    # Which case is left out is the search's choice; the words name its panel's limit only.
    [(panel, placed, most)] = result.panels_below_bound
    assert (placed, most) == ((3, 4) if panel == "crp" else (2, 3))
    record = summary_record(problem, result, result)
    assert (record["placed_bound"], record["first_level_met"]) == (7, False)
