"""book_greedily: today's practice, first come, first served, the next sitting with room (CBC 9).

January 2027: the Resource Panel (crp) sits Thursdays 13:00-14:00 (four 15-minute slots, 20
for complex cases), cut-off the Monday before at 13:00; the Legal Planning Panel (lpp) sits the
same days 13:30-14:30; brk sits Wednesdays 10:00-11:10 with a 10:30-10:40 break, 20-minute
slots. Every plan is re-checked by the validator.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from panelsched.core.availability import Unavailability
from panelsched.core.plan import PinnedBooking, Plan
from panelsched.core.referrals import Referral
from panelsched.planner.greedy import book_greedily
from panelsched.planner.metrics import lateness
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import authority, referral

JAN6, JAN13 = date(2027, 1, 6), date(2027, 1, 13)
JAN7, JAN14, JAN21 = date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21)
MON4 = datetime(2027, 1, 4, 9, 0)

AUTHORITY = authority("crp", "lpp", "brk")


def problem(*referrals: Referral, **kwargs: Any) -> ProblemData:
    kwargs.setdefault("start", date(2027, 1, 4))
    kwargs.setdefault("end", date(2027, 2, 28))
    return build_problem(AUTHORITY, referrals, **kwargs)


def book(data: ProblemData, pinned_warnings: bool = False) -> Plan:
    """Book greedily and re-check the plan: only lateness (and, if allowed, warnings about
    pinned bookings) may be found, and lateness exactly for the bookings after their due date."""
    plan = book_greedily(data)
    findings = check_plan(data, plan)
    if pinned_warnings:
        findings = [f for f in findings if f.severity != "warning"]
    assert [f for f in findings if f.rule not in LATENESS_RULES] == []
    assert sorted(f.referral_id for f in findings) == sorted(lateness(data, plan))
    return plan


def dates(plan: Plan) -> dict[str, date]:
    return {rid: b.date for rid, b in plan.by_referral().items()}


def starts(plan: Plan) -> dict[str, str]:
    return {rid: f"{b.start:%H:%M}" for rid, b in plan.by_referral().items()}


def test_first_come_first_served_in_order_of_submission():
    # R1-R4 arrive Monday 09:00-09:03, U (urgent) at 09:30, R5 at 10:00. The first four take
    # 7 Jan in arrival order; the urgent case does not jump the queue and goes to 14 Jan.
    cases = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 5)]
    urgent = referral("U", MON4.replace(minute=30), priority="urgent")
    plan = book(problem(*cases, urgent, referral("R5", MON4.replace(hour=10))))
    assert starts(plan) == {
        "R1": "13:00",
        "R2": "13:15",
        "R3": "13:30",
        "R4": "13:45",
        "U": "13:00",
        "R5": "13:15",
    }
    assert dates(plan) == {"R1": JAN7, "R2": JAN7, "R3": JAN7, "R4": JAN7, "U": JAN14, "R5": JAN14}


def test_ties_in_submission_are_broken_by_referral_id():
    # Five cases submitted at the same moment: R1-R4 by id take 7 Jan, R5 goes to 14 Jan.
    plan = book(problem(*(referral(f"R{i}") for i in (5, 3, 1, 4, 2))))
    assert dates(plan)["R5"] == JAN14
    assert starts(plan)["R1"] == "13:00"


def test_early_routine_cases_push_a_cla_case_past_its_deadline():
    # C1 (CLA review 28 Jan: due 7 Jan) arrives after R1-R4: greedy gives it 14 Jan, 7 days late.
    cases = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 5)]
    data = problem(*cases, referral("C1", MON4.replace(hour=10), cla_review=date(2027, 1, 28)))
    plan = book(data)
    assert dates(plan)["C1"] == JAN14
    assert lateness(data, plan) == {"C1": 7}


def test_a_person_on_leave_is_booked_at_the_next_sitting():
    leave = Unavailability("TM-R1", datetime(2027, 1, 7), datetime(2027, 1, 14))
    plan = book(problem(referral("R1"), unavailability=[leave]))
    # Away Thursday 7 to Thursday 14 Jan: the next sitting is 21 Jan.
    assert dates(plan) == {"R1": JAN21}


def test_a_manager_at_two_overlapping_panels_waits_for_the_first_to_finish():
    # TM-X fills crp 13:00-14:00 (C1-C4, submitted first); L1 at lpp cannot start before 14:00.
    crp = [referral(f"C{i}", MON4.replace(minute=i), team_manager="TM-X") for i in range(1, 5)]
    lpp = referral("L1", MON4.replace(minute=10), panel="lpp", team_manager="TM-X")
    plan = book(problem(*crp, lpp))
    assert (dates(plan)["L1"], starts(plan)["L1"]) == (JAN7, "14:00")


def test_no_slot_runs_across_a_break():
    # Wed 6 Jan: 10:00-10:20, then the break (10:30-10:40) leaves 10:40-11:00; the third case
    # has no 20 minutes left and goes to 13 Jan at 10:00.
    plan = book(
        problem(*(referral(f"B{i}", MON4.replace(minute=i), panel="brk") for i in range(1, 4)))
    )
    assert [(dates(plan)[b], starts(plan)[b]) for b in ("B1", "B2", "B3")] == [
        (JAN6, "10:00"),
        (JAN6, "10:40"),
        (JAN13, "10:00"),
    ]


def test_part_day_leave_keeps_the_slot_out_of_that_time():
    # R1 (first in) has a social worker in training 13:00-13:30: 13:30 is its earliest slot.
    # R2 and R3 then take 13:00 and 13:15.
    training = Unavailability(
        "SW-R1", datetime(2027, 1, 7, 13, 0), datetime(2027, 1, 7, 13, 30), whole_days=False
    )
    cases = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 4)]
    plan = book(problem(*cases, unavailability=[training]))
    assert starts(plan) == {"R1": "13:30", "R2": "13:00", "R3": "13:15"}
    assert set(dates(plan).values()) == {JAN7}


def test_a_complex_case_takes_twenty_minutes_and_must_fit_whole():
    # R1-R3 (15 minutes each) take 13:00-13:45; X (complex, 20 minutes, in last) does not fit
    # the 15 minutes left and goes to 14 Jan 13:00-13:20.
    cases = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 4)]
    plan = book(problem(*cases, referral("X", MON4.replace(minute=9), complex=True)))
    x = plan.by_referral()["X"]
    assert (x.date, x.start, x.end) == (JAN14, time(13, 0), time(13, 20))


def test_pinned_bookings_are_kept_and_the_rest_fit_around_them():
    # P1 and P2 (TM-X) were both booked at 13:30 on 7 Jan, at crp and lpp: kept as they are
    # (the validator warns). R1 and R2 take crp's free 13:00 and 13:15.
    data = problem(
        referral("P1", team_manager="TM-X"),
        referral("P2", panel="lpp", team_manager="TM-X"),
        referral("R1"),
        referral("R2"),
        pinned=[
            PinnedBooking("P1", JAN7, time(13, 30)),
            PinnedBooking("P2", JAN7, time(13, 30)),
        ],
    )
    plan = book(data, pinned_warnings=True)
    assert starts(plan) == {"P1": "13:30", "P2": "13:30", "R1": "13:00", "R2": "13:15"}
    assert {rid for rid, b in plan.by_referral().items() if b.pinned} == {"P1", "P2"}


def test_what_finds_no_room_in_range_is_unplaced():
    # Range 4-14 Jan: two crp sittings, eight slots, nine cases. The last in is unplaced.
    cases = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 10)]
    plan = book(problem(*cases, end=JAN14))
    assert (len(plan.bookings), plan.unplaced) == (8, ("R9",))


def test_the_same_input_gives_the_same_plan():
    cases = [referral(f"R{i}", MON4.replace(minute=i % 3)) for i in range(1, 12)]
    assert book_greedily(problem(*cases)) == book_greedily(problem(*reversed(cases)))
