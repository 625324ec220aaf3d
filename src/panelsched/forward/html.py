"""planner.html: one self-contained page an administrator can open or e-mail.

A month calendar of sittings, each coloured by how full it is, then each sitting's agenda,
then the follow-ups and reviews due and the hearings still waiting for a sitting. No script
and no external file: styles are inline and a Content-Security-Policy forbids loading
anything. Every text is escaped. The fill colours are one blue ramp from light to dark
(ColorBrewer's "Blues", readable with any colour vision), and every sitting also says in
words how full it is; an empty sitting has a dashed border and a cancelled one is hatched
and struck through, so nothing rests on colour alone.
"""

from __future__ import annotations

import calendar as months
from collections import defaultdict
from datetime import date, datetime
from html import escape

from panelsched.forward.diary import Diary
from panelsched.forward.views import (
    BANDS,
    DueView,
    SittingView,
    awaiting_outcome,
    follow_ups_due,
    sitting_views,
)

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
  color: var(--ink); margin: 0; padding: 1.5rem; background: #fafafa; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
nav a { margin-right: .75rem; }
a { color: #0b4f8a; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; list-style: none; padding: 0;
  margin: .5rem 0 1rem; }
.legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { display: inline-block; width: 1.6rem; height: 1.1rem; border: 1px solid #333; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
th { background: #efefef; }
table.month { table-layout: fixed; }
table.month td { height: 6.2rem; }
table.month td.other { background: #f1f1f1; color: #595959; }
.daynum { font-weight: 600; font-size: .85rem; }
ul.sittings { list-style: none; margin: .2rem 0 0; padding: 0; }
.sitting { display: block; border: 1px solid #333; border-radius: 4px; padding: .1rem .3rem;
  margin-bottom: .2rem; font-size: .78rem; line-height: 1.25; text-decoration: none; }
.sitting .fill { display: block; font-weight: 600; }
/* Fills for the calendar's chips and the legend's swatches only. An agenda carries the same
   band class for its border; unscoped, the full band's white text would land on the agenda's
   white box. */
.sitting.b-empty, .swatch.b-empty { background: #ffffff; color: #1a1a1a; border-style: dashed; }
.sitting.b-light, .swatch.b-light { background: #deebf7; color: #08306b; }
.sitting.b-busy, .swatch.b-busy { background: #9ecae1; color: #08306b; }
.sitting.b-full, .swatch.b-full { background: #2171b5; color: #ffffff; }
/* A cancelled chip is hatched at its left edge only, so its words sit on one flat colour
   (text over stripes has no single contrast a checker or a reader can rely on). */
.sitting.b-cancelled { color: #444; background: #eee; text-decoration: line-through;
  border: 0 solid #d4d4d4; border-left-width: 8px; box-shadow: 0 0 0 1px #333;
  border-image: repeating-linear-gradient(135deg, #eee 0 3px, #767676 3px 5px) 0 0 0 8; }
.swatch.b-cancelled {
  background: repeating-linear-gradient(135deg, #eee 0 6px, #d4d4d4 6px 9px); }
a.sitting:focus, a.sitting:hover { outline: 3px solid #f4a000; outline-offset: 1px; }
.agenda { background: #fff; color: var(--ink); border: 1px solid var(--line);
  border-left-width: 8px; padding: .6rem .8rem; margin: 0 0 1rem; }
.agenda.b-empty { border-left-style: dashed; }
.agenda.b-light { border-left-color: #deebf7; }
.agenda.b-busy { border-left-color: #9ecae1; }
.agenda.b-full { border-left-color: #2171b5; }
.agenda .meta { color: var(--muted); margin: 0 0 .4rem; }
.late { font-weight: 600; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { background: #fff; padding: 0; }
  section.monthblock { break-after: page; }
  .agenda { break-inside: avoid; }
  nav { display: none; }
}
"""

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _uk(day: date) -> str:
    return day.strftime("%a %d/%m/%Y")


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%a %d/%m/%Y %H:%M") if moment is not None else "none"


def _fill_text(view: SittingView) -> str:
    if view.cancelled:
        return "cancelled"
    booked = len(view.slots)
    return f"{view.band}: {booked} booked, {view.free_minutes} min free"


def _chip(view: SittingView) -> str:
    s = view.sitting
    label = (
        f'<span class="panel">{_e(s.panel)}</span> {s.start:%H:%M}'
        f'<span class="fill">{_e(_fill_text(view))}</span>'
    )
    title = _e(f"{view.panel_name}, {_uk(s.date)} {s.start:%H:%M}-{s.end:%H:%M}")
    if view.slots:
        return (
            f'<li><a class="sitting b-{view.band}" href="#{view.anchor}" title="{title}" '
            f'data-band="{view.band}">{label}</a></li>'
        )
    return (
        f'<li><span class="sitting b-{view.band}" title="{title}" '
        f'data-band="{view.band}">{label}</span></li>'
    )


def _month(year: int, month: int, views: list[SittingView]) -> str:
    by_day: dict[date, list[SittingView]] = defaultdict(list)
    for view in views:
        by_day[view.sitting.date].append(view)
    name = date(year, month, 1).strftime("%B %Y")
    out = [
        f'<section class="monthblock" aria-labelledby="m-{year}-{month:02d}">',
        f'<h2 id="m-{year}-{month:02d}">{_e(name)}</h2>',
        f'<table class="month"><caption class="visually-hidden">Sittings in {_e(name)}'
        "</caption><thead><tr>",
        *(f'<th scope="col">{d}</th>' for d in _WEEKDAYS),
        "</tr></thead><tbody>",
    ]
    for week in months.Calendar().monthdatescalendar(year, month):
        out.append("<tr>")
        for day in week:
            if day.month != month:
                out.append(f'<td class="other"><span class="daynum">{day.day}</span></td>')
                continue
            chips = "".join(_chip(v) for v in by_day.get(day, []))
            sittings = f'<ul class="sittings">{chips}</ul>' if chips else ""
            out.append(
                f'<td data-date="{day.isoformat()}"><span class="daynum">{day.day}</span>'
                f"{sittings}</td>"
            )
        out.append("</tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _agenda(view: SittingView) -> str:
    s = view.sitting
    rows = []
    for slot in view.slots:
        referral = slot.hearing.referral
        due = slot.due
        late = due is not None and slot.booking.date > due
        due_text = (
            f'<span class="late">{_e(due.strftime("%d/%m/%Y"))} (late)</span>'
            if late and due is not None
            else _e(due.strftime("%d/%m/%Y"))
            if due is not None
            else ""
        )
        rows.append(
            "<tr>"
            f"<td>{slot.booking.start:%H:%M}-{slot.booking.end:%H:%M}</td>"
            f"<td>{_e(slot.key)}</td>"
            f"<td>{_e(slot.hearing.kind_words)}</td>"
            f"<td>{_e(referral.social_worker)}</td>"
            f"<td>{_e(referral.team_manager)}</td>"
            f"<td>{_e('; '.join(referral.attendees))}</td>"
            f"<td>{due_text}</td>"
            f"<td>{_e(slot.outcome)}</td>"
            "</tr>"
        )
    note = f" {_e(s.note)}." if s.note else ""
    return (
        f'<article class="agenda b-{view.band}" id="{view.anchor}">'
        f"<h3>{_e(view.panel_name)} ({_e(s.panel)}): {_uk(s.date)} "
        f"{s.start:%H:%M}-{s.end:%H:%M}</h3>"
        f'<p class="meta">Cut-off {_e(_moment(s.cutoff))}; papers out '
        f"{_e(_moment(s.papers_out))}; {len(view.slots)} booked, {view.free_minutes} of "
        f"{s.capacity_minutes} minutes free ({_e(view.band)}).{note}</p>"
        "<table><thead><tr>"
        '<th scope="col">slot</th><th scope="col">case</th><th scope="col">hearing</th>'
        '<th scope="col">social worker</th><th scope="col">team manager</th>'
        '<th scope="col">also attending</th><th scope="col">due by</th>'
        '<th scope="col">outcome</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></article>"
    )


def _dues(views: tuple[DueView, ...]) -> str:
    if not views:
        return "<p>No follow-ups or reviews yet.</p>"
    rows = []
    for v in views:
        booking = v.booking
        booked = f"{_uk(booking.date)} {booking.start:%H:%M}" if booking else "not booked"
        rows.append(
            "<tr>"
            f"<td>{_e(v.due.strftime('%d/%m/%Y')) if v.due else ''}</td>"
            f"<td>{_e(v.key)}</td><td>{_e(v.hearing.rule)}</td>"
            f"<td>{_e(v.hearing.kind_words)}</td><td>{_e(v.hearing.panel)}</td>"
            f"<td>{_e(booked)}</td><td>{_e(v.status)}</td><td>{_e(v.hearing.due_note)}</td>"
            "</tr>"
        )
    return (
        '<table id="reviews-table"><thead><tr><th scope="col">due by</th>'
        '<th scope="col">case</th><th scope="col">rule</th><th scope="col">hearing</th>'
        '<th scope="col">panel</th><th scope="col">booked for</th><th scope="col">status</th>'
        '<th scope="col">why this date</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _legend() -> str:
    items = [
        f'<li><span class="swatch b-{name}" aria-hidden="true"></span><strong>{name}</strong>'
        f" &ndash; {_e(words)}</li>"
        for name, words, _ in BANDS
    ]
    items.append(
        '<li><span class="swatch b-cancelled" aria-hidden="true"></span>'
        "<strong>cancelled</strong> &ndash; struck through</li>"
    )
    return f'<ul class="legend" id="legend">{"".join(items)}</ul>'


def planner_html(diary: Diary, start: date, end: date, now: datetime) -> str:
    """The page for sittings dated ``start`` to ``end``, as of ``now``.

    Returns
    -------
    str
        A complete HTML document with no external references.
    """
    views = sitting_views(diary, start, end)
    title = f"{diary.authority.authority}: forward planner"
    by_month: dict[tuple[int, int], list[SittingView]] = defaultdict(list)
    for view in views:
        by_month[(view.sitting.date.year, view.sitting.date.month)].append(view)
    month_keys: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        month_keys.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    dues = follow_ups_due(diary)
    waiting = diary.waiting()
    awaiting = awaiting_outcome(diary, now)
    booked = sum(len(v.slots) for v in views)
    nav = "".join(f'<a href="#m-{y}-{m:02d}">{date(y, m, 1):%b %Y}</a>' for y, m in month_keys)
    agendas = [_agenda(v) for v in views if v.slots]
    due_of = diary.authority.due_date
    waiting_rows = "".join(
        f"<tr><td>{_e(diary.keys[h.id])}</td><td>{_e(h.kind_words)}</td><td>{_e(h.panel)}</td>"
        f"<td>{_e(d.strftime('%d/%m/%Y')) if (d := due_of(h.referral)) else ''}</td></tr>"
        for h in waiting
    )
    awaiting_rows = "".join(
        f"<tr><td>{_e(a.key)}</td><td>{_e(a.booking.sitting_id)}</td>"
        f"<td>{a.booking.start:%H:%M}</td></tr>"
        for a in awaiting
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}.visually-hidden {{ position: absolute; left: -9999px; }}</style>",
        "</head><body>",
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="lead">Sittings {_uk(start)} to {_uk(end)}, as of {_moment(now)}: '
        f"{len(views)} sittings, {booked} hearings booked, "
        f"{sum(1 for d in dues if not d.outcome)} follow-ups open, {len(waiting)} waiting for "
        "a sitting. Case references only.</p>",
        f'<nav aria-label="Months">{nav}<a href="#agendas">Agendas</a>'
        '<a href="#reviews">Reviews due</a><a href="#waiting">Waiting</a></nav></header>',
        '<section aria-labelledby="legend-title"><h2 id="legend-title">How full each sitting is'
        "</h2>",
        _legend(),
        "<p>Each sitting in the calendar says its panel, start time and in words how full it "
        "is; select one to go to its agenda.</p></section>",
        *(_month(y, m, by_month.get((y, m), [])) for y, m in month_keys),
        '<section id="agendas" aria-labelledby="agendas-title"><h2 id="agendas-title">Agendas</h2>',
        *(agendas or ["<p>Nothing booked in this period.</p>"]),
        "</section>",
        '<section id="reviews" aria-labelledby="reviews-title">'
        '<h2 id="reviews-title">Reviews and follow-ups due</h2>',
        _dues(dues),
        "</section>",
        '<section id="waiting" aria-labelledby="waiting-title">'
        '<h2 id="waiting-title">Waiting for a sitting, or for an outcome</h2>',
        (
            '<table><thead><tr><th scope="col">case</th><th scope="col">hearing</th>'
            '<th scope="col">panel</th><th scope="col">due by</th></tr></thead>'
            f"<tbody>{waiting_rows}</tbody></table>"
            if waiting_rows
            else "<p>Every hearing has a sitting.</p>"
        ),
        (
            '<h3>Heard, outcome not recorded yet</h3><table><thead><tr><th scope="col">case'
            '</th><th scope="col">sitting</th><th scope="col">slot</th></tr></thead>'
            f"<tbody>{awaiting_rows}</tbody></table>"
            if awaiting_rows
            else ""
        ),
        "</section>",
        "<footer>Made by panelsched from the forward planner. Pseudonymous case references "
        "and roles only.</footer>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


__all__ = ["planner_html"]
