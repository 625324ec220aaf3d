"""The figures of one replication, on a plan worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from panelsched.core.plan import Booking, Plan
from panelsched.core.referrals import Referral
from panelsched.planner.problem import build_problem
from panelsched.planner.result import Result
from panelsched.scenarios.kpis import figure_keys, figure_of, replication_kpis
from tests.helpers.builders import authority
from tests.helpers.builders import referral as make_referral

# One panel, Thursdays 09:30-10:30: four 15-minute slots, no cut-off. January 2027's Thursdays
# are the 7th, 14th, 21st and 28th.
AUTHORITY = authority(
    {
        "id": "arp",
        "name": "Resource Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "09:30-10:30",
        "slot_minutes": 15,
    }
)


def referral(number: int, day: int, **extra: object) -> Referral:
    """``R-<number>``, submitted 10:00 on ``day`` January; every case has team manager TM-1."""
    return make_referral(
        f"R-{number}",
        datetime(2027, 1, day, 10, 0),
        panel="arp",
        social_worker=f"SW-{number}",
        team_manager="TM-1",
        **extra,
    )


def booking(number: int, day: int) -> Booking:
    return Booking(date(2027, 1, day), time(9, 30), "arp", time(9, 45), f"R-{number}")


def test_figures_of_a_hand_made_plan() -> None:
    referrals = [
        referral(1, 4),  # heard 7 Jan: waits 3 days
        referral(2, 4, deadline=date(2027, 1, 7)),  # heard 14 Jan: waits 10, 7 days late
        referral(3, 5),  # heard 21 Jan, after the horizon: waits 16
        referral(4, 5),  # not placed
    ]
    problem = build_problem(AUTHORITY, referrals, start=date(2027, 1, 4), end=date(2027, 1, 31))
    plan = Plan.of([booking(1, 7), booking(2, 14), booking(3, 21)], ["R-4"])
    result = Result("greedy", "feasible", 29, None, 0.0, plan, 1, 1)
    # The horizon is 4 to 17 January: the sittings of the 7th and the 14th.
    figures = replication_kpis(problem, result, date(2027, 1, 4), date(2027, 1, 17))
    assert list(figures) == figure_keys(["arp"])
    # Waits 3, 10, 16: mean 29 / 3; median 10; the 95th percentile interpolates between the
    # 2nd and 3rd of three at 0.95 * 2 = 1.9, so 10 + 0.9 * 6 = 15.4.
    assert figures["mean_wait_days"] == pytest.approx(29 / 3)
    assert figures["median_wait_days"] == 10
    assert figures["p95_wait_days"] == pytest.approx(15.4)
    assert (figures["referrals"], figures["placed"], figures["unplaced"]) == (4, 3, 1)
    # R-2 was due on the 7th and heard on the 14th.
    assert (figures["late"], figures["days_late"], figures["mean_days_late"]) == (1, 7, 7.0)
    # Not heard in time: R-2 (late) and R-4 (never heard), 1 + 1.
    assert figures["not_in_time"] == 2
    # 15 + 15 booked minutes of 60 + 60 in the horizon's two sittings.
    assert figures["utilisation"] == 0.25
    assert figures["utilisation:arp"] == 0.25
    # R-2 (late) and R-4 (unplaced) needed 15 minutes each in time.
    assert figures["overrun_minutes"] == 30
    assert figures["overrun_minutes:arp"] == 30
    assert (figures["sittings"], figures["sittings_used"], figures["sittings_used:arp"]) == (
        2,
        2,
        2,
    )
    # The objective is the result's, not recomputed.
    assert figures["weighted_wait_days"] == 29


def test_an_empty_plan_has_zero_waits_not_errors() -> None:
    problem = build_problem(
        AUTHORITY, [referral(1, 4)], start=date(2027, 1, 4), end=date(2027, 1, 31)
    )
    result = Result("greedy", "feasible", 0, None, 0.0, Plan.of([], ["R-1"]), 1, 0)
    figures = replication_kpis(problem, result, date(2027, 1, 4), date(2027, 1, 31))
    assert (figures["mean_wait_days"], figures["p95_wait_days"], figures["mean_days_late"]) == (
        0.0,
        0.0,
        0.0,
    )
    assert (figures["unplaced"], figures["sittings_used"], figures["utilisation"]) == (1, 0, 0.0)


def test_figure_columns_know_how_to_show_themselves() -> None:
    assert figure_of("late").whole
    assert figure_of("utilisation:arp").label == "utilisation"
    with pytest.raises(KeyError):
        figure_of("nonsense")
