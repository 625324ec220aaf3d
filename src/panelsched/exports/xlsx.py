"""Excel workbooks (.xlsx): real dates and times, safe text, and the same bytes for the same input.

Three things openpyxl does not do by itself, handled here once for every workbook export:

- A string starting with ``=`` becomes a formula. :func:`put_row` writes every string as a
  string (``data_type 's'``) and marks one that starts like a formula with Excel's quote prefix,
  so it stays text even after someone edits the cell; the text itself is unchanged.
- ``save()`` stamps the workbook with the clock and the zip entries with the time of day.
  :func:`workbook_bytes` (and :func:`save_workbook`, which writes them) sets fixed document
  properties and fixed zip dates instead.
- Sheet titles have rules (31 characters, no ``[]:*?/\\``, unique ignoring case):
  :func:`sheet_title`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.atomic import replace_bytes
from panelsched.exports.ics import sittings_stamp
from panelsched.exports.safety import neutralise
from panelsched.exports.tables import SITTING_COLUMNS

CellValue = str | bool | int | float | date | time | datetime | None

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
# The earliest date a zip entry can carry; every entry gets it so the bytes never vary.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
_MAX_TITLE = 31
_MAX_WIDTH = 60
_BOLD = Font(bold=True)


def _is_formula_like(text: str) -> bool:
    return neutralise(text) != text


def put_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[CellValue],
    formats: Sequence[str | None] = (),
    *,
    bold: bool = False,
) -> None:
    """Write ``values`` into ``row`` (1-based) with each cell's type set explicitly.

    Parameters
    ----------
    sheet
        The worksheet.
    row
        The row number, 1 for the header.
    values
        One value per column from A; ``None`` and ``""`` leave the cell empty. Dates, times
        and naive datetimes become real Excel dates; strings always stay text.
    formats
        Number formats by column (``"dd/mm/yyyy"``); ``None`` or missing keeps the default.
    bold
        Bold the row (for headers).

    Raises
    ------
    ValueError
        For a timezone-aware datetime (Excel has no zones; convert to local time first).
    """
    for index, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        cell = sheet.cell(row=row, column=index)
        if isinstance(value, str):
            # Control characters are not allowed in the file's XML; they carry no meaning here.
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = text
            # openpyxl has just made "=..." a formula; a string it must stay.
            cell.data_type = "s"
            if _is_formula_like(text):
                cell.quotePrefix = True
        else:
            if isinstance(value, datetime) and value.tzinfo is not None:
                raise ValueError("Excel cells take naive local datetimes, not aware ones")
            cell.value = value
        number_format = formats[index - 1] if index <= len(formats) else None
        if number_format is not None:
            cell.number_format = number_format
        if bold:
            cell.font = _BOLD


def _shown_width(value: CellValue, number_format: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max(len(line) for line in value.splitlines() or [""])
    if isinstance(value, date | time) and number_format is not None:
        # The format's own length is what Excel shows (dd/mm/yyyy -> 10 characters).
        return len(number_format)
    return len(str(value))


def fit_columns(
    sheet: Worksheet, rows: Iterable[Sequence[CellValue]], formats: Sequence[str | None] = ()
) -> None:
    """Size each column to its widest value in ``rows`` (header included), within limits."""
    widths: dict[int, int] = {}
    for values in rows:
        for index, value in enumerate(values, start=1):
            number_format = formats[index - 1] if index <= len(formats) else None
            widths[index] = max(widths.get(index, 0), _shown_width(value, number_format))
    for index, width in widths.items():
        # Two characters of padding leave room for the autofilter's arrow.
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """An Excel-safe sheet title from ``text``, unique among ``taken`` ignoring case.

    Excel refuses titles longer than 31 characters, containing ``[]:*?/\\``, starting or ending
    with an apostrophe, or named ``History``.
    """
    title = text.translate(_TITLE_FORBIDDEN).strip("'").strip() or "Sheet"
    if title.casefold() == "history":
        title += "-"
    title = title[:_MAX_TITLE]
    used = {t.casefold() for t in taken}
    candidate, number = title, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f"~{number}"
        candidate = title[: _MAX_TITLE - len(suffix)] + suffix
    return candidate


def workbook_bytes(workbook: Workbook, moment: datetime) -> bytes:
    """The ``.xlsx`` file of ``workbook``, its bytes depending on its content only.

    Parameters
    ----------
    workbook
        The workbook; its document properties are set to ``moment``.
    moment
        The document's created and modified time (aware, or naive UTC); derive it from the
        input, never the clock.

    Returns
    -------
    bytes
        The whole file, every zip entry dated 1 January 1980.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.creator = "panelsched"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    # openpyxl's save_workbook() stamps the clock into `modified`; its writer does not.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    # Zip entries carry the time they were written; rewrite them with a fixed date.
    output = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()


