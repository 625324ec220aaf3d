"""`panelsched validate`: exit 0 clean, 1 with errors, 2 for bad input without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app

RUNNER = CliRunner()
MODEL = "models/lambeth.yaml"
CLEAN = (
    "referral_id,panel,date,outcome,chair_present,minutes_on_record\n"
    "R-1,lam-crp,2027-03-11,approve,yes,2027-03-12\n"
)


def run(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, ["validate", *args])
    return result.exit_code, result.output


def test_clean_records_exit_0(tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    records.write_text(CLEAN, encoding="utf-8")
    code, output = run(MODEL, "--records", str(records))
    assert code == 0, output
    assert "0 errors, 0 warnings." in output


def test_the_example_exits_1_and_writes_findings(tmp_path: Path) -> None:
    code, output = run(
        MODEL,
        "--records",
        "examples/lambeth/records.csv",
        "--referrals",
        "examples/lambeth/referrals.csv",
        "--out",
        str(tmp_path),
    )
    assert code == 1, output
    written = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in written["findings"]}
    # The example shows good and bad practice across scheduling and process rules.
    assert {"S1", "S2", "S6", "S9", "S11", "P1", "P3", "P4", "P11", "P13"} <= rules
    assert (
        (tmp_path / "findings.csv")
        .read_text(encoding="utf-8")
        .startswith("rule,severity,panel,referral_id,sitting,message,source\n")
    )


def test_json_format_prints_only_json(tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    records.write_text(CLEAN, encoding="utf-8")
    code, output = run(MODEL, "--records", str(records), "--format", "json")
    assert code == 0
    data = json.loads(output)
    statuses = {s["rule"]: s["status"] for s in data["summary"]}
    # P3 had a chair recorded; S6 had no review dates to check.
    assert (statuses["P3"], statuses["S6"]) == ("passed", "not checked")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "panelsched validate: give --bookings, --records or both to check"),
        (("--records", "nope.csv"), "nope.csv: no such file"),
        (("--records", "{records}", "--format", "xml"), "--format: 'xml' is not table or json"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    records = tmp_path / "records.csv"
    records.write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out"
    filled = [a.replace("{records}", str(records)) for a in args]
    code, output = run(MODEL, *filled, "--out", str(out))
    assert code == 2
    assert expected in output
    assert "Traceback" not in output
    assert not out.exists()


def test_a_bad_cell_is_named_by_row_and_column(tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    records.write_text("referral_id,panel,date\nR-1,lam-crp,2027-02-30\n", encoding="utf-8")
    code, output = run(MODEL, "--records", str(records))
    assert code == 2
    assert "row 2, column 'date': '2027-02-30' is not a real date" in " ".join(output.split())
