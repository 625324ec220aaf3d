"""The validator's findings as terminal tables (rich)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from panelsched.validator.validation import Validation


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


__all__ = ["findings_table", "summary_table"]
