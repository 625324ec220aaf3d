"""``planner make-room``: a statutory follow-up booked after its due date is booked in time by
moving the fewest routine cases (issue 31, item 3), from the command line as from the browser.

The diary is tests/helpers/web.py's: crp sits on Thursdays 13:00-14:00 in four 15-minute
slots, cut-off the Monday before at 13:00; R-5 was heard on 11 March 2027 and the command acts
on Friday 12 March 09:00, so 18 March is the next sitting ahead.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from panelsched.cli.main import app
from panelsched.forward import Actor, Store
from tests.helpers.forward import add_file, decide_file
from tests.helpers.web import NOW, SETTINGS, build_diary, referral_rows, write_rows

RUN = CliRunner()


def _booked(db: Path) -> dict[str, str]:
    with Store.open(db) as store:
        diary = store.diary()
    return {diary.keys[h]: b.date.isoformat() for h, b in diary.in_force.items()}


def _deferred_behind_routine_cases(tmp_path: Path) -> Path:
    """R-5 deferred on 11 March while 18 March is full of four routine cases."""
    db = build_diary(tmp_path)
    with Store.open(db) as store:
        # Submitted Monday 8 March 09:00, before 18 March's cut-off (15 March 13:00): the
        # round books N-1..N-4 into 18 March's four slots.
        rows = referral_rows(["N-1", "N-2", "N-3", "N-4"], submitted="2027-03-08 09:00")
        add_file(
            store, Actor(NOW, "setup"), write_rows(tmp_path / "n.csv", rows), settings=SETTINGS
        )
        record = {
            "referral_id": "R-5",
            "panel": "crp",
            "date": "2027-03-11",
            "outcome": "defer",
            "deferral_reason": "papers missing",
        }
        decide_file(
            store, Actor(NOW, "chloe"), write_rows(tmp_path / "o.csv", [record]), settings=SETTINGS
        )
    return db


def test_make_room_books_the_follow_up_in_time_and_moves_one_routine_case(
    tmp_path: Path,
) -> None:
    db = _deferred_behind_routine_cases(tmp_path)
    before = _booked(db)
    # S10: a deferral returns at the next sitting, 18 March; it is full, so R-5#2 went to 25.
    assert before["R-5#2"] == "2027-03-25"
    assert sorted(before[k] for k in ("N-1", "N-2", "N-3", "N-4")) == ["2027-03-18"] * 4
    result = RUN.invoke(
        app,
        ["planner", "make-room", "R-5#2", "--db", str(db), "--now", "12/03/2027 09:00"],
    )
    assert result.exit_code == 0, result.output
    after = _booked(db)
    # One 15-minute slot is needed: exactly one routine case leaves 18 March, for 25 March
    # (routine referrals have no due date there, so none is made late), and R-5#2 takes it.
    assert after["R-5#2"] == "2027-03-18"
    moved = [k for k in ("N-1", "N-2", "N-3", "N-4") if after[k] != before[k]]
    assert len(moved) == 1 and after[moved[0]] == "2027-03-25"
    assert "Moved 1 routine case to make room for 1 follow-up due sooner." in result.output


def test_make_room_refuses_when_nothing_is_late_and_changes_nothing(tmp_path: Path) -> None:
    db = build_diary(tmp_path)
    before = _booked(db)
    result = RUN.invoke(
        app, ["planner", "make-room", "R-1", "--db", str(db), "--now", "12/03/2027 09:00"]
    )
    assert result.exit_code == 2
    assert "R-1 is no longer booked after its due date; nothing needs to move." in result.output
    assert "Traceback" not in result.output
    assert _booked(db) == before
