"""The bookings the plots read: a plan's ``bookings.csv`` (or a frame with its columns), checked.

Plots take plain data, never a solver: a plan reaches them as the table the planner writes,
read by :func:`read_bookings`, or as :func:`panelsched.exports.plan_files.bookings_frame` of a
:class:`~panelsched.plan.Plan` in memory. Either way :func:`bookings_table` checks it once and
gives every plot the same typed columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from panelsched.errors import InputError, Problem
from panelsched.model import minutes_of
from panelsched.tabular import (
    Problems,
    Where,
    missing_columns,
    parse_bool,
    parse_date,
    parse_moment,
    parse_time,
    read_table,
)

BOOKING_REQUIRED = ("referral_id", "panel", "date", "start", "end")
BOOKING_OPTIONAL = (
    "social_worker",
    "team_manager",
    "submitted",
    "deadline",
    "wait_days",
    "late",
    "pinned",
)
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


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _day(value: object, where: Where, problems: Problems) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return problems.parse(parse_date, _text(value), where)


def _clock(value: object, where: Where, problems: Problems) -> time | None:
    if isinstance(value, time):
        return value
    return problems.parse(parse_time, _text(value), where)


def _whole(value: object, where: Where, problems: Problems) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems.add(where, f"'{text}' is not a whole number of days")
        return None


def _rows(
    file: str,
    columns: Iterable[str],
    records: Iterable[tuple[int, Mapping[str, object]]],
    label: Mapping[str, str],
) -> pd.DataFrame:
    present = set(columns)
    problems = Problems()
    rows: list[dict[str, object]] = []
    for number, cells in records:

        def at(column: str, number: int = number) -> Where:
            return Where(file, number, label.get(column, column))

        before = len(problems)
        referral = _text(cells.get("referral_id"))
        panel = _text(cells.get("panel"))
        if not referral:
            problems.add(at("referral_id"), "the cell is empty; name the case")
        if not panel:
            problems.add(at("panel"), "the cell is empty; expected a panel id like lam-crp")
        day = _day(cells.get("date"), at("date"), problems)
        start = _clock(cells.get("start"), at("start"), problems)
        end = _clock(cells.get("end"), at("end"), problems)
        if start is not None and end is not None and end <= start:
            problems.add(at("end"), f"{end:%H:%M} is not after the start {start:%H:%M}")
        deadline = (
            _day(cells.get("deadline"), at("deadline"), problems)
            if _text(cells.get("deadline"))
            else None
        )
        wait = _whole(cells.get("wait_days"), at("wait_days"), problems)
        submitted_text = _text(cells.get("submitted"))
        submitted = (
            problems.parse(parse_moment, submitted_text, at("submitted"))
            if submitted_text
            else None
        )
        late_cell = cells.get("late")
        late: bool | None
        if isinstance(late_cell, bool):
            late = late_cell
        elif "late" in present and _text(late_cell):
            late = problems.parse(parse_bool, _text(late_cell), at("late"))
        else:
            late = None
        if len(problems) > before or day is None or start is None or end is None:
            continue
        if wait is None and submitted is not None:
            wait = (day - submitted.date()).days
        if late is None and deadline is not None:
            late = day > deadline
        rows.append(
            {
                "referral_id": referral,
                "panel": panel,
                "date": day,
                "start": start,
                "end": end,
                "minutes": minutes_of(end) - minutes_of(start),
                "social_worker": _text(cells.get("social_worker")),
                "team_manager": _text(cells.get("team_manager")),
                "deadline": deadline,
                "wait_days": wait,
                "late": late,
            }
        )
    problems.raise_if_any()
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["wait_days"] = frame["wait_days"].astype("Int64")
    frame["late"] = frame["late"].astype("boolean")
    return frame


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
    table = read_table(path)
    missing = missing_columns(table, BOOKING_REQUIRED, BOOKING_OPTIONAL)
    if missing:
        raise InputError(missing)
    label = {c: table.label(c) for c in table.columns}
    return _rows(table.file, table.columns, table.records(), label)


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
        (number + 2, dict(zip(columns, values, strict=True)))
        for number, values in enumerate(frame.itertuples(index=False, name=None))
    )
    return _rows(source, columns, records, {})


def booked_minutes(bookings: pd.DataFrame) -> dict[str, int]:
    """Minutes booked at each sitting, keyed by sitting id ``panel@YYYY-MM-DD``."""
    table = bookings_table(bookings)
    used: dict[str, int] = defaultdict(int)
    for panel, day, minutes in zip(table["panel"], table["date"], table["minutes"], strict=True):
        used[f"{panel}@{day.isoformat()}"] += int(minutes)
    return dict(used)


__all__ = ["BOOKING_REQUIRED", "COLUMNS", "booked_minutes", "bookings_table", "read_bookings"]
