"""explain: why a referral is unplaced or late, with a reason code and a sentence.

January 2027: the Resource Panel (crp) sits Thursdays 13:00-14:00 (four 15-minute slots),
cut-off the Monday before at 13:00. Plans are written by hand here, so the explanations are
tested apart from any solver; each plan is checked by the validator first.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from panelsched.core.availability import Unavailability
from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.core.referrals import Referral
from panelsched.planner.explain import Explanation, explain
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import PANELS, authority, referral

JAN7, JAN14, JAN21 = date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21)

AUTHORITY = authority("crp")


def problem(*referrals: Referral, **kwargs: Any) -> ProblemData:
    kwargs.setdefault("start", date(2027, 1, 4))
    kwargs.setdefault("end", date(2027, 2, 28))
    return build_problem(AUTHORITY, referrals, **kwargs)


def at(rid: str, day: date, start: str, pinned: bool = False) -> Booking:
    begin = time.fromisoformat(start)
    end = time(begin.hour + (begin.minute + 15) // 60, (begin.minute + 15) % 60)
    return Booking(day, begin, "crp", end, rid, pinned)


def plan(data: ProblemData, *bookings: Booking, unplaced: tuple[str, ...] = ()) -> Plan:
    """A hand-made plan that the validator finds fault with only for lateness."""
    made = Plan.of(bookings, unplaced)
    findings = check_plan(data, made)
    assert [f for f in findings if f.rule not in LATENESS_RULES and f.severity == "error"] == []
    return made


def away(person: str, first: date, last: date) -> Unavailability:
    return Unavailability(person, datetime.combine(first, time()), datetime.combine(last, time()))


def four_on(day: date, prefix: str = "F") -> list[Booking]:
    return [at(f"{prefix}{i}", day, f"13:{15 * (i - 1):02d}") for i in range(1, 5)]


# --- no_sitting ------------------------------------------------------------------------------


def test_a_deadline_before_any_sitting_is_late_with_no_sitting():
    # CLA review Thu 14 Jan: due Thu 24 Dec 2026, before it was submitted. Heard 7 Jan.
    data = problem(referral("C1", cla_review=JAN14))
    found = explain(data, plan(data, at("C1", JAN7, "13:00")))
    assert found == (
        Explanation(
            "C1",
            "late",
            "no_sitting",
            "Heard 07/01/2027, 14 days after 24/12/2026 (3 weeks before the CLA review on "
            "14/01/2027). Submitted 04/01/2027: no Resource Panel sitting whose cut-off it met "
            "falls on or before its due date 24/12/2026 (3 weeks before the CLA review on "
            "14/01/2027). The first sitting it could make is 07/01/2027.",
        ),
    )


def _with_14_jan_cancelled(submitted: datetime) -> ProblemData:
    """C1, CLA review Thu 4 Feb (due Thu 14 Jan), submitted then, with 14 Jan cancelled."""
    cancelled = authority(PANELS["crp"] | {"cancelled": [JAN14]})
    c1 = referral("C1", submitted, cla_review=date(2027, 2, 4))
    return build_problem(cancelled, [c1], start=date(2027, 1, 4), end=date(2027, 2, 28))


def test_a_cancelled_sitting_whose_cut_off_was_met_is_named_as_the_reason():
    # Submitted Mon 11 Jan 09:00, before 14 Jan's cut-off (Mon 11 Jan 13:00); CLA review Thu 4
    # Feb, so due Thu 14 Jan (21 days before). 14 Jan is cancelled: heard 21 Jan, 7 days late,
    # because of the cancellation, not because it "met no cut-off".
    data = _with_14_jan_cancelled(datetime(2027, 1, 11, 9, 0))
    assert [s.date for s in data.cancelled] == [JAN14]
    [why] = explain(data, plan(data, at("C1", JAN21, "13:00")))
    assert (why.status, why.code) == ("late", "sitting_cancelled")
    assert why.reason == (
        "Heard 21/01/2027, 7 days after 14/01/2027 (3 weeks before the CLA review on "
        "04/02/2027). Its Resource Panel sitting on 14/01/2027, whose cut-off it met, was "
        "cancelled, and no other sitting it could attend falls on or before its due date "
        "14/01/2027 (3 weeks before the CLA review on 04/02/2027). The first sitting it could "
        "make is 21/01/2027."
    )


def test_a_cancelled_sitting_whose_cut_off_was_missed_is_not_the_reason():
    # Submitted Tue 12 Jan, after 14 Jan's cut-off: the cancellation changed nothing for it.
    data = _with_14_jan_cancelled(datetime(2027, 1, 12, 9, 0))
    [why] = explain(data, plan(data, at("C1", JAN21, "13:00")))
    assert why.code == "no_sitting"
    assert "no Resource Panel sitting whose cut-off it met" in why.reason


def test_an_emergency_decided_before_the_plan_starts_says_its_date_had_passed():
    # Decided Tue 5 Jan, planned from Fri 8 Jan: the sitting that had to ratify it (7 Jan) sat
    # before the plan's first date, so 14 Jan is late and the reason says why.
    data = problem(
        referral("E1", datetime(2027, 1, 5, 9, 0), priority="emergency"), start=date(2027, 1, 8)
    )
    [why] = explain(data, plan(data, at("E1", JAN14, "13:00")))
    assert (why.status, why.code) == ("late", "no_sitting")
    assert why.reason == (
        "Heard 14/01/2027, 7 days after 07/01/2027 (ratification at the next sitting after the "
        "emergency decision of 05/01/2027). Its due date 07/01/2027 (ratification at the next "
        "sitting after the emergency decision of 05/01/2027) is before 08/01/2027, the first "
        "date it could be booked. The first sitting it could make is 14/01/2027."
    )


def test_a_first_allowed_date_after_the_due_date_is_no_sitting():
    # Not before Fri 15 Jan, deadline Sun 10 Jan: only 7 Jan is in time, and it is too early.
    data = problem(referral("R1", not_before=date(2027, 1, 15), deadline=date(2027, 1, 10)))
    [why] = explain(data, plan(data, at("R1", JAN21, "13:00")))
    assert (why.status, why.code) == ("late", "no_sitting")
    assert why.reason.endswith(
        "It may not be heard before 15/01/2027, which is after its due date 10/01/2027 "
        "(its deadline). The first sitting it could make is 21/01/2027."
    )


def test_no_sitting_in_the_range_is_unplaced_with_no_sitting():
    # 4-6 Jan holds no Thursday, and R1 has no due date: the range's end is the limit.
    data = problem(referral("R1"), end=date(2027, 1, 6))
    [why] = explain(data, plan(data, unplaced=("R1",)))
    assert why == Explanation(
        "R1",
        "unplaced",
        "no_sitting",
        "Submitted 04/01/2027: no Resource Panel sitting whose cut-off it met falls on or "
        "before the end of the planning range (06/01/2027).",
    )


# --- person_unavailable ----------------------------------------------------------------------


def test_one_person_away_on_every_sitting_in_time_is_named():
    # CLA review 11 Feb: due 21 Jan. SW-R1 is away 7-21 Jan; heard 28 Jan.
    data = problem(
        referral("R1", cla_review=date(2027, 2, 11)),
        unavailability=[away("SW-R1", JAN7, JAN21)],
    )
    [why] = explain(data, plan(data, at("R1", date(2027, 1, 28), "13:00")))
    assert (why.status, why.code) == ("late", "person_unavailable")
    assert why.reason == (
        "Heard 28/01/2027, 7 days after 21/01/2027 (3 weeks before the CLA review on "
        "11/02/2027). SW-R1 is unavailable on every Resource Panel sitting before its due "
        "date 21/01/2027 (3 weeks before the CLA review on 11/02/2027): 07/01/2027, "
        "14/01/2027, 21/01/2027."
    )


def test_two_people_away_on_different_sittings_are_both_named():
    # Due 14 Jan (CLA review 4 Feb). SW-R1 is away on the 7th, TM-R1 on the 14th.
    data = problem(
        referral("R1", cla_review=date(2027, 2, 4)),
        unavailability=[away("SW-R1", JAN7, JAN7), away("TM-R1", JAN14, JAN14)],
    )
    [why] = explain(data, plan(data, at("R1", JAN21, "13:00")))
    assert why.code == "person_unavailable"
    assert "SW-R1 and TM-R1 are unavailable on every Resource Panel sitting" in why.reason
    assert why.reason.endswith(": 07/01/2027, 14/01/2027.")


def test_a_long_list_of_sittings_is_cut_short():
    # Review by Thu 25 Feb: eight sittings in time (7 Jan to 25 Feb), SW-R1 away for all.
    # The first six are listed, then "and 2 more".
    data = problem(
        referral("R1", review_by=date(2027, 2, 25)),
        unavailability=[away("SW-R1", JAN7, date(2027, 2, 25))],
    )
    [why] = explain(data, plan(data, unplaced=("R1",)))
    assert (why.status, why.code) == ("unplaced", "person_unavailable")
    assert why.reason.endswith(
        "07/01/2027, 14/01/2027, 21/01/2027, 28/01/2027, 04/02/2027, 11/02/2027 and 2 more."
    )


# --- sittings_full ---------------------------------------------------------------------------


def test_sittings_full_counts_the_cases_with_earlier_due_dates():
    # A1-A4 due 7 Jan fill 7 Jan; B1-B4 due 14 Jan fill 14 Jan; B5, also due 14 Jan, is
    # heard 21 Jan. Of the 8 cases booked at its two sittings in time, the 4 As were due
    # earlier (the Bs on the same day are not earlier).
    due7 = [referral(f"A{i}", cla_review=date(2027, 1, 28)) for i in range(1, 5)]
    due14 = [referral(f"B{i}", cla_review=date(2027, 2, 4)) for i in range(1, 6)]
    data = problem(*due7, *due14)
    bookings = [*four_on(JAN7, "A"), *four_on(JAN14, "B"), at("B5", JAN21, "13:00")]
    [why] = explain(data, plan(data, *bookings))
    assert (why.referral_id, why.status, why.code) == ("B5", "late", "sittings_full")
    assert why.reason.endswith(
        "The 2 Resource Panel sittings it could attend before its due date 14/01/2027 (3 weeks "
        "before the CLA review on 04/02/2027), on 07/01/2027, 14/01/2027, were full: 4 of the 8 "
        "cases booked there had earlier due dates."
    )


def test_sittings_full_says_how_many_were_booked_before_this_plan():
    # F1-F4 were pinned on 7 Jan; R1 (due 7 Jan) is left unplaced.
    fillers = [referral(f"F{i}") for i in range(1, 5)]
    pins = [PinnedBooking(f"F{i}", JAN7, time(13, 15 * (i - 1))) for i in range(1, 5)]
    data = problem(*fillers, referral("R1", cla_review=date(2027, 1, 28)), pinned=pins, end=JAN7)
    [why] = explain(data, plan(data, *four_on(JAN7, "F"), unplaced=("R1",)))
    assert (why.status, why.code) == ("unplaced", "sittings_full")
    assert why.reason.endswith(
        "0 of the 4 cases booked there had earlier due dates, and 4 were booked before this plan."
    )


def test_one_full_sitting_is_singular():
    data = problem(
        *(referral(f"F{i}") for i in range(1, 5)), referral("R1", cla_review=date(2027, 1, 28))
    )
    [why] = explain(data, plan(data, *four_on(JAN7), at("R1", JAN14, "13:00")))
    assert "The only Resource Panel sitting it could attend" in why.reason
    assert ", on 07/01/2027, was full" in why.reason


# --- what is not explained -------------------------------------------------------------------


def test_cases_in_time_or_without_a_due_date_are_not_explained():
    # R1 has no due date (heard late in the range but never "late"); R2 is due 7 Jan and heard
    # then; R3 is late; R4 is unplaced. Explanations come in referral id order.
    data = problem(
        referral("R1"),
        referral("R2", cla_review=date(2027, 1, 28)),
        referral("R3", cla_review=date(2027, 1, 28)),
        referral("R4"),
        unavailability=[away("SW-R4", JAN7, date(2027, 2, 28))],
    )
    made = plan(
        data,
        at("R1", date(2027, 2, 25), "13:00"),
        at("R2", JAN7, "13:00"),
        at("R3", JAN14, "13:00"),
        unplaced=("R4",),
    )
    assert [(e.referral_id, e.status) for e in explain(data, made)] == [
        ("R3", "late"),
        ("R4", "unplaced"),
    ]


# --- presenter_busy --------------------------------------------------------------------------


def test_a_sitting_with_room_while_the_manager_presents_elsewhere_names_them():
    # TM-X presents L1-L4 at the Legal Planning Panel 13:30-14:30 on 7 Jan. The Resource Panel
    # sits 13:00-14:00 that day with C1 and C2 booked 13:00-13:30: 30 minutes free, room for
    # B's 15, but B (TM-X's, due 7 Jan) would clash with TM-X's legal cases. It is heard 14 Jan.
    two_panels = authority("crp", "lpp")
    legal = [referral(f"L{i}", panel="lpp", team_manager="TM-X") for i in range(1, 5)]
    data = build_problem(
        two_panels,
        [
            *legal,
            referral("C1"),
            referral("C2"),
            referral("B", team_manager="TM-X", cla_review=date(2027, 1, 28)),
        ],
        start=date(2027, 1, 4),
        end=date(2027, 2, 28),
    )
    # 13:30, 13:45, 14:00, 14:15 at the Legal Planning Panel, each for 15 minutes.
    slots = [(time(13, 30), time(13, 45)), (time(13, 45), time(14, 0))]
    slots += [(time(14, 0), time(14, 15)), (time(14, 15), time(14, 30))]
    at_legal = [Booking(JAN7, a, "lpp", b, f"L{i}") for i, (a, b) in enumerate(slots, start=1)]
    bookings = [
        *at_legal,
        at("C1", JAN7, "13:00"),
        at("C2", JAN7, "13:15"),
        at("B", JAN14, "13:00"),
    ]
    [why] = explain(data, plan(data, *bookings))
    assert (why.referral_id, why.status, why.code) == ("B", "late", "presenter_busy")
    assert why.reason.endswith(
        "The Resource Panel sitting on 07/01/2027 had room, but someone it needs was presenting "
        "at another panel then: TM-X at the Legal Planning Panel 13:30-14:30 on 07/01/2027."
    )
