"""The diary's pages that only read: the month and week calendars, finding a case and its
hearings, the validator's findings and the audit trail. Every one needs a session."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from panelsched.forward import Diary, validate_store
from panelsched.forward.month_grid import FIRST_YEAR, LAST_YEAR, in_calendar, month_after
from panelsched.forward.trail import audit_entries
from panelsched.web.deps import Web, current_session
from panelsched.web.errors import Refused, bad_request, no_calendar
from panelsched.web.forms import filter_day, parse_day
from panelsched.web.pages import page_context
from panelsched.web.pages_data import (
    case_hearings,
    month_grid,
    search_cases,
    week_days,
)

router = APIRouter(dependencies=[Depends(current_session)])

_MONTH = re.compile(r"(\d{4})-(\d{2})")
AUDIT_LIMIT = 1000


def _panels(diary: Diary, chosen: list[str]) -> list[str]:
    unknown = [p for p in chosen if p not in diary.base.panel_ids]
    if unknown:
        raise bad_request(f"Unknown panel '{unknown[0]}'.")
    return chosen


def _panel_query(chosen: list[str]) -> str:
    return "".join(f"&panel={p}" for p in chosen)


@router.get("/")
def home() -> Response:
    """The calendar is the home page."""
    return RedirectResponse("/calendar", 303)


@router.get("/calendar")
def month_page(request: Request, web: Web, month: str = "") -> Response:
    """A month of sittings, each coloured by how full it is and saying so in words."""
    diary = web.diary()
    now = web.now(diary)
    chosen = _panels(diary, request.query_params.getlist("panel"))
    if month:
        found = _MONTH.fullmatch(month.strip())
        if not found or not 1 <= int(found[2]) <= 12:
            raise bad_request(f"'{month}' is not a month like 2027-01.")
        year, number = int(found[1]), int(found[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise no_calendar("month")
    else:
        year, number = now.year, now.month
    weeks = month_grid(diary, year, number, chosen or None)
    previous, following = month_after(year, number, -1), month_after(year, number, 1)
    # No link to a month the calendar would refuse.
    has_previous, has_next = previous[0] >= FIRST_YEAR, following[0] <= LAST_YEAR
    return web.render(
        request,
        "calendar.html",
        {
            **page_context(diary),
            "title": f"{date(year, number, 1):%B %Y}",
            "weeks": weeks,
            "month": number,
            "month_value": f"{year}-{number:02d}",
            "chosen": chosen,
            "previous": f"/calendar?month={previous[0]}-{previous[1]:02d}{_panel_query(chosen)}"
            if has_previous
            else "",
            "next": f"/calendar?month={following[0]}-{following[1]:02d}{_panel_query(chosen)}"
            if has_next
            else "",
            "week_link": f"/week?start={date(year, number, 1).isoformat()}" + _panel_query(chosen),
            "count": sum(len(d.sittings) for w in weeks for d in w),
        },
    )


@router.get("/week")
def week_page(request: Request, web: Web, start: str = "") -> Response:
    """One week, Monday to Sunday, each sitting with its fill and booked cases."""
    diary = web.diary()
    chosen = _panels(diary, request.query_params.getlist("panel"))
    day = parse_day(start) if start else web.now(diary).date()
    # The day first: the week's Sunday of a day near year 9999 is past Python's last date.
    if not in_calendar(day):
        raise no_calendar("week")
    monday = day - timedelta(days=day.weekday())
    if not (in_calendar(monday) and in_calendar(monday + timedelta(days=6))):
        raise no_calendar("week")
    days = week_days(diary, monday, chosen or None)
    before, after = monday - timedelta(days=7), monday + timedelta(days=7)
    return web.render(
        request,
        "week.html",
        {
            **page_context(diary),
            "title": f"Week of {monday:%a %d/%m/%Y}",
            "days": days,
            "chosen": chosen,
            "monday": monday,
            # No link to a week the calendar would refuse.
            "previous": f"/week?start={before}{_panel_query(chosen)}"
            if in_calendar(before)
            else "",
            "next": f"/week?start={after}{_panel_query(chosen)}"
            if in_calendar(after + timedelta(days=6))
            else "",
            "month_link": f"/calendar?month={monday:%Y-%m}{_panel_query(chosen)}",
        },
    )


@router.get("/cases")
def search_page(request: Request, web: Web, q: str = "") -> Response:
    """Search by case reference (any part of it)."""
    diary = web.diary()
    found, total = search_cases(diary, q)
    if len(found) == 1 and found[0].casefold() == q.strip().casefold():
        return RedirectResponse(f"/cases/{quote(found[0], safe='')}", 303)
    return web.render(
        request,
        "search.html",
        {**page_context(diary), "title": "Find a case", "q": q, "found": found, "total": total},
    )


@router.get("/cases/{reference:path}")
def case_page(request: Request, web: Web, reference: str) -> Response:
    """Every hearing of one case: where booked, what was decided, what is due."""
    diary = web.diary()
    lines = case_hearings(diary, reference)
    if not lines:
        raise Refused(404, "No such case", "No case has that reference. Search again.")
    return web.render(
        request,
        "case.html",
        {
            **page_context(diary),
            "title": f"Case {reference}",
            "reference": reference,
            "lines": lines,
        },
    )


@router.get("/findings")
def findings_page(request: Request, web: Web) -> Response:
    """The validator's findings for the whole diary, each with its citation."""
    diary = web.diary()
    validation = validate_store(diary, web.now(diary))
    return web.render(
        request,
        "findings.html",
        {**page_context(diary), "title": "Rule checks", "validation": validation},
    )


@router.get("/audit")
def audit_page(
    request: Request, web: Web, user: str = "", start: str = "", end: str = ""
) -> Response:
    """The audit trail, newest first, filtered by who and between which dates."""
    diary = web.diary()
    first = filter_day(start, "start date") if start else None
    last = filter_day(end, "end date") if end else None
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
            **page_context(diary),
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


__all__ = ["AUDIT_LIMIT", "router"]
