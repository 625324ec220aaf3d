"""What the validator found, written and shown: ``findings.csv``, ``findings.json``, JSON text
and the terminal's tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from panelsched.exports.atomic import output_set, replace_text
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
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(FINDING_COLUMNS)
            for finding in validation.findings:
                row = finding.as_row()
                writer.writerow([neutralise(row[name]) for name in FINDING_COLUMNS])
        replace_text(staging / FINDING_FILES[1], to_json(validation))
    return folder / FINDING_FILES[0], folder / FINDING_FILES[1]


def findings_table(validation: Validation, title: str, *, panels: bool = True) -> Table:
    """One row per finding, every text escaped so that a ``[...]`` prints as written.

    Parameters
    ----------
    validation
        What the validator found.
    title
        The table's title.
    panels
        Whether to show the panel column (the forward planner's store leaves it out).
    """
    columns = ["rule", "severity", "panel", "case", "sitting", "message", "source"]
    if not panels:
        columns.remove("panel")
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in ("rule", "severity"))
    for f in validation.findings:
        where = (f.panel, f.referral_id, f.sitting) if panels else (f.referral_id, f.sitting)
        table.add_row(*(escape(v) for v in (f.rule, f.severity, *where, f.message, f.source)))
    return table


def summary_table(validation: Validation) -> Table:
    """One row per rule: its source, status and how many cases were checked, passed, failed."""
    table = Table(title="Summary per rule")
    for column in ("rule", "source", "status", "checked", "passed", "failed", "not checked"):
        table.add_column(column, justify="right" if column[0] in "cpfn" else "left")
    for s in validation.summary:
        table.add_row(
            s.rule,
            escape(s.source),
            s.status,
            str(s.checked),
            str(s.passed),
            str(s.failed),
            str(s.not_checked),
        )
    return table


def verdict(validation: Validation, folder: Path | None) -> str:
    """The last line shown: the counts, and where :func:`write_findings` wrote, if it did."""
    wrote = f" Wrote findings.csv and findings.json to {folder}/" if folder is not None else ""
    return f"{validation.errors} errors, {validation.warnings} warnings.{wrote}"


__all__ = [
    "SUMMARY_FIELDS",
    "as_dict",
    "findings_table",
    "summary_table",
    "to_json",
    "verdict",
    "write_findings",
]
