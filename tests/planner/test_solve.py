"""solve(): each scheduling rule on a tiny instance whose optimal plan is worked out by hand.

Calendar (see conftest): the Resource Panel (crp) sits Thursdays 13:00-14:00 with four
15-minute slots; a complex case takes 20 minutes. Its cut-off is the Monday before at 13:00, so
a referral submitted Monday 4 Jan 09:00 can go to Thursday 7 Jan (wait 3 days), one submitted
Tuesday 5 Jan only to Thursday 14 Jan. A CLA review on Thursday 28 Jan makes 7 Jan the last
sitting in time (28 Jan - 21 days = 7 Jan). Every plan is re-checked by the validator.
"""

from __future__ import annotations

import importlib
import time as clock_module
from datetime import date, datetime, time

import pytest

from panelsched.exports.plan_files import write_plan_files
from panelsched.io.model_file import load_model
from panelsched.planner import SecondsLimit, SolveParams, WorkLimit, solve
from panelsched.planner.explain import explain
from panelsched.planner.metrics import moves, over_ceiling, summarise
from panelsched.planner.params import GREEDY
from panelsched.planner.problem import build_problem
from panelsched.planner.result import Result
from panelsched.synthetic import generate_instance
from tests.helpers.builders import authority, panel

JAN6, JAN13 = date(2027, 1, 6), date(2027, 1, 13)
JAN7, JAN14, JAN21, JAN28 = (
    date(2027, 1, 7),
    date(2027, 1, 14),
    date(2027, 1, 21),
    date(2027, 1, 28),
)
FEB4 = date(2027, 2, 4)
MON4 = datetime(2027, 1, 4, 9, 0)
TUE5 = datetime(2027, 1, 5, 9, 0)
# A CLA review that makes Thursday 7 Jan the last sitting in time.
DUE_JAN7 = {"cla_review": date(2027, 1, 28)}
# A CLA review that makes Thursday 14 Jan the last sitting in time (4 Feb - 21 days).
DUE_JAN14 = {"cla_review": date(2027, 2, 4)}
LIMIT = 5.0


def dates(result: Result) -> dict[str, date]:
    return {rid: b.date for rid, b in result.plan.by_referral().items()}


def starts(result: Result) -> dict[str, str]:
    return {rid: f"{b.start:%H:%M}" for rid, b in result.plan.by_referral().items()}


def codes(problem, result: Result) -> dict[str, str]:
    return {e.referral_id: e.code for e in explain(problem, result.plan)}


def reasons(problem, result: Result) -> dict[str, str]:
    return {e.referral_id: e.reason for e in explain(problem, result.plan)}


def overlaps(a, b) -> bool:
    return a.date == b.date and a.start < b.end and b.start < a.end


# --- the case first come, first served gets wrong ---------------------------------------------


def test_greedy_fills_the_last_sitting_before_a_cla_deadline_and_the_solver_does_not(
    problem_of, referral, assert_valid
):
    # R1-R4 (routine, no due date) were submitted Monday 09:00-09:03, before C1 at 10:00,
    # whose CLA review on 28 Jan makes 7 Jan its last sitting in time.
    routine = [referral(f"R{i}", MON4.replace(minute=i)) for i in range(1, 5)]
    cla = referral("C1", MON4.replace(hour=10), **DUE_JAN7)
    problem = problem_of(*routine, cla)
    greedy = solve(problem, params=GREEDY)
    best = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, greedy)
    assert_valid(problem, best)
    # First come, first served: R1-R4 take 7 Jan's four slots, C1 goes to 14 Jan, 7 days late.
    assert dates(greedy) == {"R1": JAN7, "R2": JAN7, "R3": JAN7, "R4": JAN7, "C1": JAN14}
    assert (greedy.unplaced, greedy.late) == (0, 1)
    assert codes(problem, greedy) == {"C1": "sittings_full"}
    # The solver hears C1 on 7 Jan and moves one routine case to 14 Jan: nobody late, and the
    # same waiting, 4 x 3 days + 10 days = 22.
    assert dates(best)["C1"] == JAN7
    assert sorted(dates(best)[r.referral_id] for r in routine) == [JAN7, JAN7, JAN7, JAN14]
    assert (best.unplaced, best.late, best.objective) == (0, 0, 22)
    assert explain(problem, best.plan) == ()


def test_a_proven_plan_reports_its_bound_and_a_zero_gap(problem_of, referral, assert_valid):
    problem = problem_of(*(referral(f"R{i}") for i in range(1, 6)))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    # Five routine cases, four slots on 7 Jan: 4 x 3 + 10 = 22 days, and nothing can do better.
    assert (result.method, result.status) == ("cpsat", "optimal")
    assert result.objective == result.bound == 22
    assert result.gap == 0.0
    greedy = solve(problem, params=GREEDY)
    # Greedy proves nothing.
    assert (greedy.method, greedy.bound, greedy.gap) == ("greedy", None, None)


