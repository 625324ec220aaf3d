"""The Downloads page and its files: the same exports as ``planner export`` (planner.xlsx,
planner.ics, planner.html, outcomes.csv), and one sitting's calendar file."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.exports.ics import calendar_bytes
from panelsched.forward import Diary
from panelsched.forward.calendars import diary_events, planner_ics_bytes
from panelsched.forward.diary_files import (
    ExportRange,
    default_range,
    outcomes_csv_bytes,
    planner_html_bytes,
    planner_xlsx_bytes,
    stamp,
)
from panelsched.forward.views import SittingView
from panelsched.web.deps import Web, current_session
from panelsched.web.errors import Refused
from panelsched.web.forms import parse_day
from panelsched.web.pages import page_context
from panelsched.web.pages_data import find_view

router = APIRouter(dependencies=[Depends(current_session)])

# Made by the same functions as ``planner export``'s files, so a download and the file
# that command writes never differ.
_EXPORTS: dict[str, tuple[str, Callable[[Diary, ExportRange], bytes]]] = {
    "planner.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        planner_xlsx_bytes,
    ),
    "planner.ics": (
        "text/calendar; charset=utf-8",
        lambda diary, span: planner_ics_bytes(diary, span.start, span.end, stamp(diary)),
    ),
    "planner.html": ("text/html; charset=utf-8", planner_html_bytes),
    "outcomes.csv": (
        "text/csv; charset=utf-8",
        lambda diary, span: outcomes_csv_bytes(diary, span.now),
    ),
}


def _attachment(content: bytes, name: str, media: str) -> Response:
    return Response(
        content, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


@router.get("/downloads")
def downloads_page(request: Request, web: Web) -> Response:
    """The exports to take away."""
    diary = web.diary()
    span = default_range(diary, web.now(diary))
    return web.render(
        request, "downloads.html", {**page_context(diary), "title": "Downloads", "span": span}
    )


@router.get("/downloads/{name}")
def download(web: Web, name: str) -> Response:
    """One export of the diary (the same files as ``planner export``)."""
    if name not in _EXPORTS:
        raise Refused(404, "No such download", "Choose one of the downloads listed.")
    diary = web.diary()
    media, content = _EXPORTS[name]
    span = default_range(diary, web.now(diary))
    return _attachment(content(diary, span), name, media)


def sitting_ics(diary: Diary, view: SittingView) -> bytes:
    """One sitting as an iCalendar file: the sitting, its cut-off and papers-out, and each
    booked slot, the same events with the same UIDs and sequences as planner.ics."""
    s = view.sitting
    events = [e.event for e in diary_events(diary, s.date, s.date) if e.panel == s.panel]
    title = f"{view.panel_name} {s.date:%d/%m/%Y}"
    return calendar_bytes(events, diary.authority.timezone, title, stamp(diary))


@router.get("/sittings/{panel}/{day}/calendar.ics")
def sitting_download(web: Web, panel: str, day: str) -> Response:
    """A sitting's calendar file."""
    diary = web.diary()
    when = parse_day(day)
    view = find_view(diary, panel, when)
    if view is None:
        raise Refused(404, "No such sitting", f"{panel} does not sit on {when:%a %d/%m/%Y}.")
    return _attachment(
        sitting_ics(diary, view), f"{panel}-{when.isoformat()}.ics", "text/calendar; charset=utf-8"
    )


__all__ = ["router", "sitting_ics"]
