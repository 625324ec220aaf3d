"""The instance generator: calibration to capacity, configured rates, determinism, file format."""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.core.sittings import generate_sittings
from panelsched.core.workdays import working_calendar
from panelsched.exports.input_files import write_availability_csv, write_referrals_csv
from panelsched.io.inputs import load_availability, load_referrals
from panelsched.synthetic import (
    DemandProfile,
    LeaveProfile,
    expected_counts,
    generate_availability,
    generate_instance,
    generate_leave_blocks,
    generate_referrals,
    is_school_holiday,
    mean_slot_minutes,
    people_of,
)
from tests.helpers.builders import authority, referral

ROOT = Path(__file__).resolve().parents[1]
YEAR = (date(2027, 1, 1), date(2027, 12, 31))
FEB = (date(2027, 2, 1), date(2027, 2, 28))
FLAT = DemandProfile(seasonality=(1.0,) * 12, school_holiday_factor=1.0, complex_share=0.0)


def panel(pid: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"Resource panel {pid}",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "13:00-16:00",
        "slot_minutes": 15,
        "cutoff": "MO 13:00",
    }
    return base | extra


@pytest.fixture(scope="module")
def year(lambeth: Authority) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...]]:
    return generate_instance(lambeth, *YEAR, seed=3)


# --------------------------------------------------------------------------- calibration


def test_expected_count_fills_load_of_capacity() -> None:
    # Thursdays in February 2027: 4, 11, 18, 25 -> 4 sittings x 180 minutes = 720 minutes.
    # A quarter of cases complex: mean slot 0.75 x 15 + 0.25 x 20 = 16.25 minutes.
    # 0.9 x 720 / 16.25 = 39.877 referrals.
    model = authority(panel("a", complex_slot_minutes=20))
    profile = DemandProfile(complex_share=0.25)
    assert mean_slot_minutes(model.panels[0], profile) == pytest.approx(16.25)
    assert expected_counts(model, *FEB, 0.9, profile) == {"a": pytest.approx(648 / 16.25)}


def test_expected_count_from_arrivals_per_week_and_scale() -> None:
    # February 2027 has 20 working days, all of weight 1: 10 a week = 2 a day = 40;
    # scaled by 1.2 -> 48. Panel b has no rate, so it is calibrated: 0.9 x 720 / 15 = 43.2.
    model = authority(panel("a"), panel("b"))
    profile = DemandProfile(
        arrivals_per_week=(("a", 10.0),),
        scale=1.2,
        seasonality=(1.0,) * 12,
        school_holiday_factor=1.0,
        complex_share=0.0,
    )
    expected = expected_counts(model, *FEB, 0.9, profile)
    assert expected == {"a": pytest.approx(48.0), "b": pytest.approx(43.2 * 1.2)}


def test_count_is_split_over_panels_by_capacity() -> None:
    # a: 12 slots a sitting, b: 4 (13:00-14:00) -> 3:1. 50 referrals -> 37.5 and 12.5;
    # equal remainders go in panel order, so a gets 38 and b 12.
    model = authority(panel("a"), panel("b", time="13:00-14:00"))
    referrals = generate_referrals(model, *FEB, count=50, profile=FLAT, seed=1)
    assert len(referrals) == 50
    assert Counter(r.panel for r in referrals) == {"a": 38, "b": 12}


def test_panels_limits_the_demand_to_those_panels() -> None:
    model = authority(panel("a"), panel("b"))
    referrals = generate_referrals(model, *FEB, count=20, panels=["b"], seed=1)
    assert {r.panel for r in referrals} == {"b"}


def test_zero_load_or_count_gives_no_referrals() -> None:
    model = authority(panel("a"))
    assert generate_referrals(model, *FEB, load=0.0) == ()
    assert generate_referrals(model, *FEB, count=0) == ()


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_instance(lambeth: Authority) -> None:
    start, end = date(2027, 1, 1), date(2027, 3, 31)
    first = generate_instance(lambeth, start, end, seed=11)
    second = generate_instance(lambeth, start, end, seed=11)
    assert first == second
    assert len(first[0]) > 100 and len(first[1]) > 100


def test_different_seed_differs(lambeth: Authority) -> None:
    start, end = date(2027, 1, 1), date(2027, 3, 31)
    one, other = (generate_instance(lambeth, start, end, seed=s) for s in (1, 2))
    assert one[0] != other[0]
    assert one[1] != other[1]


