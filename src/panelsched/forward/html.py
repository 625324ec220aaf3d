"""planner.html: one self-contained page an administrator can open or e-mail.

A month calendar of sittings, each coloured by how full it is, then each sitting's agenda,
then the follow-ups and reviews due and the hearings still waiting for a sitting. No script
and no external file: styles are inline and a Content-Security-Policy forbids loading
anything. Every text is escaped. The fill colours are one blue ramp from light to dark
(ColorBrewer's "Blues", readable with any colour vision), and every sitting also says in
words how full it is; an empty sitting has a dashed border and a cancelled one is hatched
and struck through, so nothing rests on colour alone.

The page is the Jinja template ``templates/planner.html``; its month grids are laid out from
the same days (:mod:`panelsched.forward.month_grid`) as the web's month page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from html import escape

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from panelsched.forward.diary import Diary
from panelsched.forward.month_grid import Day, month_weeks
from panelsched.forward.views import (
    BANDS,
    SittingView,
    awaiting_outcome,
    follow_ups_due,
    sitting_views,
)

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class _Month:
    first: date
    weeks: list[list[Day]]

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def name(self) -> str:
        return f"{self.first:%B %Y}"


def _escaped(value: object) -> object:
    # Every value the way html.escape writes it (&quot; and &#x27;), not markupsafe's
    # (&#34; and &#39;): the page stays the same byte for byte whatever a text holds.
    if isinstance(value, Markup):
        return value
    return Markup(escape(str(value), quote=True))


def _uk(day: date) -> str:
    return day.strftime("%a %d/%m/%Y")


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%a %d/%m/%Y %H:%M") if moment is not None else "none"


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _fill_text(view: SittingView) -> str:
    if view.cancelled:
        return "cancelled"
    booked = len(view.slots)
    fill = f"{view.band}: {booked} booked, {view.free_minutes} min free"
    return f"{fill}; reinstated" if view.reinstated else fill


@cache
def _templates() -> Environment:
    templates = Environment(
        loader=PackageLoader("panelsched.forward", "templates"),
        autoescape=True,
        finalize=_escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    templates.filters.update(uk=_uk, moment=_moment, hm=_hm, dmy=_dmy)
    templates.globals.update(fill_text=_fill_text)
    return templates


def planner_html(diary: Diary, start: date, end: date, now: datetime) -> str:
    """The page for sittings dated ``start`` to ``end``, as of ``now``.

    Returns
    -------
    str
        A complete HTML document with no external references.
    """
    views = sitting_views(diary, start, end)
    months: list[_Month] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        in_month = [
            v for v in views if (v.sitting.date.year, v.sitting.date.month) == (year, month)
        ]
        months.append(_Month(date(year, month, 1), month_weeks(year, month, in_month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    dues = follow_ups_due(diary)
    return (
        _templates()
        .get_template("planner.html")
        .render(
            title=f"{diary.authority.authority}: forward planner",
            start=start,
            end=end,
            now=now,
            sittings=len(views),
            booked=sum(len(v.slots) for v in views),
            open_follow_ups=sum(1 for d in dues if not d.outcome),
            bands=[(name, words) for name, words, _ in BANDS],
            weekdays=_WEEKDAYS,
            months=months,
            agendas=[v for v in views if v.slots],
            dues=dues,
            waiting=diary.waiting(),
            keys=diary.keys,
            due_of=diary.due_date,
            awaiting=awaiting_outcome(diary, now),
        )
    )


__all__ = ["planner_html"]
