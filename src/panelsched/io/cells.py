"""Parsing a table's cells (and command-line dates) into dates, times, flags and money.

Every cell is read as text; nothing is guessed. Parsers take the text and a :class:`Where`
(file, row, column) and raise :class:`~panelsched.errors.InputError` holding one
:class:`~panelsched.errors.Problem` that names it. :class:`Problems` gathers problems over a
whole file so that one run reports every bad cell, not just the first.

Dates are ISO (``2027-01-04``) or UK day first (``04/01/2027``, always 4 January, never
month first); a date may also be written ``4 Jan 2027``, and a table cell may hold the number
Excel keeps a date as (``46391`` is 4 January 2027) when its column is formatted General.
Dates typed on the command line (``--from``, ``--now``, ``panel@date``) go through the same
parsers (:func:`argument_date`, :func:`argument_moment`), so every command reads a date the
way a table does, serial numbers apart.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from panelsched.errors import InputError, Problem

T = TypeVar("T")

DATE_HELP = "expected a date like 2027-01-04 or 04/01/2027 (day first)"
MOMENT_HELP = "expected a date like 2027-01-04 or 04/01/2027, with or without a time like 09:30"
TIME_HELP = "expected a time like 09:30 (24-hour clock)"
BOOL_HELP = "expected yes or no (also y/n, true/false, 1/0)"
MONEY_HELP = "expected an amount of pounds like 2000, £2,000 or 2,000.50"

# A year outside this range is a typing slip (0227, 20277), not a panel date.
MIN_YEAR, MAX_YEAR = 1900, 2199

# Excel's serial numbers for 01/01/2000 and 31/12/2199 (1900 date system): a plain number
# in a date column between them is a date whose cell lost its date format; any other number
# is not a date at all (a count, a slip), and is refused rather than read as 1900.
SERIAL_FIRST, SERIAL_LAST = 36526, 109574


@dataclass(frozen=True, slots=True)
class Where:
    """Where a value came from: a file and, in a table, a row and column.

    Parameters
    ----------
    file
        The file as the user gave it (or an option name such as ``--from``).
    row
        The spreadsheet row (the header is row 1).
    column
        The column's header as written in the file.
    """

    file: str
    row: int | None = None
    column: str | None = None

    def problem(self, message: str) -> Problem:
        """A :class:`Problem` at this place."""
        return Problem(self.file, message, row=self.row, column=self.column)

    def error(self, message: str) -> InputError:
        """An :class:`InputError` holding one problem at this place."""
        return InputError([self.problem(message)])


class Problems:
    """Problems found across a file, raised together at the end.

    Examples
    --------
    >>> problems = Problems()
    >>> day = problems.parse(parse_date, "31/02/2027", Where("f.csv", 2, "date"))
    >>> day is None and len(problems)
    1
    """

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def add(self, where: Where, message: str) -> None:
        """Record a problem at ``where``."""
        self._items.append(where.problem(message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere (for example by a parser)."""
        self._items.extend(problems)

    def parse(self, parser: Callable[[str, Where], T], text: str, where: Where) -> T | None:
        """Run ``parser`` on ``text``; on failure record its problems and return ``None``."""
        try:
            return parser(text, where)
        except InputError as exc:
            self.extend(exc.problems)
            return None

    def raise_if_any(self) -> None:
        """Raise one :class:`InputError` holding every problem recorded, if there are any."""
        if self._items:
            raise InputError(self._items)


# The most problems a person is shown at once, on the command line or a page: past these they
# learn nothing more (a broken file can have millions), and the rest are counted.
SHOWN_PROBLEMS = 20


def first_problems(
    problems: Iterable[Problem], limit: int = SHOWN_PROBLEMS
) -> tuple[tuple[Problem, ...], int]:
    """The first ``limit`` problems, and how many more there are."""
    every = tuple(problems)
    return every[:limit], max(0, len(every) - limit)


def more_problems(count: int) -> str:
    """``"and 1,999,979 more problems"``: the line that stands for the problems not shown."""
    return f"and {count:,} more problem{'s' if count != 1 else ''}"


_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_UK = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]+)")
_NAMED = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+([0-9]+)", re.IGNORECASE)
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_TIME_TAIL = re.compile(r"(?:\s+|T)([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)$")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9