def test_csv_bytes_are_reproducible(tmp_path: Path, lambeth: Authority) -> None:
    for name in ("a", "b"):
        referrals, periods = generate_instance(lambeth, *FEB, seed=5)
        write_referrals_csv(referrals, tmp_path / f"{name}-r.csv")
        write_availability_csv(periods, tmp_path / f"{name}-p.csv")
    assert (tmp_path / "a-r.csv").read_bytes() == (tmp_path / "b-r.csv").read_bytes()
    assert (tmp_path / "a-p.csv").read_bytes() == (tmp_path / "b-p.csv").read_bytes()


# --------------------------------------------------------------------------- configured rates


def span(period: Unavailability) -> int:
    return (period.end.date() - period.start.date()).days + 1


def share(referrals: tuple[Referral, ...], test: Any) -> float:
    return sum(1 for r in referrals if test(r)) / len(referrals)


def test_year_reproduces_configured_shares(year: tuple[tuple[Referral, ...], Any]) -> None:
    referrals, _ = year
    profile = DemandProfile()
    n = len(referrals)
    # A share p over n cases has standard error sqrt(p(1-p)/n) (about 0.01 at n=2,000); allow 4.
    for observed, wanted in [
        (share(referrals, lambda r: r.cla_review is not None), profile.cla_share),
        (share(referrals, lambda r: r.priority == "urgent"), profile.urgent_share),
        (share(referrals, lambda r: r.priority == "emergency"), profile.emergency_share),
        (share(referrals, lambda r: r.complex), profile.complex_share),
        (share(referrals, lambda r: r.contract_end is not None), profile.contract_end_share),
    ]:
        assert abs(observed - wanted) <= 4 * math.sqrt(wanted * (1 - wanted) / n)


def test_year_arrivals_per_week_match_capacity_target(
    lambeth: Authority, year: tuple[tuple[Referral, ...], Any]
) -> None:
    referrals, _ = year
    weeks = 365 / 7
    target = expected_counts(lambeth, *YEAR)
    # lam-crp: 52 Thursdays in 2027, none a bank holiday: 52 x 12 slots x 0.9 = 561.6.
    assert target["lam-crp"] == pytest.approx(561.6)
    counts = Counter(r.panel for r in referrals)
    for panel_id, mean in target.items():
        # Poisson arrivals: within four standard deviations of the target.
        assert abs(counts[panel_id] - mean) <= 4 * math.sqrt(mean), panel_id
        assert counts[panel_id] / weeks == pytest.approx(mean / weeks, rel=0.2)
    # All panels together: booked minutes near 0.9 of the capacity minutes.
    booked = sum(lambeth.panel(r.panel).slot_for(r.complex) for r in referrals)
    capacity = sum(s.capacity_minutes for s in generate_sittings(lambeth, *YEAR))
    assert booked / capacity == pytest.approx(0.9, abs=0.05)


def test_cla_reviews_fall_in_the_configured_lead(
    year: tuple[tuple[Referral, ...], Any],
) -> None:
    referrals, _ = year
    profile = DemandProfile()
    leads = [(r.cla_review - r.submitted.date()).days for r in referrals if r.cla_review]
    # A review on a weekend or bank holiday moves back to a working day: at most 4 days
    # (Christmas Day to Thursday 24 December).
    assert min(leads) >= profile.cla_close_lead_days[0] - 4
    assert max(leads) <= profile.cla_lead_days[1]
    close = sum(1 for lead in leads if lead < profile.cla_lead_days[0] - 4)
    # About a tenth of CLA cases have a close review; some of those cannot be in time.
    assert 0.05 <= close / len(leads) <= 0.15


