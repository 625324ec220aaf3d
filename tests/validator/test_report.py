"""findings.csv and findings.json: safe for spreadsheets, the same bytes every time."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from panelsched.validator import Finding, RuleSummary
from panelsched.validator.outputs import to_json, write_findings
from panelsched.validator.validation import Validation

FINDINGS = (
    Finding("S6", "error", "crp", '=HYPERLINK("x")', "crp@2027-03-11", "heard late", "CBC 6"),
    Finding("S10", "warning", "crp", "C-2", "crp@2027-03-04", "-deferred", "CBC 9"),
)
SUMMARY = (RuleSummary("S6", "heard 3 weeks before", "CBC 6", 2, 1, 1, 0),)


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    table, _ = write_findings(Validation(FINDINGS, SUMMARY), tmp_path)
    rows = list(csv.reader(table.open(encoding="utf-8")))
    assert rows[0] == ["rule", "severity", "panel", "referral_id", "sitting", "message", "source"]
    # A reference starting with = and a message starting with - are prefixed with '.
    assert rows[1][3] == '\'=HYPERLINK("x")'
    assert rows[2][5] == "'-deferred"


def test_json_holds_findings_summary_and_counts(tmp_path: Path) -> None:
    _, document = write_findings(Validation(FINDINGS, SUMMARY), tmp_path)
    data = json.loads(document.read_text(encoding="utf-8"))
    assert (data["errors"], data["warnings"]) == (1, 1)
    assert data["summary"] == [
        {
            "rule": "S6",
            "title": "heard 3 weeks before",
            "source": "CBC 6",
            "status": "failed",
            "checked": 2,
            "passed": 1,
            "failed": 1,
            "not_checked": 0,
        }
    ]
    # JSON is data, not a spreadsheet: the reference is kept as it is.
    assert data["findings"][0]["referral_id"] == '=HYPERLINK("x")'


def test_same_validation_same_bytes(tmp_path: Path) -> None:
    first = write_findings(Validation(FINDINGS, SUMMARY), tmp_path / "a")
    second = write_findings(Validation(FINDINGS, SUMMARY), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert to_json(Validation(FINDINGS, SUMMARY)).endswith("}\n")
