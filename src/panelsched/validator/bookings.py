"""Reading a bookings file (the planner's ``bookings.csv`` or a hand-made one) as a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from panelsched.errors import InputError
from panelsched.tabular import (
    Problems,
    missing_columns,
    parse_bool,
    parse_date,
    parse_moment,
    parse_time,
    read_table,
)

BOOKING_REQUIRED = ("referral_id", "date", "start")
# The field ``BookingRow.date`` shadows the type inside the class body.
Day = date
BOOKING_OPTIONAL = (
    "panel",
    "end",
    "social_worker",
    "team_manager",
    "submitted",
    "deadline",
    "wait_days",
    "late",
    "pinned",
)


@dataclass(frozen=True, slots=True)
class BookingRow:
    """One row of a bookings file; ``panel`` empty and ``end`` ``None`` when not given."""

    referral_id: str
    date: date
    start: time
    panel: str = ""
    end: time | None = None
    social_worker: str = ""
    team_manager: str = ""
    submitted: datetime | None = None
    deadline: Day | None = None
    pinned: bool = False
    row: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BookingsFile:
    """The rows of a bookings file and the columns it has."""

    file: str
    rows: tuple[BookingRow, ...]
    columns: frozenset[str]


def load_bookings(path: str | Path) -> BookingsFile:
    """Read a bookings file.

    Required columns: ``referral_id, date, start``; optional: ``panel, end, social_worker,
    team_manager, submitted, deadline, pinned`` (other columns of the planner's
    ``bookings.csv`` are ignored).

    Raises
    ------
    InputError
        Listing every bad cell: a missing column, an empty required cell, a date or time that
        cannot be read, a yes/no that is neither.
    """
    table = read_table(path)
    missing = missing_columns(table, BOOKING_REQUIRED, BOOKING_OPTIONAL)
    if missing:
        raise InputError(missing)
    problems = Problems()
    rows: list[BookingRow] = []
    for number, cells in table.records():
        count = len(problems)

        def cell(name: str, cells: dict[str, str] = cells) -> str:
            return cells.get(name, "")

        if not cell("referral_id"):
            problems.add(table.at(number, "referral_id"), "the cell is empty; name the case")
        day = problems.parse(parse_date, cell("date"), table.at(number, "date"))
        start = problems.parse(parse_time, cell("start"), table.at(number, "start"))
        end = (
            problems.parse(parse_time, cell("end"), table.at(number, "end"))
            if cell("end")
            else None
        )
        submitted = (
            problems.parse(parse_moment, cell("submitted"), table.at(number, "submitted"))
            if cell("submitted")
            else None
        )
        deadline = (
            problems.parse(parse_date, cell("deadline"), table.at(number, "deadline"))
            if cell("deadline")
            else None
        )
        pinned = problems.parse(parse_bool, cell("pinned"), table.at(number, "pinned"))
        if len(problems) > count or day is None or start is None:
            continue
        rows.append(
            BookingRow(
                referral_id=cell("referral_id"),
                date=day,
                start=start,
                panel=cell("panel"),
                end=end,
                social_worker=cell("social_worker"),
                team_manager=cell("team_manager"),
                submitted=submitted,
                deadline=deadline,
                pinned=bool(pinned),
                row=number,
            )
        )
    problems.raise_if_any()
    return BookingsFile(table.file, tuple(rows), frozenset(table.columns))


__all__ = ["BOOKING_OPTIONAL", "BOOKING_REQUIRED", "BookingRow", "BookingsFile", "load_bookings"]