# --- S5: a person on leave --------------------------------------------------------------------


def test_a_person_on_leave_on_the_first_sitting_is_booked_at_the_next(
    problem_of, referral, away, assert_valid
):
    problem = problem_of(referral("R1"), unavailable=[away("SW-R1", JAN7)])
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    # Its social worker is on leave on Thursday 7 Jan: the next sitting is 14 Jan.
    assert dates(result) == {"R1": JAN14}


def test_leave_on_every_sitting_in_time_is_late_and_names_the_person(
    problem_of, referral, away, assert_valid
):
    # CLA review 11 Feb: last sitting in time 21 Jan. The team manager is away 7-21 Jan.
    case = referral("R1", cla_review=date(2027, 2, 11))
    problem = problem_of(case, unavailable=[away("TM-R1", JAN7, JAN21)])
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    # Every sitting up to 21 Jan is closed to it, so it is heard on 28 Jan, 7 days late.
    assert dates(result) == {"R1": JAN28}
    assert result.late == 1
    [why] = explain(problem, result.plan)
    assert (why.status, why.code) == ("late", "person_unavailable")
    assert "TM-R1 is unavailable on every Resource Panel sitting" in why.reason
    assert "07/01/2027, 14/01/2027, 21/01/2027" in why.reason


def test_a_case_is_offered_sittings_long_after_its_due_date(
    problem_of, referral, away, assert_valid
):
    # Due 7 Jan (CLA review 28 Jan), but its social worker is away 7 Jan to 25 Feb: the first
    # sitting it can attend is Thursday 4 Mar, eight sittings after its due date. Every
    # sitting is offered, so it is heard then, 56 days late, and the plan is proven optimal.
    case = referral("R1", **DUE_JAN7)
    problem = problem_of(
        case, unavailable=[away("SW-R1", JAN7, date(2027, 2, 25))], end=date(2027, 3, 31)
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"R1": date(2027, 3, 4)}
    assert result.late == 1
    assert result.status == "optimal"


def test_part_day_leave_is_planned_round_not_sent_back(
    problem_of, referral, away_part, assert_valid
):
    # TM-X trains 13:00-13:30 on 7 Jan, leaving two of crp's four slots for TM-X's three
    # cases: stage 1 books two on 7 Jan (13:30, 13:45) and one on 14 Jan at once, so stage 2
    # sends nothing back. Waits 3 + 3 + 10 days.
    cases = [referral(f"T{i}", team_manager="TM-X") for i in range(1, 4)]
    problem = problem_of(*cases, unavailable=[away_part("TM-X", JAN7, "13:00", "13:30")])
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    on_7th = sorted(starts(result)[r] for r, d in dates(result).items() if d == JAN7)
    assert on_7th == ["13:30", "13:45"]
    assert sorted(dates(result).values()) == [JAN7, JAN7, JAN14]
    assert result.objective == 16
    assert not any("retried" in note for note in result.notes)


# --- S5: one manager at two panels whose windows overlap ---------------------------------------


def test_a_manager_at_two_overlapping_panels_goes_to_the_second_after_the_first(
    problem_of, referral, assert_valid
):
    # TM-X presents C1-C4 at crp (13:00-14:00) and L1 at lpp (13:30-14:30), all on 7 Jan.
    # crp is full, so TM-X is busy 13:00-14:00; L1 can only start at 14:00.
    crp = [referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)]
    lpp = referral("L1", panel="lpp", team_manager="TM-X")
    problem = problem_of(*crp, lpp, panels=("crp", "lpp"))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert set(dates(result).values()) == {JAN7}
    assert sorted(starts(result)[c.referral_id] for c in crp) == [
        "13:00",
        "13:15",
        "13:30",
        "13:45",
    ]
    assert starts(result)["L1"] == "14:00"
    mine = list(result.plan.bookings)
    assert not any(overlaps(a, b) for i, a in enumerate(mine) for b in mine[i + 1 :])


def test_a_manager_at_two_overlapping_panels_goes_to_the_first_before_the_second(
    problem_of, referral, assert_valid
):
    # Now TM-X fills lpp with L1-L4 (13:30-14:30) and presents C1 at crp. C1 must end by
    # 13:30; packing from the start puts it at 13:00, while L1-L4 take 13:30-14:30.
    lpp = [referral(f"L{i}", panel="lpp", team_manager="TM-X") for i in range(1, 5)]
    crp = referral("C1", team_manager="TM-X")
    problem = problem_of(crp, *lpp, panels=("crp", "lpp"))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert set(dates(result).values()) == {JAN7}
    assert starts(result)["C1"] == "13:00"
    assert sorted(starts(result)[c.referral_id] for c in lpp) == [
        "13:30",
        "13:45",
        "14:00",
        "14:15",
    ]
    by_id = result.plan.by_referral()
    assert all(by_id["C1"].end <= by_id[c.referral_id].start for c in lpp)