def test_december_and_august_are_quieter_than_october() -> None:
    # 20,000 referrals over a year to one panel: about 1,700 a month, so a month's count is
    # known to within about 2.5% and the ratio of two months to within about 0.03.
    model = authority(panel("a"))
    referrals = generate_referrals(model, *YEAR, count=20000, seed=1)
    profile = DemandProfile()
    workdays = working_calendar("ENG")
    per_month = Counter(r.submitted.month for r in referrals)

    def days(month: int) -> list[date]:
        first = date(2027, month, 1)
        every = (first + timedelta(n) for n in range(31))
        return [d for d in every if d.month == month and workdays.is_working_day(d)]

    def rate(month: int) -> float:
        return per_month[month] / len(days(month))

    def weight(month: int) -> float:
        return sum(profile.day_weight(d) for d in days(month)) / len(days(month))

    # Weights: October 1.05 (x 0.9 in half term); December 0.8 (x 0.9 from the 20th);
    # August 0.85 x 0.9 throughout.
    assert weight(8) == pytest.approx(0.85 * 0.9)
    for month in (8, 12):
        assert rate(month) < 0.85 * rate(10)
        assert rate(month) / rate(10) == pytest.approx(weight(month) / weight(10), abs=0.08)


def test_court_tracking_rotates_managers_each_month(
    year: tuple[tuple[Referral, ...], Any],
) -> None:
    # S13: one slot a month for each manager; with fewer cases a month than managers the
    # rotation gives nobody two while another has none.
    referrals, _ = year
    managers = {r.team_manager for r in referrals}
    by_month: dict[int, Counter[str]] = defaultdict(Counter)
    for r in referrals:
        if r.panel == "lam-ctp":
            by_month[r.submitted.month][r.team_manager] += 1
    for counts in by_month.values():
        assert max(counts.values()) - (min(counts[m] for m in managers)) <= 1


# --------------------------------------------------------------------------- referral shape


def test_referrals_are_well_formed(
    lambeth: Authority, year: tuple[tuple[Referral, ...], Any]
) -> None:
    referrals, _ = year
    workdays = working_calendar("ENG")
    ids = [r.referral_id for r in referrals]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert len({r.child_id for r in referrals}) == len(referrals)
    for r in referrals:
        assert r.panel in lambeth.panel_ids
        assert YEAR[0] <= r.submitted.date() <= YEAR[1]
        assert workdays.is_working_day(r.submitted.date())
        assert time(8, 0) <= r.submitted.time() <= time(18, 0)
        assert re.fullmatch(r"R-\d{6}", r.referral_id)
        assert re.fullmatch(r"C-\d{5,}", r.child_id)
        assert re.fullmatch(r"SW-\d{3,}", r.social_worker)
        assert re.fullmatch(r"TM-\d{2,}", r.team_manager)
        assert all(re.fullmatch(r"IRO-\d{2,}", a) for a in r.attendees)
        assert r.cost is None or r.cost >= 100
    # The first submitted gets the first id.
    assert [r.submitted for r in referrals] == sorted(r.submitted for r in referrals)


def test_some_miss_the_cutoff_and_late_permission_follows_one(
    lambeth: Authority, year: tuple[tuple[Referral, ...], Any]
) -> None:
    referrals, _ = year
    sittings = generate_sittings(lambeth, YEAR[0], YEAR[1] + timedelta(days=60))
    missed = late = 0
    for r in referrals:
        own = [s for s in sittings if s.panel == r.panel and s.opens > r.submitted]
        after_cutoff = own[0].cutoff is not None and own[0].cutoff < r.submitted
        missed += after_cutoff
        if r.late_permission:
            # S2: permission only makes sense for a paper that missed the next cut-off.
            assert after_cutoff, r.referral_id
            late += 1
    assert missed > 0.1 * len(referrals)
    assert late / len(referrals) == pytest.approx(DemandProfile().late_permission_share, abs=0.02)


def test_no_late_permission_where_the_panel_takes_no_late_papers() -> None:
    model = authority(panel("a", late_applications=False))
    profile = DemandProfile(late_permission_share=1.0)
    referrals = generate_referrals(model, *FEB, count=30, profile=profile)
    assert not any(r.late_permission for r in referrals)


def test_late_permission_is_submitted_between_cutoff_and_sitting() -> None:
    # Cut-off Monday 13:00 for the Thursday sitting: a late paper arrives after 13:00 on a
    # cut-off Monday (or on the Tuesday morning), always before Thursday 13:00.
    model = authority(panel("a"))
    profile = DemandProfile(late_permission_share=1.0)
    referrals = generate_referrals(model, *FEB, count=40, profile=profile, seed=2)
    assert all(r.late_permission for r in referrals if r.submitted.date() <= date(2027, 2, 22))
    for r in referrals:
        if r.late_permission:
            assert r.submitted.weekday() in (0, 1)
            assert r.submitted.weekday() == 1 or r.submitted.time() > time(13, 0)


