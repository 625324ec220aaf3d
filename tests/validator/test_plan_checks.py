"""check_plan: each scheduling rule with a plan that keeps it and one that breaks it.

Dates are March 2027 (see conftest): crp sits Thursdays 13:00-15:00 with a 14:00-14:10 break,
cut-off the Monday before at 13:00.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from panelsched.core.availability import Unavailability
from panelsched.core.plan import PinnedBooking
from panelsched.validator import LATENESS_RULES, Finding, audit_plan, check_plan

MAR4, MAR11, MAR18 = date(2027, 3, 4), date(2027, 3, 11), date(2027, 3, 18)


def messages(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.referral_id, f.message) for f in findings]


def test_importing_the_validator_does_not_import_ortools() -> None:
    code = "import sys, panelsched.validator; print('ortools' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_plan_keeping_every_rule_has_no_findings(problem_of, plan_of, referral, booking):
    # Two cases of the same SW back to back at the first sitting after submission.
    problem = problem_of(referral("C-1"), referral("C-2"))
    plan = plan_of(booking("C-1"), booking("C-2", start="13:15", end="13:30"))
    assert check_plan(problem, plan) == []


def test_findings_are_frozen_and_cite_their_source(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1"))
    [finding] = check_plan(problem, plan_of(booking("C-1", panel="lpp", end="13:30")))
    assert finding == Finding(
        "S1",
        "error",
        "lpp",
        "C-1",
        "lpp@2027-03-04",
        "referred to crp but booked at lpp",
        # The test model names no source, so it adopts no council's rule: a general rule.
        "general rule (PBO, LAM)",
    )
    with pytest.raises(AttributeError):
        finding.rule = "S2"  # type: ignore[misc]


# --- integrity ------------------------------------------------------------------------------


def test_a_referral_booked_twice(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1"), booking("C-1", day=MAR11))
    assert (
        "PLAN",
        "C-1",
        "booked 2 times (crp 04/03/2027 13:00, crp 11/03/2027 13:00); at most once",
    ) in messages(check_plan(problem, plan))


@pytest.mark.parametrize(
    ("bookings", "unplaced", "expected"),
    [
        (["C-1"], ("C-1",), "both booked and listed unplaced; it must be exactly one of the two"),
        ([], (), "neither booked nor listed unplaced"),
        ([], ("C-1", "C-1"), "listed unplaced 2 times"),
    ],
)
def test_booked_or_unplaced_exactly_once(
    problem_of, plan_of, referral, booking, bookings, unplaced, expected
):
    problem = problem_of(referral("C-1"))
    plan = plan_of(*(booking(rid) for rid in bookings), unplaced=unplaced)
    assert messages(check_plan(problem, plan)) == [("PLAN", "C-1", expected)]


def test_a_booking_for_an_unknown_referral(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1"), booking("C-9", start="13:15", end="13:30"))
    assert messages(check_plan(problem, plan)) == [
        ("PLAN", "C-9", "booked but not in the referrals")
    ]


def test_a_pinned_booking_keeps_its_date_and_time(problem_of, plan_of, referral, booking):
    pin = PinnedBooking("C-1", MAR11, datetime(2027, 3, 11, 13, 30).time())
    problem = problem_of(referral("C-1"), pinned=(pin,))
    kept = plan_of(booking("C-1", day=MAR11, start="13:30", end="13:45", pinned=True))
    assert check_plan(problem, kept) == []
    moved = plan_of(booking("C-1", day=MAR11, pinned=True))
    assert messages(check_plan(problem, moved)) == [
        ("PLAN", "C-1", "pinned at crp 11/03/2027 13:30 but the plan has crp 11/03/2027 13:00")
    ]


def test_nothing_booked_outside_the_planning_range(problem_of, plan_of, referral, booking):
    # The range is 1-31 March; 1 April is a Thursday crp sitting outside it.
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1", day=date(2027, 4, 1)))
    assert messages(check_plan(problem, plan)) == [
        (
            "PLAN",
            "C-1",
            "booked on 01/04/2027, outside the planning range 01/03/2027 to 31/03/2027",
        )
    ]


# --- S1 ---------------------------------------------------------------------------------------


def test_s1_booked_on_a_day_the_panel_does_not_sit(problem_of, plan_of, referral, booking):
    # 10 March 2027 is a Wednesday; crp sits on Thursdays.
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1", day=date(2027, 3, 10)))
    assert messages(check_plan(problem, plan)) == [("S1", "C-1", "crp does not sit on 10/03/2027")]


def test_s1_booked_at_a_panel_the_model_does_not_have(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1", panel="nope"))
    assert messages(check_plan(problem, plan)) == [
        ("S1", "C-1", "booked at 'nope', a panel the model does not have")
    ]


# --- S2 ---------------------------------------------------------------------------------------

LATE = datetime(2027, 3, 8, 15, 0)  # after the 11 March cut-off (8 March 13:00)


def test_s2_late_submission_without_permission(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", submitted=LATE))
    plan = plan_of(booking("C-1", day=MAR11))
    assert messages(check_plan(problem, plan)) == [
        (
            "S2",
            "C-1",
            "submitted 08/03/2027 15:00, after the cut-off 08/03/2027 13:00 for the sitting on "
            "11/03/2027; no late permission was recorded",
        )
    ]
    # Keeping it: the next sitting, whose cut-off (15 March 13:00) it met.
    assert check_plan(problem, plan_of(booking("C-1", day=MAR18))) == []


def test_s2_late_permission_opens_the_first_sitting(problem_of, plan_of, referral, booking):
    # Submitted 8 March 15:00, after the 11 March cut-off, with the chair's permission: the
    # 11 March sitting is open to it.
    problem = problem_of(referral("C-1", submitted=LATE, late_permission=True))
    assert check_plan(problem, plan_of(booking("C-1", day=MAR11))) == []


def test_s2_no_late_applications_at_swindon(problem_of, plan_of, referral, booking):
    # care's cut-off for Thursday 11 March is Wednesday 10 March 17:00.
    problem = problem_of(
        referral("C-1", panel="care", submitted=datetime(2027, 3, 10, 18, 0), late_permission=True)
    )
    plan = plan_of(booking("C-1", panel="care", day=MAR11, start="09:30", end="09:45"))
    assert messages(check_plan(problem, plan)) == [
        (
            "S2",
            "C-1",
            "submitted 10/03/2027 18:00, after the cut-off 10/03/2027 17:00 for the sitting on "
            "11/03/2027; this panel accepts no late applications",
        )
    ]


def test_s2_heard_before_it_was_submitted(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", submitted=datetime(2027, 3, 5, 9, 0)))
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR4)))) == [
        ("S2", "C-1", "submitted 05/03/2027 09:00, after the sitting on 04/03/2027 had begun")
    ]


# --- S3, S4 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("14:50", "15:05", "slot 14:50-15:05 runs outside the 13:00-15:00 window"),
        ("13:55", "14:10", "slot 13:55-14:10 runs into the 14:00-14:10 break"),
        ("13:00", "13:20", "slot 13:00-13:20 is 20 minutes; a case at crp needs 15"),
    ],
)
def test_s3_a_whole_slot_inside_the_window(
    problem_of, plan_of, referral, booking, start, end, expected
):
    problem = problem_of(referral("C-1"))
    plan = plan_of(booking("C-1", start=start, end=end))
    assert messages(check_plan(problem, plan)) == [("S3", "C-1", expected)]


def test_s3_slots_of_one_sitting_do_not_overlap(problem_of, plan_of, referral, booking):
    # Different people, so only the sitting's slots clash: 13:10 < 13:15.
    problem = problem_of(
        referral("C-1"), referral("C-2", social_worker="SW-02", team_manager="TM-02")
    )
    plan = plan_of(booking("C-1"), booking("C-2", start="13:10", end="13:25"))
    assert messages(check_plan(problem, plan)) == [
        ("S3", "C-2", "slot 13:10-13:25 overlaps C-1's slot 13:00-13:15")
    ]


def test_s4_a_complex_case_needs_the_longer_slot(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", complex=True))
    assert check_plan(problem, plan_of(booking("C-1", end="13:20"))) == []
    assert messages(check_plan(problem, plan_of(booking("C-1")))) == [
        ("S4", "C-1", "slot 13:00-13:15 is 15 minutes; a complex case at crp needs 20")
    ]


def test_slot_lengths_not_known_are_not_checked(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", complex=True))
    tallies = audit_plan(problem, plan_of(booking("C-1")), slot_lengths_known=False)
    assert (tallies["S4"].checked, tallies["S4"].not_checked, tallies["S4"].findings) == (0, 1, [])


# --- S5 ---------------------------------------------------------------------------------------


def test_s5_one_manager_at_two_panels_at_once(problem_of, plan_of, referral, booking):
    # TM-01 presents C-1 at crp 13:00-13:15 and C-2 at lpp 13:00-13:30 on the same day.
    problem = problem_of(referral("C-1"), referral("C-2", panel="lpp", social_worker="SW-02"))
    plan = plan_of(booking("C-1"), booking("C-2", panel="lpp", end="13:30"))
    assert messages(check_plan(problem, plan)) == [
        (
            "S5",
            "C-2",
            "TM-01 is booked in two places at once: C-1 at crp 13:00-13:15 and C-2 at lpp "
            "13:00-13:30",
        )
    ]
    # At 13:15 the manager is free again.
    fine = plan_of(booking("C-1"), booking("C-2", panel="lpp", start="13:15", end="13:45"))
    assert check_plan(problem, fine) == []


def test_s5_nobody_booked_on_leave(problem_of, plan_of, referral, booking):
    leave = Unavailability("SW-01", datetime(2027, 3, 4), datetime(2027, 3, 5))
    problem = problem_of(referral("C-1"), away=(leave,))
    assert messages(check_plan(problem, plan_of(booking("C-1")))) == [
        ("S5", "C-1", "SW-01 is unavailable (all day) but booked 04/03/2027 13:00-13:15")
    ]


def test_s5_part_day_leave(problem_of, plan_of, referral, booking):
    # Away 13:00-14:00 on 4 March: a 13:00 slot clashes, a 14:10 slot does not.
    court = Unavailability(
        "TM-01", datetime(2027, 3, 4, 13, 0), datetime(2027, 3, 4, 14, 0), whole_days=False
    )
    problem = problem_of(referral("C-1"), away=(court,))
    assert messages(check_plan(problem, plan_of(booking("C-1")))) == [
        (
            "S5",
            "C-1",
            "TM-01 is unavailable (04/03/2027 13:00 to 04/03/2027 14:00) but booked "
            "04/03/2027 13:00-13:15",
        )
    ]
    assert check_plan(problem, plan_of(booking("C-1", start="14:10", end="14:25"))) == []


def test_a_pinned_booking_on_leave_is_a_warning(problem_of, plan_of, referral, booking):
    leave = Unavailability("SW-01", datetime(2027, 3, 11), datetime(2027, 3, 11))
    pin = PinnedBooking("C-1", MAR11, datetime(2027, 3, 11, 13, 0).time())
    problem = problem_of(referral("C-1"), away=(leave,), pinned=(pin,))
    [finding] = check_plan(problem, plan_of(booking("C-1", day=MAR11, pinned=True)))
    assert (finding.rule, finding.severity) == ("S5", "warning")


# --- S6, S7, S8, S9, S14 ----------------------------------------------------------------------


def test_s6_three_weeks_before_the_cla_review(problem_of, plan_of, referral, booking):
    # CLA review 23 March: the last sitting in time is on or before 2 March (23 - 21), so
    # 11 March is 12 days before the review; 4 March is late too (19 days).
    problem = problem_of(referral("C-1", cla_review=date(2027, 3, 23)))
    [finding] = check_plan(problem, plan_of(booking("C-1", day=MAR11)))
    assert (finding.rule, finding.message, finding.source) == (
        "S6",
        "heard 11/03/2027, 12 days before the CLA review on 23/03/2027; needs 21",
        "general rule (CBC 6)",
    )
    # A review on 1 April allows 11 March (exactly 21 days before).
    problem = problem_of(referral("C-1", cla_review=date(2027, 4, 1)))
    assert check_plan(problem, plan_of(booking("C-1", day=MAR11))) == []


def test_s6_cp_review(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", cp_review=date(2027, 3, 20)))
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR4)))) == [
        ("S6", "C-1", "heard 04/03/2027, 16 days before the CP review on 20/03/2027; needs 21")
    ]


def test_s7_heard_by_the_review_by_date(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", review_by=date(2027, 3, 8)))
    assert check_plan(problem, plan_of(booking("C-1", day=MAR4))) == []
    # 11 March is 3 days after 8 March.
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR11)))) == [
        ("S7", "C-1", "heard 11/03/2027, 3 days after the review-by date 08/03/2027")
    ]


def test_s8_before_the_contract_ends_and_not_too_early(problem_of, plan_of, referral, booking):
    # Contract ends 11 March: 11 March is too late; 8 weeks before is 14 January.
    problem = problem_of(referral("C-1", contract_end=MAR11))
    assert check_plan(problem, plan_of(booking("C-1", day=MAR4))) == []
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR11)))) == [
        (
            "S8",
            "C-1",
            "heard 11/03/2027, on or after the contract end 11/03/2027; must be heard before it",
        )
    ]
    # Contract ends 13 May: the earliest date is 18 March (13 May less 56 days), so 11 March is
    # 63 days ahead.
    problem = problem_of(referral("C-1", contract_end=date(2027, 5, 13)))
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR11)))) == [
        (
            "S8",
            "C-1",
            "heard 11/03/2027, 63 days before the contract ends on 13/05/2027; not more than 56 "
            "(8 weeks) ahead",
        )
    ]


def test_s9_an_emergency_ratified_at_the_next_sitting(problem_of, plan_of, referral, booking):
    # Emergency decided Tuesday 2 March 10:00, after the 4 March cut-off (Mon 1 March 13:00):
    # an emergency has late permission (S2), so the next sitting, 4 March, ratifies it.
    problem = problem_of(
        referral("C-1", submitted=datetime(2027, 3, 2, 10, 0), priority="emergency")
    )
    assert check_plan(problem, plan_of(booking("C-1", day=MAR4))) == []
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR11)))) == [
        (
            "S9",
            "C-1",
            "heard 11/03/2027; the emergency decision of 02/03/2027 had to be ratified at the "
            "next sitting, 04/03/2027",
        )
    ]


def test_s9_counts_from_the_decision_not_the_planning_range(problem_of, plan_of, referral, booking):
    # Decided Tue 2 March; the plan starts Fri 5 March, after the 4 March sitting sat. The
    # decision lapsed on 4 March unratified: 11 March is late (the planner's due date is
    # 4 March too, so it marks the same booking late).
    problem = problem_of(
        referral("C-1", submitted=datetime(2027, 3, 2, 10, 0), priority="emergency"),
        start=date(2027, 3, 5),
    )
    assert problem.due_date(0) == MAR4
    [finding] = check_plan(problem, plan_of(booking("C-1", day=MAR11)))
    assert (finding.rule, finding.severity, finding.message) == (
        "S9",
        "error",
        "heard 11/03/2027; the emergency decision of 02/03/2027 had to be ratified at the next "
        "sitting, 04/03/2027",
    )


def test_s9_someone_away_does_not_move_the_ratification(problem_of, plan_of, referral, booking):
    # SW-01 is away all of Thursday 4 March: the case can first be heard on 11 March, but the
    # decision of Tue 2 March lapsed on 4 March (S9), so 11 March is late, as the planner says.
    away = Unavailability("SW-01", datetime(2027, 3, 4), datetime(2027, 3, 4))
    problem = problem_of(
        referral("C-1", submitted=datetime(2027, 3, 2, 10, 0), priority="emergency"),
        away=(away,),
    )
    assert problem.due_date(0) == MAR4
    assert [f.rule for f in check_plan(problem, plan_of(booking("C-1", day=MAR11)))] == ["S9"]


def test_s9_where_no_late_papers_are_taken_the_first_cutoff_met_ratifies(
    problem_of, plan_of, referral, booking
):
    # care takes no late papers; its cut-off is the Wednesday before at 17:00. Decided Thu 11
    # March 08:00, after 11 March's cut-off (Wed 10 March 17:00): the first opportunity is
    # 18 March (cut-off Wed 17 March 17:00, met).
    problem = problem_of(
        referral("C-1", panel="care", submitted=datetime(2027, 3, 11, 8, 0), priority="emergency")
    )
    assert problem.due_date(0) == MAR18
    assert (
        check_plan(
            problem, plan_of(booking("C-1", day=MAR18, panel="care", start="09:30", end="09:45"))
        )
        == []
    )


def test_s14_a_deadline_set_for_the_case(problem_of, plan_of, referral, booking):
    problem = problem_of(referral("C-1", deadline=date(2027, 3, 5)))
    assert messages(check_plan(problem, plan_of(booking("C-1", day=MAR11)))) == [
        ("S14", "C-1", "heard 11/03/2027, 6 days after its deadline 05/03/2027")
    ]


def test_lateness_findings_name_exactly_the_late_bookings(problem_of, plan_of, referral, booking):
    referrals = [
        referral("C-1", cla_review=date(2027, 3, 23)),
        referral("C-2", review_by=date(2027, 3, 20), social_worker="SW-02"),
        referral("C-3", deadline=date(2027, 3, 1), social_worker="SW-03"),
        referral("C-4", social_worker="SW-04"),
    ]
    problem = problem_of(*referrals)
    plan = plan_of(
        booking("C-1", day=MAR11),
        booking("C-2", day=MAR18),
        booking("C-3", day=MAR4),
        unplaced=("C-4",),
    )
    # C-1 (CLA) and C-3 (deadline) are late; C-2 on its review-by date is in time.
    index = problem.referral_index()
    late = {
        b.referral_id
        for b in plan.bookings
        if problem.is_late(index[b.referral_id], problem.sitting_index()[b.sitting_id])
    }
    findings = check_plan(problem, plan)
    assert {f.referral_id for f in findings if f.rule in LATENESS_RULES} == late == {"C-1", "C-3"}
    assert [f for f in findings if f.rule not in LATENESS_RULES] == []