# --- S3, S4: slots ----------------------------------------------------------------------------


def test_a_complex_case_takes_twenty_minutes_and_the_sitting_keeps_its_hour(
    problem_of, referral, assert_valid
):
    # X is complex (20 minutes) and due on 7 Jan; R1-R3 are routine. 20 + 3 x 15 = 65 > 60
    # minutes, so 7 Jan takes X and two routine cases (50 minutes) and one goes to 14 Jan.
    x = referral("X", complex=True, **DUE_JAN7)
    problem = problem_of(x, *(referral(f"R{i}") for i in range(1, 4)))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    by_id = result.plan.by_referral()
    slot = datetime.combine(JAN7, by_id["X"].end) - datetime.combine(JAN7, by_id["X"].start)
    assert (by_id["X"].date, slot.seconds // 60) == (JAN7, 20)
    assert sorted(dates(result)[f"R{i}"] for i in range(1, 4)) == [JAN7, JAN7, JAN14]
    # Packed from 13:00, the 50 minutes on 7 Jan end at 13:50.
    first_sitting = [b for b in result.plan.bookings if b.date == JAN7]
    assert min(b.start for b in first_sitting) == time(13, 0)
    assert max(b.end for b in first_sitting) == time(13, 50)
    # 3 + 3 + 3 + 10 waiting days.
    assert result.objective == 19


def test_no_slot_runs_across_a_break(problem_of, referral, assert_valid):
    # brk sits Wednesdays 10:00-11:10 with a 10:30-10:40 break: 60 minutes, room for three
    # 20-minute slots by minutes, but each 30-minute stretch either side of the break holds
    # one (10:00-10:20 and 10:40-11:00). Stage 1 counts whole slots per stretch (40 usable
    # minutes), so the third case goes to 13 Jan at once, with no booking sent back.
    cases = [referral(f"B{i}", panel="brk") for i in range(1, 4)]
    problem = problem_of(*cases, panels=("brk",))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    on_6th = sorted(starts(result)[r] for r, d in dates(result).items() if d == JAN6)
    assert on_6th == ["10:00", "10:40"]
    assert sorted(dates(result).values()) == [JAN6, JAN6, JAN13]
    assert not any("retried" in note for note in result.notes)


def test_part_day_leave_keeps_the_slot_out_of_that_time(
    problem_of, referral, away_part, assert_valid
):
    # R1's social worker is in training 13:00-13:30 on 7 Jan: R1 is heard that day from 13:30,
    # and R2, R3 take 13:00 and 13:15 (the sitting ends at 13:45, as early as it can).
    problem = problem_of(
        *(referral(f"R{i}") for i in range(1, 4)),
        unavailable=[away_part("SW-R1", JAN7, "13:00", "13:30")],
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert set(dates(result).values()) == {JAN7}
    assert starts(result)["R1"] == "13:30"
    assert sorted([starts(result)["R2"], starts(result)["R3"]]) == ["13:00", "13:15"]


# --- pinned bookings --------------------------------------------------------------------------


def test_a_pinned_case_keeps_its_date_and_time_and_others_fit_around_it(
    problem_of, referral, pin, assert_valid
):
    # P1 was booked earlier at 13:15 on 7 Jan; R1-R3 fill 13:00, 13:30 and 13:45.
    cases = [referral(f"R{i}") for i in range(1, 4)]
    problem = problem_of(referral("P1"), *cases, pinned=[pin("P1", JAN7, "13:15")])
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    by_id = result.plan.by_referral()
    assert (by_id["P1"].date, starts(result)["P1"], by_id["P1"].pinned) == (JAN7, "13:15", True)
    assert sorted(starts(result)[c.referral_id] for c in cases) == ["13:00", "13:30", "13:45"]
    assert set(dates(result).values()) == {JAN7}
    assert not any(by_id[c.referral_id].pinned for c in cases)


def test_a_pinned_case_is_kept_even_where_waiting_would_put_it_earlier(
    problem_of, referral, pin, assert_valid
):
    # P1 could go to 7 Jan (3 days), but it was booked for 21 Jan 13:45 and stays there.
    problem = problem_of(referral("P1"), pinned=[pin("P1", JAN21, "13:45")])
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result)["P1"], starts(result)["P1"]) == (JAN21, "13:45")
    assert result.objective == 17


