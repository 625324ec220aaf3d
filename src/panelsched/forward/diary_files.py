"""``planner export``: the diary as planner.xlsx, planner.ics, planner.html and calendars.

Every file depends on the store and the range only: the workbook's and calendar's stamps are
the moment of the store's last change, never the clock, so the same store gives the same
bytes. Case references, roles and pseudonyms only; spreadsheet text never runs as a formula
(:func:`panelsched.exports.xlsx.put_row`), and the page escapes every text it shows.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from panelsched.exports.atomic import output_set, replace_bytes
from panelsched.exports.tables import csv_bytes
from panelsched.exports.xlsx import (
    DATE_FORMAT,
    MOMENT_FORMAT,
    TIME_FORMAT,
    CellValue,
    fit_columns,
    put_row,
    sheet_title,
    workbook_bytes,
)
from panelsched.forward.calendars import (
    CALENDARS_FOLDER,
    write_planner_ics,
    write_shared_calendars,
)
from panelsched.forward.clock_counts import CLOCK_COLUMNS, clock_counts
from panelsched.forward.diary import Diary
from panelsched.forward.html import planner_html
from panelsched.forward.views import (
    DueView,
    SittingView,
    awaiting_outcome,
    follow_ups_due,
    sitting_views,
)
from panelsched.io.bookings_file import BOOKING_COLUMNS

_EPOCH = datetime(2000, 1, 1)

# The export's files besides calendars/, replaced together; outcomes.csv last.
EXPORT_FILES = ("planner.xlsx", "planner.ics", "planner.html", "outcomes.csv")

# outcomes.csv: a records file (docs/validator.md) for `planner decide`, one row per case
# heard without an outcome; the last six columns are for the administrator to fill in.
OUTCOME_COLUMNS = (
    # The case and its slot as bookings.csv names them, then the record's columns.
    *BOOKING_COLUMNS[:7],
    "child_id",
    "outcome",
    "review_date",
    "approval_end",
    "deferral_reason",
    "first_cla_review",
    "still_neet",
)

SITTING_SHEET_COLUMNS = (
    "date",
    "weekday",
    "sitting",
    "cutoff",
    "papers_out",
    "free_minutes",
    "slot_start",
    "slot_end",
    "case",
    "hearing",
    "social_worker",
    "team_manager",
    "due",
    "outcome",
    "note",
)
_SITTING_FORMATS: tuple[str | None, ...] = (
    DATE_FORMAT,
    None,
    None,
    MOMENT_FORMAT,
    MOMENT_FORMAT,
    "0",
    TIME_FORMAT,
    TIME_FORMAT,
    None,
    None,
    None,
    None,
    DATE_FORMAT,
    None,
    None,
)
DUE_SHEET_COLUMNS = (
    "due",
    "case",
    "rule",
    "hearing",
    "panel",
    "booked_date",
    "booked_start",
    "status",
    "why_this_date",
)
_DUE_FORMATS: tuple[str | None, ...] = (
    DATE_FORMAT,
    None,
    None,
    None,
    None,
    DATE_FORMAT,
    TIME_FORMAT,
    None,
    None,
)
# The Clocks sheet: the month as a date shown "June 2027", the share in time as a percentage.
_CLOCK_FORMATS: tuple[str | None, ...] = (
    None,
    None,
    "mmmm yyyy",
    "0",
    "0",
    "0",
    "0.0",
    "0",
    "0%",
    "0",
    "0",
    "0",
)


@dataclass(frozen=True, slots=True)
class ExportRange:
    """The sittings an export covers, and the moment it is as of (shown on the page)."""

    start: date
    end: date
    now: datetime


def stamp(diary: Diary) -> datetime:
    """The store's last change as an aware UTC moment: the exports' reproducible stamp."""
    moment = diary.last_change or _EPOCH
    return moment.replace(tzinfo=diary.authority.zone).astimezone(UTC)


def _sitting_rows(view: SittingView) -> list[list[CellValue]]:
    s = view.sitting
    head: list[CellValue] = [
        s.date,
        s.date.strftime("%A"),
        f"{s.start:%H:%M}-{s.end:%H:%M}",
        s.cutoff,
        s.papers_out,
        None if view.cancelled else view.free_minutes,
    ]
    note = f"cancelled: {view.cancelled}" if view.cancelled else s.note
    if view.reinstated:
        note = "; ".join(t for t in (note, f"reinstated: {view.reinstated}") if t)
    if not view.slots:
        return [[*head, None, None, None, None, None, None, None, None, note]]
    rows = []
    for slot in view.slots:
        referral = slot.hearing.referral
        due = slot.due
        rows.append(
            [
                *head,
                slot.booking.start,
                slot.booking.end,
                slot.key,
                slot.hearing.kind_words,
                referral.social_worker,
                referral.team_manager,
                due,
                slot.outcome,
                note,
            ]
        )
    return rows


def _due_row(view: DueView) -> list[CellValue]:
    booking = view.booking
    return [
        view.due,
        view.key,
        view.hearing.rule,
        view.hearing.kind_words,
        view.hearing.panel,
        booking.date if booking else None,
        booking.start if booking else None,
        view.status,
        view.hearing.due_note,
    ]


def _sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: list[list[CellValue]],
    formats: Sequence[str | None],
) -> None:
    sheet = workbook.create_sheet(title)
    put_row(sheet, 1, list(header), bold=True)
    for number, row in enumerate(rows, start=2):
        put_row(sheet, number, row, formats)
    fit_columns(sheet, [list(header), *rows], formats)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"


def planner_xlsx_bytes(diary: Diary, span: ExportRange) -> bytes:
    """planner.xlsx: one sheet per panel (each sitting's slots, or one row for a sitting with
    none), a sheet of follow-ups and reviews due and, when the model sets statutory clocks, a
    Clocks sheet: each clock's cases counted by the month they started, the range's months
    (:func:`panelsched.forward.clock_counts.clock_counts`, outcomes as of ``span.now``)."""
    views = sitting_views(diary, span.start, span.end)
    workbook = Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    titles: list[str] = []
    for panel in diary.base.panels:
        rows = [row for v in views if v.sitting.panel == panel.id for row in _sitting_rows(v)]
        title = sheet_title(panel.id, titles)
        titles.append(title)
        _sheet(workbook, title, SITTING_SHEET_COLUMNS, rows, _SITTING_FORMATS)
    dues = [_due_row(v) for v in follow_ups_due(diary)]
    reviews = sheet_title("Reviews due", titles)
    _sheet(workbook, reviews, DUE_SHEET_COLUMNS, dues, _DUE_FORMATS)
    titles.append(reviews)
    if diary.authority.every_clock:
        # Only with clocks, so a model without them exports the same bytes as before.
        counts = clock_counts(diary, span.start, span.end, span.now)
        cells: list[list[CellValue]] = [list(c.row()) for c in counts]
        _sheet(workbook, sheet_title("Clocks", titles), CLOCK_COLUMNS, cells, _CLOCK_FORMATS)
    return workbook_bytes(workbook, stamp(diary))


def write_planner_xlsx(diary: Diary, span: ExportRange, path: Path) -> None:
    """Write planner.xlsx (:func:`planner_xlsx_bytes`) to ``path`` whole."""
    replace_bytes(path, planner_xlsx_bytes(diary, span))


def planner_html_bytes(diary: Diary, span: ExportRange) -> bytes:
    """planner.html, the self-contained page (see :mod:`panelsched.forward.html`), as UTF-8."""
    return planner_html(diary, span.start, span.end, span.now).encode("utf-8")


def write_planner_html(diary: Diary, span: ExportRange, path: Path) -> None:
    """Write planner.html (:func:`planner_html_bytes`) to ``path`` whole."""
    replace_bytes(path, planner_html_bytes(diary, span))


def outcomes_csv_bytes(diary: Diary, now: datetime) -> bytes:
    """outcomes.csv: the cases heard by ``now`` with no outcome recorded yet, as a records
    file to fill in for ``planner decide``; the outcome and the cells the follow-ups read
    are left blank."""
    rows = []
    for slot in awaiting_outcome(diary, now):
        referral = slot.hearing.referral
        rows.append(
            {
                "referral_id": slot.hearing.referral_id,
                "panel": slot.booking.panel,
                "date": slot.booking.date.isoformat(),
                "start": f"{slot.booking.start:%H:%M}",
                "end": f"{slot.booking.end:%H:%M}",
                "social_worker": referral.social_worker,
                "team_manager": referral.team_manager,
                "child_id": referral.child_id,
                **dict.fromkeys(OUTCOME_COLUMNS[8:], ""),
            }
        )
    return csv_bytes(pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS)))


def write_outcomes_csv(diary: Diary, now: datetime, path: Path) -> None:
    """Write outcomes.csv (:func:`outcomes_csv_bytes`) to ``path`` whole."""
    replace_bytes(path, outcomes_csv_bytes(diary, now))


def export(diary: Diary, span: ExportRange, folder: Path) -> list[Path]:
    """Write planner.xlsx, planner.ics, planner.html and outcomes.csv into ``folder``, and a
    calendar per panel and per person under ``folder/calendars/``
    (:func:`panelsched.forward.calendars.write_shared_calendars`).

    The files replace an earlier export's together
    (:func:`~panelsched.exports.atomic.output_set`): the whole ``calendars`` folder is the
    export's own, so a person no longer in the range loses their file.

    Returns
    -------
    list of Path
        The four files, then the ``calendars`` folder.
    """
    names = (CALENDARS_FOLDER.name, *EXPORT_FILES)
    moment = stamp(diary)
    with output_set(folder, names) as staging:
        paths = [staging / name for name in EXPORT_FILES]
        write_shared_calendars(diary, span.start, span.end, moment, staging)
        write_planner_xlsx(diary, span, paths[0])
        write_planner_ics(diary, span.start, span.end, moment, paths[1])
        write_planner_html(diary, span, paths[2])
        write_outcomes_csv(diary, span.now, paths[3])
    return [*(folder / name for name in EXPORT_FILES), folder / CALENDARS_FOLDER]


def default_range(
    diary: Diary, now: datetime, start: date | None = None, end: date | None = None
) -> ExportRange:
    """From the first of ``now``'s month (or ``start``) to the end of the month of the last
    booking in force or 13 weeks ahead, whichever is later (or ``end``)."""
    first = start or now.date().replace(day=1)
    if end is None:
        furthest = max(
            [now.date() + timedelta(weeks=13), *(b.date for b in diary.in_force.values())]
        )
        last_day = calendar.monthrange(furthest.year, furthest.month)[1]
        end = furthest.replace(day=last_day)
    return ExportRange(first, max(end, first), now)


__all__ = [
    "DUE_SHEET_COLUMNS",
    "OUTCOME_COLUMNS",
    "SITTING_SHEET_COLUMNS",
    "ExportRange",
    "default_range",
    "export",
    "outcomes_csv_bytes",
    "planner_html_bytes",
    "planner_xlsx_bytes",
    "stamp",
    "write_outcomes_csv",
    "write_planner_html",
    "write_planner_xlsx",
]