def test_locality_panels_carry_their_locality() -> None:
    model = authority(
        panel("masg-north", group="masg", locality="North"),
        panel("masg-south", group="masg", locality="South"),
    )
    referrals = generate_referrals(model, *FEB, count=10)
    assert {(r.panel, r.locality) for r in referrals} == {
        ("masg-north", "North"),
        ("masg-south", "South"),
    }


@settings(max_examples=25, deadline=None)
@given(
    start=st.dates(date(2026, 1, 1), date(2029, 12, 1)),
    days=st.integers(0, 40),
    seed=st.integers(0, 2**32),
)
def test_any_range_gives_submissions_inside_it(start: date, days: int, seed: int) -> None:
    model = authority(panel("a"), panel("b", cadence="FREQ=MONTHLY;BYDAY=2TU", cutoff=None))
    end = start + timedelta(days=days)
    workdays = working_calendar("ENG")
    if not any(workdays.is_working_day(start + timedelta(n)) for n in range(days + 1)):
        with pytest.raises(ValueError, match="no working day"):
            generate_referrals(model, start, end, count=5, seed=seed)
        return
    referrals = generate_referrals(model, start, end, count=5, seed=seed)
    assert len(referrals) == 5
    assert all(start <= r.submitted.date() <= end for r in referrals)
    assert all(workdays.is_working_day(r.submitted.date()) for r in referrals)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"end": date(2027, 1, 31)}, "ends"),
        ({"count": -1}, "count must be >= 0"),
        ({"load": -0.5}, "load must be >= 0"),
        ({"end": date(2027, 2, 7), "start": date(2027, 2, 6)}, "no working day"),
        (
            {"profile": DemandProfile(arrivals_per_week=(("zz", 1.0),))},
            r"arrivals_per_week names unknown panels \['zz'\]; known: a",
        ),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    call: dict[str, Any] = {"start": FEB[0], "end": FEB[1]} | kwargs
    with pytest.raises(ValueError, match=message):
        generate_referrals(authority(panel("a")), **call)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cla_share": 1.5}, "cla_share must be between 0 and 1"),
        ({"urgent_share": 0.9, "emergency_share": 0.2}, "urgent_share \\+ emergency_share"),
        ({"cla_lead_days": (30, 10)}, "cla_lead_days must be"),
        ({"seasonality": (1.0,) * 11}, "twelve multipliers"),
        ({"teams": 0}, "teams must be at least 1"),
        ({"team_size": (0, 3)}, "team_size must be"),
        ({"scale": -1.0}, "scale must be >= 0"),
        ({"arrivals_per_week": (("a", -2.0),)}, "arrivals_per_week for a"),
    ],
)
def test_bad_profiles_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DemandProfile(**kwargs)


def test_bad_leave_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="training window must end after it starts"):
        LeaveProfile(training_times=((time(12, 0), time(9, 0)),))


def test_workforce_is_sized_from_teams() -> None:
    # 3 teams of exactly 2 social workers: SW-001..SW-006 under TM-01..TM-03.
    profile = DemandProfile(teams=3, team_size=(2, 2))
    referrals = generate_referrals(authority(panel("a")), *FEB, count=200, profile=profile)
    assert {r.team_manager for r in referrals} == {"TM-01", "TM-02", "TM-03"}
    assert {r.social_worker for r in referrals} == {f"SW-00{n}" for n in range(1, 7)}
    teams = {r.social_worker: r.team_manager for r in referrals}
    assert teams["SW-001"] == teams["SW-002"] == "TM-01"
    assert all(teams[r.social_worker] == r.team_manager for r in referrals)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2027, 8, 10), True),  # summer
        (date(2027, 3, 29), True),  # Easter Monday (Easter Sunday is 28 March 2027)
        (date(2027, 3, 22), True),  # Monday of the week before Easter
        (date(2027, 4, 2), True),  # Friday after Easter
        (date(2027, 4, 5), False),
        (date(2027, 3, 10), False),
        (date(2027, 2, 16), True),  # the week holding 15 February
        (date(2027, 5, 31), True),  # late-May bank holiday week
        (date(2027, 10, 27), True),  # last full week of October starts Monday 25th
        (date(2027, 10, 20), False),
        (date(2027, 12, 22), True),
        (date(2027, 11, 10), False),
    ],
)
def test_school_holidays(day: date, holiday: bool) -> None:
    assert is_school_holiday(day) is holiday


