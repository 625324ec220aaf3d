"""The referrals file on the command line (issue 31, items 9 and 21): `plan` and `planner add`
read it with one reader, so they refuse the same things with the same words, naming the
file; `planner add` prints what looks wrong, naming row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.forward import Store

ROOT = Path(__file__).resolve().parents[2]
SWINDON = ROOT / "models" / "swindon.yaml"
HEADER = "referral_id,panel,submitted,social_worker,team_manager,cost"
EMPTY = "the file has no referrals: it has a header row and nothing under it; put one referral on each row below the header"  # noqa: E501


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def shows(message: str, output: str) -> bool:
    """Whether ``output`` holds ``message``, however the console wrapped it."""
    return "".join(message.split()) in "".join(output.split())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    started = run(
        "planner", "init", "--model", str(SWINDON), "--db", str(db), "--now", "2027-03-01 08:00"
    )
    assert started.exit_code == 0, started.output
    return db


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def test_a_header_only_file_is_refused_alike_by_plan_and_planner_add(
    tmp_path: Path, db: Path
) -> None:
    # Before: `plan` said "referrals: there are no referrals to plan" (not naming the file)
    # and `planner add` said "Added 0 referral(s)".
    path = tmp_path / "week.csv"
    path.write_text(HEADER + "\n")
    planned = run("plan", str(SWINDON), "--referrals", str(path), "--out", str(tmp_path / "out"))
    before = _dump(db)
    added = run("planner", "add", "--referrals", str(path), "--db", str(db))
    for result in (planned, added):
        assert result.exit_code == 2, result.output
        assert shows(f"error: {path}: {EMPTY}", result.output)
        assert len(result.output.strip().splitlines()) <= 3  # one message, however wrapped
    assert _dump(db) == before


def test_planner_add_prints_what_looks_wrong_naming_row_and_column(
    tmp_path: Path, db: Path
) -> None:
    # Now is Friday 05/03/2027 09:00. R-2 says it was submitted after now; R-3 asks for £300,
    # under the Care Panel's £500 (rule P10). Both are booked, with a warning each.
    path = tmp_path / "week.csv"
    path.write_text(
        HEADER
        + "\nR-1,swi-care,2027-03-02 09:00,SW1,TM1,"
        + "\nR-2,swi-care,2027-03-06 09:00,SW2,TM2,"
        + "\nR-3,swi-care,2027-03-02 09:00,SW3,TM3,300\n"
    )
    added = run(
        "planner", "add", "--referrals", str(path), "--db", str(db), "--now", "2027-03-05 09:00"
    )
    assert added.exit_code == 0, added.output
    assert shows(
        f"Warning: {path}, row 3, column 'submitted': 'R-2' was submitted 06/03/2027 09:00, "
        "after now (05/03/2027 09:00)",
        added.output,
    )
    assert shows(
        f"Warning: {path}, row 4, column 'cost': a £300 request; the Care Panel hears requests "
        "of £500 or more (rule P10)",
        added.output,
    )


def test_a_reference_the_planner_has_in_other_capitals_is_refused(tmp_path: Path, db: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "\nR-000001,swi-care,2027-03-02 09:00,SW1,TM1,\n")
    assert run("planner", "add", "--referrals", str(first), "--db", str(db)).exit_code == 0
    again = tmp_path / "again.csv"
    again.write_text(HEADER + '\n"r-000001 ",swi-care,2027-03-02 09:00,SW1,TM1,\n')
    before = _dump(db)
    result = run("planner", "add", "--referrals", str(again), "--db", str(db))
    assert result.exit_code == 2, result.output
    assert shows(
        f"error: {again}, row 2, column 'referral_id': 'r-000001' is already in the planner as "
        "'R-000001'; give each new referral a new case reference",
        result.output,
    )
    assert _dump(db) == before


def test_planner_add_lists_both_files_problems_at_once(tmp_path: Path, db: Path) -> None:
    # Before: the availability file's problem came only once the referrals file was clean.
    referrals = tmp_path / "week.csv"
    referrals.write_text(HEADER + "\nR-1,nope,2027-03-02 09:00,SW1,TM1,\n")
    away = tmp_path / "away.csv"
    away.write_text("person,from,to\nSW1,2027-03-20,2027-03-18\n")
    result = run(
        "planner", "add", "--referrals", str(referrals), "--availability", str(away),
        "--db", str(db),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert shows(f"error: {referrals}, row 2, column 'panel': unknown panel 'nope'", result.output)
    assert shows(
        f"error: {away}, row 2, column 'to': 'to' 2027-03-18 is before 'from' 2027-03-20",
        result.output,
    )
