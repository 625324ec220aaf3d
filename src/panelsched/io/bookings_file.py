"""``bookings.csv``, the planner's bookings file: its columns and its one reader.

The planner writes it (:func:`panelsched.exports.plan_files.bookings_frame`, with the columns
of :data:`BOOKING_COLUMNS` in that order). The validator reads it as the plan to check
(:func:`panelsched.validator.load_bookings`) and the plots as the slots to draw
(:func:`panelsched.plots.read_bookings`). Each says what it needs of the file as a
:class:`Reading`, and both read it with :func:`read_bookings_file`. A hand-made file may leave
out a column its reader does not require, and may have others (they are ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from panelsched.errors import InputError
from panelsched.io.cells import Problems, Where, parse_bool, parse_date, parse_moment, parse_time
from panelsched.io.tables import Table, missing_columns, read_table

# The field ``BookingLine.date`` shadows the type inside the class body.
Day = date

BOOKING_COLUMNS = (
    "referral_id",
    "panel",
    "date",
    "start",
    "end",
    "social_worker",
    "team_manager",
    "submitted",
    "deadline",
    "wait_days",
    "late",
    "pinned",
)

# A required text cell left empty, and what it should hold.
_EMPTY_TEXT = {"referral_id": "name the case", "panel": "expected a panel id like lam-crp"}


def is_late(day: date, deadline: date | None) -> bool | None:
    """True when a case heard on ``day`` is after its ``deadline``; ``None`` without one."""
    return None if deadline is None else day > deadline


@dataclass(frozen=True, slots=True)
class Reading:
    """What one reader needs of a bookings file.

    Parameters
    ----------
    required
        The columns the file must have; the others of :data:`BOOKING_COLUMNS` may be left out.
    checked
        The cells read and checked, in the order a row's problems are reported. A required
        cell must be filled; an optional one is read when it is. The text cells not checked
        (``panel``, ``social_worker``, ``team_manager``) are taken as they are; others are
        left unread.
    ends_after_start
        True when a slot must end after it starts for its row to be read (a plot draws the
        slot). The validator reads such a slot and reports it as a finding of S3 instead.
    """

    required: tuple[str, ...]
    checked: tuple[str, ...]
    ends_after_start: bool = False

    @property
    def optional(self) -> tuple[str, ...]:
        """The columns of :data:`BOOKING_COLUMNS` that are not required, in the file's order."""
        return tuple(c for c in BOOKING_COLUMNS if c not in self.required)


@dataclass(frozen=True, slots=True)
class BookingLine:
    """One row of a bookings file as read: a cell empty or not checked is ``None`` (or ``""``).

    ``wait_days`` and ``late`` come from their cells when given, otherwise from ``submitted``
    (the sitting date less the submission date) and ``deadline`` (heard after it).
    """

    referral_id: str
    panel: str
    date: Day
    start: time
    end: time | None
    social_worker: str
    team_manager: str
    submitted: datetime | None
    deadline: Day | None
    wait_days: int | None
    late: bool | None
    pinned: bool
    row: int


def read_bookings_file(path: str | Path, reading: Reading) -> tuple[Table, tuple[BookingLine, ...]]:
    """Read a bookings file (CSV or XLSX) as ``reading`` needs it.

    Returns
    -------
    tuple
        The table as read and its rows.

    Raises
    ------
    InputError
        The columns missing, if any (then no row is read); otherwise every bad cell.
    """
    table = read_table(path)
    missing = missing_columns(table, reading.required, reading.optional)
    if missing:
        raise InputError(missing)
    return table, read_lines(table.file, table.records(), reading, table.label)


def read_lines(
    file: str,
    records: Iterable[tuple[int, Mapping[str, object]]],
    reading: Reading,
    label: Callable[[str], str] | None = None,
) -> tuple[BookingLine, ...]:
    """Read the rows of a bookings table, or of a frame with its columns.

    Parameters
    ----------
    file
        The file's (or the frame's) name for messages.
    records
        Each row's spreadsheet number and its cells: text as in the file, or for a frame
        already a ``datetime.date``, ``datetime.time`` or ``bool``; ``None`` when empty.
    reading
        What the reader needs of the file.
    label
        A column's header as the file writes it, for messages (default: its name).

    Raises
    ------
    InputError
        Naming the row and column of every bad cell; a row with one is left out.
    """
    problems = Problems()
    lines: list[BookingLine] = []
    for number, cells in records:
        before = len(problems)
        got = _Cells()
        for column in reading.checked:
            where = Where(file, number, label(column) if label else column)
            _check(got, column, cells.get(column), where, reading, problems)
        day, start = got.date, got.start
        if len(problems) > before or day is None or start is None:
            continue
        wait = got.wait_days
        if wait is None and got.submitted is not None:
            wait = (day - got.submitted.date()).days
        lines.append(
            BookingLine(
                referral_id=_text(cells.get("referral_id")),
                panel=_text(cells.get("panel")),
                date=day,
                start=start,
                end=got.end,
                social_worker=_text(cells.get("social_worker")),
                team_manager=_text(cells.get("team_manager")),
                submitted=got.submitted,
                deadline=got.deadline,
                wait_days=wait,
                late=got.late if got.late is not None else is_late(day, got.deadline),
                pinned=bool(got.pinned),
                row=number,
            )
        )
    problems.raise_if_any()
    return tuple(lines)


@dataclass(slots=True)
class _Cells:
    """The checked cells of one row, as far as they could be read."""

    date: Day | None = None
    start: time | None = None
    end: time | None = None
    submitted: datetime | None = None
    deadline: Day | None = None
    wait_days: int | None = None
    late: bool | None = None
    pinned: bool | None = None


def _check(
    got: _Cells, column: str, value: object, where: Where, reading: Reading, problems: Problems
) -> None:
    """Read one cell into ``got``, recording what is wrong with it."""
    text = _text(value)
    required = column in reading.required
    if column in _EMPTY_TEXT:
        if required and not text:
            problems.add(where, f"the cell is empty; {_EMPTY_TEXT[column]}")
    elif not text and not required:
        return
    elif column == "date":
        got.date = _day(value, text, where, problems)
    elif column == "deadline":
        got.deadline = _day(value, text, where, problems)
    elif column == "start":
        got.start = _clock(value, text, where, problems)
    elif column == "end":
        got.end = _clock(value, text, where, problems)
        start, end = got.start, got.end
        if reading.ends_after_start and start is not None and end is not None and end <= start:
            problems.add(where, f"{end:%H:%M} is not after the start {start:%H:%M}")
    elif column == "submitted":
        got.submitted = problems.parse(parse_moment, text, where)
    elif column == "wait_days":
        try:
            got.wait_days = int(text)
        except ValueError:
            problems.add(where, f"'{text}' is not a whole number of days")
    elif column == "late":
        got.late = value if isinstance(value, bool) else problems.parse(parse_bool, text, where)
    elif column == "pinned":
        got.pinned = value if isinstance(value, bool) else problems.parse(parse_bool, text, where)
    else:
        raise ValueError(f"'{column}' is not a cell of a bookings file that can be checked")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _day(value: object, text: str, where: Where, problems: Problems) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return problems.parse(parse_date, text, where)


def _clock(value: object, text: str, where: Where, problems: Problems) -> time | None:
    if isinstance(value, time):
        return value
    return problems.parse(parse_time, text, where)


__all__ = [
    "BOOKING_COLUMNS",
    "BookingLine",
    "Reading",
    "is_late",
    "read_bookings_file",
    "read_lines",
]
