"""``panelsched planner clocks`` (issue 26, "Counted") on the diary of
tests/helpers/clock_counts.py; the counts are worked out by hand in test_clock_counts.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app
from tests.helpers.clock_counts import build_clock_diary

NOW = "22/07/2027 09:00"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_clock_diary(tmp_path_factory.mktemp("clocks"))


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, ["planner", "clocks", "--db", str(db), "--now", NOW, *args])
    assert "Traceback" not in result.output
    return result


def test_the_table_gives_each_month_in_words(db: Path) -> None:
    done = run(db, "--from", "01/06/2027", "--to", "31/07/2027")
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert "6-week assessment decision (SEND Regulations 2014, reg. 5)" in text
    # June: 6 started, 3 in time, 2 late (median 8.5, most 12 days), 60%, 1 paused, 0 open in
    # time, 1 open past its last sitting; July: 3 started, all open in time.
    assert "June 2027 │ 6 │ 3 │ 2 │ 8.5 │ 12 │ 60% │ 1 │ 0 │ 1" in text
    assert "July 2027 │ 3 │ 0 │ 0 │ - │ - │ - │ 0 │ 3 │ 0" in text
    assert "06/2027 to 07/2027; outcomes as of 22/07/2027 09:00" in text


def test_csv_and_json_give_the_same_figures(db: Path, tmp_path: Path) -> None:
    done = run(db, "--from", "2027-06-01", "--to", "2027-07-31", "--format", "csv")
    assert done.exit_code == 0, done.output
    june, july = csv.DictReader(io.StringIO(done.output))
    assert june == {
        "clock": "6-week assessment decision", "source": "SEND Regulations 2014, reg. 5",
        "month": "June 2027", "started": "6", "decided_in_time": "3", "decided_late": "2",
        "median_days_late": "8.5", "most_days_late": "12", "share_in_time": "0.6",
        "paused": "1", "open_in_time": "0", "open_past_last_sitting": "1",
    }  # fmt: skip
    assert (july["started"], july["open_in_time"], july["share_in_time"]) == ("3", "3", "")
    out = tmp_path / "clocks.json"
    written = run(db, "--from", "01/06/2027", "--to", "30/06/2027", "--format", "json",
                  "--out", str(out))  # fmt: skip
    assert written.exit_code == 0, written.output
    assert f"Wrote {out}" in written.output
    (only,) = json.loads(out.read_text(encoding="utf-8"))
    assert (only["clock_id"], only["month"], only["days_late"]) == (
        "ehc-assessment-decision",
        "2027-06-01",
        [5, 12],
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "error: --format: 'xml' is not table or csv or json"),
        (["--from", "01/07/2027", "--to", "01/06/2027"],
         "error: --to: 01/06/2027 is before --from 01/07/2027"),
        (["--from", "31/02/2027"], "error: --from:"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_in_one_line(db: Path, args: list[str], message: str) -> None:
    done = run(db, *args)
    assert done.exit_code == 2
    assert message in done.output


def test_a_model_without_clocks_says_there_is_nothing_to_count(
    store: object, tmp_path: Path
) -> None:
    # The conftest's planner (tests/helpers/forward.py's model) sets no clocks.
    done = run(tmp_path / "planner.db")
    assert done.exit_code == 0, done.output
    assert "The model sets no statutory clocks: there is nothing to count." in done.output
