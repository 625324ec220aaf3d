"""Statutory clocks in the validator (issue 26): a case heard after its clock's last viable
sitting is a finding under the clock's id citing the model's source; the summary lists the
clock after DOMAIN.md's rules."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from panelsched.core.plan import Booking, Plan
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.io.model_file import load_model_text
from panelsched.io.records import Records, records_from_rows
from panelsched.validator import LATENESS_RULES, check_plan, lateness_rules, validate
from panelsched.validator.bookings import BookingRow, BookingsFile
from panelsched.validator.findings import rule_order
from panelsched.validator.plan_context import PlanInput
from tests.helpers.builders import referral
from tests.helpers.clocks import SEN_MODEL

SEN = load_model_text(SEN_MODEL, "sen.yaml")
SUBMITTED = datetime(2027, 7, 5, 9, 0)


def _case(rid: str, **fields: object) -> Referral:
    values: dict[str, object] = {"panel": "sen", "request_type": "ehc-needs-assessment"}
    return referral(rid, SUBMITTED, **(values | fields))


def _booked(rid: str, day: date, start: time) -> Booking:
    end = time(start.hour + (start.minute + 30) // 60, (start.minute + 30) % 60)
    return Booking(date=day, start=start, panel="sen", end=end, referral_id=rid)


def test_a_case_heard_after_its_clocks_last_sitting_is_a_finding_citing_the_clock() -> None:
    # R-1 requested Fri 02/07/2027: the clock ends Fri 13/08, the last sitting leaving 2 working
    # days is Wed 11/08/2027. Heard Wed 18/08/2027: 7 days after it.
    # R-2 requested the same day, heard 11/08/2027: in time (the last viable day itself).
    # R-3 is an annual review: the clock does not run for it, so it is not counted.
    # R-4 has no request date: the clock cannot be judged, so it is not checked.
    cases = (
        _case("R-1", requested=date(2027, 7, 2)),
        _case("R-2", requested=date(2027, 7, 2)),
        _case("R-3", request_type="annual-review", requested=date(2027, 5, 1)),
        _case("R-4"),
    )
    plan = Plan.of(
        [
            _booked("R-1", date(2027, 8, 18), time(13, 0)),
            _booked("R-2", date(2027, 8, 11), time(13, 0)),
            _booked("R-3", date(2027, 8, 11), time(13, 30)),
            _booked("R-4", date(2027, 8, 18), time(13, 30)),
        ],
        [],
    )
    given = PlanInput(SEN, cases, start=date(2027, 7, 5), end=date(2027, 9, 30))
    findings = check_plan(given, plan)
    assert [(f.rule, f.referral_id, f.message, f.source) for f in findings] == [
        (
            "ehc-assessment-decision",
            "R-1",
            "heard 18/08/2027, 7 days after 11/08/2027, the last sitting date that leaves 2 "
            "working days before its 6-week assessment decision ends on 13/08/2027",
            "SEND Regulations 2014, reg. 5",
        )
    ]
    assert all(f.rule in lateness_rules(SEN) for f in findings)
    assert "ehc-assessment-decision" not in LATENESS_RULES


def test_the_summary_lists_the_clock_after_domains_rules() -> None:
    # One booking of R-1 in time (07/07/2027, before 11/08/2027): checked 1, passed 1.
    row = BookingRow(
        referral_id="R-1",
        date=date(2027, 7, 7),
        start=time(13, 0),
        panel="sen",
        end=time(13, 30),
        social_worker="SW-R-1",
        team_manager="TM-R-1",
        submitted=SUBMITTED,
        row=2,
    )
    bookings = BookingsFile(
        "bookings.csv",
        (row,),
        frozenset({"referral_id", "date", "start", "panel", "end", "submitted"}),
    )
    result = validate(
        SEN,
        bookings=bookings,
        referrals=[_case("R-1", requested=date(2027, 7, 2))],
    )
    last = result.summary[-1]
    assert (last.rule, last.title, last.source, last.checked, last.passed, last.failed) == (
        "ehc-assessment-decision",
        "heard in time for its 6-week assessment decision",
        "SEND Regulations 2014, reg. 5",
        1,
        1,
        0,
    )
    assert result.findings == ()


def test_clock_findings_sort_after_the_p_rules() -> None:
    ordered = sorted(["ehc-assessment-decision", "P19", "S6", "PLAN"], key=rule_order)
    assert ordered == ["PLAN", "S6", "P19", "ehc-assessment-decision"]


def _records(*rows: dict[str, str]) -> Records:
    return records_from_rows("records.csv", list(rows), SEN)


def test_a_records_file_hearing_is_judged_by_the_clock_as_a_booking_is() -> None:
    # The same reckoning as for bookings: requested Fri 02/07/2027, the clock ends Fri 13/08 and
    # the last sitting leaving 2 working days is Wed 11/08/2027.
    # C-1 decided Wed 18/08/2027: 7 days after it, an error citing the clock.
    # C-2 decided Wed 11/08/2027: in time.
    # C-3 deferred on 18/08: a deferral decides nothing, so it is not judged by the clock.
    # C-4 paused over the summer (22/07-01/09/2027, 42 days): the clock ends Fri 24/09, last
    #   sitting Wed 22/09; decided Wed 15/09/2027: in time.
    # C-5 has no request date: not checked.
    base = {
        "panel": "sen",
        "request_type": "ehc-needs-assessment",
        "requested": "02/07/2027",
        "clock_pauses": "",  # rows given as cells take their columns from the first row
    }
    validation = validate(
        SEN,
        records=_records(
            {**base, "referral_id": "C-1", "date": "2027-08-18", "outcome": "approve"},
            {**base, "referral_id": "C-2", "date": "2027-08-11", "outcome": "approve"},
            {**base, "referral_id": "C-3", "date": "2027-08-18", "outcome": "defer"},
            {
                **base,
                "referral_id": "C-4",
                "date": "2027-09-15",
                "outcome": "approve",
                "clock_pauses": "2027-07-22..2027-09-01 school-closure-4-weeks",
            },
            {**base, "referral_id": "C-5", "date": "2027-08-18", "requested": ""},
        ),
    )
    found = [f for f in validation.findings if f.rule == "ehc-assessment-decision"]
    assert [(f.referral_id, f.sitting, f.source) for f in found] == [
        ("C-1", "sen@2027-08-18", "SEND Regulations 2014, reg. 5")
    ]
    assert found[0].message.startswith("heard 18/08/2027, 7 days after 11/08/2027")
    [line] = [s for s in validation.summary if s.rule == "ehc-assessment-decision"]
    assert (line.checked, line.passed, line.failed, line.not_checked) == (3, 2, 1, 1)


def test_a_records_file_pause_for_a_reason_no_clock_lists_is_refused() -> None:
    row = {
        "referral_id": "C-1",
        "panel": "sen",
        "date": "2027-08-18",
        "request_type": "ehc-needs-assessment",
        "requested": "02/07/2027",
        "clock_pauses": "2027-07-22..2027-09-01 holiday",
    }
    with pytest.raises(InputError) as refused:
        _records(row)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "clock_pauses")
    assert problem.message == (
        "'holiday' is not a reason its clocks may be paused for; expected one of "
        "school-closure-4-weeks"
    )