def _day(year: int, month: int, day: int, text: str, where: Where, uk: bool = False) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise where.error(f"'{text}': the year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    if not 1 <= month <= 12:
        hint = " (dates are day first, so 04/01/2027 is 4 January)" if uk else ""
        raise where.error(f"'{text}' is not a real date: there is no month {month}{hint}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = calendar.month_name[month]
        raise where.error(
            f"'{text}' is not a real date: {month_name} {year} has {days} days, not {day}"
        )
    return date(year, month, day)


def _date_part(text: str, original: str, where: Where) -> date | None:
    if match := _ISO.fullmatch(text):
        return _day(int(match[1]), int(match[2]), int(match[3]), original, where)
    if match := _UK.fullmatch(text):
        if len(match[3]) != 4:
            raise where.error(f"'{original}': write the year in full, like 04/01/2027")
        return _day(int(match[3]), int(match[2]), int(match[1]), original, where, uk=True)
    if (match := _NAMED.fullmatch(text)) and match[2].lower() in _MONTHS:
        if len(match[3]) != 4:
            raise where.error(f"'{original}': write the year in full, like 4 Jan 2027")
        return _day(int(match[3]), _MONTHS[match[2].lower()], int(match[1]), original, where)
    return None


def _clock(text: str, original: str, where: Where) -> time:
    match = _CLOCK.fullmatch(text)
    if not match:
        raise where.error(f"'{original}' is not a time; {TIME_HELP}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise where.error(f"'{original}' is not a time of day; {TIME_HELP}")
    return time(hour, minute, second)


def _split(text: str) -> tuple[str, str | None]:
    match = _TIME_TAIL.search(text)
    if match is None:
        return text, None
    return text[: match.start()], match[1]


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _serial(text: str, where: Where) -> datetime | None:
    """The moment an Excel serial number stands for (``46391`` is 2027-01-04, ``46391.5``
    noon that day), ``None`` for text that is not a plain number.

    Excel's 1900 date system counts 29 February 1900, a day that never was;
    :func:`openpyxl.utils.datetime.from_excel` allows for it.
    """
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    if not SERIAL_FIRST <= number < SERIAL_LAST + 1:
        raise where.error(
            f"'{text}' is a number, not a date; if Excel shows it as a date, it is outside "
            f"{SERIAL_FIRST} (01/01/2000) to {SERIAL_LAST} (31/12/2199), so format the column "
            "as Date in Excel and check it, or type dates like 04/01/2027"
        )
    from openpyxl.utils.datetime import from_excel

    moment: datetime = from_excel(number)
    return to_minute(moment)


def to_minute(moment: datetime) -> datetime:
    """``moment`` rounded to the nearest minute."""
    # Excel stores times as fractions of a day, so 09:30 can come back as 09:29:59.999.
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)


def parse_date(text: str, where: Where) -> date:
    """Read a date: ISO ``2027-01-04``, UK day first ``04/01/2027`` or ``4/1/2027``.

    ``4 Jan 2027`` is also read, and so is an Excel serial number (``46391``, a date cell
    formatted General). A midnight time (``2027-01-04 00:00:00``, as some exports write
    dates) is allowed; any other time is not.

    Raises
    ------
    InputError
        For an empty cell, an unknown form, a two-digit year, a date that does not exist
        (``31/02/2027``), or a number out of the range of dates.
    """
    clean = " ".join(text.split())
    if not clean:
        raise where.error(f"the cell is empty; {DATE_HELP}")
    serial = _serial(clean, where)
    if serial is not None:
        if serial.time() != time(0, 0):
            raise where.error(f"'{clean}' is a date with a time ({serial:%H:%M}); {DATE_HELP}")
        return serial.date()
    day_text, clock = _split(clean)
    if clock is not None and _clock(clock, text, where) != time(0, 0):
        raise where.error(f"'{text}' has a time; {DATE_HELP}")
    day = _date_part(day_text, text.strip(), where)
    if day is None:
        raise where.error(f"'{text.strip()}' is not a date; {DATE_HELP}")
    return day


def parse_moment(text: str, where: Where) -> datetime:
    """Read a date with an optional time: ``2027-01-04 09:30``, ``2027-01-04T09:30``,
    ``04/01/2027 09:30``, or an Excel serial number (``46391.5``). A date alone is the start
    of that day (00:00).

    Raises
    ------
    InputError
        For an empty cell, an unknown form, a date or time that does not exist, or a number
        out of the range of dates.
    """
    clean = " ".join(text.split())
    if not clean:
        raise where.error(f"the cell is empty; {MOMENT_HELP}")
    serial = _serial(clean, where)
    if serial is not None:
        return serial
    day_text, clock = _split(clean)
    day = _date_part(day_text, text.strip(), where)
    if day is None:
        raise where.error(f"'{text.strip()}' is not a date and time; {MOMENT_HELP}")
    at = _clock(clock, text.strip(), where) if clock is not None else time(0, 0)
    return datetime.combine(day, at)


def argument_date(text: str, name: str) -> date:
    """A date typed on the command line (``--from 28/01/2027``), read as a cell is.

    Parameters
    ----------
    text
        What was typed: ISO ``2027-01-28``, UK day first ``28/01/2027`` or ``28 Jan 2027``.
    name
        The option or argument (``--from``, ``DATE``), named in the message.

    Raises
    ------
    InputError
        Naming ``name``, for anything but a date.
    """
    if not text.strip():
        raise InputError.one(name, f"no date given; {DATE_HELP}")
    _not_a_number(text, name, DATE_HELP)
    return parse_date(text, Where(name))


def argument_moment(text: str, name: str) -> datetime:
    """A moment typed on the command line (``--now "28/01/2027 13:00"``), read as a cell is;
    a date alone is the start of that day.

    Raises
    ------
    InputError
        Naming ``name``, for anything but a date with an optional time.
    """
    if not text.strip():
        raise InputError.one(name, f"no date given; {MOMENT_HELP}")
    _not_a_number(text, name, MOMENT_HELP)
    return parse_moment(text, Where(name))


def _not_a_number(text: str, name: str, help_text: str) -> None:
    # Serial numbers are how a spreadsheet cell can hold a date; nobody types one.
    if _NUMBER.fullmatch(text.strip()):
        raise InputError.one(name, f"'{text.strip()}' is not a date; {help_text}")


def parse_time(text: str, where: Where) -> time:
    """Read a time of day, ``09:30`` or ``9:30`` (seconds allowed, ``09:30:00``)."""
    clean = text.strip()
    if not clean:
        raise where.error(f"the cell is empty; {TIME_HELP}")
    return _clock(clean, clean, where)


_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})


