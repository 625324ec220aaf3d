"""What the pages show, worked out from the diary: calendar grids, a sitting's slots and free
time, a case's hearings, and each sitting's version for "changed since you opened it".

Plain functions of a :class:`~panelsched.forward.Diary`, so they are tested without a server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from panelsched.core.panels import minutes_of
from panelsched.core.timeslots import minute_to_time
from panelsched.forward.commands.report import FollowUpLine, Report
from panelsched.forward.diary import Diary, Hearing, Outcome, StoredBooking
from panelsched.forward.month_grid import Day, month_bounds, month_weeks
from panelsched.forward.views import BANDS, SittingView, sitting_views

BAND_WORDS = {name: words for name, words, _ in BANDS} | {"cancelled": "cancelled"}


def fill_words(view: SittingView) -> str:
    """How full a sitting is, in words: ``busy: 9 booked, 45 min free``."""
    if view.cancelled:
        return f"cancelled: {view.cancelled}"
    return f"{view.band}: {len(view.slots)} booked, {view.free_minutes} min free"


def is_extra(view: SittingView) -> bool:
    """True for a sitting added to the calendar (by the model or ``extra``)."""
    return view.sitting.note.startswith("extra sitting")


def extra_reason(diary: Diary, view: SittingView) -> str:
    """Why an extra sitting was added: the reason given when it was added in the diary, else
    the model's note ``extra sitting (reason)``; empty when none was given or it is not
    extra."""
    note = view.sitting.note
    if not note.startswith("extra sitting"):
        return ""
    added = [
        c.reason
        for c in diary.changes
        if c.kind == "extra" and c.panel == view.sitting.panel and c.date == view.sitting.date
    ]
    if added and added[-1].strip():
        return added[-1].strip()
    rest = note.removeprefix("extra sitting").strip()
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest.lstrip(": ")


def late_follow_ups(report: Report) -> list[FollowUpLine]:
    """The follow-ups a change booked after their due date."""
    return [
        f
        for f in report.follow_ups
        if f.booked is not None and (f.late_reason or (f.due is not None and f.booked.date > f.due))
    ]


def month_grid(
    diary: Diary, year: int, month: int, panels: Sequence[str] | None = None
) -> list[list[Day]]:
    """The month's weeks, Monday first, each day with its sittings (days of the weeks either
    side are shown empty)."""
    first, last = month_bounds(year, month)
    return month_weeks(year, month, sitting_views(diary, first, last, panels))


def week_days(diary: Diary, monday: date, panels: Sequence[str] | None = None) -> list[Day]:
    """Monday to Sunday of one week, each day with its sittings."""
    views = sitting_views(diary, monday, monday + timedelta(days=6), panels)
    return [
        Day(d, True, tuple(v for v in views if v.sitting.date == d))
        for d in (monday + timedelta(days=n) for n in range(7))
    ]


def find_view(diary: Diary, panel: str, day: date) -> SittingView | None:
    """The sitting of ``panel`` on ``day`` (a cancelled one too), or ``None``."""
    if panel not in diary.base.panel_ids:
        return None
    for view in sitting_views(diary, day, day, [panel]):
        return view
    return None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a sitting's agenda: a booked slot, a break or free time."""

    start: time
    end: time
    kind: str  # "booked", "free" or "break"
    slot: object | None = None  # the SlotView when booked
    words: str = ""


