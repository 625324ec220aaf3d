"""metrics: lateness, waiting, utilisation and the summary figures of a hand-made plan.

January 2027: the Resource Panel (crp) sits Thursdays 7, 14 and 21 Jan, 13:00-14:00 (60
minutes, 15-minute slots, 20 for complex cases); the Care Panel (care) sits the same days
09:30-10:30. The planning range is 4-24 January: three sittings of each, 180 minutes each.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial

import pytest

from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.planner.metrics import lateness, summarise, utilisation, wait_days, weighted_wait
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import authority, panel
from tests.helpers.builders import referral as make_referral

JAN7, JAN14, JAN21 = date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21)

# Unlike builders' care, this one takes late papers (no submission here is late).
AUTHORITY = authority("crp", panel("care", late_applications=True))
# Late on Monday, just before the cut-off: waiting counts whole days, 4 Jan to 7 Jan is 3.
referral = partial(make_referral, submitted=datetime(2027, 1, 4, 12, 59))


def booking(rid: str, day: date, start: str, end: str, pinned: bool = False) -> Booking:
    return Booking(day, time.fromisoformat(start), "crp", time.fromisoformat(end), rid, pinned)


@pytest.fixture
def example() -> tuple[ProblemData, Plan]:
    # R1 routine on 7 Jan (wait 3), R2 urgent on 14 Jan (wait 10, counts 30), R3 complex and
    # due 14 Jan (CLA review 4 Feb) on 21 Jan (wait 17, 7 days late), R4 unplaced.
    data = build_problem(
        AUTHORITY,
        [
            referral("R1"),
            referral("R2", priority="urgent"),
            referral("R3", complex=True, cla_review=date(2027, 2, 4)),
            referral("R4"),
        ],
        start=date(2027, 1, 4),
        end=date(2027, 1, 24),
    )
    plan = Plan.of(
        [
            booking("R1", JAN7, "13:00", "13:15"),
            booking("R2", JAN14, "13:00", "13:15"),
            booking("R3", JAN21, "13:00", "13:20"),
        ],
        ["R4"],
    )
    assert [f.rule for f in check_plan(data, plan) if f.rule not in LATENESS_RULES] == []
    return data, plan


def test_lateness_counts_days_after_the_due_date_for_late_bookings_only(example):
    data, plan = example
    # R3: due 14 Jan, heard 21 Jan.
    assert lateness(data, plan) == {"R3": 7}


def test_waiting_days_run_from_the_submission_date_to_the_sitting(example):
    data, plan = example
    assert wait_days(data, plan) == {"R1": 3, "R2": 10, "R3": 17}


def test_urgent_and_emergency_cases_wait_three_times(example):
    data, plan = example
    # 3 + 3 x 10 + 17.
    assert weighted_wait(data, plan) == 50
    emergency = build_problem(
        AUTHORITY, [referral("E1", priority="emergency")], start=date(2027, 1, 4), end=JAN21
    )
    # Ratified 7 Jan: 3 days, three times.
    assert weighted_wait(emergency, Plan.of([booking("E1", JAN7, "13:00", "13:15")])) == 9


def test_utilisation_is_booked_minutes_over_capacity_for_each_sitting_in_range(example):
    data, plan = example
    # 15, 15 and 20 of 60 minutes at crp; nothing at care.
    assert utilisation(data, plan) == {
        "care@2027-01-07": 0.0,
        "care@2027-01-14": 0.0,
        "care@2027-01-21": 0.0,
        "crp@2027-01-07": 0.25,
        "crp@2027-01-14": 0.25,
        "crp@2027-01-21": pytest.approx(1 / 3),
    }


@pytest.fixture
def pinned_after_range() -> tuple[ProblemData, Plan]:
    # P1 was booked on 28 Jan, after the 4-21 Jan range: its sitting is known but not planned.
    data = build_problem(
        AUTHORITY,
        [referral("P1")],
        pinned=[PinnedBooking("P1", date(2027, 1, 28), time(13, 0))],
        start=date(2027, 1, 4),
        end=JAN21,
    )
    return data, Plan.of([booking("P1", date(2027, 1, 28), "13:00", "13:15", pinned=True)])


def test_a_sitting_outside_the_range_has_no_utilisation(pinned_after_range):
    data, plan = pinned_after_range
    assert "crp@2027-01-28" not in utilisation(data, plan)
    summary = summarise(data, plan)
    assert (summary["placed"], summary["utilisation_by_panel"]["crp"]) == (1, 0.0)


def test_overall_utilisation_counts_only_bookings_in_range(pinned_after_range):
    data, plan = pinned_after_range
    # No minute is booked at the six sittings in range (7, 14, 21 Jan at crp and care), so
    # 0 of 360 minutes, as utilisation_by_panel says; not P1's 15 minutes on 28 Jan.
    assert summarise(data, plan)["utilisation"] == 0.0


def test_the_summary_figures(example):
    data, plan = example
    summary = summarise(data, plan)
    # Waits 3, 10, 17: mean 10; the 95th percentile, interpolated, 10 + 0.9 x 7 = 16.3.
    # 50 minutes booked of 6 x 60 = 360; at crp, 50 of 180.
    assert summary == {
        "referrals": 4,
        "placed": 3,
        "unplaced": 1,
        "late": 1,
        "weighted_wait_days": 50,
        "mean_wait_days": 10.0,
        "p95_wait_days": 16.3,
        "utilisation": round(50 / 360, 4),
        "sittings_used": 3,
        "utilisation_by_panel": {"care": 0.0, "crp": round(50 / 180, 4)},
    }


def test_an_empty_plan_summarises_to_zeros():
    data = build_problem(AUTHORITY, [referral("R1")], start=date(2027, 1, 4), end=JAN21)
    summary = summarise(data, Plan.of([], ["R1"]))
    assert (summary["placed"], summary["mean_wait_days"], summary["p95_wait_days"]) == (0, 0.0, 0.0)
    assert (summary["utilisation"], summary["sittings_used"]) == (0.0, 0)
