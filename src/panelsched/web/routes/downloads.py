"""The Downloads page and its files: the same exports as ``planner export`` (planner.xlsx,
planner.ics, planner.html, outcomes.csv), and one sitting's calendar file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.exports.ics import calendar_bytes
from panelsched.forward import Diary
from panelsched.forward.calendars import diary_events, write_planner_ics
from panelsched.forward.diary_files import (
    ExportRange,
    default_range,
    stamp,
    write_outcomes_csv,
    write_planner_html,
    write_planner_xlsx,
)
from panelsched.forward.views import SittingView
from panelsched.web.deps import Web, current_session
from panelsched.web.errors import Refused
from panelsched.web.forms import parse_day
from panelsched.web.pages import page_context
from panelsched.web.pages_data import find_view

router = APIRouter(dependencies=[Depends(current_session)])

_EXPORTS: dict[str, tuple[str, Callable[[Diary, ExportRange, Path], None]]] = {
    "planner.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_planner_xlsx,
    ),
    "planner.ics": (
        "text/calendar; charset=utf-8",
        lambda diary, span, path: write_planner_ics(
            diary, span.start, span.end, stamp(diary), path
        ),
    ),
    "planner.html": ("text/html; charset=utf-8", write_planner_html),
    "outcomes.csv": (
        "text/csv; charset=utf-8",
        lambda diary, span, path: write_outcomes_csv(diary, span.now, path),
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
    media, write = _EXPORTS[name]
    span = default_range(diary, web.now(diary))
    with tempfile.TemporaryDirectory(prefix="panelsched-export-", dir=web.workdir) as folder:
        path = Path(folder) / name
        write(diary, span, path)
        content = path.read_bytes()
    return _attachment(content, name, media)


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