@pytest.mark.parametrize("clash", ["two pins of one manager", "pin during training"])
def test_pins_that_clash_are_still_kept_and_the_day_is_still_used(
    problem_of, referral, pin, away_part, assert_valid, clash
):
    # Earlier bookings are kept whatever else changes, even when they now break a rule (the
    # validator warns about them). Either TM-X was booked at 13:30 at both crp and lpp, or
    # P1's social worker has since booked training 13:00-13:30 over P1's 13:00 slot. The
    # pins stay, and R1 and R2 are still heard on 7 Jan (13:00 and 13:15 are free at crp in
    # the first case; 13:15 and 13:30 in the second).
    if clash == "two pins of one manager":
        cases = [
            referral("P1", team_manager="TM-X"),
            referral("P2", panel="lpp", team_manager="TM-X"),
        ]
        pins = [pin("P1", JAN7, "13:30"), pin("P2", JAN7, "13:30")]
        leave = []
    else:
        cases = [referral("P1")]
        pins = [pin("P1", JAN7, "13:00")]
        leave = [away_part("SW-P1", JAN7, "13:00", "13:30")]
    problem = problem_of(
        *cases,
        referral("R1"),
        referral("R2"),
        panels=("crp", "lpp"),
        pinned=pins,
        unavailable=leave,
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result, pinned_warnings=True)
    kept = {(p.referral_id, p.date, f"{p.start:%H:%M}") for p in pins}
    assert {(b.referral_id, b.date, f"{b.start:%H:%M}") for b in result.plan.bookings} >= kept
    assert (dates(result)["R1"], dates(result)["R2"]) == (JAN7, JAN7)


# --- S2: cut-offs and late permission ---------------------------------------------------------


@pytest.mark.parametrize(
    ("panel", "permission", "expected"),
    [
        # Submitted Tue 5 Jan 09:00, after the Mon 4 Jan 13:00 cut-off for 7 Jan.
        ("crp", False, JAN14),
        # The chair agreed a late paper: 7 Jan, the first sitting whose cut-off it missed.
        ("crp", True, JAN7),
        # The Care Panel accepts no late applications: permission changes nothing.
        ("care", True, JAN14),
    ],
)
def test_late_permission_opens_the_sitting_whose_cut_off_was_missed(
    problem_of, referral, assert_valid, panel, permission, expected
):
    case = referral("L1", TUE5, panel=panel, late_permission=permission)
    problem = problem_of(case, panels=(panel,))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"L1": expected}


def test_late_permission_opens_only_the_first_sitting_not_the_others(
    problem_of, referral, assert_valid
):
    # hcp's cut-off is 8 days ahead at 17:00: 7 Jan closed Wed 30 Dec, 14 Jan closed Wed 6 Jan,
    # 21 Jan closes Wed 13 Jan. L1 arrives Thu 7 Jan 09:00 with permission: it may go to 7 Jan
    # (the first sitting after it) but not to 14 Jan, whose cut-off it also missed.
    # F1-F4 (submitted Tue 29 Dec, due 7 Jan) fill 7 Jan; taking one out would make it late.
    fillers = [
        referral(f"F{i}", datetime(2026, 12, 29, 9, 0), panel="hcp", **DUE_JAN7)
        for i in range(1, 5)
    ]
    late = referral("L1", datetime(2027, 1, 7, 9, 0), panel="hcp", late_permission=True)
    problem = problem_of(*fillers, late, panels=("hcp",))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    # 14 Jan is empty but closed to L1, so it waits for 21 Jan.
    assert dates(result)["L1"] == JAN21
    assert all(dates(result)[f.referral_id] == JAN7 for f in fillers)
    assert result.late == 0


# --- S8: contract ends ------------------------------------------------------------------------


def test_a_contract_end_is_not_heard_more_than_eight_weeks_before(
    problem_of, referral, assert_valid
):
    # Contract ends Fri 26 Mar: 56 days before is Fri 29 Jan, so the first sitting allowed is
    # Thu 4 Feb, although 7 Jan had room.
    problem = problem_of(referral("K1", contract_end=date(2027, 3, 26)))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"K1": FEB4}
    assert result.late == 0


def test_a_contract_end_is_in_time_only_before_the_end_date(
    problem_of, referral, away, assert_valid
):
    # Contract ends Thu 14 Jan: in time means by Wed 13 Jan, so 7 Jan. With the social worker
    # away on 7 Jan, 14 Jan (the end date itself) is the first it can make: heard, but late.
    case = referral("K1", contract_end=JAN14)
    free = problem_of(case)
    result = solve(free, WorkLimit(LIMIT))
    assert_valid(free, result)
    assert (dates(result), result.late) == ({"K1": JAN7}, 0)

    blocked = problem_of(case, unavailable=[away("SW-K1", JAN7)])
    result = solve(blocked, WorkLimit(LIMIT))
    assert_valid(blocked, result)
    assert (dates(result), result.late) == ({"K1": JAN14}, 1)
    assert codes(blocked, result) == {"K1": "person_unavailable"}