# --------------------------------------------------------------------------- availability


def test_leave_lies_inside_the_range_and_never_overlaps(
    year: tuple[tuple[Referral, ...], tuple[Unavailability, ...]],
) -> None:
    referrals, periods = year
    assert {p.person for p in periods} <= set(people_of(referrals))
    assert len(people_of(referrals)) >= 150
    by_person: dict[str, list[Unavailability]] = defaultdict(list)
    for p in periods:
        assert YEAR[0] <= p.start.date() <= p.end.date() <= YEAR[1]
        assert p.end >= p.start
        if not p.whole_days:
            assert p.reason == "training" and p.start.date() == p.end.date() and p.end > p.start
        by_person[p.person].append(p)
    for own in by_person.values():
        days = [p.start.date() + timedelta(n) for p in own for n in range(span(p))]
        assert len(days) == len(set(days))
    assert list(periods) == sorted(periods, key=lambda p: (p.person, p.start, p.end, p.reason))


def test_leave_amounts_to_about_25_days_a_year(
    year: tuple[tuple[Referral, ...], tuple[Unavailability, ...]],
) -> None:
    _, periods = year
    workdays = working_calendar("ENG")
    leave: Counter[str] = Counter()
    blocks = 0
    for p in periods:
        if p.reason == "annual leave":
            days = (p.start.date() + timedelta(n) for n in range(span(p)))
            leave[p.person] += sum(1 for d in days if workdays.is_working_day(d))
            blocks += span(p) >= 5
    mean = sum(leave.values()) / len(leave)
    # 25 days drawn between 85% and 115% per person.
    assert 23 <= mean <= 27
    # Most leave comes in one- and two-week blocks: 21 of the 25 days, so about 3 a year.
    assert blocks / len(leave) >= 2


def test_a_persons_leave_does_not_depend_on_who_else_is_listed() -> None:
    start, end = date(2027, 1, 1), date(2027, 6, 30)
    alone = generate_availability(["SW-001"], start, end, seed=4)
    together = generate_availability(["TM-01", "SW-001", "SW-002"], start, end, seed=4)
    assert alone == tuple(p for p in together if p.person == "SW-001")
    assert alone != generate_availability(["SW-001"], start, end, seed=5)


def test_a_week_or_two_of_leave_for_a_share_of_people() -> None:
    # 1,000 people, each away with chance 0.4: 400 expected, and the binomial's standard
    # deviation is sqrt(1000 x 0.4 x 0.6) = 15.5, so 350-450 is over three of them.
    people = [f"SW-{n:04d}" for n in range(1000)]
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    blocks = generate_leave_blocks(people, start, end, seed=3)
    assert 350 <= len(blocks) <= 450
    assert len({b.person for b in blocks}) == len(blocks)
    lengths = Counter((b.end - b.start).days for b in blocks)
    # Monday to Friday is 4 days on; two weeks Monday to the second Friday, 11.
    assert set(lengths) == {4, 11}
    assert all(b.start.weekday() == 0 and b.whole_days for b in blocks)
    assert all(start <= b.start.date() and b.end.date() <= end for b in blocks)


def test_a_persons_leave_block_does_not_depend_on_who_else_is_listed() -> None:
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    together = generate_leave_blocks([f"SW-{n:03d}" for n in range(40)], start, end, seed=4)
    someone = together[0].person
    assert generate_leave_blocks([someone], start, end, seed=4) == (together[0],)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"share": 1.2}, "share must be between 0 and 1"),
        ({"weeks": (0, 2)}, "weeks must be"),
        ({"weeks": (3, 2)}, "weeks must be"),
        ({"end": date(2026, 12, 1)}, "ends .* before it starts"),
    ],
)
def test_bad_leave_blocks_are_refused(kwargs: dict[str, Any], message: str) -> None:
    call: dict[str, Any] = {"start": date(2027, 1, 1), "end": date(2027, 12, 31)} | kwargs
    with pytest.raises(ValueError, match=message):
        generate_leave_blocks(["SW-001"], **call)


