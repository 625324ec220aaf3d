"""The plan check works out every due date itself, from the referral, the model's calendar
and its parameters: a planner that got a due date wrong is caught, and the planner, the plan
check and the records check agree on the model's lead times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.panels import Authority
from panelsched.core.plan import Booking, Plan
from panelsched.core.referrals import Referral
from panelsched.io.records import Record, Records
from panelsched.planner import WorkLimit, solve
from panelsched.planner.explain import explain
from panelsched.planner.greedy import book_greedily
from panelsched.planner.problem import build_problem
from panelsched.validator import LATENESS_RULES, check_plan, validate
from tests.helpers.builders import referral

JAN4, JAN7, JAN11, JAN14 = date(2027, 1, 4), date(2027, 1, 7), date(2027, 1, 11), date(2027, 1, 14)
FEB8 = date(2027, 2, 8)


def _authority(rules: dict[str, object], slot_window: str = "13:00-13:15") -> Authority:
    # Thursdays, one 15-minute slot a sitting, cut-off Monday 13:00.
    return Authority.model_validate(
        {
            "authority": "Testshire",
            "panels": [
                {
                    "id": "crp",
                    "name": "Resource Panel",
                    "cadence": "FREQ=WEEKLY;BYDAY=TH",
                    "time": slot_window,
                    "slot_minutes": 15,
                    "cutoff": "MO 13:00",
                    "rules": rules,
                }
            ],
        }
    )


def _booking(referral_id: str, day: date) -> Booking:
    return Booking(day, time(13, 0), "crp", time(13, 15), referral_id)


# A: CLA review Mon 8 Feb; with the model's 28-day lead it is due by 8 Feb - 28 = Mon 11 Jan,
# so of the Thursdays only 7 Jan is in time (14 Jan is 25 days before the review; the
# sources' 21 days would allow it). B: a deadline of 7 Jan. One slot a sitting, both
# submitted before 7 Jan's cut-off (Mon 4 Jan 13:00): one of them is late. A on 14 Jan is
# 3 days late, B on 14 Jan 7 days, so the planner books B on 7 Jan and A, late, on 14 Jan.
LEAD_28 = {"cla_review_lead_days": 28}
A = referral("A", cla_review=FEB8)
B = referral("B", deadline=JAN7)


def test_the_planner_uses_the_models_lead_time() -> None:
    problem = build_problem(_authority(LEAD_28), [A, B], start=JAN4, end=date(2027, 1, 31))
    assert problem.due_date(0) == JAN11
    assert problem.due[0] is not None
    assert problem.due[0].reason == "4 weeks before the CLA review on 08/02/2027"
    result = solve(problem, WorkLimit(2))
    booked = {b.referral_id: b.date for b in result.plan.bookings}
    assert booked == {"A": JAN14, "B": JAN7}
    assert result.late == 1
    [why] = explain(problem, result.plan)
    assert why.reason.startswith(
        "Heard 14/01/2027, 3 days after 11/01/2027 (4 weeks before the CLA review on 08/02/2027)."
    )


def test_plan_check_and_records_check_both_use_the_models_lead_time() -> None:
    authority = _authority(LEAD_28)
    problem = build_problem(authority, [A, B], start=JAN4, end=date(2027, 1, 31))
    plan = Plan.of([_booking("A", JAN14), _booking("B", JAN7)], [])
    expected = "heard 14/01/2027, 25 days before the CLA review on 08/02/2027; needs 28"
    [finding] = check_plan(problem, plan)
    assert (finding.rule, finding.referral_id, finding.message) == ("S6", "A", expected)
    record = Record("A", "crp", JAN14, row=2, cla_review=FEB8)
    records = Records(
        "records.csv", (record,), frozenset({"referral_id", "panel", "date", "cla_review"})
    )
    [from_records] = validate(authority, records=records).findings
    assert (from_records.rule, from_records.message) == ("S6", expected)


def test_with_the_sources_lead_the_same_hearing_is_in_time() -> None:
    # 8 Feb - 21 days = 18 Jan: a hearing on 14 Jan (25 days before) is in time.
    problem = build_problem(_authority({}), [A, B], start=JAN4, end=date(2027, 1, 31))
    assert check_plan(problem, Plan.of([_booking("A", JAN14), _booking("B", JAN7)], [])) == []


def test_a_wrong_due_date_in_the_planners_data_does_not_change_the_findings() -> None:
    # The plan check reads the referral and the model, never the planner's due dates: tell it
    # A and B had no due date, or were due in 2030, and it still finds A late and only A.
    problem = build_problem(_authority(LEAD_28), [A, B], start=JAN4, end=date(2027, 1, 31))
    plan = Plan.of([_booking("A", JAN14), _booking("B", JAN7)], [])
    truth = check_plan(problem, plan)
    assert [f.referral_id for f in truth] == ["A"]
    for wrong in ((None, None), tuple(replace(d, date=date(2030, 1, 1)) for d in problem.due if d)):
        assert check_plan(replace(problem, due=wrong), plan) == truth


def test_a_late_permanency_hearing_is_cited_as_s11() -> None:
    # A follow-up's limit of 7 Jan set by S11 (within two weeks of the first CLA review):
    # heard on 14 Jan it is 7 days late, and the finding cites S11, not S14.
    ptp = referral("P", deadline=JAN7, deadline_rule="S11")
    problem = build_problem(_authority({}), [ptp], start=JAN4, end=date(2027, 1, 31))
    assert problem.due[0] is not None and problem.due[0].rule == "S11"
    [finding] = check_plan(problem, Plan.of([_booking("P", JAN14)], []))
    assert finding.rule == "S11"
    assert finding.message == (
        "heard 14/01/2027, 7 days after the Permanency Tracking limit 07/01/2027"
    )


def test_a_late_neet_review_is_cited_as_s12() -> None:
    neet = referral("N", review_by=JAN7, review_by_rule="S12")
    problem = build_problem(_authority({}), [neet], start=JAN4, end=date(2027, 1, 31))
    [finding] = check_plan(problem, Plan.of([_booking("N", JAN14)], []))
    assert (finding.rule, finding.message) == (
        "S12",
        "heard 14/01/2027, 7 days after the NEET review date 07/01/2027",
    )


# --- properties: the planner, the plan check and the records check agree on lateness ------

START = datetime(2027, 3, 1, 8, 0)
RECORD_COLUMNS = frozenset(
    {"referral_id", "panel", "date", "cla_review", "cp_review", "contract_end"}
)


@st.composite
def _referrals(draw: st.DrawFn, index: int) -> Referral:
    submitted = START + timedelta(hours=draw(st.integers(0, 24 * 30)))
    review = draw(st.none() | st.integers(0, 70))
    contract = draw(st.none() | st.integers(10, 90))
    return referral(
        f"C-{index:02d}",
        submitted=submitted,
        social_worker=draw(st.sampled_from(["SW-1", "SW-2", "SW-3"])),
        team_manager=draw(st.sampled_from(["TM-1", "TM-2"])),
        cla_review=None if review is None else submitted.date() + timedelta(days=review),
        cp_review=None
        if review is None or review % 3
        else submitted.date() + timedelta(days=review + 5),
        contract_end=None if contract is None else submitted.date() + timedelta(days=contract),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 16).flatmap(lambda n: st.tuples(*(_referrals(i) for i in range(n)))),
    st.integers(0, 42),
    st.integers(0, 42),
    st.integers(1, 12),
)
def test_planner_plan_check_and_records_check_agree_whatever_the_lead_times(
    drawn: tuple[Referral, ...], cla_days: int, cp_days: int, weeks: int
) -> None:
    # A due date the planner got wrong (a lead time it ignored) shows as a difference between
    # its late bookings and the records check, which reads the same plan as records of what
    # happened, with the model's parameters.
    rules = {
        "cla_review_lead_days": cla_days,
        "cp_review_lead_days": cp_days,
        "contract_end_weeks": weeks,
    }
    authority = _authority(rules, slot_window="13:00-14:00")
    problem = build_problem(authority, drawn, (), (), date(2027, 3, 1), date(2027, 6, 30))
    plan = book_greedily(problem)
    findings = check_plan(problem, plan)
    assert [f for f in findings if f.rule not in LATENESS_RULES] == []
    index, at = problem.referral_index(), problem.sitting_index()
    late = {
        b.referral_id
        for b in plan.bookings
        if problem.is_late(index[b.referral_id], at[b.sitting_id])
    }
    assert {f.referral_id for f in findings if f.rule in LATENESS_RULES} == late
    by_id = {r.referral_id: r for r in drawn}
    rows = tuple(
        Record(
            b.referral_id,
            b.panel,
            b.date,
            row=n,
            cla_review=by_id[b.referral_id].cla_review,
            cp_review=by_id[b.referral_id].cp_review,
            contract_end=by_id[b.referral_id].contract_end,
        )
        for n, b in enumerate(plan.bookings, start=2)
    )
    checked = validate(authority, records=Records("records.csv", rows, RECORD_COLUMNS))
    # S8 here is both "heard on or after the contract end" (late) and "more than the notice
    # ahead" (too early, which the planner never does): any S8 finding must be a late one.
    assert {f.referral_id for f in checked.findings if f.severity == "error"} == late
