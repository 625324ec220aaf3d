"""Each rule of the catalogue on records: one that keeps it, one that breaks it, with the
expected message.

The test model's panel ``rp`` sits on Thursdays 13:00-15:00 (break 14:00-14:10, 15-minute
slots, complex 20), cut-off the Monday before at 13:00, papers out the Tuesday before at 17:00,
and switches on every rule. March 2027: Thursdays 4, 11, 18, 25; Mondays 1, 8, 15, 22.
``other`` sits on Thursdays 13:00-14:00 and switches nothing on.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.io.records import Record, Records, record_fields
from panelsched.validator import CATALOGUE, RULES
from panelsched.validator.catalogue import Evidence, Tally, run_catalogue

RULE_MODEL: dict[str, Any] = {
    "authority": "Testshire",
    "panels": [
        {
            "id": "rp",
            "name": "Resource Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "13:00-15:00",
            "slot_minutes": 15,
            "complex_slot_minutes": 20,
            "breaks": ["14:00-14:10"],
            "cutoff": "MO 13:00",
            "papers": "TU 17:00",
            "rules": {
                "minutes_on_record_days": 3,
                "required_documents": ["request form", "case summary", "genogram"],
                "decision_notice_approved_working_days": 6,
                "decision_notice_circulated_working_days": 10,
                "family_told_within_hours": 48,
                "draft_record_to_chair_hours": 48,
                "records_before_next_sitting": True,
                "decision_recorded_by_weekday": "WE",
                "review_date_required": True,
                "threshold_pounds": 500,
                "s17_threshold_pounds": 2000,
                "director_permission_over_miles": 20,
                "out_of_area_needs_director": True,
                "min_age": 16,
                "max_age": 25,
                "change_notice_hours": 24,
                "papers_days_before": 2,
                "deferral_reason_required": True,
                "before_court_request_types": ["SGO", "child arrangements"],
                "staying_put_request_types": ["staying put"],
                "iro_copied_on_change": True,
                "invite_within_days_of_first_cla_review": 14,
                "neet_review_within_months": 3,
                "tm_slots_per_month": 1,
                "max_wait_days": 28,
            },
        },
        {
            "id": "other",
            "name": "Other Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "13:00-14:00",
            "slot_minutes": 30,
        },
    ],
}
AUTHORITY = Authority.model_validate(RULE_MODEL)
MAR4, MAR11, MAR18, MAR25 = (date(2027, 3, d) for d in (4, 11, 18, 25))


def rec(rid: str = "C-1", day: date = MAR11, panel: str = "rp", **fields: Any) -> Record:
    return Record(referral_id=rid, panel=panel, date=day, **fields)


def run(
    rule: str,
    *records: Record,
    columns: tuple[str, ...] | None = None,
    away: tuple[Unavailability, ...] | None = None,
) -> Tally:
    """Run one rule; the columns present are those any record fills, unless given."""
    if columns is None:
        blank = Record("x", "rp", MAR4)
        columns = tuple(
            f for f in record_fields() if any(getattr(r, f) != getattr(blank, f) for r in records)
        )
    present = frozenset(("referral_id", "panel", "date", *columns))
    evidence = Evidence(AUTHORITY, Records("records.csv", records, present), away)
    return run_catalogue(evidence, [u for u in CATALOGUE if u.id == rule])[rule]


def said(tally: Tally) -> list[tuple[str, str, str]]:
    return [(f.severity, f.referral_id, f.message) for f in tally.findings]


def counts(tally: Tally) -> tuple[int, int, int, int]:
    return tally.checked, tally.passed, tally.failed, tally.not_checked


def test_every_rule_of_domain_has_a_unit_or_a_plan_check() -> None:
    # S1-S14 and P1-P19 are all checked on records; PLAN only on a plan.
    assert {u.id for u in CATALOGUE} == set(RULES) - {"PLAN"}


def test_every_unit_documents_itself() -> None:
    assert all(unit.doc for unit in CATALOGUE)


# --- S rules ----------------------------------------------------------------------------------


def test_s1_heard_on_a_sitting_date() -> None:
    tally = run("S1", rec("C-1"), rec("C-2", day=date(2027, 3, 10)))
    assert said(tally) == [("error", "C-2", "rp does not sit on 10/03/2027 (Wednesday)")]
    assert counts(tally) == (2, 1, 1, 0)


def test_s2_submitted_by_the_cutoff() -> None:
    # 11 March's cut-off is Monday 8 March 13:00.
    on_time = rec("C-1", submitted=datetime(2027, 3, 8, 12, 59))
    late = rec("C-2", submitted=datetime(2027, 3, 8, 13, 1))
    allowed = rec("C-3", submitted=datetime(2027, 3, 8, 13, 1), late_permission=True)
    assert said(run("S2", on_time, late, allowed)) == [
        (
            "error",
            "C-2",
            "submitted 08/03/2027 13:01, after the cut-off 08/03/2027 13:00 for the sitting on "
            "11/03/2027; no late permission was recorded",
        )
    ]


def test_s2_not_checked_without_submission_dates() -> None:
    assert counts(run("S2", rec("C-1"), columns=())) == (0, 0, 0, 1)
    # A blank cell in a present column is not checked either.
    assert counts(run("S2", rec("C-1"), columns=("submitted",))) == (0, 0, 0, 1)


def test_s3_whole_slots_in_the_window() -> None:
    first = rec("C-1", start=time(13, 0), end=time(13, 15))
    second = rec("C-2", start=time(13, 10), end=time(13, 25))
    breaking = rec("C-3", start=time(13, 55), end=time(14, 10))
    assert said(run("S3", first, second, breaking)) == [
        ("error", "C-2", "slot 13:10-13:25 overlaps C-1's slot 13:00-13:15"),
        ("error", "C-3", "slot 13:55-14:10 runs into the 14:00-14:10 break"),
    ]


def test_s3_slot_length_and_window() -> None:
    long = rec("C-1", start=time(13, 0), end=time(13, 25), complex=False)
    outside = rec("C-2", start=time(14, 50), end=time(15, 5), complex=False)
    assert said(run("S3", long, outside)) == [
        ("error", "C-1", "slot 13:00-13:25 is 25 minutes; a case at rp needs 15"),
        ("error", "C-2", "slot 14:50-15:05 runs outside the 13:00-15:00 window"),
    ]


def test_s4_complex_case_longer_slot() -> None:
    kept = rec("C-1", start=time(13, 0), end=time(13, 20), complex=True)
    short = rec("C-2", start=time(13, 20), end=time(13, 35), complex=True)
    simple = rec("C-3", start=time(13, 35), end=time(13, 50), complex=False)
    tally = run("S4", kept, short, simple)
    assert said(tally) == [
        ("error", "C-2", "slot 13:20-13:35 is 15 minutes; a complex case at rp needs 20")
    ]
    # The simple case is not subject to S4: two checked, one passed.
    assert counts(tally) == (2, 1, 1, 0)


def test_s5_presenters_attend() -> None:
    both = rec("C-1", social_worker="SW-07", team_manager="TM-03", attended=("SW-07", "TM-03"))
    no_tm = rec("C-2", social_worker="SW-07", team_manager="TM-03", attended=("SW-07",))
    assert said(run("S5", both, no_tm)) == [
        ("error", "C-2", "TM-03 presents the case but is not recorded as attending")
    ]


def test_s5_nobody_in_two_places() -> None:
    # SW-07 at rp 13:00-13:15 and at other 13:00-13:30 on the same day.
    here = rec("C-1", social_worker="SW-07", start=time(13, 0), end=time(13, 15))
    there = rec("C-2", panel="other", social_worker="SW-07", start=time(13, 0), end=time(13, 30))
    later = rec("C-3", social_worker="SW-07", start=time(13, 30), end=time(13, 45))
    assert said(run("S5", here, there, later)) == [
        (
            "error",
            "C-2",
            "SW-07 is booked in two places at once: C-1 at rp 13:00-13:15 and C-2 at other "
            "13:00-13:30",
        )
    ]


def test_s5_nobody_booked_while_away() -> None:
    leave = Unavailability("SW-07", datetime(2027, 3, 11), datetime(2027, 3, 12))
    away = rec("C-1", social_worker="SW-07", start=time(13, 0), end=time(13, 15))
    fine = rec("C-2", day=MAR18, social_worker="SW-07", start=time(13, 0), end=time(13, 15))
    assert said(run("S5", away, fine, away=(leave,))) == [
        ("error", "C-1", "SW-07 was unavailable (all day) but booked 11/03/2027 13:00-13:15")
    ]


def test_s6_three_weeks_before_the_cla_review() -> None:
    # Heard 11 March, review 23 March: 12 days; 1 April is exactly 21 days after 11 March.
    late = rec("C-1", cla_review=date(2027, 3, 23))
    kept = rec("C-2", cla_review=date(2027, 4, 1))
    cp = rec("C-3", cp_review=date(2027, 3, 9))
    tally = run("S6", late, kept, cp)
    assert said(tally) == [
        ("error", "C-1", "heard 11/03/2027, 12 days before the CLA review on 23/03/2027; needs 21"),
        ("error", "C-3", "heard 11/03/2027, 2 days after the CP review on 09/03/2027; needs 21"),
    ]
    # rp names no source and sets no lead time: the three-weeks rule is a general one here.
    assert tally.findings[0].source == "general rule (CBC 6)"


def test_s7_review_by_and_the_approvals_review_date() -> None:
    kept = rec("C-1", review_by=date(2027, 3, 11))
    late = rec("C-2", review_by=date(2027, 3, 8))
    # C-3 approved on 4 March with a review date of 10 March, back on 18 March: 8 days late.
    approved = rec("C-3", day=MAR4, outcome="approve", review_date=date(2027, 3, 10))
    back = rec("C-3", day=MAR18)
    assert said(run("S7", kept, late, approved, back)) == [
        ("error", "C-2", "heard 11/03/2027, 3 days after the review-by date 08/03/2027"),
        (
            "error",
            "C-3",
            "heard 18/03/2027, 8 days after the review date 10/03/2027 set on 04/03/2027",
        ),
    ]


def test_s8_contract_end() -> None:
    kept = rec("C-1", contract_end=date(2027, 4, 1))
    ended = rec("C-2", contract_end=date(2027, 3, 11))
    early = rec("C-3", contract_end=date(2027, 5, 13))
    # 13 May is 63 days after 11 March, more than 8 weeks (56 days).
    assert said(run("S8", kept, ended, early)) == [
        (
            "error",
            "C-2",
            "heard 11/03/2027, on or after the contract end 11/03/2027; must be heard before it",
        ),
        (
            "error",
            "C-3",
            "heard 11/03/2027, 63 days before the contract ends on 13/05/2027; not more than 56 "
            "(8 weeks) ahead",
        ),
    ]


def test_s9_emergency_ratified_at_the_next_sitting() -> None:
    # Decided Friday 5 March: the next sitting is 11 March.
    kept = rec("C-1", emergency_decision=datetime(2027, 3, 5, 16, 0))
    late = rec("C-2", day=MAR18, emergency_decision=datetime(2027, 3, 5, 16, 0))
    # Decided on 11 March (date only): counts as after that day's sitting.
    early = rec("C-3", emergency_decision=datetime(2027, 3, 11))
    assert said(run("S9", kept, late, early)) == [
        (
            "error",
            "C-2",
            "heard 18/03/2027; the emergency decision of 05/03/2027 had to be ratified at the "
            "next sitting, 11/03/2027",
        ),
        ("error", "C-3", "heard 11/03/2027, not after the emergency decision of 11/03/2027"),
    ]


def test_s9_where_no_late_papers_are_taken_the_first_cutoff_met_ratifies() -> None:
    # rp as a Swindon-like panel that takes no late papers. Decided Tue 9 March 10:00, after
    # the cut-off of 11 March (Mon 8 March 13:00): the first sitting it can reach is 18 March.
    strict = Authority.model_validate(
        RULE_MODEL | {"panels": [RULE_MODEL["panels"][0] | {"late_applications": False}]}
    )
    kept = rec("C-1", day=MAR18, emergency_decision=datetime(2027, 3, 9, 10, 0))
    late = rec("C-2", day=MAR25, emergency_decision=datetime(2027, 3, 9, 10, 0))
    present = frozenset(("referral_id", "panel", "date", "emergency_decision"))
    evidence = Evidence(strict, Records("records.csv", (kept, late), present))
    tally = run_catalogue(evidence, [u for u in CATALOGUE if u.id == "S9"])["S9"]
    assert said(tally) == [
        (
            "error",
            "C-2",
            "heard 25/03/2027; the emergency decision of 09/03/2027 had to be ratified at the "
            "next sitting, 18/03/2027",
        )
    ]


def test_s10_deferred_to_the_next_sitting() -> None:
    kept = [rec("C-1", day=MAR4, outcome="defer"), rec("C-1", outcome="approve")]
    skipped = [rec("C-2", day=MAR4, outcome="defer"), rec("C-2", day=MAR25)]
    tally = run("S10", *kept, *skipped)
    assert said(tally) == [
        (
            "warning",
            "C-2",
            "deferred on 04/03/2027; heard again on 25/03/2027, not at the next sitting on "
            "11/03/2027",
        )
    ]


def test_s10_a_deferral_never_heard_again() -> None:
    # The records run to 25 March, past the next sitting (11 March).
    dropped = rec("C-1", day=MAR4, outcome="defer")
    assert said(run("S10", dropped, rec("C-9", day=MAR25, outcome="approve"))) == [
        (
            "warning",
            "C-1",
            "deferred on 04/03/2027; not heard again at the next sitting on 11/03/2027 (the "
            "records run to 25/03/2027)",
        )
    ]
    # Deferred at the last sitting in the records: too soon to tell.
    assert counts(run("S10", rec("C-1", day=MAR25, outcome="defer"))) == (0, 0, 0, 1)


def test_s11_permanency_within_two_weeks_of_the_first_cla_review() -> None:
    kept = rec("C-1", first_cla_review=date(2027, 2, 25))  # 14 days before 11 March
    late = rec("C-2", first_cla_review=date(2027, 2, 24))
    assert said(run("S11", kept, late)) == [
        (
            "error",
            "C-2",
            "heard 11/03/2027, 15 days after the first CLA review on 24/02/2027; within 14",
        )
    ]


def test_s12_still_neet_reviewed_within_three_months() -> None:
    kept = [
        rec("R-1", day=date(2027, 1, 7), child_id="Y-1", still_neet=True),
        rec("R-2", day=date(2027, 4, 1), child_id="Y-1", still_neet=False),
    ]
    late = [
        rec("R-3", day=date(2027, 1, 7), child_id="Y-2", still_neet=True),
        rec("R-4", day=date(2027, 4, 15), child_id="Y-2", still_neet=False),
    ]
    tally = run("S12", *kept, *late)
    assert said(tally) == [
        (
            "error",
            "R-3",
            "still NEET on 07/01/2027; next heard 15/04/2027, after 07/04/2027 (3 months)",
        )
    ]


def test_s13_one_slot_a_month_per_team_manager() -> None:
    first = rec("C-1", day=MAR4, team_manager="TM-03")
    second = rec("C-2", day=MAR18, team_manager="TM-03")
    other = rec("C-3", day=MAR18, team_manager="TM-04")
    assert said(run("S13", first, second, other)) == [
        ("warning", "C-2", "TM-03's slot number 2 at rp in March 2027; allocated 1 a month")
    ]


def test_s14_deadline_and_wait() -> None:
    late = rec("C-1", deadline=date(2027, 3, 5))
    slow = rec("C-2", submitted=datetime(2027, 2, 1, 9, 0))  # 38 days before 11 March
    quick = rec("C-3", submitted=datetime(2027, 3, 1, 9, 0))
    assert said(run("S14", late, slow, quick)) == [
        ("error", "C-1", "heard 11/03/2027, 6 days after its deadline 05/03/2027"),
        ("warning", "C-2", "waited 38 days from submission to panel; the aim is 28"),
    ]


# --- P rules ----------------------------------------------------------------------------------


def test_p1_approved_for_submission() -> None:
    tally = run("P1", rec("C-1", submission_approved=True), rec("C-2", submission_approved=False))
    assert said(tally) == [("error", "C-2", "not approved for submission by a manager")]


def test_p2_paperwork() -> None:
    full = rec("C-1", documents=("Request form", "case summary", "genogram", "chronology"))
    short = rec("C-2", documents=("request form",))
    assert said(run("P2", full, short)) == [
        ("error", "C-2", "missing papers: case summary, genogram")
    ]


def test_p3_chaired() -> None:
    tally = run("P3", rec("C-1", chair_present=True), rec("C-2", chair_present=False))
    assert said(tally) == [("error", "C-2", "no chair or vice-chair chaired the sitting")]


def test_p4_minutes_within_three_days() -> None:
    kept = rec("C-1", day=MAR4, minutes_on_record=datetime(2027, 3, 7, 9, 0))
    late = rec("C-2", day=MAR4, minutes_on_record=datetime(2027, 3, 9, 9, 0))
    missing = rec("C-3", day=MAR4)
    recent = rec("C-4", day=MAR18)  # due 21 March; the records run to 18 March
    tally = run("P4", kept, late, missing, recent, columns=("minutes_on_record",))
    assert said(tally) == [
        ("error", "C-2", "minutes on the record 09/03/2027, 5 days after the sitting; within 3"),
        ("error", "C-3", "no date the minutes reached the child's record; due by 07/03/2027"),
    ]
    assert counts(tally) == (3, 1, 2, 1)


def test_p4_only_where_the_model_sets_it() -> None:
    # ``other`` sets no minutes_on_record_days: its records are not counted at all.
    tally = run("P4", rec("C-1", panel="other"), columns=("minutes_on_record",))
    assert counts(tally) == (0, 0, 0, 0)


def test_p5_decision_notice_working_days() -> None:
    # 4 March + 6 working days = 12 March; + 10 = 18 March.
    kept = rec("C-1", day=MAR4, notice_approved=date(2027, 3, 12), notice_circulated=MAR18)
    late = rec("C-2", day=MAR4, notice_approved=date(2027, 3, 15), notice_circulated=MAR18)
    assert said(run("P5", kept, late)) == [
        (
            "error",
            "C-2",
            "decision notice approved 15/03/2027, 7 working days after the sitting; within 6",
        )
    ]


def test_p6_family_told_is_a_warning() -> None:
    # The sitting ends 11 March 15:00; 48 hours is 13 March 15:00.
    kept = rec("C-1", family_told=datetime(2027, 3, 13, 15, 0))
    late = rec("C-2", family_told=datetime(2027, 3, 15, 10, 0))
    assert said(run("P6", kept, late)) == [
        (
            "warning",
            "C-2",
            "family told 15/03/2027 10:00, 91 hours after the sitting; aim within 48 where "
            "possible",
        )
    ]


def test_p7_record_timings() -> None:
    kept = rec(
        "C-1",
        draft_to_chair=datetime(2027, 3, 12, 10, 0),
        chair_returned=datetime(2027, 3, 14, 10, 0),
        record_uploaded=datetime(2027, 3, 15, 9, 0),
    )
    late = rec(
        "C-2",
        draft_to_chair=datetime(2027, 3, 15, 10, 0),
        chair_returned=datetime(2027, 3, 16, 10, 0),
        record_uploaded=datetime(2027, 3, 18, 14, 0),
    )
    assert said(run("P7", kept, late)) == [
        (
            "error",
            "C-2",
            "draft record to the chair 15/03/2027 10:00, 91 hours after the sitting; within 48; "
            "upload to the child's record 18/03/2027 14:00, 52 hours after the chair's return; "
            "within 24; uploaded 18/03/2027 14:00, after the next sitting on 18/03/2027",
        )
    ]


def test_p8_decision_recorded_by_the_wednesday_after() -> None:
    # Thursday 11 March: the Wednesday after is 17 March.
    kept = rec("C-1", minutes_on_record=datetime(2027, 3, 17, 16, 0))
    late = rec("C-2", minutes_on_record=datetime(2027, 3, 18, 9, 0))
    assert said(run("P8", kept, late)) == [
        (
            "error",
            "C-2",
            "decision on the record 18/03/2027, after Wednesday 17/03/2027 following the sitting",
        )
    ]


def test_p9_approvals_carry_a_review_date() -> None:
    kept = rec("C-1", outcome="approve", review_date=date(2027, 9, 11))
    missing = rec("C-2", outcome="approve")
    declined = rec("C-3", outcome="decline")
    tally = run("P9", kept, missing, declined, columns=("outcome", "review_date"))
    assert said(tally) == [("error", "C-2", "approved without a review date")]
    assert counts(tally) == (2, 1, 1, 0)


def test_p10_threshold_and_excluded_kinds() -> None:
    kept = rec("C-1", cost=Decimal(500), request_type="respite")
    small = rec("C-2", cost=Decimal(400), request_type="respite")
    holiday = rec("C-3", cost=Decimal(900), request_type="Holiday")
    assert said(run("P10", kept, small, holiday)) == [
        ("error", "C-2", "a £400 request; the panel hears requests of £500 or more"),
        ("error", "C-3", "'Holiday' is a kind of request the panel does not fund"),
    ]


def test_p11_section_17_over_the_threshold_needs_the_resource_panel() -> None:
    at_rp = rec("C-1", cost=Decimal(2400), request_type="s17 package")
    elsewhere = rec("C-2", panel="other", cost=Decimal(2400), request_type="Section 17")
    small = rec("C-3", panel="other", cost=Decimal(2000), request_type="s17 package")
    assert said(run("P11", at_rp, elsewhere, small)) == [
        (
            "error",
            "C-2",
            "a section 17 package of £2,400 (over £2,000) decided at other; it needs rp's "
            "agreement",
        )
    ]


def test_p12_director_agreement() -> None:
    near = rec("C-1", distance_miles=Decimal(12), out_of_area=False)
    far = rec("C-2", distance_miles=Decimal("24.5"), director_agreed=False)
    agreed = rec("C-3", out_of_area=True, director_agreed=True)
    away = rec("C-4", out_of_area=True)
    tally = run(
        "P12", near, far, agreed, away, columns=("distance_miles", "out_of_area", "director_agreed")
    )
    assert said(tally) == [
        (
            "error",
            "C-2",
            "a placement 24.5 miles from home (over 20) without the Director's agreement",
        ),
        ("error", "C-4", "a placement out of area without the Director's agreement"),
    ]


def test_p13_age_range() -> None:
    tally = run("P13", rec("C-1", age=16), rec("C-2", age=15), rec("C-3", age=26))
    assert said(tally) == [
        ("error", "C-2", "aged 15; rp hears ages 16 to 25"),
        ("error", "C-3", "aged 26; rp hears ages 16 to 25"),
    ]


def test_p14_cancellation_agreed_and_notified() -> None:
    # The 11 March sitting opens 13:00: 24 hours before is 10 March 13:00.
    kept = rec(
        "C-1",
        sitting_cancelled=True,
        cancellation_agreed_by="Chair",
        members_notified=datetime(2027, 3, 10, 12, 0),
    )
    short = rec(
        "C-2",
        sitting_cancelled=True,
        cancellation_agreed_by="administrator",
        members_notified=datetime(2027, 3, 11, 9, 0),
    )
    heard = rec("C-3", cancellation_agreed_by="")  # heard rows are not P14's
    tally = run("P14", kept, short, heard)
    assert said(tally) == [
        (
            "error",
            "C-2",
            "cancelled with the agreement of 'administrator', not of the chair or Head of "
            "Service; members told 11/03/2027 09:00, 4 hours before the sitting; needs 24",
        )
    ]
    assert counts(tally) == (2, 1, 1, 0)


def test_p15_papers_out_in_time() -> None:
    # rp's papers go out the Tuesday before at 17:00: 9 March 17:00 for 11 March.
    kept = rec("C-1", papers_sent=datetime(2027, 3, 9, 16, 30))
    late = rec("C-2", papers_sent=datetime(2027, 3, 10, 9, 0))
    assert said(run("P15", kept, late)) == [
        ("error", "C-2", "papers sent 10/03/2027 09:00, after the papers-out time 09/03/2027 17:00")
    ]


def test_p16_deferral_reason() -> None:
    kept = rec("C-1", outcome="defer", deferral_reason="assessment outstanding")
    missing = rec("C-2", outcome="defer")
    tally = run("P16", kept, missing, columns=("outcome", "deferral_reason"))
    assert said(tally) == [("error", "C-2", "deferred without a recorded reason")]


def test_p17_before_court() -> None:
    kept = rec("C-1", request_type="SGO support", court_date=date(2027, 3, 20))
    late = rec("C-2", request_type="child arrangements", court_date=date(2027, 3, 11))
    assert said(run("P17", kept, late)) == [
        (
            "error",
            "C-2",
            "a child arrangements package heard 11/03/2027, not before the plan went to court "
            "on 11/03/2027",
        )
    ]


def test_p18_staying_put_by_the_end_of_year_11() -> None:
    kept = rec("C-1", request_type="Staying Put", year_11_ends=date(2027, 7, 16))
    late = rec("C-2", request_type="staying put", year_11_ends=date(2027, 3, 1))
    assert said(run("P18", kept, late)) == [
        ("error", "C-2", "Staying Put heard 11/03/2027, 10 days after year 11 ended on 01/03/2027")
    ]


def test_p19_iro_copied_in_at_a_significant_change() -> None:
    kept = rec("C-1", significant_change=True, iro_notified=True)
    missing = rec("C-2", significant_change=True, iro_notified=False)
    routine = rec("C-3", significant_change=False, iro_notified=False)
    tally = run("P19", kept, missing, routine)
    assert said(tally) == [("error", "C-2", "a significant change without the IRO notified")]
    assert counts(tally) == (2, 1, 1, 0)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("minutes_on_record_days", "three", "'three': expected a whole number like 3"),
        ("threshold_pounds", [500], "[500]: expected a number like 500"),
        (
            "decision_recorded_by_weekday",
            "Wed",
            "'Wed': expected a weekday, one of MO, TU, WE, TH, FR, SA, SU",
        ),
        ("review_date_required", "yes", "'yes': expected true or false"),
    ],
)
def test_bad_rule_parameters_are_refused(key: str, value: object, expected: str) -> None:
    from panelsched.errors import InputError
    from panelsched.validator.catalogue import check_rule_params

    model = {**RULE_MODEL, "panels": [{**RULE_MODEL["panels"][1], "rules": {key: value}}]}
    with pytest.raises(InputError) as caught:
        check_rule_params(Authority.model_validate(model), CATALOGUE)
    [problem] = caught.value.problems
    assert (problem.panel, problem.key, problem.message) == ("other", f"rules.{key}", expected)


@pytest.mark.parametrize("model", sorted(Path("models").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_shipped_models_rule_parameters_are_readable(model: Path) -> None:
    from panelsched.io.model_file import load_model
    from panelsched.validator.catalogue import check_rule_params

    check_rule_params(load_model(model), CATALOGUE)
