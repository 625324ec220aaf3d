"""The time limit in seconds: a deterministic work budget from the seconds, and a cap behind it."""

from __future__ import annotations

import time

import pytest

from panelsched.planner.budget import (
    MAX_PACE,
    MIN_UNITS_PER_PANEL,
    ROUNDING_GRACE,
    SECONDS_AFTER_SEARCH_PER_REFERRAL,
    SECONDS_PER_UNIT,
    budget_for,
    expected_before_search,
    fixed_seconds,
    pace,
    units_for,
)


@pytest.fixture
def small(problem_of, referral):
    # Two crp referrals: 2 referrals, each offered the 8 Thursdays 7 Jan - 25 Feb.
    return problem_of(referral("R1"), referral("R2"))


def test_the_budget_is_the_seconds_left_after_the_fixed_costs(small):
    # 30 s less the fixed costs, at SECONDS_PER_UNIT wall seconds a unit.
    assert units_for(30.0, small) == pytest.approx((30.0 - fixed_seconds(small)) / SECONDS_PER_UNIT)


def test_more_seconds_more_work_and_a_floor_per_panel(small):
    assert units_for(5.0, small) < units_for(10.0, small) < units_for(60.0, small)
    # Fewer seconds than the fixed costs still search each panel a little: one panel here.
    assert units_for(0.01, small) == MIN_UNITS_PER_PANEL


def test_a_bigger_problem_gets_less_search_in_the_same_seconds(problem_of, referral):
    one = problem_of(referral("R1"))
    many = problem_of(*(referral(f"R{n}") for n in range(200)))
    assert fixed_seconds(many) > fixed_seconds(one)
    assert units_for(10.0, many) < units_for(10.0, one)


def test_the_budget_depends_on_the_input_only_and_the_cap_on_the_start(small):
    started = time.perf_counter() - 100.0
    late, now = budget_for(10.0, small, started), budget_for(10.0, small)
    assert (late.units, late.first_round) == (now.units, now.first_round)
    # Started 100 s ago with 10 s to spend: the cap has passed; one starting now has not.
    assert late.expired() and not now.expired()
    assert now.deadline is not None and now.deadline <= time.perf_counter() + 10.0


def test_a_slow_start_leaves_more_time_after_the_cap(small):
    # Started long ago (a busy machine: far slower than calibrated so far), the cap is moved
    # earlier by the pace, up to MAX_PACE times the usual reserve; the budget is unchanged.
    fresh = budget_for(10.0, small)
    began = time.perf_counter()
    slow = budget_for(10.0, small, began - 100 * expected_before_search(small))
    assert slow.units == fresh.units
    assert pace(small, None) == 1.0
    assert pace(small, began - 100 * expected_before_search(small)) == MAX_PACE
    assert fresh.deadline is not None and slow.deadline is not None
    reserve = SECONDS_AFTER_SEARCH_PER_REFERRAL * len(small.referrals)
    # slow's deadline: its start (about 100 x expected ago) + 10 s - 4 x reserve.
    assert slow.deadline == pytest.approx(
        began - 100 * expected_before_search(small) + 10.0 - MAX_PACE * reserve, abs=0.05
    )
    # Rounding after the cap stops ROUNDING_GRACE x 10 s after it.
    assert slow.end == pytest.approx(slow.deadline + ROUNDING_GRACE * 10.0)
