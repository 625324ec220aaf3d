"""The one CSV writer every output goes through, so that every file reads back to its rows.

Python's ``csv`` writer (and pandas', which is built on it) puts quotes round a field holding
the separator, the quote character or a character of its own line end. The project's files
end their lines with ``\\n`` alone, so a field holding a lone carriage return (``\\r``, as text
pasted from an old Mac program or a web form may) went out bare, and every reader (Python's,
Excel's, LibreOffice's) took it for the end of the row: one booking became two rows. Here a
field is quoted when it holds a comma, a double quote, ``\\r`` or ``\\n``, whatever the line
end; the rest is what ``csv.QUOTE_MINIMAL`` writes, byte for byte.

Keeping cells from running as formulas is :mod:`panelsched.exports.safety`'s work, done by the
callers on the cells that hold text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

# What makes a field need quotes: a reader would otherwise split it (a row or a cell) or
# unquote it.
_SPECIAL = (",", '"', "\r", "\n")


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def csv_field(value: object) -> str:
    """One field as written: ``None`` is empty, anything else its ``str``, quoted (quotes
    doubled) when it holds a comma, a double quote, ``\\r`` or ``\\n``."""
    text = "" if value is None else str(value)
    if any(special in text for special in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Iterable[object]) -> str:
    """One row as a line ending in ``\\n``.

    A row of one empty field is written ``""``: a blank line would be read as no row at all
    (``csv.writer`` does the same).
    """
    fields = [csv_field(value) for value in values]
    if fields == [""]:
        return '""\n'
    return ",".join(fields) + "\n"


class CsvWriter:
    """Rows to a text handle opened with ``newline=""``; used as ``csv.writer`` is."""

    def __init__(self, handle: _Writable) -> None:
        self._handle = handle

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._handle.write(csv_line(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write each of ``rows``."""
        for row in rows:
            self.writerow(row)


def csv_writer(handle: _Writable) -> CsvWriter:
    """A writer in place of ``csv.writer(handle, lineterminator="\\n")`` that quotes a lone
    ``\\r`` too."""
    return CsvWriter(handle)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """``rows`` (the header first) as CSV text with ``\\n`` line ends."""
    return "".join(csv_line(row) for row in rows)


def frame_csv_text(frame: pd.DataFrame) -> str:
    """``frame`` (no index) as CSV text, each cell as pandas writes it (numbers, missing
    values), quoted as :func:`csv_field` quotes it."""
    # pandas formats each cell; quoting all of them lets the text be read back exactly
    # (a quoted field keeps its \r), and the rows are then written out again here.
    quoted = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
    return csv_text(csv.reader(io.StringIO(quoted, newline="")))


__all__ = ["CsvWriter", "csv_field", "csv_line", "csv_text", "csv_writer", "frame_csv_text"]
