"""`panelsched planner ...` end to end on the small model, and bad input on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.forward import Store
from tests.helpers.forward import referral, write_rows


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
    assert shows("Added 2 referrals and 0 periods away.", added.output)
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
        "calendars",
        "outcomes.csv",
        "planner.html",
        "planner.ics",
        "planner.xlsx",
    ]
    assert shows("planner.ics, planner.html, outcomes.csv, calendars/ to", exported.output)
    # A calendar per panel, and one per person with a slot in the range (R-1's, R-2's).
    people = sorted(p.name for p in (out / "calendars" / "people").iterdir())
    assert people == ["SW-1.ics", "SW-2.ics", "TM-1.ics", "TM-2.ics"]
    panels = sorted(p.name for p in (out / "calendars" / "panels").iterdir())
    assert panels == ["crp.ics", "ctp.ics", "neet.ics", "ptp.ics"]
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
        (("add", "--referrals", "{good}", "--now", "soon"), "--now: 'soon' is not a date and time"),
        (("cancel", "crp-2027", "--reason", "x"), "SITTING: 'crp-2027' is not a sitting"),
        (
            ("extra", "crp", "31/02/2027"),
            "DATE: '31/02/2027' is not a real date: February 2027 has 28 days, not 31",
        ),
        (
            ("extra", "crp", "2027-05-31", "--now", "2027-03-02 09:00"),
            "DATE: 31/05/2027 is a bank holiday (Spring Bank Holiday), not a working day; give "
            "--allow-non-working-day to add it anyway",
        ),
        (
            ("extra", "crp", "2027-03-06", "--now", "2027-03-02 09:00"),
            "DATE: 06/03/2027 is a Saturday, not a working day; give --allow-non-working-day to "
            "add it anyway",
        ),
        (
            ("extra", "crp", "2027-03-05", "--replan", "--move", "1"),
            "--move: give one of --replan and --move, not both",
        ),
        (
            ("add", "--referrals", "{good}", "--move-late-only", "--move", "2"),
            "--move: give one of --move-late-only and --move, not both",
        ),
        (("show", "--panel", "nope"), "--panel: unknown panel nope"),
        (("validate", "--format", "yaml"), "--format: 'yaml' is not table or json"),
    ],
    ids=[
        "bad-referral",
        "unbooked",
        "bad-now",
        "bad-sitting",
        "bad-date",
        "bank-holiday",
        "saturday",
        "replan-and-move",
        "late-only-and-move",
        "bad-panel",
        "format",
    ],
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


def test_corrections_and_the_audit_trail(started: Path, tmp_path: Path) -> None:
    # R-1..R-4 fill Thu 4 March; R-5 (due by 5 March, 21 days before its CLA review) is
    # booked late on 11 March. An extra Friday, 5 March, is offered to R-5 alone.
    db = str(started)
    four = [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 5)]
    late = [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")]
    for rows, now in ((four, "2027-03-01 10:00"), (late, "2027-03-01 12:00")):
        file = str(write_rows(tmp_path / f"{len(rows)}.csv", rows))
        assert run("add", "--referrals", file, "--db", db, "--now", now).exit_code == 0
    added = run("extra", "crp", "05/03/2027", "--db", db, "--now", "2027-03-02 09:00")
    assert added.exit_code == 0, added.output
    assert shows("Offered an earlier date to 1 case booked late (1 moved)", added.output)
    assert shows("Fri 05/03/2027", added.output) and shows("SW-5", added.output)
    removed = run("remove-extra", "crp@05/03/2027", "--db", db, "--now", "2027-03-02 09:30")
    assert removed.exit_code == 0, removed.output
    assert shows(
        "Removed the extra sitting of the Resource Panel on Fri 05/03/2027", removed.output
    )
    assert shows("Thu 11/03/2027", removed.output)
    records = write_rows(
        tmp_path / "d.csv",
        [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "defer"}],
    )
    decided = run("decide", "--records", str(records), "--db", db, "--now", "2027-03-05 09:00")
    assert decided.exit_code == 0, decided.output
    amended = run(
        "amend", "R-1", "--outcome", "approve", "--review-date", "10/06/2027", "--reason",
        "typed defer for approve", "--db", db, "--by", "clerk", "--now", "2027-03-06 09:00",
    )  # fmt: skip
    assert amended.exit_code == 0, amended.output
    assert shows(
        "Amended R-1 at the Resource Panel sitting of Thu 04/03/2027 from deferred to approved.",
        amended.output,
    )
    assert shows("R-1#2", amended.output) and shows("off the agenda", amended.output)
    history = run("history", "R-1", "--db", db)
    assert history.exit_code == 0, history.output
    assert shows("History of R-1", history.output) and shows("clerk", history.output)
    assert shows("typed defer for approve", history.output)
    # --now replays: as of 5 March 12:00 the amendment has not happened.
    replayed = run("history", "R-1", "--db", db, "--now", "2027-03-05 12:00")
    assert shows("outcome recorded", replayed.output) and not shows("clerk", replayed.output)
    audit = run("audit", "--by", "clerk", "--from", "06/03/2027", "--db", db)
    assert audit.exit_code == 0, audit.output
    assert shows("Changes to the planner (4)", audit.output)
    assert shows("No changes recorded", run("audit", "--by", "nobody", "--db", db).output)
    with Store.open(started) as store:
        trail = [c[3] for c in store.commands()]
    assert trail == ["init", "add", "add", "extra", "remove-extra", "decide", "amend"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("history", "R-9"), "REFERENCE: 'R-9' is not in the planner"),
        (("audit", "--from", "31/02/2027"), "--from: '31/02/2027'"),
        (
            ("amend", "R-1", "--outcome", "approve", "--reason", "x"),
            "HEARING: 'R-1' has no outcome",
        ),
        (
            ("amend", "R-1", "--outcome", "approve", "--reason", "x", "--review-date", "soon"),
            "--review-date: 'soon'",
        ),
        (("remove-extra", "crp@11/03/2027", "--now", "2027-03-02 09:00"), "use `planner cancel`"),
    ],
    ids=["history", "audit-date", "amend-undecided", "amend-date", "remove-regular"],
)
def test_corrections_refuse_bad_input(
    started: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    good = write_rows(tmp_path / "good.csv", [referral("R-1", "2027-03-01 09:00")])
    run("add", "--referrals", str(good), "--db", str(started), "--now", "2027-03-01 10:00")
    with Store.open(started) as store:
        before = store.dump()
    result = run(*args, "--db", str(started))
    assert result.exit_code == 2, result.output
    assert shows(message, result.output)
    assert len(result.output.strip().splitlines()) == 1
    with Store.open(started) as store:
        assert store.dump() == before


def test_dates_typed_the_way_the_tool_prints_them_are_read(started: Path, tmp_path: Path) -> None:
    # Every date and moment on the command line, UK day first: --now, panel@date, DATE,
    # --from and --to. An emergency decided Tue 2 March and added Fri 5 March, after the
    # 4 March sitting that had to ratify it, is reported late at once (S9), and so is a
    # referral said to be submitted after now.
    db = str(started)
    rows = write_rows(
        tmp_path / "r.csv",
        [
            referral("E-1", "02/03/2027 10:00", priority="emergency"),
            referral("R-2", "06/03/2027 09:00"),
        ],
    )
    added = run("add", "--referrals", str(rows), "--db", db, "--now", "05/03/2027 09:00")
    assert added.exit_code == 0, added.output
    assert shows("Booked late: E-1: Heard 11/03/2027, 7 days after 04/03/2027", added.output)
    assert shows(
        f"Warning: {rows}, row 3, column 'submitted': 'R-2' was submitted 06/03/2027 09:00, "
        "after now (05/03/2027 09:00); check the date",
        added.output,
    )
    cancelled = run(
        "cancel", "crp@18/03/2027", "--reason", "chair away", "--db", db, "--now",
        "08/03/2027 09:00",
    )  # fmt: skip
    assert cancelled.exit_code == 0, cancelled.output
    extra = run("extra", "crp", "17/03/2027", "--db", db, "--now", "08/03/2027 09:05")
    assert extra.exit_code == 0, extra.output
    out = tmp_path / "export"
    exported = run(
        "export", "--out", str(out), "--from", "01/03/2027", "--to", "31/03/2027", "--db", db,
        "--now", "08/03/2027 09:10",
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert shows("(sittings 01/03/2027 to 31/03/2027)", exported.output)
    with Store.open(started) as store:
        diary = store.diary()
    assert [(c.kind, c.date.isoformat()) for c in diary.changes] == [
        ("cancelled", "2027-03-18"),
        ("extra", "2027-03-17"),
    ]


def test_decide_prints_its_warnings(started: Path, tmp_path: Path) -> None:
    db = str(started)
    rows = write_rows(tmp_path / "r.csv", [referral("R-1", "2027-03-01 09:00")])
    added = run("add", "--referrals", str(rows), "--db", db, "--now", "2027-03-01 10:00")
    assert added.exit_code == 0, added.output
    records = write_rows(
        tmp_path / "d.csv",
        [{"referral_id": "R-1", "panel": "crp", "date": "04/03/2027", "outcome": "approve"}],
    )
    decided = run("decide", "--records", str(records), "--db", db, "--now", "05/03/2027 09:00")
    assert decided.exit_code == 0, decided.output
    assert shows(
        "Warning: R-1 at crp on 04/03/2027: approved with no review date, so no review is "
        "booked (S7)",
        decided.output,
    )
