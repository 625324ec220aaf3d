"""Read-only views of the diary for ``show`` and the exports: sittings with their slots,
how full each is, follow-ups and when they are due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from panelsched.core.panels import minutes_of
from panelsched.core.sittings import Sitting, sitting_for
from panelsched.core.workdays import working_calendar
from panelsched.forward.diary import Diary, Hearing, StoredBooking

# How full a sitting is, in bands an administrator reads at a glance. Upper bounds are
# exclusive shares of the sitting's minutes; "full" also covers a sitting with no slot left.
BANDS: tuple[tuple[str, str, float], ...] = (
    ("empty", "nothing booked", 0.0),
    ("light", "under half full", 0.5),
    ("busy", "half full or more", 0.9),
    ("full", "90% full or more, or no slot left", 1.01),
)


@dataclass(frozen=True, slots=True)
class SlotView:
    """One booking at a sitting, with its hearing and outcome."""

    booking: StoredBooking
    hearing: Hearing
    key: str
    outcome: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class SittingView:
    """A sitting of the calendar (or one cancelled in the store) with its bookings.

    ``cancelled`` is the reason it was cancelled, ``reinstated`` the reason a cancelled one is
    held after all (``""`` when it was not).
    """

    sitting: Sitting
    panel_name: str
    slots: tuple[SlotView, ...]
    shortest_slot: int
    cancelled: str = ""
    reinstated: str = ""

    @property
    def used_minutes(self) -> int:
        """Minutes booked."""
        return sum(minutes_of(s.booking.end) - minutes_of(s.booking.start) for s in self.slots)

    @property
    def free_minutes(self) -> int:
        """Minutes of the window (less breaks) not booked."""
        return max(0, self.sitting.capacity_minutes - self.used_minutes)

    @property
    def share(self) -> float:
        """How full it is, 0 to 1."""
        capacity = self.sitting.capacity_minutes
        return min(1.0, self.used_minutes / capacity) if capacity else 1.0

    @property
    def band(self) -> str:
        """``empty``, ``light``, ``busy`` or ``full`` (``cancelled`` for a cancelled one)."""
        if self.cancelled:
            return "cancelled"
        if not self.slots:
            return "empty"
        if self.free_minutes < self.shortest_slot:
            return "full"
        for name, _, bound in BANDS[1:]:
            if self.share < bound:
                return name
        return "full"

    @property
    def anchor(self) -> str:
        """An id for links: ``s-lam-crp-2027-03-04``."""
        return f"s-{self.sitting.panel}-{self.sitting.date.isoformat()}"


@dataclass(frozen=True, slots=True)
class DueView:
    """A follow-up hearing, when it is due and where it is booked."""

    hearing: Hearing
    key: str
    due: date | None
    booking: StoredBooking | None
    outcome: str

    @property
    def status(self) -> str:
        """``decided``, ``booked``, ``booked late`` or ``not booked``."""
        if self.outcome:
            return f"decided: {self.outcome}"
        if self.booking is None:
            return "not booked"
        if self.due is not None and self.booking.date > self.due:
            return "booked late"
        return "booked"


def sitting_views(
    diary: Diary, start: date, end: date, panels: Sequence[str] | None = None
) -> tuple[SittingView, ...]:
    """Every sitting from ``start`` to ``end`` (and each sitting cancelled in the store), with
    its bookings in slot order."""
    at = diary.bookings_at()
    names = {p.id: p.name for p in diary.base.panels}
    chosen = set(panels) if panels else set(names)
    sittings: list[tuple[Sitting, str]] = [
        (s, "") for s in diary.sittings(start, end) if s.panel in chosen
    ]
    workdays = working_calendar(diary.base.holidays)
    calendar_ids = {s.id for s, _ in sittings}
    latest: dict[str, str] = {}
    reinstated: dict[str, str] = {}
    for change in diary.changes:
        latest[change.sitting_id] = change.reason if change.kind == "cancelled" else ""
        if change.kind == "reinstated":
            reinstated[change.sitting_id] = change.reason
        else:
            reinstated.pop(change.sitting_id, None)
    for change in diary.changes:
        if change.kind != "cancelled" or not start <= change.date <= end:
            continue
        if change.panel not in chosen or change.sitting_id in calendar_ids:
            continue
        if not latest.get(change.sitting_id):
            continue
        panel = diary.base.panel(change.panel)
        sittings.append((sitting_for(panel, change.date, "", workdays), change.reason))
        calendar_ids.add(change.sitting_id)
    views = []
    for sitting, reason in sorted(sittings, key=lambda pair: pair[0]):
        panel = diary.authority.panel(sitting.panel)
        slots = tuple(
            SlotView(
                booking=b,
                hearing=diary.by_id[b.hearing_id],
                key=diary.keys[b.hearing_id],
                outcome=o.outcome if (o := diary.outcomes.get(b.hearing_id)) else "",
                due=diary.due_date(diary.by_id[b.hearing_id]),
            )
            for b in ([] if reason else at.get(sitting.id, []))
        )
        views.append(
            SittingView(
                sitting=sitting,
                panel_name=names[sitting.panel],
                slots=slots,
                shortest_slot=min(panel.slot_minutes, panel.complex_slot_minutes or 10_000),
                cancelled=reason or "",
                reinstated="" if reason else reinstated.get(sitting.id, ""),
            )
        )
    return tuple(views)


def follow_ups_due(diary: Diary) -> tuple[DueView, ...]:
    """Every follow-up hearing (rule set), by due date then case."""
    views = []
    for hearing in diary.hearings:
        if not hearing.rule:
            continue
        due = diary.due_date(hearing)
        outcome = diary.outcomes.get(hearing.id)
        views.append(
            DueView(
                hearing=hearing,
                key=diary.keys[hearing.id],
                due=due,
                booking=diary.in_force.get(hearing.id),
                outcome=outcome.outcome if outcome else "",
            )
        )
    return tuple(sorted(views, key=lambda v: (v.due or date.max, v.key)))


def awaiting_outcome(diary: Diary, now: datetime) -> tuple[SlotView, ...]:
    """Bookings at sittings that have opened with no outcome recorded yet."""
    found = []
    for hearing_id, booking in sorted(diary.in_force.items(), key=lambda i: (i[1].opens, i[0])):
        if hearing_id in diary.outcomes or booking.opens > now:
            continue
        found.append(SlotView(booking, diary.by_id[hearing_id], diary.keys[hearing_id], outcome=""))
    return tuple(found)


__all__ = [
    "BANDS",
    "DueView",
    "SittingView",
    "SlotView",
    "awaiting_outcome",
    "follow_ups_due",
    "sitting_views",
]
