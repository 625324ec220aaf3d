"""``panelsched planner risks`` over a season of Peterborough SEN requests
(tests/helpers/sen_season.py works every date out by hand): each case that will miss its
statutory clock is named weeks before the clock ends, with where it stands and why, and the run
still succeeds (a late case is what the report is for, not an error)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app
from tests.helpers.sen_season import WHY_AWAY, WHY_FULL, WHY_NO_SITTING, build_season

AS_OF = ("--now", "2027-02-01 10:00")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_season(tmp_path_factory.mktemp("season"))


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, ["planner", "risks", "--db", str(db), *AS_OF, *args])
    assert "Traceback" not in result.output
    return result


def _line(output: str, key: str) -> str:
    (found,) = [line for line in output.splitlines() if line.startswith(f"│ {key} ")]
    return " ".join(found.replace("│", " ").split())


def test_six_weeks_ahead_names_the_cases_that_will_miss_in_a_table(db: Path) -> None:
    done = run(db, "--weeks", "6")
    assert done.exit_code == 0, done.output
    assert "Statutory clocks whose last sitting is within 6 weeks of 01/02/2027" in done.output
    # Fewest days left first: S-4 (12/02, 11 days), S-3 (19/02, 18), S-5 (03/03, 30), S-2
    # (04/03, 31), S-1 (11/03, 38); S-6's 20-week clock (23/04) is beyond 6 weeks.
    keys = [line.split()[1] for line in done.output.splitlines() if line.startswith("│ S-")]
    assert keys == ["S-4", "S-3", "S-5", "S-2", "S-1"]
    clock = "6-week assessment decision (SEND Regulations 2014, reg. 5)"
    assert _line(done.output, "S-4") == (
        f"S-4 pbo-sen {clock} 05/01/2027 16/02/2027 12/02/2027 11 days 02/03/2027 "
        f"booked late, by 18 days: {WHY_NO_SITTING}"
    )
    assert _line(done.output, "S-3") == (
        f"S-3 pbo-sen {clock} 12/01/2027 23/02/2027 19/02/2027 18 days 02/03/2027 "
        f"booked late, by 11 days: {WHY_FULL}"
    )
    assert _line(done.output, "S-5") == (
        f"S-5 pbo-sen {clock} 22/01/2027 05/03/2027 03/03/2027 30 days - "
        f"not bookable in time: {WHY_AWAY}"
    )
    assert _line(done.output, "S-1").endswith("38 days 02/03/2027 booked in time")
    assert "5 cases on a statutory clock; 3 will miss their clock." in done.output


def test_the_cases_as_csv_and_as_json_in_a_file(db: Path, tmp_path: Path) -> None:
    done = run(db, "--format", "csv")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.output)))
    assert [(r["case"], r["state"], r["days_late"], r["days_left"]) for r in rows] == [
        ("S-4", "booked late", "18", "11"),
        ("S-3", "booked late", "11", "18"),
        ("S-5", "not bookable in time", "", "30"),
        ("S-2", "booked in time", "", "31"),
        ("S-1", "booked in time", "", "38"),
    ]
    assert (rows[1]["last_sitting"], rows[1]["booked"], rows[1]["why"]) == (
        "2027-02-19",
        "2027-03-02",
        WHY_FULL,
    )
    out = tmp_path / "risks.json"
    written = run(db, "--weeks", "2", "--format", "json", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert f"Wrote {out}" in written.output
    (only,) = json.loads(out.read_text(encoding="utf-8"))
    assert (only["case"], only["clock_id"], only["clock_ends"], only["days_left"]) == (
        "S-4",
        "ehc-assessment-decision",
        "2027-02-16",
        11,
    )


def test_nothing_within_the_weeks_is_said_in_words(db: Path) -> None:
    done = run(db, "--weeks", "1")
    assert done.exit_code == 0, done.output
    assert done.output.strip() == (
        "No open case on a statutory clock has its last sitting within 1 week of 01/02/2027."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "--format: 'xml' is not table or csv or json"),
        (("--panel", "pbo-nope"), "--panel: unknown panel pbo-nope; known:"),
        (("--out", "."), "--out: . is a folder; expected a file name"),
    ],
)
def test_bad_input_is_refused_in_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    done = run(db, *args)
    assert done.exit_code == 2, done.output
    assert message in done.output
