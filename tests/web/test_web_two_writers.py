"""The web application and the command line changing the same diary at once: the one that
comes second waits for the first's change and plans on top of it, so both land, each once,
nothing booked twice; one that waits too long is told the diary is busy and changes nothing.

The command line books 20 referrals submitted on Monday 8 March (before 18 March's cut-off)
with the solver, holding the write lock for a few tenths of a second; the web records the
emergency decision on E-1, which wants the same sitting of 18 March (S9). The web's form is
sent while the command holds the lock, as soon as it does.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from panelsched.forward import Store
from panelsched.forward.trail import audit_entries
from tests.helpers.web import EMERGENCY_FORM, csrf_of, referral_rows, visible_text, write_rows

PANELSCHED = Path(sys.executable).with_name("panelsched")
CASES = [f"C-{n}" for n in range(1, 21)]


def _start_add(db: Path, folder: Path) -> subprocess.Popen[str]:
    """``panelsched planner add`` of the 20 cases, by cli-user, in a process of its own."""
    referrals = write_rows(folder / "cli.csv", referral_rows(CASES, "2027-03-08 09:00"))
    return subprocess.Popen(
        [str(PANELSCHED), "planner", "add", "--referrals", str(referrals), "--db", str(db),
         "--now", "2027-03-12 09:00", "--by", "cli-user", "--time-limit", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _once_it_holds_the_lock(db: Path, command: subprocess.Popen[str]) -> None:
    """Return as soon as ``command`` is saving its change (another connection cannot start
    one); fail if it ends first."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        while command.poll() is None:
            try:
                # Held for microseconds: the command's own wait (30 s) rides over it.
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                assert "locked" in str(exc), exc
                return
            time.sleep(0.002)
    finally:
        probe.close()
    raise AssertionError(f"the command ended before it was seen saving: {command.stderr}")


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _bookings(db: Path) -> tuple[list[str], list[str]]:
    """Each hearing's referral, and the slots booked more than once, in force now."""
    with sqlite3.connect(db) as connection:
        cases = [
            str(r[0])
            for r in connection.execute(
                "SELECT h.referral_id FROM bookings b JOIN hearings h ON h.id = b.hearing_id "
                "WHERE b.ended_command_id IS NULL"
            )
        ]
        doubled = [
            str(r[0])
            for r in connection.execute(
                "SELECT panel || ' ' || date || ' ' || start FROM bookings "
                "WHERE ended_command_id IS NULL GROUP BY panel, date, start HAVING COUNT(*) > 1"
            )
        ]
    return cases, doubled


def _post_emergency(browser: TestClient, db: Path, folder: Path) -> tuple[int, str, int]:
    """Send the emergency decision while the command line is saving its change: the page's
    status and text, and the command's exit status (its stderr checked clean)."""
    page = browser.get("/between").text
    command = _start_add(db, folder)
    try:
        _once_it_holds_the_lock(db, command)
        response = browser.post(
            "/between/emergency", data={"csrf_token": csrf_of(page), **EMERGENCY_FORM}
        )
        code = command.wait(timeout=30)
    finally:
        command.kill()
    stderr = command.stderr.read() if command.stderr else ""
    assert "Traceback" not in stderr and (code == 0) == (stderr == ""), stderr
    return response.status_code, visible_text(response.text), code


def test_the_web_and_the_command_line_at_once_both_land_once(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    before, _ = _bookings(db)
    status, text, code = _post_emergency(browser, db, tmp_path)
    # The web waited for the command's change (well within its 30 s) and then planned on it.
    assert (status, code) == (200, 0), text
    assert "E-1: emergency decision recorded" in text
    assert _integrity(db) == "ok"
    cases, doubled = _bookings(db)
    # The diary's 7, the command's 20 and E-1, each once; no slot taken twice.
    assert sorted(cases) == sorted([*before, *CASES, "E-1"])
    assert doubled == []
    with Store.open(db) as store:
        commands = [(by, name.split()[0]) for _, _, by, name, *_ in store.commands()]
        by_cli = {e.subject for e in audit_entries(store, by="cli-user")}
        by_ada = [(e.action, e.subject) for e in audit_entries(store, by="ada")]
    # The command line saved first (it held the lock when the form was sent).
    assert commands[-2:] == [("cli-user", "add"), ("ada", "decide")], commands
    assert set(CASES) <= by_cli and "E-1" not in by_cli
    assert ("emergency decision", "E-1") in by_ada
    assert not any(subject in CASES for _, subject in by_ada)


def test_a_web_change_that_waits_too_long_says_the_diary_is_busy_and_saves_nothing(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = sign_in("ada")
    before, _ = _bookings(db)
    share = Store.share

    def impatient(store: Store, busy_timeout: float = 30.0) -> None:
        share(store, 0.05)  # far shorter than the command holds the lock

    monkeypatch.setattr(Store, "share", impatient)
    status, text, code = _post_emergency(browser, db, tmp_path)
    assert (status, code) == (503, 0), text
    assert "The diary is busy" in text and "Nothing of yours was changed" in text
    assert _integrity(db) == "ok"
    cases, doubled = _bookings(db)
    assert sorted(cases) == sorted([*before, *CASES]) and doubled == []
    with Store.open(db) as store:
        assert audit_entries(store, by="ada") == ()