def test_court_days_only_for_social_workers() -> None:
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    profile = LeaveProfile(court_days_per_year=6)
    periods = generate_availability(["SW-001", "TM-01"], start, end, profile=profile)
    assert {p.person for p in periods if p.reason == "court"} == {"SW-001"}


def test_no_leave_configured_gives_no_periods() -> None:
    none = LeaveProfile(
        annual_leave_days=0, single_days=0, training_per_year=0, court_days_per_year=0
    )
    assert generate_availability(["SW-001"], date(2027, 1, 1), date(2027, 12, 31), 0, none) == ()


# --------------------------------------------------------------------------- files


sample_referral = partial(
    referral,
    "R-000001",
    submitted=datetime(2027, 1, 4, 9, 30),
    panel="a",
    social_worker="SW-017",
    team_manager="TM-04",
)


def test_referrals_csv_text(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    full = sample_referral(
        child_id="C-10234",
        request_type="s17 package",
        complex=True,
        priority="urgent",
        cla_review=date(2027, 2, 15),
        late_permission=True,
        attendees=("IRO-01", "SW-002"),
        cost=Decimal("2000"),
    )
    write_referrals_csv([full, sample_referral(referral_id="R-000002", social_worker="=1+1")], path)
    assert path.read_text(encoding="utf-8") == (
        "referral_id,panel,submitted,social_worker,team_manager,child_id,request_type,complex,"
        "priority,cla_review,cp_review,contract_end,review_by,not_before,deadline,locality,"
        "late_permission,attendees,cost\n"
        "R-000001,a,2027-01-04 09:30,SW-017,TM-04,C-10234,s17 package,yes,urgent,2027-02-15,"
        ",,,,,,yes,IRO-01;SW-002,2000\n"
        # A cell a spreadsheet would run as a formula is written as text.
        "R-000002,a,2027-01-04 09:30,'=1+1,TM-04,,,no,routine,,,,,,,,no,,\n"
    )


def test_availability_csv_text(tmp_path: Path) -> None:
    path = tmp_path / "availability.csv"
    periods = [
        Unavailability("SW-017", datetime(2027, 3, 1), datetime(2027, 3, 12), True, "annual leave"),
        Unavailability(
            "TM-04", datetime(2027, 3, 4, 9, 0), datetime(2027, 3, 4, 12, 0), False, "training"
        ),
    ]
    write_availability_csv(periods, path)
    assert path.read_text(encoding="utf-8") == (
        "person,from,to,start,end,reason\n"
        "SW-017,2027-03-01,2027-03-12,,,annual leave\n"
        "TM-04,2027-03-04,2027-03-04,09:00,12:00,training\n"
    )


def test_round_trip_through_the_readers(tmp_path: Path, lambeth: Authority) -> None:
    referrals, periods = generate_instance(lambeth, date(2027, 1, 1), date(2027, 3, 31), seed=8)
    write_referrals_csv(referrals, tmp_path / "referrals.csv")
    write_availability_csv(periods, tmp_path / "availability.csv")
    # Referral and Unavailability leave `row` out of equality.
    assert load_referrals(tmp_path / "referrals.csv", lambeth) == referrals
    assert load_availability(tmp_path / "availability.csv") == periods


def test_round_trip_keeps_localities(tmp_path: Path) -> None:
    model = authority(
        panel("masg-north", group="masg", locality="North"),
        panel("masg-south", group="masg", locality="South"),
    )
    referrals = generate_referrals(model, *FEB, count=12, seed=3)
    write_referrals_csv(referrals, tmp_path / "referrals.csv")
    assert load_referrals(tmp_path / "referrals.csv", model) == referrals


def test_bundled_example_is_what_the_script_writes(
    lambeth: Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    # examples/lambeth is generated; if the generator changes, rerun scripts/make_examples.py.
    path = ROOT / "scripts" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while the script is executed.
    monkeypatch.setitem(sys.modules, "make_examples", script)
    spec.loader.exec_module(script)
    referrals, availability, notes = script.build(lambeth)
    folder = ROOT / "examples" / "lambeth"
    assert load_referrals(folder / "referrals.csv", lambeth) == referrals
    assert load_availability(folder / "availability.csv") == availability
    assert 150 <= len(referrals) <= 400
    assert len(notes) >= 8
