"""`panelsched planner ...` end to end on the small model, and bad input on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from forward_helpers import referral, write_rows
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.forward import Store


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, ["planner", *args])
    assert "Traceback" not in result.output
    return result


def shows(message: str, output: str) -> bool:
    """Whether ``output`` holds ``message``, however the console wrapped it."""
    return "".join(message.split()) in "".join(output.split())


@pytest.fixture
def started(tmp_path: Path, model_file: Callable[..., Path]) -> Path:
    db = tmp_path / "p.db"
    result = run(
        "init", "--model", str(model_file()), "--db", str(db), "--by", "clerk", "--now",
        "2027-03-01 08:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return db


def test_a_walk_through(started: Path, tmp_path: Path) -> None:
    db = str(started)
    rows = write_rows(
        tmp_path / "r.csv",
        [referral("R-1", "2027-03-01 09:00"), referral("R-2", "2027-03-01 09:01")],
    )
    added = run("add", "--referrals", str(rows), "--db", db, "--now", "2027-03-01 10:00")
    assert added.exit_code == 0, added.output
    # Who must be told: both presenters of both cases, with the date and slot.
    assert shows("Added 2 referral(s)", added.output)
    assert shows("SW-1", added.output) and shows("Thu 04/03/2027 13:00-13:15", added.output)
    records = write_rows(
        tmp_path / "d.csv",
        [
            {"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "defer"},
            {"referral_id": "R-2", "panel": "crp", "date": "2027-03-04", "outcome": "decline"},
        ],
    )
    decided = run("decide", "--records", str(records), "--db", db, "--now", "2027-03-05 09:00")
    assert decided.exit_code == 0, decided.output
    assert shows("R-1#2", decided.output) and shows("S10", decided.output)
    shown = run("show", "--db", db, "--now", "2027-03-05 09:00", "--weeks", "2")
    assert shown.exit_code == 0, shown.output
    assert shows("crp Thu 11/03/2027 13:00-14:00", shown.output)
    assert shows("13:00 R-1#2 (deferred) SW-1/TM-1", shown.output)
    out = tmp_path / "export"
    exported = run("export", "--out", str(out), "--db", db, "--now", "2027-03-05 09:00")
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.iterdir()) == [
        "outcomes.csv",
        "planner.html",
        "planner.ics",
        "planner.xlsx",
    ]
    checked = run("validate", "--db", db, "--format", "json", "--now", "2027-03-05 09:00")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["errors"] == 0
    cancelled = run(
        "cancel", "crp@2027-03-11", "--reason", "chair away", "--db", db, "--now",
        "2027-03-08 09:00",
    )  # fmt: skip
    assert cancelled.exit_code == 0, cancelled.output
    # R-1#2 moves to 18 March, after its due date (the next sitting after the deferral).
    assert shows("moved 1.", cancelled.output)
    assert shows("Booked late: R-1#2: Heard 18/03/2027", cancelled.output)
    added_sitting = run("extra", "crp", "2027-03-12", "--db", db, "--now", "2027-03-08 09:05")
    assert added_sitting.exit_code == 0, added_sitting.output
    with Store.open(started) as store:
        trail = [(c[2], c[3]) for c in store.commands()]
    # --by names who acted; without it, the OS user.
    assert trail[0] == ("clerk", "init")
    assert [c for _, c in trail] == ["init", "add", "decide", "cancel", "extra"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "--referrals", "{bad}"), "row 2, column 'submitted'"),
        (
            ("decide", "--records", "{records}", "--now", "2027-03-12 09:00"),
            "row 2, column 'date': 'R-1' was not booked at crp on 11/03/2027",
        ),
        (("add", "--referrals", "{good}", "--now", "soon"), "--now: 'soon' is not a moment"),
        (("cancel", "crp-2027", "--reason", "x"), "SITTING: 'crp-2027' is not a sitting"),
        (("extra", "crp", "31/02/2027"), "DATE: '31/02/2027' is not a date"),
        (("show", "--panel", "nope"), "--panel: unknown panel nope"),
        (("validate", "--format", "yaml"), "--format: 'yaml' is not table or json"),
    ],
    ids=["bad-referral", "unbooked", "bad-now", "bad-sitting", "bad-date", "bad-panel", "format"],
)
def test_bad_input_exits_2_with_one_line_and_no_change(
    started: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    files = {
        "bad": write_rows(tmp_path / "bad.csv", [referral("R-1", "2027-02-30 09:00")]),
        "good": write_rows(tmp_path / "good.csv", [referral("R-1", "2027-03-01 09:00")]),
        "records": write_rows(
            tmp_path / "rec.csv",
            [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-11", "outcome": "approve"}],
        ),
    }
    if "decide" in args:
        run("add", "--referrals", str(files["good"]), "--db", str(started), "--now",
            "2027-03-02 10:00")  # fmt: skip
    with Store.open(started) as store:
        before = store.dump()
    filled = [a.format(**{k: str(v) for k, v in files.items()}) for a in args]
    result = run(*filled, "--db", str(started))
    assert result.exit_code == 2, result.output
    assert shows(message, result.output)
    with Store.open(started) as store:
        assert store.dump() == before


def test_a_missing_planner_is_named(tmp_path: Path) -> None:
    result = run("show", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert shows("none.db: no planner here; start one with", result.output)