# --- S9: emergencies --------------------------------------------------------------------------


def test_an_emergency_is_ratified_at_the_first_sitting_even_when_it_is_full(
    problem_of, referral, assert_valid
):
    # E1's emergency decision was taken Tue 5 Jan, after 7 Jan's cut-off; it must be ratified at
    # the first sitting, 7 Jan, where R1-R4 (submitted Monday) would fill every slot. One
    # routine case moves to 14 Jan: no one late, waiting 2 x 3 (E1) + 3 x 3 + 10 = 25.
    cases = [referral(f"R{i}") for i in range(1, 5)]
    emergency = referral("E1", TUE5, priority="emergency")
    problem = problem_of(*cases, emergency)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result)["E1"] == JAN7
    assert sorted(dates(result)[c.referral_id] for c in cases) == [JAN7, JAN7, JAN7, JAN14]
    assert (result.late, result.objective) == (0, 25)


def test_an_emergency_whose_worker_is_away_is_late_as_the_validator_says(
    problem_of, referral, away, assert_valid
):
    # The decision of Tue 5 Jan lasts until the next sitting, 7 Jan (S9), whoever can attend.
    # Its social worker is away on 7 Jan, so the first sitting it can attend is 14 Jan: heard
    # then, 7 days late, and the validator's S9 finding names the same booking.
    problem = problem_of(
        referral("E1", TUE5, priority="emergency"), unavailable=[away("SW-E1", JAN7)]
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert problem.due_date(0) == JAN7
    assert (dates(result), result.late) == ({"E1": JAN14}, 1)
    assert codes(problem, result) == {"E1": "person_unavailable"}


def test_an_emergency_decided_before_the_plan_starts_is_late_as_the_validator_says(
    problem_of, referral, assert_valid
):
    # Decided Tue 5 Jan but planned from Fri 8 Jan, the day after its sitting (7 Jan) sat: the
    # plan can only hear it on 14 Jan, late, and both the planner and the validator say so.
    problem = problem_of(referral("E1", TUE5, priority="emergency"), start=date(2027, 1, 8))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result), result.late) == ({"E1": JAN14}, 1)
    assert codes(problem, result) == {"E1": "no_sitting"}


# --- S6: an impossible deadline, and sittings that are full -----------------------------------


def test_an_impossible_deadline_is_placed_late_as_early_as_possible_with_its_reason(
    problem_of, referral, assert_valid
):
    # CLA review Thu 14 Jan: in time means by Thu 24 Dec 2026, before it was even submitted.
    # It is still heard, at the first sitting it can make (7 Jan), 14 days late.
    problem = problem_of(referral("C1", cla_review=JAN14))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result), result.unplaced, result.late) == ({"C1": JAN7}, 0, 1)
    [why] = explain(problem, result.plan)
    assert (why.status, why.code) == ("late", "no_sitting")
    assert why.reason.startswith("Heard 07/01/2027, 14 days after 24/12/2026")
    assert "its due date 24/12/2026 (3 weeks before the CLA review on 14/01/2027)" in why.reason


def test_sittings_full_names_the_sittings_and_counts_cases_due_earlier(
    problem_of, referral, assert_valid
):
    # A1-A4 are due 7 Jan, B1-B5 due 14 Jan: nine cases, eight slots by 14 Jan, so one is late.
    # If an A were late, 7 Jan would take a B and 14 Jan could not take the other four Bs and
    # the A: two late. So the As fill 7 Jan, four Bs fill 14 Jan and one B goes to 21 Jan.
    a = [referral(f"A{i}", **DUE_JAN7) for i in range(1, 5)]
    b = [referral(f"B{i}", **DUE_JAN14) for i in range(1, 6)]
    problem = problem_of(*a, *b)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert all(dates(result)[x.referral_id] == JAN7 for x in a)
    assert sorted(dates(result)[x.referral_id] for x in b) == [JAN14] * 4 + [JAN21]
    # 4 x 3 + 4 x 10 + 17 waiting days.
    assert (result.late, result.objective) == (1, 69)
    [why] = explain(problem, result.plan)
    assert why.code == "sittings_full"
    # Of the 8 cases booked on 7 and 14 Jan, the 4 As had earlier due dates.
    assert ", on 07/01/2027, 14/01/2027, were full" in why.reason
    assert "4 of the 8 cases booked there had earlier due dates" in why.reason


# --- the objective ----------------------------------------------------------------------------


