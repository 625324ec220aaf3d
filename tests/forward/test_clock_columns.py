"""The forward planner keeps a referral's ``requested`` date and ``clock_pauses`` (issue 26):
stored with the hearing (migration 6), and kept by a deferral, whose case still runs to the
same statutory clock."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.core.clocks import ClockPause
from panelsched.forward import Store
from panelsched.forward.schema import MIGRATIONS
from tests.helpers.clocks import SEN_MODEL

REFERRALS = """\
referral_id,panel,submitted,social_worker,team_manager,request_type,requested,clock_pauses
R-1,sen,2027-07-05 09:00,SW-1,TM-1,ehc-needs-assessment,02/07/2027,2027-07-22..2027-09-01 school-closure-4-weeks
"""  # noqa: E501
CLOSED = ClockPause(date(2027, 7, 22), date(2027, 9, 1), "school-closure-4-weeks")


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_the_store_keeps_the_request_date_and_pauses_through_a_deferral(tmp_path: Path) -> None:
    # R-1 requested Fri 02/07/2027 with the school closed 22/07..01/09/2027 (42 days): its
    # 6-week clock ends 13/08 + 42 days = Fri 24/09/2027, and the last sitting leaving 2 working
    # days (Thu 23, Fri 24) is Wed 22/09/2027. It is heard Wed 07/07 and deferred; the deferred
    # hearing R-1#2 goes to the next sitting, Wed 14/07 (S10), which comes before the clock's
    # 22/09, and keeps the request date and the pause, so the clock is still there to read.
    model = tmp_path / "sen.yaml"
    model.write_text(SEN_MODEL, encoding="utf-8")
    referrals = tmp_path / "r.csv"
    referrals.write_text(REFERRALS, encoding="utf-8")
    db = tmp_path / "p.db"
    steps = [
        ("planner", "init", "--model", str(model), "--db", str(db), "--now", "2027-07-05 10:00"),
        ("planner", "add", "--referrals", str(referrals), "--db", str(db),
         "--now", "2027-07-05 10:00", "--time-limit", "1"),
    ]  # fmt: skip
    for step in steps:
        done = run(*step)
        assert done.exit_code == 0, done.output
    records = tmp_path / "d.csv"
    records.write_text("referral_id,panel,date,outcome\nR-1,sen,2027-07-07,defer\n")
    decided = run("planner", "decide", "--records", str(records), "--db", str(db),
                  "--now", "2027-07-08 09:00", "--time-limit", "1")  # fmt: skip
    assert decided.exit_code == 0, decided.output
    with Store.open(db) as store:
        diary = store.diary()
        first, again = diary.hearings
        for hearing in (first, again):
            assert hearing.referral.requested == date(2027, 7, 2)
            assert hearing.referral.clock_pauses == (CLOSED,)
        assert (due := diary.due(first)) is not None
        assert (due.date, due.rule, due.from_date) == (
            date(2027, 9, 22),
            "ehc-assessment-decision",
            date(2027, 9, 24),
        )
        assert (later := diary.due(again)) is not None
        assert (later.date, later.rule) == (date(2027, 7, 14), "S10")
    # The columns are the latest migration's, stored as the referrals file writes them.
    with sqlite3.connect(db) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        stored = connection.execute("SELECT requested, clock_pauses FROM hearings").fetchall()
    assert version == MIGRATIONS[-1].version == 6
    assert stored == [("2027-07-02", str(CLOSED))] * 2
