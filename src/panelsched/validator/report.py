"""Writing what the validator found: ``findings.csv``, ``findings.json`` and JSON text."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from panelsched.exports.safety import neutralise
from panelsched.validator.findings import FINDING_COLUMNS
from panelsched.validator.validation import Validation

SUMMARY_FIELDS = ("rule", "title", "source", "status", "checked", "passed", "failed", "not_checked")


def as_dict(validation: Validation) -> dict[str, Any]:
    """The findings, the summary and the counts as plain data (for JSON)."""
    return {
        "errors": validation.errors,
        "warnings": validation.warnings,
        "findings": [f.as_row() for f in validation.findings],
        "summary": [
            {
                "rule": s.rule,
                "title": s.title,
                "source": s.source,
                "status": s.status,
                "checked": s.checked,
                "passed": s.passed,
                "failed": s.failed,
                "not_checked": s.not_checked,
            }
            for s in validation.summary
        ],
    }


def to_json(validation: Validation) -> str:
    """The validation as JSON text, the same bytes for the same input."""
    return json.dumps(as_dict(validation), indent=2, ensure_ascii=False) + "\n"


def write_findings(validation: Validation, folder: Path) -> tuple[Path, Path]:
    """Write ``findings.csv`` (cells neutralised against formulas) and ``findings.json``.

    Returns
    -------
    tuple of Path
        The two files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "findings.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FINDING_COLUMNS)
        for finding in validation.findings:
            row = finding.as_row()
            writer.writerow([neutralise(row[name]) for name in FINDING_COLUMNS])
    document = folder / "findings.json"
    document.write_text(to_json(validation), encoding="utf-8")
    return table, document


__all__ = ["SUMMARY_FIELDS", "as_dict", "to_json", "write_findings"]