def save_workbook(workbook: Workbook, path: Path, moment: datetime) -> None:
    """Write ``workbook`` to ``path`` whole, as :func:`workbook_bytes` gives it.

    Parameters
    ----------
    workbook
        The workbook.
    path
        The ``.xlsx`` file to write.
    moment
        The document's created and modified time (see :func:`workbook_bytes`).
    """
    replace_bytes(path, workbook_bytes(workbook, moment))


_SITTING_FORMATS: tuple[str | None, ...] = (
    None,  # panel
    None,  # panel_name
    DATE_FORMAT,  # date
    None,  # weekday
    TIME_FORMAT,  # start
    TIME_FORMAT,  # end
    MOMENT_FORMAT,  # cutoff
    MOMENT_FORMAT,  # papers_out
    "0",  # capacity_minutes
    None,  # note
)


def _sitting_row(sitting: Sitting, panel_name: str) -> list[CellValue]:
    return [
        sitting.panel,
        panel_name,
        sitting.date,
        sitting.date.strftime("%A"),
        sitting.start,
        sitting.end,
        sitting.cutoff,
        sitting.papers_out,
        sitting.capacity_minutes,
        sitting.note,
    ]


def write_sittings_xlsx(
    authority: Authority,
    sittings: Iterable[Sitting],
    path: Path,
    *,
    panels: Sequence[str] | None = None,
    stamp: datetime | None = None,
) -> None:
    """Write the sittings as a workbook with one sheet per panel.

    Each sheet has the columns of ``sittings.csv`` with real Excel dates (``dd/mm/yyyy``),
    times (``hh:mm``) and moments (``dd/mm/yyyy hh:mm``, local time), a bold frozen header, an
    autofilter and columns sized to their content. A panel without sittings still gets its
    sheet, with the header only.

    Parameters
    ----------
    authority
        The model the sittings come from.
    sittings
        The sittings, e.g. from :func:`panelsched.core.sittings.generate_sittings`.
    path
        The ``.xlsx`` file to write.
    panels
        The panel ids to give sheets, in this order; by default every panel of the model.
    stamp
        The workbook's created and modified time; by default
        :func:`panelsched.exports.ics.sittings_stamp`, so the same input gives the same bytes.
    """
    chosen = list(sittings)
    wanted = list(panels) if panels is not None else list(authority.panel_ids)
    by_panel: dict[str, list[Sitting]] = {panel_id: [] for panel_id in wanted}
    for sitting in chosen:
        if sitting.panel in by_panel:
            by_panel[sitting.panel].append(sitting)
    workbook = Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    titles: list[str] = []
    for panel_id, rows in by_panel.items():
        title = sheet_title(panel_id, titles)
        titles.append(title)
        sheet = workbook.create_sheet(title)
        name = authority.panel(panel_id).name
        values = [_sitting_row(s, name) for s in sorted(rows)]
        put_row(sheet, 1, SITTING_COLUMNS, bold=True)
        for number, row in enumerate(values, start=2):
            put_row(sheet, number, row, _SITTING_FORMATS)
        fit_columns(sheet, [SITTING_COLUMNS, *values], _SITTING_FORMATS)
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(SITTING_COLUMNS))
        sheet.auto_filter.ref = f"A1:{last}{len(values) + 1}"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
    moment = stamp if stamp is not None else sittings_stamp(authority, chosen)
    save_workbook(workbook, Path(path), moment)


__all__ = [
    "DATE_FORMAT",
    "MOMENT_FORMAT",
    "TIME_FORMAT",
    "CellValue",
    "fit_columns",
    "put_row",
    "save_workbook",
    "sheet_title",
    "workbook_bytes",
    "write_sittings_xlsx",
]
