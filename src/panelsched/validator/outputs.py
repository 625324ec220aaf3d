"""What the validator found, written: ``findings.csv``, ``findings.json``, JSON text and the
last line shown (the terminal's tables are in :mod:`panelsched.cli.findings`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from panelsched.exports.atomic import output_set, replace_text
from panelsched.exports.csv_text import csv_writer
from panelsched.exports.safety import neutralise
from panelsched.validator.findings import FINDING_COLUMNS
from panelsched.validator.validation import Validation

# findings.json last: a folder holding it holds both.
FINDING_FILES = ("findings.csv", "findings.json")
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
    with output_set(folder, FINDING_FILES) as staging:
        table = staging / FINDING_FILES[0]
        with table.open("w", encoding="utf-8", newline="") as handle:
            writer = csv_writer(handle)
            writer.writerow(FINDING_COLUMNS)
            for finding in validation.findings:
                row = finding.as_row()
                writer.writerow([neutralise(row[name]) for name in FINDING_COLUMNS])
        replace_text(staging / FINDING_FILES[1], to_json(validation))
    return folder / FINDING_FILES[0], folder / FINDING_FILES[1]


def verdict(validation: Validation, folder: Path | None) -> str:
    """The last line shown: the counts, and where :func:`write_findings` wrote, if it did."""
    wrote = f" Wrote findings.csv and findings.json to {folder}/" if folder is not None else ""
    return f"{validation.errors} errors, {validation.warnings} warnings.{wrote}"


__all__ = [
    "SUMMARY_FIELDS",
    "as_dict",
    "to_json",
    "verdict",
    "write_findings",
]