def agenda_rows(diary: Diary, view: SittingView) -> list[Row]:
    """The sitting's window from start to end: each booked slot, each break, and the free
    time between them with how many slots would fit."""
    panel = diary.authority.panel(view.sitting.panel)
    length = panel.slot_minutes
    busy: list[tuple[int, int, str, object | None]] = [
        (minutes_of(s.booking.start), minutes_of(s.booking.end), "booked", s) for s in view.slots
    ]
    busy += [(minutes_of(a), minutes_of(b), "break", None) for a, b in panel.breaks]
    busy.sort(key=lambda item: (item[0], item[1]))
    rows: list[Row] = []
    at = minutes_of(view.sitting.start)
    close = minutes_of(view.sitting.end)

    def free(until: int) -> None:
        if until > at:
            fits = (until - at) // length
            rows.append(
                Row(
                    minute_to_time(at),
                    minute_to_time(until),
                    "free",
                    words=f"free: {until - at} min ({fits} slot{'s' if fits != 1 else ''} of "
                    f"{length} min)",
                )
            )

    for start, end, kind, slot in busy:
        free(start)
        rows.append(
            Row(minute_to_time(start), minute_to_time(end), kind, slot, "break" * (kind == "break"))
        )
        at = max(at, end)
    free(close)
    return rows


def sitting_version(diary: Diary, panel: str, day: date) -> str:
    """A short fingerprint of everything a sitting's page shows that a change could alter:
    its bookings in force, their outcomes and the sitting's cancellations or additions.

    A form carries the version of the page it was on; a different one when it comes back
    means someone changed the sitting meanwhile.
    """
    parts: list[str] = []
    for booking in sorted(diary.in_force.values(), key=lambda b: b.id):
        if booking.panel == panel and booking.date == day:
            outcome = diary.outcomes.get(booking.hearing_id)
            parts.append(f"b{booking.id}:{outcome.outcome if outcome else ''}")
    for change in diary.changes:
        if change.panel == panel and change.date == day:
            parts.append(f"c{change.command_id}:{change.kind}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class HearingLine:
    """One hearing of a case, where it is booked and what was decided."""

    hearing: Hearing
    key: str
    booking: StoredBooking | None
    outcome: Outcome | None
    due: date | None
    history: tuple[StoredBooking, ...]

    @property
    def reason(self) -> str:
        """Why the panel deferred it (the reason recorded with the outcome), else empty."""
        if self.outcome is None:
            return ""
        return str(self.outcome.record.get("deferral_reason") or "").strip()

    @property
    def late(self) -> bool:
        """True when it is booked after its due date."""
        return self.booking is not None and self.due is not None and self.booking.date > self.due


def case_hearings(diary: Diary, referral_id: str) -> list[HearingLine]:
    """Every hearing of a case reference, in order, with its booking and outcome."""
    lines = []
    for hearing in diary.hearings:
        if hearing.referral_id != referral_id:
            continue
        lines.append(
            HearingLine(
                hearing=hearing,
                key=diary.keys[hearing.id],
                booking=diary.in_force.get(hearing.id),
                outcome=diary.outcomes.get(hearing.id),
                # The diary's due date: an emergency's ratification is due at the next
                # sitting after the decision (S9), which the referral's columns do not hold.
                due=diary.due_date(hearing),
                history=tuple(
                    b for b in diary.bookings if b.hearing_id == hearing.id and not b.in_force
                ),
            )
        )
    return lines


def search_cases(diary: Diary, text: str, limit: int = 50) -> tuple[list[str], int]:
    """Case references containing ``text`` (case-insensitive), exact match first; returns
    at most ``limit`` and how many matched in all."""
    wanted = text.strip().casefold()
    if not wanted:
        return [], 0
    found = sorted(
        {h.referral_id for h in diary.hearings if wanted in h.referral_id.casefold()},
        key=lambda ref: (ref.casefold() != wanted, ref),
    )
    return found[:limit], len(found)


def opened(view: SittingView, now: datetime) -> bool:
    """True once the sitting has started: its outcomes can be recorded, it cannot be
    cancelled."""
    return view.sitting.opens <= now


__all__ = [
    "BAND_WORDS",
    "HearingLine",
    "Row",
    "agenda_rows",
    "case_hearings",
    "extra_reason",
    "fill_words",
    "find_view",
    "is_extra",
    "late_follow_ups",
    "month_grid",
    "opened",
    "search_cases",
    "sitting_version",
    "week_days",
]