def test_an_urgent_case_weighs_three_times_and_takes_the_last_slot(
    problem_of, referral, assert_valid
):
    # F1-F3 (due 7 Jan) take three of 7 Jan's slots. Routine R (09:00) and urgent U (11:00)
    # want the last one: U there and R on 14 Jan waits 3 x 3 + 10 = 19 days weighted; the
    # other way round 3 + 3 x 10 = 33. Fillers: 3 x 3 = 9. Total 28.
    fillers = [referral(f"F{i}", MON4.replace(hour=8), **DUE_JAN7) for i in range(1, 4)]
    routine = referral("R", MON4)
    urgent = referral("U", MON4.replace(hour=11), priority="urgent")
    problem = problem_of(*fillers, routine, urgent)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result)["U"], dates(result)["R"]) == (JAN7, JAN14)
    assert result.objective == 28
    # First come, first served gives the slot to R: 9 + 3 + 30 = 42.
    greedy = solve(problem, params=GREEDY)
    assert_valid(problem, greedy)
    assert (dates(greedy)["R"], dates(greedy)["U"], greedy.objective) == (JAN7, JAN14, 42)


def test_fewer_unplaced_beats_fewer_late(problem_of, referral, away, assert_valid):
    # One case a sitting; the range has 7 and 14 Jan. A is due 7 Jan; B's social worker is
    # away on 14 Jan, so B can only go on 7 Jan. A on 7 Jan leaves B unplaced (0 late, 1
    # unplaced); B on 7 Jan and A on 14 Jan places both with A late: that wins.
    problem = problem_of(
        referral("A", panel="one", **DUE_JAN7),
        referral("B", panel="one"),
        panels=("one",),
        unavailable=[away("SW-B", JAN14)],
        end=JAN14,
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"B": JAN7, "A": JAN14}
    assert (result.unplaced, result.late) == (0, 1)


def _due_case_and_urgent_case(problem_of, referral):
    """One slot a sitting: A due 7 Jan, U urgent with no due date and submitted first."""
    return problem_of(
        referral("A", panel="one", **DUE_JAN7),
        referral("U", MON4.replace(hour=8), panel="one", priority="urgent"),
        panels=("one",),
    )


def test_fewer_late_beats_less_waiting(problem_of, referral, assert_valid):
    # One case a sitting. A (routine) is due 7 Jan; U is urgent with no due date and came in
    # first (08:00, so first come, first served would give it 7 Jan). A on 7 Jan: no one
    # late, waiting 3 + 3 x 10 = 33. U on 7 Jan: A late, waiting 3 x 3 + 10 = 19. No one late
    # wins although it waits longer.
    problem = _due_case_and_urgent_case(problem_of, referral)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"A": JAN7, "U": JAN14}
    assert (result.late, result.objective) == (0, 33)


# --- robustness and determinism ---------------------------------------------------------------


@pytest.mark.parametrize("broken", ["relax", "held"])
def test_the_fallbacks_still_keep_the_order_of_the_levels(
    problem_of, referral, assert_valid, monkeypatch, broken
):
    # The case of the test above, with the relaxation failing (CP-SAT solves each level over
    # every sitting) or with CP-SAT never finding a plan at the relaxation's levels (each
    # level is solved in turn from first come, first served): the answer is the same.
    search_module = importlib.import_module("panelsched.planner.cpsat.search")
    if broken == "relax":
        relaxation_module = importlib.import_module("panelsched.planner.cpsat.relaxation")
        monkeypatch.setattr(relaxation_module, "relax", lambda *args, **kw: None)
    else:
        real_run = search_module.run
        held = {"first": True}

        def no_plan_first(*args, **kwargs):
            if held.pop("first", False):
                return None
            return real_run(*args, **kwargs)

        monkeypatch.setattr(search_module, "run", no_plan_first)
    problem = _due_case_and_urgent_case(problem_of, referral)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"A": JAN7, "U": JAN14}
    assert (result.late, result.objective) == (0, 33)


def test_a_panel_with_no_sitting_in_range_leaves_its_referral_unplaced(
    problem_of, referral, assert_valid
):
    # Mon 4 to Wed 6 Jan holds no Thursday: nothing to book, and no exception.
    problem = problem_of(referral("R1"), end=JAN6)
    for method in ("cpsat", "greedy"):
        result = solve(problem, WorkLimit(LIMIT), SolveParams(method=method))
        assert_valid(problem, result)
        assert (result.plan.bookings, result.plan.unplaced) == ((), ("R1",))
        assert result.objective == 0
    [why] = explain(problem, result.plan)
    assert (why.status, why.code) == ("unplaced", "no_sitting")


