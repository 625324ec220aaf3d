"""One more slot's worth, by the relaxation's shadow prices, worked out by hand.

``crp`` sits on Thursdays 7, 14, 21 and 28 January 2027 with four 15-minute slots. Five cases
with no due date are submitted on Monday 4 January: four are heard on 7 January (3 days'
wait), the fifth on 14 January (10 days). One more slot on 7 January lets the fifth wait 3
days instead of 10: 7 waiting days. A slot more on any later sitting saves nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from panelsched.advice import advise, parse_target, slot_values
from panelsched.advice.outputs import advice_markdown, slot_values_frame
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


def test_placing_and_saving_a_late_case_are_counted_apart() -> None:
    # Eleven cases submitted Monday 4 January, all due Thursday 7 January; the range ends on
    # 14 January, so two sittings of four slots: 8 placed, 3 unplaced; 4 heard on 7 January
    # in time and 4 on 14 January late.
    # - One more slot on either date places one more case (3 unplaced -> 2): 1 each.
    # - With 8 placed held, one more slot on 7 January moves a late case there from
    #   14 January (4 late -> 3): 1; on 14 January it saves none: 0.
    # The old single figure weighted an unplaced case as n + 1 = 12 late cases and said one
    # more slot on 7 January was "worth 13 late cases".
    cases = [referral(f"R{i:02}", deadline=date(2027, 1, 7)) for i in range(11)]
    problem = build_problem(authority("crp"), cases, end=date(2027, 1, 14))
    values = {v.sitting.date.day: (v.placed, v.late) for v in slot_values(problem)}
    assert values[7] == (pytest.approx(1.0), pytest.approx(1.0))
    assert values[14] == (pytest.approx(1.0), pytest.approx(0.0))


def test_the_advice_says_placed_and_late_apart_per_slot() -> None:
    # The eleven cases above. One more slot on 7 January also moves a case from 14 January
    # (10 days' wait) to 7 January (3 days): 7 waiting days.
    cases = [referral(f"R{i:02}", deadline=date(2027, 1, 7)) for i in range(11)]
    advice = advise(authority("crp"), cases, parse_target("late=0"), end=date(2027, 1, 14))
    text = advice_markdown(advice, ["advice.md"])
    assert (
        "- one more 15-minute slot on Thursday 07 January 2027 (Resource Panel) places 1 more "
        "case, saves 1 late case and 7 waiting days\n"
    ) in text
    assert (
        "- one more 15-minute slot on Thursday 14 January 2027 (Resource Panel) places 1 more "
        "case\n"
    ) in text
    assert "worth" not in text.split("## Where one more slot is worth most")[1]
    frame = slot_values_frame(advice)
    rows = frame[["date", "placed_per_slot", "late_saved_per_slot"]].values.tolist()
    assert rows == [["2027-01-07", 1.0, 1.0], ["2027-01-14", 1.0, 0.0]]
