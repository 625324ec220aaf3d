"""Reading CSV and XLSX tables: every cell as stripped text, with where it came from.

A :class:`Table` knows its file and each row's spreadsheet number, so a problem found in a cell
(parsed by :mod:`panelsched.io.cells`) names file, row and column.
"""

from __future__ import annotations

import codecs
import csv
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from panelsched.errors import InputError, Problem
from panelsched.io import workbook
from panelsched.io.cells import Problems, Where
from panelsched.io.workbook import UnsavedFormula

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")

# The most data rows a table may have (about 40 years of a large council's referrals): read
# as text, 100,000 rows take some 200 MB; a larger file is refused as it is read.
MAX_ROWS = 100_000
# The most cells a row may have (the widest table read, the records file, has some 50
# columns), and a file in all: a hostile file of a few kilobytes can unpack to millions of
# cells, each a few hundred bytes once read.
MAX_COLUMNS = 256
MAX_CELLS = 3_000_000
# The longest text a cell may hold: the longest real one (a list of papers, a reason) is a few
# hundred characters, and a message quoting a cell must stay a line, not megabytes.
MAX_CELL_CHARS = 4_000

# What exports.safety.neutralise puts in front of a formula-like cell; a spreadsheet shows
# the cell without the apostrophe, so the reader does too.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    header_row
        The spreadsheet row of the header.
    sheet, sheets
        For a workbook, the name of the sheet read and how many sheets it has.
    problems
        Problems found in cells as the file was read (a formula whose value was not saved, a
        NUL character), when the caller asked to gather them (``read_table(gather=True)``)
        rather than have them raised; their cells read as empty.
    """

    file: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    row_numbers: tuple[int, ...]
    headers: tuple[str, ...] = ()
    header_row: int = 1
    sheet: str = ""
    sheets: int = 0
    problems: tuple[Problem, ...] = ()

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

    def with_problems(self, found: Iterable[Problem]) -> list[Problem]:
        """The problems the reading found, then ``found`` less those in the same cells (an
        unsaved formula's cell, read as empty, is not also "the cell is empty"), by row."""
        flagged = {(p.row, p.column) for p in self.problems}
        merged = [*self.problems, *(p for p in found if (p.row, p.column) not in flagged)]
        return sorted(merged, key=lambda p: p.row or 0)


def normalise_header(text: str) -> str:
    """``" Referral ID"`` -> ``"referral_id"``: strip, lower case, whitespace as ``_``."""
    return "_".join(text.replace("\ufeff", "").lower().split())


def _clean_cell(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_TRIGGERS:
        text = text[1:].strip()
    return text


def _limits() -> workbook.Limits:
    # Read at each call, so a test can lower a limit.
    return workbook.Limits(MAX_ROWS, MAX_COLUMNS, MAX_CELLS)


def read_table(path: str | Path, wanted: Sequence[str] = (), *, gather: bool = False) -> Table:
    """Read the first sheet of an XLSX workbook (or the first with the ``wanted`` columns)
    or a CSV file as text.

    CSV files may be UTF-8 (with or without a byte-order mark) or Windows-1252 as Excel saves
    them; a header with no commas but semicolons or tabs is read with that separator. XLSX
    date cells become ISO text (``2027-01-04``, or ``2027-01-04 09:30`` with a time), whole
    numbers lose their ``.0``. Fully blank rows are skipped; row numbers stay as the
    spreadsheet shows them.

    A workbook is checked before it is read (:mod:`panelsched.io.workbook`): a part that
    unpacks to too much, a row of more than :data:`MAX_COLUMNS` cells or a sheet of more
    than :data:`MAX_CELLS` is refused with one message naming the file and sheet; a CSV file
    is held to the same limits as it is read.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.xlsm`` file.
    wanted
        Normalised column names the table must have: when the first sheet of a workbook
        lacks them and a later sheet has them all, that sheet is read.
    gather
        Return the problems found in cells (unsaved formulas, NUL characters) in
        :attr:`Table.problems` rather than raising them, so a loader reports them with the
        rows' own problems, all at once.

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
        return _build_table(file, _csv_records(target, where), gather=gather)
    limits = _limits()
    found = workbook.sheets(target, where)
    chosen = found[0]
    if wanted and len(found) > 1:
        firsts = workbook.headers(target, found, where, limits)
        for sheet, header in zip(found, firsts, strict=True):
            if set(wanted) <= {normalise_header(h) for h in header}:
                chosen = sheet
                break
    records, unsaved = workbook.records(target, chosen, where, limits)
    return _build_table(file, records, unsaved, sheet=chosen.name, sheets=len(found), gather=gather)


def table_from_rows(file: str, rows: Sequence[Mapping[str, str]]) -> Table:
    """Rows of cells (a web form's fields) as the table a CSV file of them reads as.

    The first row's keys are the header (row 1); the rows follow from row 2. Cells are
    cleaned and checked as a file's are, so the readers give the same values and messages.

    Parameters
    ----------
    file
        The name problems give as the file.
    rows
        Column name to cell text; a key the first row lacks is not read.
    """
    headers = list(rows[0]) if rows else []
    records = [(1, headers)]
    records += [(number, [row.get(h, "") for h in headers]) for number, row in enumerate(rows, 2)]
    return _build_table(file, records)


def _build_table(
    file: str,
    records: Iterable[tuple[int, list[str]]],
    unsaved: Sequence[UnsavedFormula] = (),
    *,
    sheet: str = "",
    sheets: int = 0,
    gather: bool = False,
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
        place = f"sheet '{sheet}' of the workbook" if sheets > 1 else "the file"
        raise InputError.one(file, f"{place} is empty; expected a header row naming the columns")

    columns = [normalise_header(h) for h in headers]
    # Two columns of one name leave the rows unreadable; the other problems are in rows or
    # cells, which read as empty, and with ``gather`` the loader reports them with its own.
    problems = Problems()
    in_cells = Problems()
    # Excel often writes trailing columns with no header; they are dropped when empty.
    keep = [i for i, name in enumerate(columns) if name]
    for index, name in enumerate(columns):
        if name:
            continue
        filled = next((n for n, cells in body if index < len(cells) and cells[index]), None)
        if filled is not None:
            in_cells.add(
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
            in_cells.add(
                Where(file, number),
                f"the row has cells to the right of the last named column "
                f"({_column_letter(width - 1)}); give those columns a header or clear them",
            )
    for cell in unsaved:
        if cell.row > header_row and cell.index < width and columns[cell.index]:
            formula = cell.formula if len(cell.formula) <= 40 else cell.formula[:37] + "..."
            in_cells.add(
                Where(file, cell.row, headers[cell.index]),
                f"the cell is a formula ({formula}) whose value was not saved in the workbook; "
                "open it in Excel and save it again, or paste the column as values",
            )
    for number, row in body:
        for index, text in enumerate(row[:width]):
            if not columns[index]:
                continue
            if len(text) > MAX_CELL_CHARS:
                in_cells.add(
                    Where(file, number, headers[index]),
                    f"the cell holds {len(text):,} characters, more than the "
                    f"{MAX_CELL_CHARS:,} panelsched reads in a cell; shorten it",
                )
                row[index] = ""
            elif "\x00" in text:
                in_cells.add(
                    Where(file, number, headers[index]),
                    "the cell holds a NUL character (an invisible one some programs leave "
                    "behind); retype the cell",
                )
                row[index] = ""
    if len(problems) or (in_cells and not gather):
        raise InputError([*problems, *in_cells])

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
        sheet=sheet,
        sheets=sheets,
        problems=tuple(in_cells),
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
            # A stray NUL is a cell's problem, named with its row and column; many of them
            # are a file that is not text at all (or UTF-16 without its byte-order mark).
            if chunk.count(b"\x00") * 100 > len(chunk):
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
            total = 0
            for number, cells in enumerate(reader, start=1):
                _within_limit(number, where)
                total += len(cells)
                _within_width(number, len(cells), total, where)
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


def _within_width(number: int, width: int, total: int, where: Where) -> None:
    if width > MAX_COLUMNS:
        raise Where(where.file, number).error(
            f"the row has more than {MAX_COLUMNS:,} cells, more than panelsched reads (at most "
            f"{MAX_COLUMNS:,} columns); delete the columns to the right of the table"
        )
    if total > MAX_CELLS:
        raise Where(where.file, number).error(
            f"the file has more than {MAX_CELLS:,} cells, more than panelsched reads from one "
            "file; split it (by year, say) and give each part in turn"
        )


def _within_limit(number: int, where: Where) -> None:
    # Checked as each row is read, so a file far too large is refused before it fills memory.
    if number > MAX_ROWS + 1:
        raise Where(where.file, number).error(
            f"the file has more than {MAX_ROWS:,} rows, more than panelsched reads from one "
            "file; split it (by year, say) and give each part in turn"
        )


def missing_columns(
    table: Table, required: Sequence[str], optional: Sequence[str] = ()
) -> list[Problem]:
    """One problem per required column the table lacks, suggesting a near spelling.

    A misspelt required column (``referal_id``) is reported as missing; the message names
    the column in the file that looks like it.
    """
    unknown = [c for c in table.columns if c not in required and c not in optional]
    listed = ", ".join(required)
    # A workbook of several sheets: say which was read, as the table may be on another.
    read = (
        f" from sheet '{table.sheet}', the sheet read (no sheet of the workbook has all the "
        "required columns; put the table on the first sheet)"
        if table.sheets > 1
        else ""
    )
    problems = []
    for name in required:
        if name in table.columns:
            continue
        message = f"this required column is missing{read}; the required columns are {listed}"
        near = difflib.get_close_matches(name, unknown, n=1, cutoff=0.75)
        if near:
            message += f" (is '{table.label(near[0])}' a misspelling of '{name}'?)"
        problems.append(Problem(table.file, message, column=name))
    return problems


__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "TABLE_SUFFIXES",
    "Table",
    "missing_columns",
    "normalise_header",
    "read_table",
    "table_from_rows",
]