def parse_bool(text: str, where: Where, default: bool = False) -> bool:
    """Read yes/no, y/n, true/false or 1/0 (any case); an empty cell is ``default``."""
    clean = text.strip().lower()
    if not clean:
        return default
    if clean in _TRUE:
        return True
    if clean in _FALSE:
        return False
    raise where.error(f"'{text.strip()}' is not yes or no; {BOOL_HELP}")


_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?")


def parse_money(text: str, where: Where) -> Decimal | None:
    """Read pounds: ``2000``, ``£2,000``, ``2,000.50``; an empty cell is ``None``.

    Commas must group thousands (``2,00`` is refused rather than guessed); at most two
    decimal places.

    Raises
    ------
    InputError
        For a negative amount or text that is not an amount.
    """
    clean = "".join(text.split())
    if not clean:
        return None
    if clean.startswith(("-", "−", "(")) or clean.startswith(("£-", "£−")):
        raise where.error(f"'{text.strip()}': a cost cannot be negative")
    amount = clean.removeprefix("£")
    if not _AMOUNT.fullmatch(amount):
        raise where.error(f"'{text.strip()}' is not an amount; {MONEY_HELP}")
    return Decimal(amount.replace(",", ""))


def parse_list(text: str, where: Where | None = None) -> tuple[str, ...]:
    """Split ``"SW2; Head of Service"`` on ``;`` into stripped names, dropping empty ones.

    ``where`` is accepted for symmetry with the other parsers; a list never fails to parse.
    """
    return tuple(part.strip() for part in text.split(";") if part.strip())


__all__ = [
    "BOOL_HELP",
    "DATE_HELP",
    "MAX_YEAR",
    "MIN_YEAR",
    "MOMENT_HELP",
    "MONEY_HELP",
    "SHOWN_PROBLEMS",
    "TIME_HELP",
    "Problems",
    "Where",
    "argument_date",
    "argument_moment",
    "first_problems",
    "more_problems",
    "parse_bool",
    "parse_date",
    "parse_list",
    "parse_moment",
    "parse_money",
    "parse_time",
    "to_minute",
]
