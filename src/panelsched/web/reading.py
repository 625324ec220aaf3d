"""The pages that only read: calendars, a sitting, a case, outcomes to record, the
validator's findings, the audit trail and the downloads. Every one needs a session."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from panelsched.core.sittings import sitting_id
from panelsched.exports.ics import calendar_bytes
from panelsched.forward import Diary, validate_store
from panelsched.forward.calendars import diary_events, write_planner_ics
from panelsched.forward.diary_files import (
    ExportRange,
    default_range,
    stamp,
    write_outcomes_csv,
    write_planner_html,
    write_planner_xlsx,
)
from panelsched.forward.trail import audit_entries
from panelsched.forward.views import BANDS, SittingView, awaiting_outcome
from panelsched.web.app import Refused, SignedIn, WebState, current_session, state
from panelsched.web.pages_data import (
    agenda_rows,
    case_hearings,
    fill_words,
    find_view,
    is_extra,
    month_after,
    month_grid,
    opened,
    search_cases,
    sitting_version,
    week_days,
)
from panelsched.web.security import Session

router = APIRouter(dependencies=[Depends(current_session)])

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def bad_request(message: str) -> Refused:
    """A 400 page saying what was wrong with the address."""
    return Refused(400, "Cannot show that", message)


def parse_day(text: str, what: str = "date") -> date:
    """An ISO date from an address or a form.

    Raises
    ------
    Refused
        400, naming what was expected.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise bad_request(f"'{text}' is not a {what} like 2027-01-31.") from None


def _panels(diary: Diary, chosen: list[str]) -> list[str]:
    unknown = [p for p in chosen if p not in diary.base.panel_ids]
    if unknown:
        raise bad_request(f"Unknown panel '{unknown[0]}'.")
    return chosen


def _panel_query(chosen: list[str]) -> str:
    return "".join(f"&panel={p}" for p in chosen)


def common(diary: Diary) -> dict[str, Any]:
    """What every diary page shows: the diary, its panels and the fill bands."""
    return {
        "diary": diary,
        "panels": diary.base.panels,
        "bands": [(name, words) for name, words, _ in BANDS],
        "fill_words": fill_words,
        "is_extra": is_extra,
    }


@router.get("/")
def home() -> Response:
    """The calendar is the home page."""
    return RedirectResponse("/calendar", 303)


@router.get("/calendar")
def month_page(request: Request, month: str = "") -> Response:
    """A month of sittings, each coloured by how full it is and saying so in words."""
    web = state(request)
    diary = web.diary()
    now = web.now(diary)
    chosen = _panels(diary, request.query_params.getlist("panel"))
    if month:
        found = _MONTH.fullmatch(month.strip())
        if not found or not 1 <= int(found[2]) <= 12:
            raise bad_request(f"'{month}' is not a month like 2027-01.")
        year, number = int(found[1]), int(found[2])
    else:
        year, number = now.year, now.month
    weeks = month_grid(diary, year, number, chosen or None)
    previous, following = month_after(year, number, -1), month_after(year, number, 1)
    return web.render(
        request,
        "calendar.html",
        {
            **common(diary),
            "title": f"{date(year, number, 1):%B %Y}",
            "weeks": weeks,
            "month": number,
            "month_value": f"{year}-{number:02d}",
            "chosen": chosen,
            "previous": f"/calendar?month={previous[0]}-{previous[1]:02d}{_panel_query(chosen)}",
            "next": f"/calendar?month={following[0]}-{following[1]:02d}{_panel_query(chosen)}",
            "week_link": f"/week?start={date(year, number, 1).isoformat()}" + _panel_query(chosen),
            "count": sum(len(d.sittings) for w in weeks for d in w),
        },
    )


@router.get("/week")
def week_page(request: Request, start: str = "") -> Response:
    """One week, Monday to Sunday, each sitting with its fill and booked cases."""
    web = state(request)
    diary = web.diary()
    chosen = _panels(diary, request.query_params.getlist("panel"))
    day = parse_day(start) if start else web.now(diary).date()
    monday = day - timedelta(days=day.weekday())
    days = week_days(diary, monday, chosen or None)
    return web.render(
        request,
        "week.html",
        {
            **common(diary),
            "title": f"Week of {monday:%a %d/%m/%Y}",
            "days": days,
            "chosen": chosen,
            "monday": monday,
            "previous": f"/week?start={monday - timedelta(days=7)}{_panel_query(chosen)}",
            "next": f"/week?start={monday + timedelta(days=7)}{_panel_query(chosen)}",
            "month_link": f"/calendar?month={monday:%Y-%m}{_panel_query(chosen)}",
        },
    )