def test_a_person_away_for_the_whole_range_leaves_the_referral_unplaced(
    problem_of, referral, away, assert_valid
):
    problem = problem_of(
        referral("R1"), referral("R2"), unavailable=[away("TM-R1", JAN7, date(2027, 2, 28))]
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    # R1 cannot attend any sitting; R2 is heard on 7 Jan as usual.
    assert (dates(result), result.plan.unplaced) == ({"R2": JAN7}, ("R1",))
    assert codes(problem, result) == {"R1": "person_unavailable"}


@pytest.fixture(scope="module")
def lambeth_instance():
    # 150 synthetic Lambeth referrals submitted over 8 weeks (seed 2): small, but with enough
    # contention that the solver beats first come, first served on waiting.
    authority = load_model("models/lambeth.yaml")
    referrals, leave = generate_instance(
        authority, date(2027, 1, 4), date(2027, 2, 28), count=150, seed=2
    )
    return build_problem(authority, referrals, leave)


def test_the_solver_is_never_worse_than_greedy(lambeth_instance, assert_valid):
    problem = lambeth_instance
    greedy = solve(problem, params=GREEDY)
    best = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, greedy)
    assert_valid(problem, best)
    # Lexicographic: unplaced, then late, then weighted waiting days.
    assert (best.unplaced, best.late, best.objective) <= (
        greedy.unplaced,
        greedy.late,
        greedy.objective,
    )
    assert best.bound is not None and best.bound <= best.objective


def test_same_input_same_plan_and_same_files(lambeth_instance, assert_valid, tmp_path):
    problem = lambeth_instance
    first = solve(problem, WorkLimit(LIMIT))
    second = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, first)
    assert first.plan == second.plan
    assert (first.objective, first.bound, first.status) == (
        second.objective,
        second.bound,
        second.status,
    )
    written = []
    for name, result in (("one", first), ("two", second)):
        paths = write_plan_files(
            tmp_path / name,
            problem,
            result.plan,
            explain(problem, result.plan),
            summarise(problem, result.plan),
        )
        written.append({p.name: p.read_bytes() for p in paths})
    assert written[0] == written[1]
    assert written[0]["bookings.csv"].count(b"\n") == len(first.plan.bookings) + 1


def test_several_workers_give_the_same_plan_every_time(lambeth_instance, assert_valid):
    # Interleaved search makes two workers as repeatable as one.
    first = solve(lambeth_instance, WorkLimit(LIMIT), SolveParams(workers=2))
    second = solve(lambeth_instance, WorkLimit(LIMIT), SolveParams(workers=2))
    assert_valid(lambeth_instance, first)
    assert first.plan == second.plan


# --------------------------------------------------------------------------- wait ceiling (S14)


def _one_panel(*referrals, **changes):
    # The Single Slot Panel: one 60-minute case each Thursday (7, 14, 21, 28 Jan ...).
    model = authority(panel("one", **changes))
    return build_problem(model, referrals, (), (), date(2027, 1, 4), date(2027, 2, 28))


def _ceiling_pair(referral):
    # R: routine, submitted Mon 28 Dec, so 7 Jan waits 10 days and 14 Jan 17.
    # U: urgent (counts three times), submitted Mon 4 Jan: 7 Jan waits 3, 14 Jan 10.
    return (
        referral("R", datetime(2026, 12, 28, 9, 0), panel="one"),
        referral("U", MON4, panel="one", priority="urgent"),
    )


def test_without_a_ceiling_the_urgent_case_goes_first_and_the_routine_one_waits(
    referral, assert_valid
):
    # U on 7 Jan, R on 14 Jan: 3 x 3 + 17 = 26 weighted days; the other way 10 + 3 x 10 = 40.
    problem = _one_panel(*_ceiling_pair(referral))
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result), result.objective) == ({"U": JAN7, "R": JAN14}, 26)


def test_a_wait_ceiling_comes_before_total_waiting(referral, assert_valid):
    # Ceiling 14 days, and V (routine, Mon 4 Jan 08:00) besides R and U: three cases, three
    # Thursdays (7, 14, 21 Jan), one at 21 Jan whatever happens. Days over the ceiling for the
    # case at 21 Jan: R 24 - 14 = 10, U 3 x 3 = 9, V 3. So V goes last; then R first (10
    # days, U 10) beats U first (R 17: 3 more over). Total 3 over, 10 + 3 x 10 + 17 = 57 days,
    # where least waiting alone (U first) would be 43 with 6 over; first come, first served
    # (R, V, U) has U 3 days over: 9.
    problem = _one_panel(
        *_ceiling_pair(referral),
        referral("V", datetime(2027, 1, 4, 8, 0), panel="one"),
        max_wait_days=14,
    )
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert (dates(result), result.objective) == ({"R": JAN7, "U": JAN14, "V": JAN21}, 57)
    assert over_ceiling(problem, result.plan) == {"V": 3}


