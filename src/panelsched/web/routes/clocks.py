"""The statutory clocks counted (issue 26): for each clock and each month a case's clock
started in, how many cases started, were decided in time or late (by how many days), were
paused, or are still open. Read only; every signed-in person may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.forward.clock_counts import ClockMonth, clock_counts, counted_span
from panelsched.web.deps import Web, current_session
from panelsched.web.errors import bad_request
from panelsched.web.forms import filter_day
from panelsched.web.pages import page_context

router = APIRouter(dependencies=[Depends(current_session)])


def _share(row: ClockMonth) -> str:
    return "-" if row.share_in_time is None else f"{row.share_in_time:.0%}"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


@dataclass(frozen=True, slots=True)
class MonthLine:
    """One month of a clock's table, its figures as the page shows them."""

    row: ClockMonth
    month: str
    share: str
    median: str
    most: str


@dataclass(frozen=True, slots=True)
class ClockTable:
    """One clock's table: its name, its citation and its months."""

    name: str
    source: str
    months: tuple[MonthLine, ...]


def _by_clock(rows: tuple[ClockMonth, ...]) -> list[ClockTable]:
    """The rows grouped by clock, in order."""
    grouped: dict[str, list[ClockMonth]] = {}
    for row in rows:
        grouped.setdefault(row.clock, []).append(row)
    return [
        ClockTable(
            months[0].name,
            months[0].source,
            tuple(
                MonthLine(
                    row,
                    f"{row.month:%B %Y}",
                    _share(row),
                    _days(row.median_days_late),
                    _days(row.most_days_late),
                )
                for row in months
            ),
        )
        for months in grouped.values()
    ]


@router.get("/clocks")
def clocks_page(request: Request, web: Web, start: str = "", end: str = "") -> Response:
    """Each statutory clock's cases counted by the month the clock started."""
    diary = web.diary()
    now = web.now(diary)
    first, last = counted_span(
        filter_day(start, "first date (From)") if start.strip() else None,
        filter_day(end, "last date (To)") if end.strip() else None,
        now.date(),
    )
    if last < first:
        raise bad_request("The end date is before the start date.")
    first_month, last_month = date(first.year, first.month, 1), date(last.year, last.month, 1)
    rows = clock_counts(diary, first, last, now)
    return web.render(
        request,
        "clocks.html",
        {
            **page_context(diary),
            "title": "Clock counts",
            "clocks": _by_clock(rows),
            "start": start,
            "end": end,
            "first": first_month,
            "last": last_month,
        },
    )


__all__ = ["ClockTable", "MonthLine", "router"]
