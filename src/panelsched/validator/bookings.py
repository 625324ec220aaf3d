"""Reading a bookings file (the planner's ``bookings.csv`` or a hand-made one) as a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from panelsched.io.bookings_file import Reading, read_bookings_file

# What the validator needs of a bookings file: each row's case, date and start. The panel
# (else the case's own), the end (else the case's slot length) and the rest are optional;
# a slot that ends before it starts is a finding of S3, not a bad cell.
READING = Reading(
    required=("referral_id", "date", "start"),
    checked=("referral_id", "date", "start", "end", "submitted", "deadline", "pinned"),
)
BOOKING_REQUIRED = READING.required
BOOKING_OPTIONAL = READING.optional
# The field ``BookingRow.date`` shadows the type inside the class body.
Day = date


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
    table, lines = read_bookings_file(path, READING)
    rows = tuple(
        BookingRow(
            referral_id=line.referral_id,
            date=line.date,
            start=line.start,
            panel=line.panel,
            end=line.end,
            social_worker=line.social_worker,
            team_manager=line.team_manager,
            submitted=line.submitted,
            deadline=line.deadline,
            pinned=line.pinned,
            row=line.row,
        )
        for line in lines
    )
    return BookingsFile(table.file, rows, frozenset(table.columns))


__all__ = ["BOOKING_OPTIONAL", "BOOKING_REQUIRED", "BookingRow", "BookingsFile", "load_bookings"]
