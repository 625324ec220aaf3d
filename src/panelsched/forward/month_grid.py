"""A month as a calendar shows it: weeks from Monday, each day with its sittings.

planner.html (:mod:`panelsched.forward.html`) and the web's month page lay out the same grid
from these days, each in its own markup.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from panelsched.forward.views import SittingView

# The years a calendar shows. Python's dates stop at 9999, and working out a panel's sittings
# near either end overflows; no council plans outside these years.
FIRST_YEAR = 1900
LAST_YEAR = 2999


@dataclass(frozen=True, slots=True)
class Day:
    """One day of a calendar grid and its sittings (none for the days of the months either
    side, which fill the first and last weeks)."""

    date: date
    in_range: bool
    sittings: tuple[SittingView, ...]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_weeks(year: int, month: int, views: Iterable[SittingView]) -> list[list[Day]]:
    """The month's weeks, Monday first, each day of the month with its sittings among
    ``views`` in their order (the days of the weeks either side are shown empty)."""
    by_day: dict[date, list[SittingView]] = {}
    for view in views:
        by_day.setdefault(view.sitting.date, []).append(view)
    return [
        [
            Day(d, d.month == month, tuple(by_day.get(d, ())) if d.month == month else ())
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def in_calendar(day: date) -> bool:
    """True when ``day`` falls in the years a calendar shows (:data:`FIRST_YEAR` to
    :data:`LAST_YEAR`)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def month_after(year: int, month: int, step: int) -> tuple[int, int]:
    """The month ``step`` months on (back when negative)."""
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Day",
    "in_calendar",
    "month_after",
    "month_bounds",
    "month_weeks",
]
