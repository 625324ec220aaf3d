"""add, cancel and extra: bookings already made stay put unless the administrator replans.

The tiny cases use the conftest model's Resource Panel: Thursdays 13:00-14:00, four
15-minute slots, cut-off the Monday before at 13:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from panelsched.errors import InputError
from panelsched.forward import Store, cancel, extra, validate_store
from panelsched.forward.commands.sittings import NonWorkingDay
from panelsched.forward.moves import KEEP
from tests.helpers.forward import FAST, actor, add_file, at, referral, slots, write_rows


def _four_routine(tmp_path: Path) -> Path:
    # Submitted Monday 1 March before the 13:00 cut-off: all four fit Thursday 4 March.
    return write_rows(
        tmp_path / "week1.csv",
        [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 5)],
    )


def _urgent_late(tmp_path: Path) -> Path:
    # CLA review 26 March: heard by 5 March (21 days before, S6), so 4 March is its only
    # sitting in time; it also met the 4 March cut-off.
    return write_rows(
        tmp_path / "week1b.csv",
        [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")],
    )


def test_add_books_new_referrals_and_says_who_to_tell(store: Store, tmp_path: Path) -> None:
    report = add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    # Four slots on 4 March, from 13:00, one case each.
    assert sorted(slots(store).values()) == [
        ("crp", "2027-03-04", "13:00"),
        ("crp", "2027-03-04", "13:15"),
        ("crp", "2027-03-04", "13:30"),
        ("crp", "2027-03-04", "13:45"),
    ]
    # Each case's SW and TM are told: 4 cases x 2 people.
    assert len(report.notices) == 8
    assert {n.change for n in report.notices} == {"booked"}
    assert {(n.person, n.key) for n in report.notices} >= {("SW-1", "R-1"), ("TM-1", "R-1")}


def test_add_never_moves_a_booking_already_made(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    before = slots(store)
    report = add_file(store, actor("2027-03-01 12:00"), _urgent_late(tmp_path), settings=FAST)
    after = slots(store)
    # R-1..R-4 keep 4 March; R-5 takes 11 March 13:00 and is reported late, though moving a
    # routine case to 11 March would have put R-5 in time.
    assert {k: after[k] for k in before} == before
    assert after["R-5"] == ("crp", "2027-03-11", "13:00")
    assert [key for key, _ in report.late] == ["R-5"]
    assert report.moved == 0


def test_replan_may_move_bookings_and_records_why(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    report = add_file(
        store, actor("2027-03-01 12:00"), _urgent_late(tmp_path), settings=FAST, replan=True
    )
    after = slots(store)
    # With --replan the optimiser puts R-5 in time on 4 March and moves one routine case to
    # 11 March: one fewer late case is worth more than any waiting (level 2 before 3).
    assert after["R-5"][1] == "2027-03-04"
    moved = [k for k in ("R-1", "R-2", "R-3", "R-4") if after[k][1] == "2027-03-11"]
    assert len(moved) == 1
    # Which of the four equal routine cases moves is the solver's choice among equal plans;
    # the cases after it in the agenda move up a slot, and each move is counted and recorded.
    ended = [b for b in store.diary().bookings if not b.in_force]
    assert len(ended) == report.moved >= 1
    assert {(b.end_reason, b.date.isoformat()) for b in ended} == {("replan", "2027-03-04")}
    # Its SW and TM are told it moved from 4 March.
    moved_notices = [n for n in report.notices if n.key == moved[0]]
    assert len(moved_notices) == 2
    assert all(n.change.startswith("moved from Thu 04/03/2027") for n in moved_notices)


def test_a_sitting_that_has_opened_is_never_offered(store: Store, tmp_path: Path) -> None:
    # Submitted before the cut-off, but added at 13:30 on Thursday 4 March, after the sitting
    # opened at 13:00: the next sitting, 11 March, is the first it can have.
    rows = write_rows(tmp_path / "r.csv", [referral("R-1", "2027-03-01 09:00")])
    add_file(store, actor("2027-03-04 13:30"), rows, settings=FAST)
    assert slots(store)["R-1"] == ("crp", "2027-03-11", "13:00")


def _dump_unchanged(store: Store, action: Callable[[], object]) -> InputError:
    before = store.dump()
    with pytest.raises(InputError) as caught:
        action()
    assert store.dump() == before
    return caught.value


def test_a_case_reference_already_in_the_planner_is_refused(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    again = write_rows(
        tmp_path / "again.csv",
        [referral("R-9", "2027-03-01 11:00"), referral("R-2", "2027-03-01 11:00")],
    )
    error = _dump_unchanged(
        store, lambda: add_file(store, actor("2027-03-01 12:00"), again, settings=FAST)
    )
    # R-2 is on row 3 (the header is row 1); nothing of the file is kept, R-9 included.
    assert [str(p) for p in error.problems] == [
        f"{again}, row 3, column 'referral_id': 'R-2' is already in the planner; give each new "
        "referral a new case reference"
    ]


def test_a_bad_referrals_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    bad = write_rows(tmp_path / "bad.csv", [referral("R-1", "2027-02-30 09:00")])
    error = _dump_unchanged(store, lambda: add_file(store, actor("2027-03-01 10:00"), bad))
    assert "row 2, column 'submitted'" in str(error.problems[0])


# --------------------------------------------------------------------------- cancel, extra


def test_cancel_moves_the_cases_and_lists_who_moves(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    report = cancel(
        store,
        actor("2027-03-02 09:00"),
        "crp@2027-03-04",
        "chair unwell",
        agreed_by="vice-chair",
        settings=FAST,
    )
    after = slots(store)
    # 4 March is gone; the four cases fill 11 March, the next sitting, in the same order.
    assert sorted(after.values()) == [
        ("crp", "2027-03-11", t) for t in ("13:00", "13:15", "13:30", "13:45")
    ]
    assert report.moved == 4
    assert {n.change for n in report.notices} == {
        f"moved from Thu 04/03/2027 {t}" for t in ("13:00", "13:15", "13:30", "13:45")
    }
    diary = store.diary()
    assert diary.sitting("crp", date(2027, 3, 4)) is None
    assert {b.end_reason for b in diary.bookings if not b.in_force} == {"sitting cancelled"}
    assert diary.changes[0].agreed_by == "vice-chair"


@pytest.mark.parametrize(
    ("sitting", "reason", "now", "message"),
    [
        ("crp-2027-03-04", "x", "2027-03-02 09:00", "is not a sitting; expected one like"),
        (
            "crp@2027-03-05",
            "x",
            "2027-03-02 09:00",
            "the Resource Panel does not sit on 05/03/2027",
        ),
        ("xyz@2027-03-04", "x", "2027-03-02 09:00", "unknown panel 'xyz'"),
        ("crp@2027-03-04", "x", "2027-03-04 13:00", "only a sitting still ahead"),
        ("crp@2027-03-04", "  ", "2027-03-02 09:00", "give the reason"),
    ],
)
def test_cancel_refuses_what_it_cannot_do(
    store: Store, sitting: str, reason: str, now: str, message: str
) -> None:
    error = _dump_unchanged(store, lambda: cancel(store, actor(now), sitting, reason))
    assert message in str(error)


def test_an_extra_sitting_kept_from_every_booking_moves_nobody(
    store: Store, tmp_path: Path
) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    add_file(store, actor("2027-03-01 12:00"), _urgent_late(tmp_path), settings=FAST)
    before = slots(store)
    # An extra sitting on Friday 5 March would put R-5 in time, but R-5 is booked (late) on
    # 11 March and was told so: kept from every booking (moves=KEEP), it stays.
    report = extra(
        store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), moves=KEEP, settings=FAST
    )
    assert slots(store) == before
    assert report.moved == 0 and report.booked == 0
    assert store.diary().sitting("crp", date(2027, 3, 5)) is not None


def test_an_extra_sitting_with_replan_puts_the_late_case_in_time(
    store: Store, tmp_path: Path
) -> None:
    add_file(store, actor("2027-03-01 10:00"), _four_routine(tmp_path), settings=FAST)
    add_file(store, actor("2027-03-01 12:00"), _urgent_late(tmp_path), settings=FAST)
    report = extra(
        store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), replan=True, settings=FAST
    )
    diary = store.diary()
    # R-5 is due by 5 March (21 days before its CLA review); 4 and 5 March hold eight slots
    # for five cases, so with --replan nothing is late.
    assert slots(store)["R-5"][1] <= "2027-03-05"
    for hearing_id, booking in diary.in_force.items():
        due = diary.authority.due_date(diary.by_id[hearing_id].referral)
        assert due is None or booking.date <= due
    ended = [b for b in diary.bookings if not b.in_force]
    assert {b.end_reason for b in ended} == {"replan"}
    assert report.moved == len(ended) >= 1


@pytest.mark.parametrize(
    ("panel", "day", "now", "message"),
    [
        ("crp", "2027-03-04", "2027-03-02 09:00", "the Resource Panel already sits on 04/03/2027"),
        ("nope", "2027-03-05", "2027-03-02 09:00", "unknown panel 'nope'"),
        ("crp", "2027-03-01", "2027-03-02 09:00", "is not ahead of now"),
    ],
    ids=["sits", "panel", "past"],
)
def test_extra_refuses_what_it_cannot_do(
    store: Store, panel: str, day: str, now: str, message: str
) -> None:
    error = _dump_unchanged(store, lambda: extra(store, actor(now), panel, date.fromisoformat(day)))
    assert message in str(error)


@pytest.mark.parametrize(
    ("day", "what", "message"),
    [
        ("2027-03-06", "a Saturday", "DATE: 06/03/2027 is a Saturday, not a working day"),
        (
            "2027-03-29",
            "a bank holiday (Easter Monday)",
            "DATE: 29/03/2027 is a bank holiday (Easter Monday), not a working day",
        ),
        (
            "2027-05-31",
            "a bank holiday (Spring Bank Holiday)",
            "DATE: 31/05/2027 is a bank holiday (Spring Bank Holiday), not a working day",
        ),
        # Christmas Day 2027 falls on a Saturday: that day is a weekend day, and the bank
        # holiday for it is the substitute day, Monday 27 December (Boxing Day, a Sunday, is
        # made up on Tuesday 28th).
        (
            "2027-12-25",
            "a Saturday",
            "DATE: 25/12/2027 is a Saturday, not a working day (Christmas Day; the bank "
            "holiday is Monday 27/12/2027)",
        ),
        (
            "2027-12-26",
            "a Sunday",
            "DATE: 26/12/2027 is a Sunday, not a working day (Boxing Day; the bank holiday is "
            "Tuesday 28/12/2027)",
        ),
        (
            "2027-12-27",
            "a bank holiday (Christmas Day, substitute day)",
            "DATE: 27/12/2027 is a bank holiday (Christmas Day, substitute day), not a working day",
        ),
        (
            "2027-12-28",
            "a bank holiday (Boxing Day, substitute day)",
            "DATE: 28/12/2027 is a bank holiday (Boxing Day, substitute day), not a working day",
        ),
    ],
    ids=["saturday", "easter-monday", "spring-bank", "christmas", "boxing-day", "sub-1", "sub-2"],
)
def test_extra_on_a_non_working_day_says_truly_what_the_day_is(
    store: Store, day: str, what: str, message: str
) -> None:
    error = _dump_unchanged(
        store, lambda: extra(store, actor("2027-03-02 09:00"), "crp", date.fromisoformat(day))
    )
    # Its own kind of refusal, so the command line and the web can each say how to go on;
    # the words are the same for both and name no option of either.
    assert isinstance(error, NonWorkingDay)
    assert (error.day, error.what, str(error)) == (date.fromisoformat(day), what, message)
    assert "--" not in str(error)


def test_extra_on_a_bank_holiday_when_allowed_says_which_holiday(store: Store) -> None:
    report = extra(
        store,
        actor("2027-03-02 09:00"),
        "crp",
        date(2027, 5, 31),
        reason="backlog",
        allow_non_working_day=True,
        settings=FAST,
    )
    sitting = store.diary().sitting("crp", date(2027, 5, 31))
    assert sitting is not None and sitting.note == "extra sitting (Spring Bank Holiday)"
    assert report.lines[0] == (
        "Added an extra sitting of the Resource Panel on Mon 31/05/2027, a bank holiday "
        "(Spring Bank Holiday)."
    )
    assert store.audit_trail()[-1][4:] == (
        "extra sitting",
        "crp@2027-05-31",
        "backlog; on a bank holiday (Spring Bank Holiday)",
    )


# --------------------------------------------------------------------------- why late (item 5)


def _emergency(tmp_path: Path) -> Path:
    # An emergency decision taken on Tuesday 2 March at 10:00: it lasts until the next crp
    # sitting, Thursday 4 March, where it must be ratified (S9).
    return write_rows(
        tmp_path / "emergency.csv",
        [referral("E-1", "2027-03-02 10:00", priority="emergency")],
    )


def test_an_emergency_added_after_its_sitting_is_late_at_once_as_the_validator_says(
    store: Store, tmp_path: Path
) -> None:
    # Added on Friday 5 March, the day after 4 March sat: booked 11 March, 7 days after 4 March.
    report = add_file(store, actor("2027-03-05 09:00"), _emergency(tmp_path), settings=FAST)
    assert slots(store)["E-1"] == ("crp", "2027-03-11", "13:00")
    [(key, reason)] = report.late
    assert key == "E-1"
    assert reason == (
        "Heard 11/03/2027, 7 days after 04/03/2027 (ratification at the next sitting after the "
        "emergency decision of 02/03/2027). Its due date 04/03/2027 (ratification at the next "
        "sitting after the emergency decision of 02/03/2027) is before 05/03/2027, the first "
        "date it could be booked. The first sitting it could make is 11/03/2027."
    )
    # The validator finds only what the planner said: E-1 heard after 4 March (S9).
    found = validate_store(store.diary(), at("2027-03-05 09:00"))
    assert [(f.rule, f.referral_id, f.message) for f in found.findings] == [
        (
            "S9",
            "E-1",
            "heard 11/03/2027; the emergency decision of 02/03/2027 had to be ratified at the "
            "next sitting, 04/03/2027",
        )
    ]


def test_an_emergency_added_after_its_sitting_began_says_it_had_begun(
    store: Store, tmp_path: Path
) -> None:
    # Added on Thursday 4 March at 15:00, after that day's 13:00 sitting began.
    report = add_file(store, actor("2027-03-04 15:00"), _emergency(tmp_path), settings=FAST)
    [(_, reason)] = report.late
    assert reason.endswith(
        "The Resource Panel sitting on 04/03/2027 had begun before it could be booked, and no "
        "other sitting falls on or before its due date 04/03/2027 (ratification at the next "
        "sitting after the emergency decision of 02/03/2027). The first sitting it could make "
        "is 11/03/2027."
    )


def test_a_case_whose_sitting_is_cancelled_is_told_it_was_cancelled(
    store: Store, tmp_path: Path
) -> None:
    # R-5 met the 4 March cut-off and is due by 5 March (CLA review 26 March less 21 days);
    # 4 March is cancelled, so it goes to 11 March, late because of the cancellation.
    add_file(store, actor("2027-03-01 12:00"), _urgent_late(tmp_path), settings=FAST)
    report = cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair unwell")
    [(key, reason)] = report.late
    assert key == "R-5"
    assert reason.endswith(
        "Its Resource Panel sitting on 04/03/2027, whose cut-off it met, was cancelled, and no "
        "other sitting it could attend falls on or before its due date 05/03/2027 (3 weeks "
        "before the CLA review on 26/03/2027). The first sitting it could make is 11/03/2027."
    )


def test_extra_on_a_weekend_day_when_allowed_says_so_once(store: Store) -> None:
    report = extra(
        store,
        actor("2027-03-02 09:00"),
        "crp",
        date(2027, 12, 25),
        allow_non_working_day=True,
        settings=FAST,
    )
    assert report.lines[0] == (
        "Added an extra sitting of the Resource Panel on Sat 25/12/2027, a weekend day "
        "(Christmas Day; the bank holiday is Monday 27/12/2027)."
    )
