"""``planner clocks``: the statutory clocks' counts as a terminal table, CSV or JSON (the
counts come from :func:`panelsched.forward.clock_counts.clock_counts`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
from rich.table import Table

from panelsched.exports.tables import csv_bytes
from panelsched.forward.clock_counts import CLOCK_COLUMNS, ClockMonth

# The table's headings, as a manager would put them in a report.
HEADINGS = (
    "month",
    "started",
    "decided in time",
    "decided late",
    "days late (median)",
    "days late (most)",
    "share in time",
    "paused",
    "open, in time",
    "open, past the last sitting",
)


def share_words(share: float | None) -> str:
    """``60%``, or ``-`` when nothing was decided."""
    return "-" if share is None else f"{share:.0%}"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def table_cells(row: ClockMonth) -> list[str]:
    """The cells of :data:`HEADINGS` for one month, as words."""
    return [
        f"{row.month:%B %Y}",
        str(row.started),
        str(row.in_time),
        str(row.late),
        _number(row.median_days_late),
        _number(row.most_days_late),
        share_words(row.share_in_time),
        str(row.paused),
        str(row.open_in_time),
        str(row.open_past),
    ]


def clock_tables(rows: Sequence[ClockMonth]) -> list[Table]:
    """One table per clock, a row per month, titled with the clock and its citation."""
    tables: dict[str, Table] = {}
    for row in rows:
        if row.clock not in tables:
            table = Table(title=f"{row.name} ({row.source})")
            for heading in HEADINGS:
                table.add_column(heading, justify="left" if heading == "month" else "right")
            tables[row.clock] = table
        tables[row.clock].add_row(*table_cells(row))
    return list(tables.values())


def _records(rows: Sequence[ClockMonth]) -> list[dict[str, object]]:
    records = []
    for row in rows:
        record: dict[str, object] = dict(zip(CLOCK_COLUMNS, row.row(), strict=True))
        share = row.share_in_time
        record["share_in_time"] = None if share is None else round(share, 4)
        records.append(record)
    return records


def clocks_csv(rows: Sequence[ClockMonth]) -> bytes:
    """The counts as CSV: :data:`CLOCK_COLUMNS`, the month as ``June 2027``, the share in
    time as a fraction (``0.6``), blank where nothing was decided or late."""
    records = _records(rows)
    for record, row in zip(records, rows, strict=True):
        record["month"] = f"{row.month:%B %Y}"
    frame = pd.DataFrame(records, columns=list(CLOCK_COLUMNS))
    # Whole days stay whole where a month has no late case (pandas would make them 12.0).
    frame["most_days_late"] = frame["most_days_late"].astype("Int64")
    return csv_bytes(frame)


def clocks_json(rows: Sequence[ClockMonth]) -> bytes:
    """The counts as JSON: a list of objects with :data:`CLOCK_COLUMNS` and the clock's id,
    the month as its first day (``2027-06-01``)."""
    records = _records(rows)
    for record, row in zip(records, rows, strict=True):
        record["month"] = row.month.isoformat()
        record["clock_id"] = row.clock
        record["days_late"] = list(row.days_late)
    return (json.dumps(records, indent=2) + "\n").encode("utf-8")


__all__ = ["HEADINGS", "clock_tables", "clocks_csv", "clocks_json", "share_words", "table_cells"]