def sitting_context(
    web: WebState, session: Session, diary: Diary, panel: str, day: date
) -> dict[str, Any]:
    """Everything a sitting's page shows (also re-shown with a form's problems).

    Raises
    ------
    Refused
        404 when the panel does not sit that day.
    """
    view = find_view(diary, panel, day)
    if view is None:
        raise Refused(404, "No such sitting", f"{panel} does not sit on {day:%a %d/%m/%Y}.")
    now = web.now(diary)
    model_panel = diary.authority.panel(panel)
    has_opened = opened(view, now)
    awaiting = [s for s in view.slots if not s.outcome] if has_opened else []
    return {
        **common(diary),
        "title": f"{view.panel_name}, {day:%a %d/%m/%Y}",
        "view": view,
        "rows": agenda_rows(diary, view),
        "opened": has_opened,
        "awaiting": awaiting,
        "version": sitting_version(diary, panel, day),
        "may_outcome": session.may("outcome"),
        "may_cancel": session.may("cancel") and not has_opened and not view.cancelled,
        # Between the cut-off and the sitting, late papers need the chair's permission (S2).
        "takes_late_papers": session.may("late")
        and model_panel.late_applications
        and view.sitting.cutoff is not None
        and view.sitting.cutoff <= now
        and not has_opened
        and not view.cancelled,
        "asks_first_cla_review": "invite_within_days_of_first_cla_review" in model_panel.rules,
        "asks_still_neet": "neet_review_within_months" in model_panel.rules,
        "sitting_id": sitting_id(panel, day),
        "errors": {},
        "values": {},
    }


@router.get("/sittings/{panel}/{day}")
def sitting_page(request: Request, panel: str, day: str, session: SignedIn) -> Response:
    """A sitting: its agenda slot by slot, who presents and attends, cut-off, papers-out,
    free time; forms to record outcomes or cancel it, by role."""
    web = state(request)
    diary = web.diary()
    return web.render(
        request, "sitting.html", sitting_context(web, session, diary, panel, parse_day(day))
    )


@router.get("/cases")
def search_page(request: Request, q: str = "") -> Response:
    """Search by case reference (any part of it)."""
    web = state(request)
    diary = web.diary()
    found, total = search_cases(diary, q)
    if len(found) == 1 and found[0].casefold() == q.strip().casefold():
        return RedirectResponse(f"/cases/{quote(found[0], safe='')}", 303)
    return web.render(
        request,
        "search.html",
        {**common(diary), "title": "Find a case", "q": q, "found": found, "total": total},
    )


@router.get("/cases/{reference:path}")
def case_page(request: Request, reference: str) -> Response:
    """Every hearing of one case: where booked, what was decided, what is due."""
    web = state(request)
    diary = web.diary()
    lines = case_hearings(diary, reference)
    if not lines:
        raise Refused(404, "No such case", "No case has that reference. Search again.")
    return web.render(
        request,
        "case.html",
        {**common(diary), "title": f"Case {reference}", "reference": reference, "lines": lines},
    )


@router.get("/outcomes")
def outcomes_page(request: Request) -> Response:
    """Cases heard whose outcome is not recorded yet, by sitting."""
    web = state(request)
    diary = web.diary()
    waiting = awaiting_outcome(diary, web.now(diary))
    sittings: dict[str, list[Any]] = {}
    for slot in waiting:
        sittings.setdefault(slot.booking.sitting_id, []).append(slot)
    return web.render(
        request,
        "outcomes.html",
        {**common(diary), "title": "Outcomes to record", "sittings": sittings},
    )


@router.get("/findings")
def findings_page(request: Request) -> Response:
    """The validator's findings for the whole diary, each with its citation."""
    web = state(request)
    diary = web.diary()
    validation = validate_store(diary, web.now(diary))
    return web.render(
        request,
        "findings.html",
        {**common(diary), "title": "Rule checks", "validation": validation},
    )


AUDIT_LIMIT = 1000


@router.get("/audit")
def audit_page(request: Request, user: str = "", start: str = "", end: str = "") -> Response:
    """The audit trail, newest first, filtered by who and between which dates."""
    web = state(request)
    diary = web.diary()
    first = parse_day(start, "start date") if start else None
    last = parse_day(end, "end date") if end else None
    if first and last and last < first:
        raise bad_request("The end date is before the start date.")
    with web.store() as store:
        everyone = audit_entries(store)
        rows = list(reversed(audit_entries(store, first, last, user or None)))
    people = sorted({entry.by for entry in everyone})
    return web.render(
        request,
        "audit.html",
        {
            **common(diary),
            "title": "Audit trail",
            "rows": rows[:AUDIT_LIMIT],
            "total": len(rows),
            "limit": AUDIT_LIMIT,
            "people": people,
            "user": user,
            "start": start,
            "end": end,
        },
    )


@router.get("/downloads")
def downloads_page(request: Request) -> Response:
    """The exports to take away."""
    web = state(request)
    diary = web.diary()
    span = default_range(diary, web.now(diary))
    return web.render(
        request, "downloads.html", {**common(diary), "title": "Downloads", "span": span}
    )


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


@router.get("/downloads/{name}")
def download(request: Request, name: str) -> Response:
    """One export of the diary (the same files as ``planner export``)."""
    if name not in _EXPORTS:
        raise Refused(404, "No such download", "Choose one of the downloads listed.")
    web = state(request)
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
def sitting_download(request: Request, panel: str, day: str) -> Response:
    """A sitting's calendar file."""
    web = state(request)
    diary = web.diary()
    when = parse_day(day)
    view = find_view(diary, panel, when)
    if view is None:
        raise Refused(404, "No such sitting", f"{panel} does not sit on {when:%a %d/%m/%Y}.")
    return _attachment(
        sitting_ics(diary, view), f"{panel}-{when.isoformat()}.ics", "text/calendar; charset=utf-8"
    )


__all__ = ["bad_request", "common", "parse_day", "router", "sitting_context", "sitting_ics"]
