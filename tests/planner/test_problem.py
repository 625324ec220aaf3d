"""build_problem: which sittings each referral may take, its due date, slot and pins.

January 2027: Thursdays are the 7th, 14th, 21st and 28th; 1 January (a Friday) is a bank
holiday. The Resource Panel (crp) sits Thursdays 13:00-14:00, its cut-off the Monday before at
13:00 (4, 11, 18, 25 Jan).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.availability import Unavailability
from panelsched.core.due import Due
from panelsched.core.plan import PinnedBooking
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.io.inputs import load_pinned
from panelsched.planner.problem import ProblemData, build_problem
from tests.helpers.builders import PANELS, authority, referral

JAN7, JAN14, JAN21, JAN28 = (
    date(2027, 1, 7),
    date(2027, 1, 14),
    date(2027, 1, 21),
    date(2027, 1, 28),
)
MON4 = datetime(2027, 1, 4, 9, 0)

# crp: Thursdays 13:00-14:00, cut-off Monday 13:00; care takes no late papers (SWI 5) and has
# no complex slot length; hcp's cut-off is 8 days ahead (7 Jan closes Wed 30 Dec 17:00, 14 Jan
# Wed 6 Jan, 21 Jan Wed 13 Jan).
AUTHORITY = authority("crp", "care", "hcp")


def problem(*referrals: Referral, **kwargs: Any) -> ProblemData:
    kwargs.setdefault("start", date(2027, 1, 4))
    kwargs.setdefault("end", date(2027, 1, 31))
    return build_problem(AUTHORITY, referrals, **kwargs)


def candidate_dates(data: ProblemData, rid: str = "R1") -> list[date]:
    r = data.referral_index()[rid]
    return [data.sittings[s].date for s in data.candidates[r]]


def sitting(data: ProblemData, panel: str, day: date) -> int:
    return data.sitting_index()[f"{panel}@{day.isoformat()}"]


def whole_days(person: str, first: date, last: date) -> Unavailability:
    return Unavailability(person, datetime.combine(first, time()), datetime.combine(last, time()))


# --- S2: cut-offs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "first"),
    [
        # Before the Monday 13:00 cut-off for 7 Jan.
        (datetime(2027, 1, 4, 9, 0), JAN7),
        # On the cut-off exactly: "submitted by the cut-off" includes it.
        (datetime(2027, 1, 4, 13, 0), JAN7),
        # A minute late: the next sitting.
        (datetime(2027, 1, 4, 13, 1), JAN14),
        # Thursday 7 Jan morning: 7 Jan's cut-off passed long ago.
        (datetime(2027, 1, 7, 9, 0), JAN14),
    ],
)
def test_a_referral_may_go_to_sittings_whose_cut_off_it_met(submitted, first):
    data = problem(referral(submitted=submitted))
    assert candidate_dates(data)[0] == first
    # Every later Thursday in January follows.
    assert candidate_dates(data) == [d for d in (JAN7, JAN14, JAN21, JAN28) if d >= first]


def test_the_cut_off_says_why_a_sitting_is_closed():
    data = problem(referral(submitted=datetime(2027, 1, 5, 9, 0)))
    why = data.exclusion(0, sitting(data, "crp", JAN7))
    assert why is not None
    assert (why.code, why.detail) == ("cutoff_passed", "its cut-off 04/01/2027 13:00 had passed")
    assert data.exclusion(0, sitting(data, "crp", JAN14)) is None


@pytest.mark.parametrize(
    ("panel", "submitted", "permission", "expected"),
    [
        # Tue 5 Jan, after 7 Jan's cut-off; permission opens 7 Jan.
        ("crp", datetime(2027, 1, 5, 9, 0), True, [JAN7, JAN14, JAN21, JAN28]),
        ("crp", datetime(2027, 1, 5, 9, 0), False, [JAN14, JAN21, JAN28]),
        # Thu 7 Jan 12:59, the sitting opens at 13:00: still the first sitting after it.
        ("crp", datetime(2027, 1, 7, 12, 59), True, [JAN7, JAN14, JAN21, JAN28]),
        # Thu 7 Jan 13:00: the sitting has begun; 14 Jan's cut-off is still ahead.
        ("crp", datetime(2027, 1, 7, 13, 0), True, [JAN14, JAN21, JAN28]),
        # The Care Panel accepts no late papers, whatever the chair agreed.
        ("care", datetime(2027, 1, 5, 9, 0), True, [JAN14, JAN21, JAN28]),
        # hcp, Thu 7 Jan 09:00: both 7 Jan (closed 30 Dec) and 14 Jan (closed 6 Jan) missed.
        # Permission opens the first of them only.
        ("hcp", datetime(2027, 1, 7, 9, 0), True, [JAN7, JAN21, JAN28]),
        ("hcp", datetime(2027, 1, 7, 9, 0), False, [JAN21, JAN28]),
    ],
)
def test_late_permission_opens_only_the_first_sitting_whose_cut_off_was_missed(
    panel, submitted, permission, expected
):
    data = problem(referral(submitted=submitted, panel=panel, late_permission=permission))
    assert candidate_dates(data) == expected


def test_late_permission_does_not_reopen_the_second_missed_cut_off():
    data = problem(
        referral(submitted=datetime(2027, 1, 7, 9, 0), panel="hcp", late_permission=True)
    )
    why = data.exclusion(0, sitting(data, "hcp", JAN14))
    assert why is not None and why.code == "cutoff_passed"


# --- S9: emergencies -------------------------------------------------------------------------


def test_an_emergency_is_due_at_the_next_sitting_after_the_decision():
    # Decision taken Tue 5 Jan, after 7 Jan's cut-off: treated as late permission, so 7 Jan.
    data = problem(referral(submitted=datetime(2027, 1, 5, 9, 0), priority="emergency"))
    assert candidate_dates(data)[0] == JAN7
    assert data.due == (Due(JAN7, "S9", "emergency", date(2027, 1, 5)),)
    assert data.due[0].reason == (
        "ratification at the next sitting after the emergency decision of 05/01/2027"
    )


def test_an_emergency_dated_on_a_sitting_day_is_ratified_at_the_next_sitting():
    # Submitted Thu 7 Jan with a date only: the validator reads a decision with a date only as
    # taken after that day's sitting (S9), so 7 Jan is closed to it and it is due on 14 Jan.
    # Before, it was due and booked on 7 Jan, which the validator then called "not after the
    # emergency decision of 07/01/2027".
    data = problem(referral(submitted=datetime(2027, 1, 7), priority="emergency"))
    assert candidate_dates(data)[0] == JAN14
    assert data.due == (Due(JAN14, "S9", "emergency", JAN7),)
    why = data.exclusion(0, sitting(data, "crp", JAN7))
    assert why is not None and why.detail == "sits before the emergency decision was taken"


def test_an_emergency_whose_worker_is_away_is_still_due_at_the_next_sitting():
    # The decision lasts only until the next sitting (S9), 7 Jan, whoever can attend it: the
    # worker's leave closes 7 Jan to the case (it can first go on 14 Jan, late) but does not
    # move the due date.
    data = problem(
        referral(submitted=datetime(2027, 1, 5, 9, 0), priority="emergency"),
        unavailability=[whole_days("SW-R1", JAN7, JAN7)],
    )
    assert (data.due_date(0), candidate_dates(data)[0]) == (JAN7, JAN14)


def test_an_emergency_decided_before_the_planning_range_is_due_before_it():
    # Decided Tue 5 Jan; the plan starts Fri 8 Jan, the day after its sitting (7 Jan) had sat.
    # It is still due on 7 Jan: whatever the plan books (14 Jan at the earliest) is late.
    data = problem(
        referral(submitted=datetime(2027, 1, 5, 9, 0), priority="emergency"),
        start=date(2027, 1, 8),
    )
    assert (data.due_date(0), candidate_dates(data)[0]) == (JAN7, JAN14)


def test_an_emergency_where_no_late_papers_are_taken_is_due_at_the_first_cutoff_it_met():
    # care takes no late papers (SWI 5): a decision on Tue 5 Jan missed 7 Jan's cut-off (Mon 4
    # Jan 13:00), so the first opportunity is 14 Jan (cut-off Mon 11 Jan 13:00).
    data = problem(
        referral(submitted=datetime(2027, 1, 5, 9, 0), priority="emergency", panel="care")
    )
    assert (data.due_date(0), candidate_dates(data)[0]) == (JAN14, JAN14)


def test_an_emergency_whose_next_sitting_is_cancelled_is_due_at_the_one_after():
    # 7 Jan cancelled: the next sitting after a decision on Tue 5 Jan is 14 Jan.
    cancelled = authority(PANELS["crp"] | {"cancelled": [JAN7]})
    data = build_problem(
        cancelled,
        [referral(submitted=datetime(2027, 1, 5, 9, 0), priority="emergency")],
        start=date(2027, 1, 4),
        end=date(2027, 1, 31),
    )
    assert data.due_date(0) == JAN14


def test_an_earlier_due_date_wins_over_the_emergency():
    # A deadline of Wed 6 Jan is earlier than the first sitting (7 Jan): it stays the due date.
    data = problem(
        referral(priority="emergency", deadline=date(2027, 1, 6)),
    )
    assert data.due == (Due(date(2027, 1, 6), "S14", "deadline"),)
    assert data.due[0].reason == "its deadline"


# --- S6, S7, S8: due dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "due", "reason"),
    [
        ({}, None, ""),
        ({"deadline": date(2027, 1, 20)}, date(2027, 1, 20), "its deadline"),
        # 28 Jan - 21 days.
        (
            {"cla_review": JAN28},
            JAN7,
            "3 weeks before the CLA review on 28/01/2027",
        ),
        (
            {"cp_review": date(2027, 2, 1)},
            date(2027, 1, 11),
            "3 weeks before the CP review on 01/02/2027",
        ),
        ({"review_by": JAN21}, JAN21, "the review-by date the panel set"),
        # The day before the contract ends.
        ({"contract_end": JAN14}, date(2027, 1, 13), "before the contract ends on 14/01/2027"),
        # The earliest of all: CLA review 11 Feb - 21 = 21 Jan beats a deadline of 28 Jan,
        # and a review-by date of 14 Jan beats both.
        ({"cla_review": date(2027, 2, 11), "deadline": JAN28}, JAN21, "3 weeks before"),
        (
            {"cla_review": date(2027, 2, 11), "deadline": JAN28, "review_by": JAN14},
            JAN14,
            "the review-by date the panel set",
        ),
    ],
)
def test_the_due_date_is_the_earliest_of_the_rules(fields, due, reason):
    data = problem(referral(**fields))
    assert data.due_date(0) == due
    assert (data.due[0].reason if data.due[0] else "").startswith(reason)


@pytest.mark.parametrize(
    ("fields", "first"),
    [
        # Contract ends Fri 26 Mar: not before Fri 29 Jan (56 days), so Thu 4 Feb.
        ({"contract_end": date(2027, 3, 26)}, date(2027, 2, 4)),
        # Contract ends Thu 25 Mar: 56 days before is Thu 28 Jan itself.
        ({"contract_end": date(2027, 3, 25)}, JAN28),
        ({"not_before": date(2027, 1, 15)}, JAN21),
        # The later of not_before (15 Jan) and 8 weeks before the contract (4 Feb - 56 days
        # = 10 Dec): 21 Jan.
        ({"not_before": date(2027, 1, 15), "contract_end": date(2027, 2, 4)}, JAN21),
    ],
)
def test_nothing_is_heard_before_its_first_allowed_date(fields, first):
    data = problem(referral(**fields), end=date(2027, 2, 28))
    assert candidate_dates(data)[0] == first
    if first > JAN7:
        why = data.exclusion(0, sitting(data, "crp", JAN7))
        assert why is not None and why.code == "too_early"


def test_a_contract_end_date_itself_is_late():
    # Contract ends Thu 14 Jan: 7 Jan is in time, 14 Jan is not.
    data = problem(referral(contract_end=JAN14))
    assert not data.is_late(0, sitting(data, "crp", JAN7))
    assert data.is_late(0, sitting(data, "crp", JAN14))
    assert data.wait_days(0, sitting(data, "crp", JAN14)) == 10


# --- S5: people away -------------------------------------------------------------------------


def test_a_person_away_all_day_closes_the_sitting_and_is_named():
    data = problem(
        referral(attendees=("IRO-1",)), unavailability=[whole_days("IRO-1", JAN7, JAN14)]
    )
    assert candidate_dates(data) == [JAN21, JAN28]
    why = data.exclusion(0, sitting(data, "crp", JAN14))
    assert why is not None
    assert (why.code, why.detail) == ("person_away", "IRO-1 is unavailable that day")


@pytest.mark.parametrize(
    ("start", "end", "open_"),
    [
        # Training 13:00-13:30 leaves 13:30-14:00: room for a 15-minute slot.
        ("13:00", "13:30", True),
        # 13:00-13:50 leaves 10 minutes: no room.
        ("13:00", "13:50", False),
        # 13:10-13:50 leaves 10 minutes either side: no stretch of 15.
        ("13:10", "13:50", False),
        # Morning court, over before the sitting.
        ("09:00", "12:00", True),
    ],
)
def test_part_day_leave_closes_the_sitting_only_without_room_for_a_slot(start, end, open_):
    leave = Unavailability(
        "SW-R1",
        datetime.combine(JAN7, time.fromisoformat(start)),
        datetime.combine(JAN7, time.fromisoformat(end)),
        whole_days=False,
    )
    data = problem(referral(), unavailability=[leave])
    assert (JAN7 in candidate_dates(data)) is open_
    if not open_:
        why = data.exclusion(0, sitting(data, "crp", JAN7))
        assert why is not None
        assert why.detail == "SW-R1 is unavailable during the sitting"


# --- S3, S4: slot lengths --------------------------------------------------------------------


def test_slot_minutes_follow_the_panel_and_complexity():
    data = problem(
        referral("A"),
        referral("B", complex=True),
        # The Care Panel has no complex slot length: a complex case takes the usual 15.
        referral("C", panel="care", complex=True),
    )
    assert data.slot_minutes == (15, 20, 15)


# --- pinned bookings -------------------------------------------------------------------------


def test_a_pinned_referral_has_exactly_its_pinned_sitting_and_start():
    pin = PinnedBooking("R2", JAN21, time(13, 15))
    data = problem(referral("R1"), referral("R2"), pinned=[pin])
    assert candidate_dates(data, "R2") == [JAN21]
    # 13:15 is 795 minutes after midnight.
    assert data.pinned_start == (None, 795)


def test_a_pin_outside_the_range_brings_its_sitting_but_opens_it_to_no_one_else():
    # Range 4-31 Jan; R2 was booked on 4 Feb.
    pin = PinnedBooking("R2", date(2027, 2, 4), time(13, 0))
    data = problem(referral("R1"), referral("R2"), pinned=[pin])
    assert candidate_dates(data, "R2") == [date(2027, 2, 4)]
    assert date(2027, 2, 4) not in candidate_dates(data, "R1")
    why = data.exclusion(0, sitting(data, "crp", date(2027, 2, 4)))
    assert why is not None and why.code == "outside_range"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # Wednesday 6 Jan: crp sits on Thursdays.
        (
            "R1,06/01/2027,13:00",
            "pinned.csv, row 2, column 'date': crp does not sit on 06/01/2027",
        ),
        (
            "R9,2027-01-07,13:00",
            "pinned.csv, row 2: 'R9' is not in the referrals file",
        ),
        # 13:50 + 15 minutes runs past 14:00.
        (
            "R1,2027-01-07,13:50",
            "pinned.csv, row 2, column 'start': 13:50 leaves no room for a slot in the "
            "13:00-14:00 window",
        ),
        (
            "R1,2027-01-07,12:45",
            "pinned.csv, row 2, column 'start': 12:45 leaves no room for a slot in the "
            "13:00-14:00 window",
        ),
    ],
)
def test_a_bad_pin_names_the_pinned_file_row_and_column(tmp_path: Path, row, message):
    path = tmp_path / "pinned.csv"
    path.write_text(f"referral_id,date,start\n{row}\n", encoding="utf-8")
    pins = load_pinned(path)
    with pytest.raises(InputError) as caught:
        build_problem(
            AUTHORITY,
            [referral("R1")],
            pinned=pins,
            start=date(2027, 1, 4),
            end=date(2027, 1, 31),
            pinned_file="pinned.csv",
        )
    assert [str(p) for p in caught.value.problems] == [message]


def test_every_bad_pin_is_reported_at_once():
    pins = [
        PinnedBooking("R1", date(2027, 1, 6), time(13, 0), row=2),
        PinnedBooking("R2", JAN7, time(15, 0), row=3),
    ]
    with pytest.raises(InputError) as caught:
        problem(referral("R1"), referral("R2"), pinned=pins)
    assert [p.row for p in caught.value.problems] == [2, 3]
    assert [p.file for p in caught.value.problems] == ["pinned bookings"] * 2


# --- the range and the data ------------------------------------------------------------------


def test_no_referrals_is_an_input_error():
    with pytest.raises(InputError, match="there are no referrals to plan"):
        build_problem(AUTHORITY, [])


def test_the_default_range_runs_from_the_first_submission_to_13_weeks_after_the_last():
    data = build_problem(
        AUTHORITY, [referral("A", datetime(2027, 1, 5, 9, 0)), referral("B", MON4)]
    )
    # From B's 4 Jan to A's (the last) 5 Jan + 91 days = 6 Apr.
    assert (data.start, data.end) == (date(2027, 1, 4), date(2027, 4, 6))


def test_an_end_before_the_default_start_is_an_input_error():
    # The referrals start on 4 Jan 2027; an end of 1 Dec 2026 leaves no range at all. That
    # is bad input: one clear message, not a traceback.
    with pytest.raises(InputError):
        build_problem(AUTHORITY, [referral()], end=date(2026, 12, 1))


def test_referrals_are_sorted_and_frozen():
    data = problem(referral("R2"), referral("R1"))
    assert [r.referral_id for r in data.referrals] == ["R1", "R2"]
    assert data.referral_index() == {"R1": 0, "R2": 1}
    with pytest.raises(AttributeError):
        data.start = date(2027, 1, 5)  # type: ignore[misc]


# --- property: candidates are exactly the sittings the rules allow ----------------------------

JANUARY = datetime(2027, 1, 1)


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=27 * 24 * 60),
    permission=st.booleans(),
    panel=st.sampled_from(["crp", "care", "hcp"]),
)
def test_candidates_are_the_sittings_after_submission_whose_cut_off_it_met(
    minutes, permission, panel
):
    submitted = JANUARY + timedelta(minutes=minutes)
    data = problem(
        referral(submitted=submitted, panel=panel, late_permission=permission),
        end=date(2027, 2, 28),
    )
    own = [data.sittings[i] for i in data.panel_sittings(panel)]
    met = [s for s in own if s.opens > submitted and s.cutoff is not None and s.cutoff >= submitted]
    after = [s for s in own if s.opens > submitted]
    # The one late sitting: the first after submission, if its cut-off had passed, and only
    # where the panel takes late papers at all.
    late = [after[0]] if permission and panel != "care" and after and after[0] not in met else []
    assert [data.sittings[i] for i in data.candidates[0]] == sorted(met + late)
