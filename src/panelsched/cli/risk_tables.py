"""``planner risks``: the statutory clocks at risk as a terminal table, CSV or JSON (the rows
come from :func:`panelsched.forward.clock_risks.clock_risks`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from rich.table import Table
from rich.text import Text

from panelsched.exports.csv_text import csv_text
from panelsched.exports.safety import neutralise
from panelsched.forward.clock_risks import ClockRisk

RiskFormat = Literal["table", "csv", "json"]

# The CSV's and JSON's columns, in order; dates are ISO there, as in bookings.csv.
RISK_COLUMNS = (
    "case",
    "panel",
    "panel_name",
    "clock",
    "clock_id",
    "source",
    "requested",
    "clock_ends",
    "last_sitting",
    "booked",
    "state",
    "days_late",
    "days_left",
    "why",
)


def _uk(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day is not None else "-"


def risks_table(risks: Sequence[ClockRisk], now: datetime, weeks: int) -> Table:
    """One row per case, the fewest days left first, UK dates."""
    span = f"{weeks} week{'s' if weeks != 1 else ''}"
    table = Table(title=f"Statutory clocks whose last sitting is within {span} of {now:%d/%m/%Y}")
    for column in (
        "case",
        "panel",
        "clock",
        "requested",
        "clock ends",
        "last sitting",
        "days left",
        "booked",
        "where it stands",
    ):
        table.add_column(column, overflow="fold", no_wrap=column != "where it stands")
    for risk in risks:
        stands = risk.state_words + (f": {risk.why}" if risk.why else "")
        table.add_row(
            Text(risk.key),
            Text(risk.panel),
            Text(f"{risk.clock_name} ({risk.source})"),
            _uk(risk.requested),
            _uk(risk.clock_end),
            _uk(risk.last_sitting),
            risk.days_left_words,
            _uk(risk.booked),
            Text(stands),
        )
    return table


def risks_summary(risks: Sequence[ClockRisk]) -> str:
    """The line under the table: how many cases will miss their clock."""
    missing = sum(1 for r in risks if r.will_miss)
    cases = f"{len(risks)} case{'s' if len(risks) != 1 else ''}"
    their = "its" if missing == 1 else "their"
    return f"{cases} on a statutory clock; {missing} will miss {their} clock."


def _record(risk: ClockRisk) -> dict[str, object]:
    return {
        "case": risk.key,
        "panel": risk.panel,
        "panel_name": risk.panel_name,
        "clock": risk.clock_name,
        "clock_id": risk.clock_id,
        "source": risk.source,
        "requested": risk.requested.isoformat() if risk.requested else None,
        "clock_ends": risk.clock_end.isoformat(),
        "last_sitting": risk.last_sitting.isoformat(),
        "booked": risk.booked.isoformat() if risk.booked else None,
        "state": risk.state,
        "days_late": risk.days_late,
        "days_left": risk.days_left,
        "why": risk.why,
    }


def risks_csv(risks: Sequence[ClockRisk]) -> bytes:
    """:data:`RISK_COLUMNS` as CSV, text cells kept from running as formulas."""
    rows: list[list[object]] = [list(RISK_COLUMNS)]
    for risk in risks:
        record = _record(risk)
        rows.append(
            [neutralise(v) if isinstance(v, str) else v for v in (record[c] for c in RISK_COLUMNS)]
        )
    return csv_text(rows).encode("utf-8")


def risks_json(risks: Sequence[ClockRisk]) -> bytes:
    """A list of objects with :data:`RISK_COLUMNS` (``null`` where there is no date)."""
    return (json.dumps([_record(r) for r in risks], indent=2) + "\n").encode("utf-8")


__all__ = [
    "RISK_COLUMNS",
    "RiskFormat",
    "risks_csv",
    "risks_json",
    "risks_summary",
    "risks_table",
]
