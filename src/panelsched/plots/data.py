"""The bookings the plots read: a plan's ``bookings.csv`` (or a frame with its columns), checked.

Plots take plain data, never a solver: a plan reaches them as the table the planner writes,
read by :func:`read_bookings`, or as :func:`panelsched.exports.plan_files.bookings_frame` of a
:class:`~panelsched.core.plan.Plan` in memory. Either way :func:`bookings_table` checks it once and
gives every plot the same typed columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd

from panelsched.core.panels import minutes_of
from panelsched.core.sittings import sitting_id
from panelsched.errors import InputError, Problem
from panelsched.io.bookings_file import BookingLine, Reading, read_bookings_file, read_lines

# What a plot needs of a bookings file: each slot whole, at a named panel. The cells are
# checked in the order their messages have always come.
READING = Reading(
    required=("referral_id", "panel", "date", "start", "end"),
    checked=(
        "referral_id",
        "panel",
        "date",
        "start",
        "end",
        "deadline",
        "wait_days",
        "submitted",
        "late",
    ),
    ends_after_start=True,
)
BOOKING_REQUIRED = READING.required
# What bookings_table returns, in this order.
COLUMNS = (
    "referral_id",
    "panel",
    "date",
    "start",
    "end",
    "minutes",
    "social_worker",
    "team_manager",
    "deadline",
    "wait_days",
    "late",
)


def _frame(lines: Iterable[BookingLine]) -> pd.DataFrame:
    rows = [
        {
            "referral_id": line.referral_id,
            "panel": line.panel,
            "date": line.date,
            "start": line.start,
            "end": line.end,
            "minutes": minutes_of(line.end) - minutes_of(line.start),
            "social_worker": line.social_worker,
            "team_manager": line.team_manager,
            "deadline": line.deadline,
            "wait_days": line.wait_days,
            "late": line.late,
        }
        for line in lines
        if line.end is not None  # always: the plots require it
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["wait_days"] = frame["wait_days"].astype("Int64")
    frame["late"] = frame["late"].astype("boolean")
    return frame


def _empty(value: object) -> bool:
    """An empty cell of a frame: ``None``, NaN or ``pd.NA``."""
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA


def read_bookings(path: str | Path) -> pd.DataFrame:
    """Read a plan's ``bookings.csv`` (or XLSX) for plotting.

    Required columns: ``referral_id, panel, date, start, end``; read when present:
    ``social_worker, team_manager, submitted, deadline, wait_days, late``.

    Returns
    -------
    pandas.DataFrame
        As :func:`bookings_table` returns.

    Raises
    ------
    InputError
        Naming the file, row and column of every bad cell and every missing column.
    """
    _table, lines = read_bookings_file(path, READING)
    return _frame(lines)


def bookings_table(frame: pd.DataFrame, source: str = "bookings") -> pd.DataFrame:
    """Check a bookings frame and give it typed columns.

    Parameters
    ----------
    frame
        One row per booking with at least ``referral_id, panel, date, start, end``; cells may
        be text as in ``bookings.csv`` (ISO or day-first dates, ``13:00``) or already
        ``datetime.date`` and ``datetime.time``. Optional: ``social_worker, team_manager,
        submitted, deadline, wait_days, late``.
    source
        The frame's name for messages; row numbers count the header as row 1, as in a file.

    Returns
    -------
    pandas.DataFrame
        Columns ``referral_id, panel`` (text), ``date`` (date), ``start, end`` (time),
        ``minutes`` (int), ``social_worker, team_manager`` (text, empty when absent),
        ``deadline`` (date or None), ``wait_days`` (nullable int: from the column, or the
        sitting date less the submission date) and ``late`` (nullable bool: from the column,
        or heard after ``deadline``), in the frame's order.

    Raises
    ------
    InputError
        Naming the row and column of every bad cell and every missing column.
    """
    if set(COLUMNS) <= set(frame.columns) and all(
        isinstance(v, date) for v in frame["date"].head(1)
    ):
        # Already checked: a frame this function returned.
        return frame
    missing = [
        Problem(source, "this required column is missing", column=name)
        for name in BOOKING_REQUIRED
        if name not in frame.columns
    ]
    if missing:
        raise InputError(missing)
    columns = [str(c) for c in frame.columns]
    records = (
        (number + 2, {c: None if _empty(v) else v for c, v in zip(columns, values, strict=True)})
        for number, values in enumerate(frame.itertuples(index=False, name=None))
    )
    return _frame(read_lines(source, records, READING))


def booked_minutes(bookings: pd.DataFrame) -> dict[str, int]:
    """Minutes booked at each sitting, keyed by sitting id ``panel@YYYY-MM-DD``."""
    table = bookings_table(bookings)
    used: dict[str, int] = defaultdict(int)
    for panel, day, minutes in zip(table["panel"], table["date"], table["minutes"], strict=True):
        used[sitting_id(panel, day)] += int(minutes)
    return dict(used)


__all__ = ["BOOKING_REQUIRED", "COLUMNS", "booked_minutes", "bookings_table", "read_bookings"]
