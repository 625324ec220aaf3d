"""The middle way between moving nobody and re-planning everything (forward/moves.py).

The conftest model's Resource Panel sits on Thursdays 13:00-14:00, four 15-minute slots, with a
cut-off the Monday before at 13:00. The week every case here starts from:

- R-1..R-4, submitted Mon 1 March 09:01-09:04, fill Thu 4 March;
- R-5, submitted Mon 1 March 11:00 with a CLA review on 26 March, is due by 5 March (21 days
  before, S6) but 4 March is full, so it is booked late on Thu 11 March;
- R-6 and R-7, submitted Mon 1 March 12:30 and 12:40 (before the 13:00 cut-off, no due date),
  are booked on 11 March too, 4 March being full.

An extra sitting on Fri 5 March (cut-off: the latest Monday strictly before, Mon 1 March 13:00,
which all seven met) has four free slots.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from panelsched.forward import Store, extra, validate_store
from panelsched.forward.moves import KEEP, LATE_ONLY, Movable, Moves, movable
from tests.helpers.forward import FAST, actor, add_file, referral, slots, write_rows

FRIDAY = date(2027, 3, 5)


@pytest.fixture
def week(store: Store, tmp_path: Path) -> Store:
    """The week of the module's notes, booked."""
    files = [
        [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 5)],
        [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")],
        [referral("R-6", "2027-03-01 12:30"), referral("R-7", "2027-03-01 12:40")],
    ]
    for number, rows in enumerate(files):
        add_file(
            store,
            actor("2027-03-01 12:50"),
            write_rows(tmp_path / f"{number}.csv", rows),
            settings=FAST,
        )
    booked = slots(store)
    assert {k: v[1] for k, v in booked.items()} == {
        **{f"R-{n}": "2027-03-04" for n in range(1, 5)},
        **{f"R-{n}": "2027-03-11" for n in range(5, 8)},
    }
    return store


def _dates(store: Store) -> dict[str, str]:
    return {key: booked[1] for key, booked in slots(store).items()}


def _no_errors(store: Store) -> None:
    found = validate_store(store.diary(), actor("2027-03-02 09:00").now)
    assert [f for f in found.findings if f.severity == "error"] == []


def test_an_extra_sitting_is_offered_to_the_late_case_and_nobody_else_moves(week: Store) -> None:
    before = slots(week)
    report = extra(week, actor("2027-03-02 09:00"), "crp", FRIDAY, settings=FAST)
    after = slots(week)
    # R-5 moves to Friday 5 March, in time; would wait 6 days less there too, but
    # are in time where they are, so they keep their slot, as do R-1..R-4.
    assert after["R-5"][:2] == ("crp", "2027-03-05")
    assert {k: v for k, v in after.items() if k != "R-5"} == {
        k: v for k, v in before.items() if k != "R-5"
    }
    assert (report.moved, report.booked, report.late) == (1, 0, ())
    # Who must be told: R-5's social worker and team manager, of the move from 11 March.
    was = f"moved from Thu 11/03/2027 {before['R-5'][2]}"
    assert [(n.person, n.key, n.date, n.change) for n in report.notices] == [
        ("SW-5", "R-5", FRIDAY, was),
        ("TM-5", "R-5", FRIDAY, was),
    ]
    assert "Offered an earlier date to 1 case booked late (1 moved); no other booking " in (
        " ".join(report.lines)
    )
    ended = [b for b in week.diary().bookings if not b.in_force]
    assert [(b.end_reason, week.diary().keys[b.hearing_id]) for b in ended] == [
        ("moved: was booked late", "R-5")
    ]
    _no_errors(week)


def test_move_1_moves_at_most_one_other(week: Store) -> None:
    before = slots(week)
    report = extra(
        week, actor("2027-03-02 09:00"), "crp", FRIDAY, moves=Moves("late", 1), settings=FAST
    )
    after = _dates(week)
    # R-5 (late) and one other move to 5 March. would each gain 6 days (11 - 5
    # March, routine, weight 1); the tie goes to the booking made first, then the reference:
    # R-7 keeps its slot though a free slot remains on Friday.
    assert (after["R-5"], after["R-6"], after["R-7"]) == ("2027-03-05", "2027-03-05", "2027-03-11")
    assert slots(week)["R-7"] == before["R-7"]
    assert report.moved == 2
    assert {n.key for n in report.notices} == {"R-5", "R-6"}
    reasons = {
        week.diary().keys[b.hearing_id]: b.end_reason
        for b in week.diary().bookings
        if not b.in_force
    }
    assert reasons == {"R-5": "moved: was booked late", "R-6": "moved: heard sooner"}
    _no_errors(week)


def test_movable_chooses_the_late_cases_then_the_others_most_to_gain(week: Store) -> None:
    with week.transaction(actor("2027-03-02 09:00"), "extra"):
        week.add_sitting_change("crp", FRIDAY, "extra", "")
        diary = week.diary()
        ids = {diary.keys[hearing.id]: hearing.id for hearing in diary.hearings}
        now = actor("2027-03-02 09:00").now
        assert movable(diary, now, KEEP) == Movable()
        assert movable(diary, now, LATE_ONLY) == Movable((ids["R-5"],))
        # Both gain 6 days; R-1..R-4 are on 4 March, before Friday: nothing to gain.
        assert movable(diary, now, Moves("late", 5)) == Movable(
            (ids["R-5"],), (ids["R-6"], ids["R-7"])
        )


def test_add_can_offer_an_earlier_date_to_the_cases_booked_late(
    week: Store, tmp_path: Path
) -> None:
    # The extra sitting is added keeping every booking, so R-5 stays late on 11 March; the next
    # `add --move-late-only` offers it the Friday.
    extra(week, actor("2027-03-02 09:00"), "crp", FRIDAY, moves=KEEP, settings=FAST)
    assert _dates(week)["R-5"] == "2027-03-11"
    rows = write_rows(tmp_path / "more.csv", [referral("R-8", "2027-03-02 10:00")])
    kept = add_file(week, actor("2027-03-02 10:00"), rows, settings=FAST)
    assert _dates(week)["R-5"] == "2027-03-11" and kept.moved == 0
    rows = write_rows(tmp_path / "more2.csv", [referral("R-9", "2027-03-02 10:30")])
    report = add_file(week, actor("2027-03-02 10:30"), rows, moves=LATE_ONLY, settings=FAST)
    assert _dates(week)["R-5"] == "2027-03-05"
    assert report.moved == 1 and {n.key for n in report.notices} == {"R-5", "R-9"}
    assert [c[3] for c in week.commands()][-1] == "add --move-late-only"


def test_a_late_case_with_nowhere_earlier_keeps_its_slot(week: Store) -> None:
    # An extra sitting on Tue 16 March is after R-5's booking: nothing earlier for it, and the
    # planner may not shuffle it within 11 March either.
    before = slots(week)
    report = extra(week, actor("2027-03-02 09:00"), "crp", date(2027, 3, 16), settings=FAST)
    assert slots(week) == before
    assert report.moved == 0
    assert "Offered an earlier date to 1 case booked late (0 moved)" in report.lines[1]


@pytest.mark.parametrize(
    ("scope", "others", "message"),
    [("late", -1, "others must be 0 or more"), ("all", 2, "others only go with the 'late'")],
)
def test_moves_refuses_what_makes_no_sense(scope: str, others: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Moves(scope, others)  # type: ignore[arg-type]