def test_days_over_the_ceiling_are_weighted_and_reported(referral, assert_valid):
    # Ceiling 5 days. U first: R 17 days, 12 over. R first: R 10 (5 over) and U 10 (5 over,
    # counting three times: 15), 20 in all. So U first, and R is reported 12 days over.
    problem = _one_panel(*_ceiling_pair(referral), max_wait_days=5)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    assert dates(result) == {"U": JAN7, "R": JAN14}
    assert over_ceiling(problem, result.plan) == {"R": 12}
    explained = {e.referral_id: e for e in explain(problem, result.plan)}
    assert explained["R"].status == "over_ceiling"
    # A person reads: how long, how far past the ceiling, and what was in the way.
    assert explained["R"].reason == (
        "Waits 17 days, 12 beyond the Single Slot Panel's ceiling of 5 days: "
        "the only Single Slot Panel sitting it could attend before 14/01/2027, on 07/01/2027, "
        "was full: 0 of the 1 cases booked there had earlier due dates."
    )
    assert explained["R"].code == "sittings_full"


# --------------------------------------------------------------------------- fewest moves


def _six_booked(referral, pin):
    # P1-P4 were told 21 Jan (13:00, 13:15, 13:30, 13:45), P5-P6 28 Jan (13:00, 13:15); all
    # submitted Mon 4 Jan, so 7 and 14 Jan (empty) were open to them. N arrives Tue 12 Jan,
    # after the 11 Jan cut-off, and must be heard by 21 Jan: 21 Jan is its only sitting.
    people = [referral(f"P{n}") for n in range(1, 7)]
    told = [pin(f"P{n}", JAN21, f"13:{15 * (n - 1):02d}") for n in range(1, 5)]
    told += [pin("P5", JAN28, "13:00"), pin("P6", JAN28, "13:15")]
    new = referral("N", datetime(2027, 1, 12, 9, 0), deadline=JAN21)
    return [*people, new], told


def test_with_nothing_to_keep_waiting_moves_all_six_earlier(
    problem_of, referral, pin, assert_valid
):
    # Free to go anywhere, the six fill 7 Jan (4) and 14 Jan (2): 4 x 3 + 2 x 10 = 32 days.
    referrals, _told = _six_booked(referral, pin)
    problem = problem_of(*referrals)
    result = solve(problem, WorkLimit(LIMIT))
    assert_valid(problem, result)
    heard = dates(result)
    assert heard["N"] == JAN21
    assert sorted(heard[f"P{n}"] for n in range(1, 7)) == [JAN7] * 4 + [JAN14] * 2


def test_fewest_moves_comes_right_after_late_cases(problem_of, referral, pin, assert_valid):
    # N in time needs one of P1-P4 out of 21 Jan: one move at least. Moving it to 14 Jan or
    # 28 Jan is 7 days (7 Jan is 14); of those, 14 Jan waits less. The other five keep their
    # date and time, and N takes the slot the moved case left.
    referrals, told = _six_booked(referral, pin)
    problem = problem_of(*referrals)
    result = solve(problem, WorkLimit(LIMIT), preferred=told)
    assert_valid(problem, result)
    assert result.late == 0
    assert moves(result.plan, told) == {next(iter(moves(result.plan, told))): 7}
    (moved,) = moves(result.plan, told)
    kept = {p.referral_id: f"{p.start:%H:%M}" for p in told if p.referral_id != moved}
    assert {rid: starts(result)[rid] for rid in kept} == kept
    vacated = next(f"{p.start:%H:%M}" for p in told if p.referral_id == moved)
    assert (dates(result)[moved], dates(result)["N"], starts(result)["N"]) == (
        JAN14,
        JAN21,
        vacated,
    )


# --------------------------------------------------------------------------- time limit in seconds


def test_seconds_give_the_same_plan_every_time_and_say_so(lambeth_instance, assert_valid):
    # The work is fixed by the seconds and the problem's size alone, so two runs agree; this
    # small year is proven long before the cap, which therefore never cuts in.
    first = solve(lambeth_instance, SecondsLimit(120.0))
    second = solve(lambeth_instance, SecondsLimit(120.0))
    assert_valid(lambeth_instance, first)
    assert (first.plan, first.budget_units, first.capped) == (
        second.plan,
        second.budget_units,
        False,
    )
    assert first.late_bound is not None and first.late_bound <= first.late


def test_a_cap_already_passed_still_gives_a_valid_plan_and_says_so(lambeth_instance, assert_valid):
    # Started two minutes ago with one second to spend: every search is cut, the plan is the
    # starting point (no worse than first come, first served), and the result says so.
    result = solve(lambeth_instance, SecondsLimit(1.0, started=clock_module.perf_counter() - 120.0))
    greedy = solve(lambeth_instance, params=GREEDY)
    assert_valid(lambeth_instance, result)
    assert result.capped and any("wall-clock cap" in note for note in result.notes)
    assert (result.unplaced, result.late) <= (greedy.unplaced, greedy.late)
