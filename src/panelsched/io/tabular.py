"""Reading CSV and XLSX tables, and parsing their cells into dates, times, flags and money.

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
import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path
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

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")

# The most data rows a table may have (about 40 years of a large council's referrals): read
# as text, 100,000 rows take some 200 MB; a larger file is refused as it is read.
MAX_ROWS = 100_000

# What exports.safety.neutralise puts in front of a formula-like cell; a spreadsheet shows
# the cell without the apostrophe, so the reader does too.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a CSV or XLSX file, every cell as stripped text.

    Parameters
    ----------
    file
        The file's name as the user gave it.
    columns
        Normalised column names: stripped, lower case, spaces as underscores.
    rows
        One mapping per non-blank data row, from column name to cell text (``""`` if empty).
    row_numbers
        The spreadsheet row of each row (the header is row 1, the first data row is row 2).
    headers
        The headers as written, in the same order as ``columns``, for messages.
    """

    file: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    row_numbers: tuple[int, ...]
    headers: tuple[str, ...] = ()
    header_row: int = 1

    def label(self, column: str) -> str:
        """The header of ``column`` as written in the file (the name itself if absent)."""
        if column in self.columns and self.headers:
            return self.headers[self.columns.index(column)]
        return column

    def at(self, row: int | None, column: str | None = None) -> Where:
        """The place of a cell, naming its column as the file writes it."""
        return Where(self.file, row, None if column is None else self.label(column))

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row with its spreadsheet row number."""
        return zip(self.row_numbers, self.rows, strict=True)


def normalise_header(text: str) -> str:
    """``" Referral ID"`` -> ``"referral_id"``: strip, lower case, whitespace as ``_``."""
    return "_".join(text.replace("\ufeff", "").lower().split())


def _clean_cell(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_TRIGGERS:
        text = text[1:].strip()
    return text


def read_table(path: str | Path) -> Table:
    """Read the first sheet of an XLSX workbook or a CSV file as text.

    CSV files may be UTF-8 (with or without a byte-order mark) or Windows-1252 as Excel saves
    them; a header with no commas but semicolons or tabs is read with that separator. XLSX
    date cells become ISO text (``2027-01-04``, or ``2027-01-04 09:30`` with a time), whole
    numbers lose their ``.0``. Fully blank rows are skipped; row numbers stay as the
    spreadsheet shows them.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.xlsm`` file.

    Returns
    -------
    Table
        Normalised column names and stripped cell text.

    Raises
    ------
    InputError
        When the file is missing, empty, of an unknown kind, cannot be decoded, or has two
        columns with the same name.
    """
    file = str(path)
    where = Where(file)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xls":
        raise where.error("old-style .xls workbooks cannot be read; save it as .xlsx or CSV")
    if suffix not in TABLE_SUFFIXES:
        raise where.error(
            f"unknown kind of file '{target.suffix or '(no extension)'}'; "
            "expected a .csv or .xlsx file"
        )
    if not target.exists():
        raise where.error("no such file")
    if not target.is_file():
        raise where.error("not a file")
    if suffix == ".csv":
        return _build_table(file, _csv_records(target, where))
    records, unsaved = _xlsx_records(target, where)
    return _build_table(file, records, unsaved)


@dataclass(frozen=True, slots=True)
class _UnsavedFormula:
    """A formula cell whose value the workbook does not hold (a program other than Excel
    wrote it, or it was never recalculated), so there is nothing to read."""

    row: int
    index: int
    formula: str


def _build_table(
    file: str,
    records: Iterable[tuple[int, list[str]]],
    unsaved: Sequence[_UnsavedFormula] = (),
) -> Table:
    header_row = 0
    headers: list[str] = []
    body: list[tuple[int, list[str]]] = []
    for number, cells in records:
        cleaned = [_clean_cell(c) for c in cells]
        if not any(cleaned):
            continue
        if not header_row:
            header_row, headers = number, [c.replace("\ufeff", "").strip() for c in cleaned]
        else:
            body.append((number, cleaned))
    if not header_row:
        raise InputError.one(file, "the file is empty; expected a header row naming the columns")

    columns = [normalise_header(h) for h in headers]
    problems = Problems()
    # Excel often writes trailing columns with no header; they are dropped when empty.
    keep = [i for i, name in enumerate(columns) if name]
    for index, name in enumerate(columns):
        if name:
            continue
        filled = next((n for n, cells in body if index < len(cells) and cells[index]), None)
        if filled is not None:
            problems.add(
                Where(file, filled),
                f"column {_column_letter(index)} holds data but has no header",
            )
    first_seen: dict[str, int] = {}
    for index in keep:
        name = columns[index]
        if name in first_seen:
            problems.add(
                Where(file, header_row, headers[index]),
                f"the column '{name}' appears twice (columns {_column_letter(first_seen[name])} "
                f"and {_column_letter(index)}); column names must be unique",
            )
        else:
            first_seen[name] = index
    width = len(columns)
    for number, cells in body:
        extra = [c for c in cells[width:] if c]
        if extra:
            problems.add(
                Where(file, number),
                f"the row has cells to the right of the last named column "
                f"({_column_letter(width - 1)}); give those columns a header or clear them",
            )
    for cell in unsaved:
        if cell.row > header_row and cell.index < width and columns[cell.index]:
            formula = cell.formula if len(cell.formula) <= 40 else cell.formula[:37] + "..."
            problems.add(
                Where(file, cell.row, headers[cell.index]),
                f"the cell is a formula ({formula}) whose value was not saved in the workbook; "
                "open it in Excel and save it again, or paste the column as values",
            )
    problems.raise_if_any()

    rows = tuple(
        {columns[i]: (cells[i] if i < len(cells) else "") for i in keep} for _, cells in body
    )
    return Table(
        file=file,
        columns=tuple(columns[i] for i in keep),
        rows=rows,
        row_numbers=tuple(n for n, _ in body),
        headers=tuple(headers[i] for i in keep),
        header_row=header_row,
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_CHUNK = 1 << 20


def _encoding(target: Path, where: Where) -> str:
    """The file's text encoding, checked a chunk at a time so a large file is never held
    whole: UTF-16 with a byte-order mark, else UTF-8 (with or without one), else
    Windows-1252."""
    with target.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
        handle.seek(0)
        utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()
        while chunk := handle.read(_CHUNK):
            if b"\x00" in chunk:
                raise where.error("this is not a CSV text file; save it as CSV UTF-8 or as .xlsx")
            if utf8 is not None:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = None
        if utf8 is not None:
            try:
                utf8.decode(b"", final=True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
    # Excel's "CSV" on Windows saves in this code page (e.g. £ is byte 0xA3).
    return "cp1252"


def _csv_records(target: Path, where: Where) -> list[tuple[int, list[str]]]:
    records: list[tuple[int, list[str]]] = []
    encoding = "utf-8-sig"
    try:
        encoding = _encoding(target, where)
        with target.open(encoding=encoding, newline="") as handle:
            first = next((line for line in handle if line.strip()), "")
            delimiter = ","
            if "," not in first:
                # Excel in some locales separates with semicolons; "Text (tab delimited)"
                # with tabs.
                counts = {d: first.count(d) for d in (";", "\t")}
                best = max(counts, key=lambda d: counts[d])
                if counts[best]:
                    delimiter = best
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            # A spreadsheet shows one row per record, even when a quoted cell spans lines.
            for number, cells in enumerate(reader, start=1):
                _within_limit(number, where)
                records.append((number, cells))
    except UnicodeDecodeError:
        kind = "UTF-16" if encoding == "utf-16" else "UTF-8 or Windows-1252"
        raise where.error(f"cannot decode the file as {kind} text; save it as CSV UTF-8") from None
    except csv.Error as exc:
        raise Where(where.file, len(records) + 1).error(
            f"cannot read this row as CSV ({exc})"
        ) from None
    except OSError as exc:
        raise where.error(f"cannot read the file ({exc.__class__.__name__})") from None
    return records


def _within_limit(number: int, where: Where) -> None:
    # Checked as each row is read, so a file far too large is refused before it fills memory.
    if number > MAX_ROWS + 1:
        raise Where(where.file, number).error(
            f"the file has more than {MAX_ROWS:,} rows, more than panelsched reads from one "
            "file; split it (by year, say) and give each part in turn"
        )


def _xlsx_records(
    target: Path, where: Where
) -> tuple[list[tuple[int, list[str]]], list[_UnsavedFormula]]:
    # Imported here so CSV-only runs do not pay for loading openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # The workbook is read twice, in step: once for the values Excel saved (a formula's
    # last result) and once for the cells' kinds, to tell a formula with no saved value
    # from an empty cell (both read as nothing in the first).
    try:
        values = load_workbook(target, read_only=True, data_only=True)
        kinds = load_workbook(target, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise where.error("cannot open the file as an Excel .xlsx workbook") from None
    records: list[tuple[int, list[str]]] = []
    unsaved: list[_UnsavedFormula] = []
    try:
        if not values.worksheets:
            raise where.error("the workbook has no sheets")
        rows = zip_longest(
            values.worksheets[0].iter_rows(min_row=1, values_only=True),
            kinds.worksheets[0].iter_rows(min_row=1),
            fillvalue=(),
        )
        for number, (saved, cells) in enumerate(rows, 1):
            _within_limit(number, where)
            records.append((number, [_excel_text(v) for v in saved]))
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f" and (
                    index >= len(saved) or saved[index] is None
                ):
                    unsaved.append(_UnsavedFormula(number, index, str(cell.value)))
    finally:
        values.close()
        kinds.close()
    return records, unsaved


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        moment = _to_minute(value)
        if moment.time() == time(0, 0):
            return moment.date().isoformat()
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def missing_columns(
    table: Table, required: Sequence[str], optional: Sequence[str] = ()
) -> list[Problem]:
    """One problem per required column the table lacks, suggesting a near spelling.

    A misspelt required column (``referal_id``) is reported as missing; the message names
    the column in the file that looks like it.
    """
    unknown = [c for c in table.columns if c not in required and c not in optional]
    listed = ", ".join(required)
    problems = []
    for name in required:
        if name in table.columns:
            continue
        message = f"this required column is missing; the required columns are {listed}"
        near = difflib.get_close_matches(name, unknown, n=1, cutoff=0.75)
        if near:
            message += f" (is '{table.label(near[0])}' a misspelling of '{name}'?)"
        problems.append(Problem(table.file, message, column=name))
    return problems


# --------------------------------------------------------------------------- cells

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
    return _to_minute(moment)


def _to_minute(moment: datetime) -> datetime:
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
    "DATE_HELP",
    "MOMENT_HELP",
    "Problems",
    "Table",
    "Where",
    "argument_date",
    "argument_moment",
    "missing_columns",
    "normalise_header",
    "parse_bool",
    "parse_date",
    "parse_list",
    "parse_moment",
    "parse_money",
    "parse_time",
    "read_table",
]
