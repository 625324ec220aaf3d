"""What the planner commands print in the terminal: a command's report, the coming sittings
and the audit trail, as rich tables (the data comes from :mod:`panelsched.forward`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from panelsched.exports.tables import uk_moment
from panelsched.forward.commands import Report
from panelsched.forward.diary import Diary, Hearing
from panelsched.forward.trail import AuditEntry
from panelsched.forward.views import SittingView, SlotView


def report_renderables(report: Report) -> list[RenderableType]:
    """A command's report as lines and tables: follow-ups, who must be told, problems."""
    items: list[RenderableType] = [Text(line) for line in report.lines]
    if report.follow_ups:
        table = Table(title="Follow-ups the rules ask for")
        for column in ("rule", "case", "hearing", "due by", "booked for"):
            table.add_column(column, overflow="fold")
        for f in report.follow_ups:
            if f.booked is not None:
                booked = f"{f.booked.panel} {f.booked.date:%a %d/%m/%Y} {f.booked.start:%H:%M}"
                booked += f" (late: {f.late_reason})" if f.late_reason else ""
            else:
                booked = f"not booked: {f.unplaced_reason}" if f.unplaced_reason else "not booked"
            due = f"{f.due:%d/%m/%Y} ({f.due_note})" if f.due else f.due_note
            table.add_row(Text(f.rule), Text(f.key), Text(f.kind), Text(due), Text(booked))
        items.append(table)
    if report.notices:
        table = Table(title="Who must be told")
        for column in ("person", "case", "panel", "when", "change"):
            table.add_column(column, overflow="fold")
        for n in report.notices:
            table.add_row(
                Text(n.person),
                Text(n.key),
                Text(f"{n.panel_name} ({n.panel})"),
                Text(f"{n.date:%a %d/%m/%Y} {n.start:%H:%M}-{n.end:%H:%M}"),
                Text(n.change),
            )
        items.append(table)
    for title, found in (("Not booked", report.unplaced), ("Booked late", report.late)):
        items.extend(Text(f"{title}: {key}: {reason}") for key, reason in found)
    items.extend(Text(f"Warning: {clash}") for clash in report.clashes)
    if report.clashes:
        items.append(Text("Run the command again with --replan to move them."))
    items.extend(Text(f"Warning: {warning}") for warning in report.warnings)
    return items


def coming_table(diary: Diary, views: Sequence[SittingView], now: datetime, weeks: int) -> Table:
    """``planner show``: each coming sitting's cut-off, papers-out time, free minutes and cases."""
    span = f"{weeks} week{'s' if weeks != 1 else ''}"
    table = Table(title=f"{diary.authority.authority}: sittings from {now:%d/%m/%Y %H:%M}, {span}")
    for column in ("sitting", "cut-off", "papers out", "free", "booked cases"):
        table.add_column(column, overflow="fold", no_wrap=column != "booked cases")
    for v in views:
        s = v.sitting
        cases = "\n".join(
            f"{c.booking.start:%H:%M} {c.key} ({c.hearing.kind}) "
            f"{c.hearing.referral.social_worker}/{c.hearing.referral.team_manager}"
            for c in v.slots
        )
        table.add_row(
            Text(f"{s.panel} {s.date:%a %d/%m/%Y} {s.start:%H:%M}-{s.end:%H:%M}"),
            uk_moment(s.cutoff),
            uk_moment(s.papers_out),
            "cancelled" if v.cancelled else f"{v.free_minutes} min ({v.band})",
            Text(
                f"cancelled: {v.cancelled}"
                if v.cancelled
                else "\n".join(
                    t for t in (v.reinstated and f"reinstated: {v.reinstated}", cases) if t
                )
                or "-"
            ),
        )
    return table


def coming_counts(
    views: Sequence[SittingView], waiting: Sequence[Hearing], awaiting: Sequence[SlotView]
) -> str:
    """The line under :func:`coming_table`: cases booked, hearings waiting, outcomes missing."""
    return (
        f"{sum(len(v.slots) for v in views)} booked in {len(views)} sittings; "
        f"{len(waiting)} {'hearing' if len(waiting) == 1 else 'hearings'} waiting for a "
        f"sitting; {len(awaiting)} heard without an outcome recorded."
    )


def trail_table(entries: Sequence[AuditEntry], title: str) -> Table:
    """``planner history`` and ``planner audit``: one row per change, oldest first."""
    table = Table(title=title)
    for column in ("when", "who", "command", "change", "case or sitting", "what"):
        table.add_column(column, overflow="fold", no_wrap=column in ("when", "who"))
    for e in entries:
        table.add_row(
            Text(f"{e.at:%a %d/%m/%Y %H:%M}"),
            Text(e.by),
            Text(e.command),
            Text(e.action),
            Text(e.subject),
            Text(e.detail),
        )
    return table


def waiting_lines(diary: Diary, waiting: Sequence[Hearing]) -> list[str]:
    """One line per hearing waiting for a sitting, with its due date when it has one."""
    lines = []
    for hearing in waiting:
        due = diary.due_date(hearing)
        lines.append(
            f"  waiting: {diary.keys[hearing.id]} ({hearing.kind}) for {hearing.panel}"
            + (f", due by {due:%d/%m/%Y}" if due else "")
        )
    return lines


__all__ = [
    "coming_counts",
    "coming_table",
    "report_renderables",
    "trail_table",
    "waiting_lines",
]
