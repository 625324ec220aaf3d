"""Reading a sheet of an XLSX workbook as rows of text, after checking it is safe to read.

A workbook is a zip of XML parts, and a small one can unpack to a great deal: a 104 KB file can
hold one row of 2,000,000 cells, a 310 KB one a shared-strings part of 300 MB. openpyxl holds
every shared string, and a whole row, in memory as it reads, so before it opens the file the
parts' unpacked sizes are checked against their entries in the zip, and the sheet's XML is
scanned a megabyte at a time, counting its rows' cells, and refused past
:class:`Limits`. Each refusal is one message naming the file and the sheet.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import zip_longest
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from panelsched.io.cells import Where, to_minute

# What the shared-strings part (every text cell's words, held whole by openpyxl) may unpack to:
# 100,000 rows of a dozen distinct texts of 40 letters is some 50 MB.
MAX_SHARED_STRINGS_BYTES = 64 << 20
# What any other part (a sheet's XML) may unpack to; a sheet is read as a stream, so this
# bounds the time a file takes, not the memory.
MAX_PART_BYTES = 512 << 20

_CHUNK = 1 << 20
_NOT_A_WORKBOOK = "cannot open the file as an Excel .xlsx workbook"

# A row or cell start tag, with or without a namespace prefix (some writers use x:row).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])")
_ROW_NUMBER = re.compile(rb'\br\s*=\s*["\']([0-9]+)["\']')
_DIMENSION = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*["\']'
    rb"\$?[A-Za-z]*\$?[0-9]*(?::\$?([A-Za-z]+)\$?([0-9]+))?[\"']"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a sheet is read: data rows, cells in a row, and cells in all."""

    rows: int
    columns: int
    cells: int


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet: its name as the workbook shows it, and its part in the zip."""

    name: str
    part: str


@dataclass(frozen=True, slots=True)
class UnsavedFormula:
    """A formula cell whose value the workbook does not hold (a program other than Excel
    wrote it, or it was never recalculated), so there is nothing to read."""

    row: int
    index: int
    formula: str


def sheets(target: Path, where: Where) -> tuple[Sheet, ...]:
    """The workbook's worksheets in order, once its parts' unpacked sizes are checked.

    Raises
    ------
    InputError
        When the file is not a workbook, has no worksheet, or a part unpacks to more than
        :data:`MAX_SHARED_STRINGS_BYTES` (shared strings) or :data:`MAX_PART_BYTES`.
    """
    try:
        with zipfile.ZipFile(target) as archive:
            for info in archive.infolist():
                shared = info.filename.lower().endswith("sharedstrings.xml")
                limit = MAX_SHARED_STRINGS_BYTES if shared else MAX_PART_BYTES
                if info.file_size > limit:
                    raise where.error(
                        f"the workbook unpacks to more than panelsched reads: its part "
                        f"{info.filename} is {info.file_size / (1 << 20):,.0f} MB, and at most "
                        f"{limit >> 20} MB is read; save the table alone in a new workbook, "
                        "or as CSV, and give that",
                    )
            found = _worksheets(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError, OSError):
        raise where.error(_NOT_A_WORKBOOK) from None
    if not found:
        raise where.error("the workbook has no sheets")
    return found


def _worksheets(archive: zipfile.ZipFile) -> tuple[Sheet, ...]:
    book = "xl/workbook.xml"
    if "_rels/.rels" in archive.namelist():
        for rel in ElementTree.fromstring(archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = (rel.get("Target") or book).lstrip("/")
    folder = posixpath.dirname(book)
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")
    targets: dict[str, str] = {}
    for rel in ElementTree.fromstring(archive.read(rels_part)):
        if rel.tag.endswith("}Relationship") and rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            targets[rel.get("Id", "")] = posixpath.normpath(part)
    found = []
    # By local name: a workbook saved as "Strict Open XML" uses other namespaces.
    for sheet in ElementTree.fromstring(archive.read(book)).iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        sheet_part = targets.get(rel_id)
        if sheet_part is not None:  # a chart sheet has no cells to read
            found.append(Sheet(sheet.get("name", ""), sheet_part))
    return tuple(found)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def check_sheet(
    target: Path, sheet: Sheet, where: Where, limits: Limits, first_rows: int | None = None
) -> None:
    """Scan ``sheet``'s XML, a megabyte at a time, and refuse it past ``limits`` before
    openpyxl reads a row of it.

    Parameters
    ----------
    first_rows
        Stop after this many rows (enough to find the header), else scan it all.

    Raises
    ------
    InputError
        Naming the file, the sheet and the row, for a row of more than ``limits.columns``
        cells or a sheet of more than ``limits.cells``; the sheet's own dimension (its used
        range) is checked first.
    """
    named = f"sheet '{sheet.name}'"
    rows = cells = in_row = row = 0
    carry = b""
    first = True

    def check() -> None:
        if in_row > limits.columns:
            raise Where(where.file, row or None).error(
                f"{named} has a row of more than {limits.columns:,} cells, more than "
                f"panelsched reads (at most {limits.columns:,} columns); delete the columns "
                "to the right of the table and save the workbook again"
            )
        if cells + in_row > limits.cells:
            raise where.error(
                f"{named} has more than {limits.cells:,} cells, more than panelsched reads "
                "from one file; split it (by year, say) and give each part in turn"
            )

    try:
        with zipfile.ZipFile(target) as archive, archive.open(sheet.part) as stream:
            while chunk := stream.read(_CHUNK):
                data = carry + chunk
                # A tag split across two reads is read whole with the next one.
                cut = data.rfind(b"<")
                data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                if first:
                    first = False
                    _check_dimension(data, named, where, limits)
                position = 0
                for match in _ROW.finditer(data):
                    in_row += len(_CELL.findall(data, position, match.start()))
                    check()
                    cells += in_row
                    rows, in_row = rows + 1, 0
                    number = _ROW_NUMBER.search(match[1])
                    row = int(number[1]) if number else row + 1
                    if first_rows is not None and rows > first_rows:
                        return
                    position = match.end()
                in_row += len(_CELL.findall(data, position))
                check()
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise where.error(_NOT_A_WORKBOOK) from None


def _check_dimension(head: bytes, named: str, where: Where, limits: Limits) -> None:
    # The used range Excel records: a sheet that says it is wider than the limit is refused
    # before its rows are scanned.
    found = _DIMENSION.search(head, 0, 4096)
    if found is None or found[1] is None:
        return
    columns, rows = _column_number(found[1]), int(found[2])
    if columns > limits.columns:
        raise where.error(
            f"{named} uses {columns:,} columns (to column {found[1].decode().upper()}), more "
            f"than panelsched reads (at most {limits.columns:,}); delete the columns to the "
            "right of the table and save the workbook again"
        )
    if columns * rows > limits.cells and rows > limits.rows + 1:
        raise where.error(
            f"{named} uses {rows:,} rows, more than the {limits.rows:,} panelsched reads from "
            "one file; split it (by year, say) and give each part in turn"
        )


def headers(
    target: Path, found: Sequence[Sheet], where: Where, limits: Limits, rows: int = 20
) -> list[list[str]]:
    """The first non-blank row of each sheet in ``found`` (``[]`` for a blank one), as text."""
    for sheet in found:
        check_sheet(target, sheet, where, limits, first_rows=rows)
    book = _open(target, where, data_only=True)
    try:
        firsts = []
        for sheet in found:
            first: list[str] = []
            for values in book[sheet.name].iter_rows(max_row=rows, values_only=True):
                texts = [excel_text(v).strip() for v in values]
                if any(texts):
                    first = texts
                    break
            firsts.append(first)
        return firsts
    finally:
        book.close()


def _open(target: Path, where: Where, *, data_only: bool) -> Any:
    # Imported here so CSV-only runs do not pay for loading openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(target, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise where.error(_NOT_A_WORKBOOK) from None


def records(
    target: Path, sheet: Sheet, where: Where, limits: Limits
) -> tuple[list[tuple[int, list[str]]], list[UnsavedFormula]]:
    """Every row of ``sheet`` as text, numbered as the spreadsheet shows it, and the formula
    cells whose value was never saved.

    Raises
    ------
    InputError
        As :func:`check_sheet`, and for more than ``limits.rows`` data rows.
    """
    check_sheet(target, sheet, where, limits)
    # The workbook is read twice, in step: once for the values Excel saved (a formula's
    # last result) and once for the cells' kinds, to tell a formula with no saved value
    # from an empty cell (both read as nothing in the first).
    values = _open(target, where, data_only=True)
    kinds = _open(target, where, data_only=False)
    found: list[tuple[int, list[str]]] = []
    unsaved: list[UnsavedFormula] = []
    try:
        rows: Iterator[tuple[Any, Any]] = zip_longest(
            values[sheet.name].iter_rows(min_row=1, values_only=True),
            kinds[sheet.name].iter_rows(min_row=1),
            fillvalue=(),
        )
        for number, (saved, cells) in enumerate(rows, 1):
            if number > limits.rows + 1:
                raise Where(where.file, number).error(
                    f"the file has more than {limits.rows:,} rows, more than panelsched reads "
                    "from one file; split it (by year, say) and give each part in turn"
                )
            found.append((number, [excel_text(v) for v in saved]))
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f" and (
                    index >= len(saved) or saved[index] is None
                ):
                    unsaved.append(UnsavedFormula(number, index, str(cell.value)))
    finally:
        values.close()
        kinds.close()
    return found, unsaved


def excel_text(value: object) -> str:
    """A cell's value as text: dates ISO, whole numbers without ``.0``, yes/no for flags."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        moment = to_minute(value)
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


__all__ = [
    "MAX_PART_BYTES",
    "MAX_SHARED_STRINGS_BYTES",
    "Limits",
    "Sheet",
    "UnsavedFormula",
    "check_sheet",
    "excel_text",
    "headers",
    "records",
    "sheets",
]
