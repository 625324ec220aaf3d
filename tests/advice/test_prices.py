"""One more slot's worth, by the relaxation's shadow prices, worked out by hand.

``crp`` sits on Thursdays 7, 14, 21 and 28 January 2027 with four 15-minute slots. Five cases
with no due date are submitted on Monday 4 January: four are heard on 7 January (3 days'
wait), the fifth on 14 January (10 days). One more slot on 7 January lets the fifth wait 3
days instead of 10: 7 waiting days. A slot more on any later sitting saves nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from panelsched.advice import slot_values
from panelsched.planner.problem import build_problem
from tests.helpers.builders import authority, referral


def test_one_more_slot_on_the_full_sitting_is_worth_seven_waiting_days() -> None:
    cases = [referral(f"R{i}") for i in range(5)]
    problem = build_problem(authority("crp"), cases, end=date(2027, 1, 31))
    values = {v.sitting.date.day: (v.late, v.waiting_days) for v in slot_values(problem)}
    assert values[7] == (0.0, pytest.approx(7.0))
    assert values[14] == values[21] == values[28] == (0.0, 0.0)


def test_a_slot_that_saves_a_late_case_says_so() -> None:
    # Five cases due 7 January: one is late; one more slot on 7 January saves it.
    cases = [referral(f"R{i}", deadline=date(2027, 1, 7)) for i in range(5)]
    problem = build_problem(authority("crp"), cases, end=date(2027, 1, 31))
    late = {v.sitting.date.day: v.late for v in slot_values(problem)}
    assert late[7] == pytest.approx(1.0) and late[14] == 0.0
