"""What the store holds, as frozen data: hearings, bookings, outcomes, sitting changes.

A *referral* is a case reference from a referrals file (or an emergency, or a court-tracking
allocation). A *hearing* is one time the case must come to a panel: the referral itself, then
any follow-up the rules ask for (a deferral heard again, a review, a ratification...). The
planner books hearings; each hearing's :attr:`Hearing.key` names it to the planner and in
outputs: the case reference for its first hearing, ``R-000123#2`` for the second, and so on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from panelsched.core.availability import Unavailability
from panelsched.core.due import Due
from panelsched.core.panels import Authority
from panelsched.core.plan import Booking
from panelsched.core.referrals import Referral
from panelsched.core.sittings import (
    Sitting,
    decision_moment,
    generate_sittings,
    ratification_due,
    ratification_sitting,
    sitting_id,
)

# The field ``date`` of some classes below shadows the type inside their bodies.
Day = date
Clock = time

# How far ahead the next sitting after an emergency decision is looked for (S9): the sparsest
# cadence (monthly), cancellations and all.
RATIFICATION_MONTHS = 7

# How each kind of hearing is shown to people.
KIND_WORDS: Mapping[str, str] = {
    "referral": "referral",
    "deferred": "deferred case heard again (S10)",
    "review": "review of an approval (S7)",
    "ratification": "ratification of an emergency decision (S9)",
    "permanency": "permanency tracking after the first CLA review (S11)",
    "neet review": "NEET review (S12)",
    "court tracking": "court tracking monthly slot (S13)",
}


@dataclass(frozen=True, slots=True)
class SittingChange:
    """A sitting cancelled, an extra one added, or a cancelled one reinstated, after the
    model was loaded (``kind`` is ``cancelled``, ``extra`` or ``reinstated``)."""

    panel: str
    date: date
    kind: str
    reason: str
    agreed_by: str
    at: datetime
    by: str
    command_id: int

    @property
    def sitting_id(self) -> str:
        """``panel@YYYY-MM-DD``."""
        return sitting_id(self.panel, self.date)


@dataclass(frozen=True, slots=True)
class Hearing:
    """One time a case must come to a panel.

    Attributes
    ----------
    referral
        What the planner books, with the case's people and dates; its ``referral_id`` is the
        case reference (the planner is given :attr:`key` instead).
    kind, rule
        ``"referral"`` for the case itself, else the follow-up's kind and the rule that asked
        for it (``"S10"``).
    origin_id
        The hearing whose outcome asked for this one.
    """

    id: int
    referral_id: str
    number: int
    kind: str
    rule: str
    origin_id: int | None
    referral: Referral
    first_cla_review: date | None
    emergency_decision: datetime | None
    due_note: str
    command_id: int
    created_at: datetime
    created_by: str

    @property
    def panel(self) -> str:
        """The panel it goes to."""
        return self.referral.panel

    @property
    def default_key(self) -> str:
        """``R-000123`` for the case's first hearing, ``R-000123#2`` for the second."""
        return self.referral_id if self.number == 1 else f"{self.referral_id}#{self.number}"

    @property
    def kind_words(self) -> str:
        """The kind as people read it."""
        return KIND_WORDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class StoredBooking:
    """A booking, in force while :attr:`ended_command_id` is ``None``."""

    id: int
    hearing_id: int
    panel: str
    date: date
    start: time
    end: time
    command_id: int
    booked_at: datetime
    booked_by: str
    ended_command_id: int | None
    end_reason: str | None

    @property
    def in_force(self) -> bool:
        """True until it is moved or its sitting is cancelled."""
        return self.ended_command_id is None

    @property
    def sitting_id(self) -> str:
        """``panel@YYYY-MM-DD``."""
        return sitting_id(self.panel, self.date)

    @property
    def opens(self) -> datetime:
        """When the slot starts."""
        return datetime.combine(self.date, self.start)

    @property
    def slot(self) -> tuple[str, Day, Clock, Clock]:
        """Where and when: the thing that must not change without ``--replan``."""
        return (self.panel, self.date, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the panel decided at a hearing; ``record`` holds the record's other cells."""

    hearing_id: int
    panel: str
    date: date
    outcome: str
    record: dict[str, Any]
    decided_at: datetime
    decided_by: str


def effective_authority(base: Authority, changes: Iterable[SittingChange]) -> Authority:
    """The model with the store's cancelled, extra and reinstated sittings folded into each
    panel.

    Changes apply in the order they were made: cancelling a date removes it from the extra
    sittings too, and adding one removes it from the cancellations. Reinstating a date
    removes the cancellation and brings back what was cancelled: an extra sitting stays extra,
    a regular one is regular again.
    """
    cancelled: dict[str, set[date]] = {p.id: set(p.cancelled) for p in base.panels}
    extra: dict[str, set[date]] = {p.id: set(p.extra) for p in base.panels}
    # Extra sittings cancelled, so that reinstating one brings it back as extra.
    cancelled_extra: set[tuple[str, date]] = set()
    touched = False
    for change in changes:
        if change.panel not in cancelled:
            continue
        touched = True
        if change.kind == "cancelled":
            if change.date in extra[change.panel]:
                cancelled_extra.add((change.panel, change.date))
            extra[change.panel].discard(change.date)
            cancelled[change.panel].add(change.date)
        elif change.kind == "reinstated":
            cancelled[change.panel].discard(change.date)
            if (change.panel, change.date) in cancelled_extra:
                extra[change.panel].add(change.date)
        else:
            cancelled[change.panel].discard(change.date)
            extra[change.panel].add(change.date)
    if not touched:
        return base
    panels = tuple(
        p.model_copy(
            update={
                "cancelled": tuple(sorted(cancelled[p.id])),
                "extra": tuple(sorted(extra[p.id])),
            }
        )
        for p in base.panels
    )
    return base.model_copy(update={"panels": panels})


@dataclass(frozen=True)
class Diary:
    """A snapshot of the store.

    Attributes
    ----------
    base
        The model in force as loaded.
    authority
        The model with the store's cancelled and extra sittings: what the calendar is.
    hearings
        Every hearing, in the order added.
    bookings
        Every booking ever made, in force or not, in the order made.
    outcomes
        What was decided, by hearing id.
    availability
        Who is away.
    changes
        Sittings cancelled or added, in order.
    last_change
        When the store last changed (the latest command), for reproducible export stamps.
    withdrawn
        Follow-ups withdrawn because the outcome that asked for them was amended: kept for
        their keys and bookings' history, never booked, checked or shown as waiting.
    """

    base: Authority
    authority: Authority
    hearings: tuple[Hearing, ...]
    bookings: tuple[StoredBooking, ...]
    outcomes: dict[int, Outcome]
    availability: tuple[Unavailability, ...]
    changes: tuple[SittingChange, ...]
    last_change: datetime | None
    _sittings: dict[tuple[date, date], tuple[Sitting, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    withdrawn: tuple[Hearing, ...] = ()

    @cached_property
    def keys(self) -> dict[int, str]:
        """Each hearing's key, unique: ``R-1``, ``R-1#2``; a clash gets the hearing's id.

        Withdrawn hearings keep theirs, so a key never names two hearings.
        """
        taken: set[str] = set()
        found: dict[int, str] = {}
        for hearing in sorted((*self.hearings, *self.withdrawn), key=lambda h: h.id):
            key = hearing.default_key
            if key in taken:
                key = f"{hearing.referral_id}#h{hearing.id}"
            taken.add(key)
            found[hearing.id] = key
        return found

    @cached_property
    def by_id(self) -> dict[int, Hearing]:
        """Hearings by id, withdrawn ones too (their old bookings name them)."""
        return {h.id: h for h in (*self.hearings, *self.withdrawn)}

    @cached_property
    def by_key(self) -> dict[str, Hearing]:
        """Hearings by key."""
        return {self.keys[h.id]: h for h in self.hearings}

    @cached_property
    def in_force(self) -> dict[int, StoredBooking]:
        """The booking in force of each booked hearing, by hearing id."""
        return {b.hearing_id: b for b in self.bookings if b.in_force}

    def planner_referral(self, hearing: Hearing) -> Referral:
        """The hearing as the planner sees it, named by its key."""
        return replace(hearing.referral, referral_id=self.keys[hearing.id])

    def as_booking(self, booking: StoredBooking, pinned: bool = True) -> Booking:
        """A booking in the planner's terms."""
        return Booking(
            date=booking.date,
            start=booking.start,
            panel=booking.panel,
            end=booking.end,
            referral_id=self.keys[booking.hearing_id],
            pinned=pinned,
        )

    def is_decided(self, hearing_id: int) -> bool:
        """True once an outcome is recorded."""
        return hearing_id in self.outcomes

    def waiting(self) -> tuple[Hearing, ...]:
        """Hearings neither decided nor booked: to be booked at the next chance."""
        return tuple(
            h for h in self.hearings if h.id not in self.outcomes and h.id not in self.in_force
        )

    def sittings(self, start: date, end: date) -> tuple[Sitting, ...]:
        """The calendar's sittings dated ``start`` to ``end`` (cancellations applied)."""
        key = (start, end)
        if key not in self._sittings:
            self._sittings[key] = generate_sittings(self.authority, start, end)
        return self._sittings[key]

    def month(self, year: int, month: int) -> tuple[Sitting, ...]:
        """The calendar's sittings in one month (cached: most look-ups fall in a few)."""
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return self.sittings(first, last)

    def sitting(self, panel: str, day: date) -> Sitting | None:
        """The sitting of ``panel`` on ``day``, if the calendar has one."""
        for sitting in self.month(day.year, day.month):
            if sitting.panel == panel and sitting.date == day:
                return sitting
        return None

    def panel_sittings_from(self, panel: str, day: Day, months: int) -> Iterator[Sitting]:
        """``panel``'s sittings from the start of ``day``'s month, ``months`` months on, in
        date order (month by month, so a caller that stops early reads no more)."""
        year, month = day.year, day.month
        for _ in range(months):
            for sitting in self.month(year, month):
                if sitting.panel == panel:
                    yield sitting
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def due(self, hearing: Hearing) -> Due | None:
        """The last date ``hearing`` is in time for, with the rule that sets it.

        The referral's own dates and its statutory clocks set it (S6-S8, S10-S14, clocks:
        :meth:`Authority.due <panelsched.core.panels.Authority.due>`), except that an
        emergency must be ratified at the panel's next sitting after the decision (S9,
        :func:`ratification_sitting <panelsched.core.sittings.ratification_sitting>`) when
        that comes first: the same reckoning the planner books by, so every view says "late"
        when the planner did. The
        S9 date is not stored but read off the calendar as it now is: if that sitting is
        cancelled, the next one is the one the decision lasts until.
        """
        referral = hearing.referral
        panel = self.authority.panel(referral.panel)
        found = self.authority.due(referral)
        if referral.priority != "emergency":
            return found
        # A date alone is after that day's sittings, as the planner and the validator read it.
        decided = decision_moment(referral.submitted)
        ratify = ratification_sitting(
            self.panel_sittings_from(panel.id, decided.date(), RATIFICATION_MONTHS),
            decided,
            panel.late_applications,
        )
        if ratify is not None and (found is None or ratify.date < found.date):
            return ratification_due(ratify, decided)
        return found

    def due_date(self, hearing: Hearing) -> Day | None:
        """The date of :meth:`due`, or ``None``."""
        due = self.due(hearing)
        return due.date if due is not None else None

    def next_sitting(self, panel: str, after: datetime, months: int = 14) -> Sitting | None:
        """``panel``'s first sitting that opens after ``after``, looking ``months`` ahead."""
        year, month = after.year, after.month
        for _ in range(months):
            for sitting in self.month(year, month):
                if sitting.panel == panel and sitting.opens > after:
                    return sitting
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None

    def bookings_at(self) -> dict[str, list[StoredBooking]]:
        """Bookings in force grouped by sitting id, in slot order."""
        grouped: dict[str, list[StoredBooking]] = defaultdict(list)
        for booking in sorted(self.in_force.values(), key=lambda b: (b.date, b.start, b.panel)):
            grouped[booking.sitting_id].append(booking)
        return grouped


__all__ = [
    "KIND_WORDS",
    "RATIFICATION_MONTHS",
    "Diary",
    "Hearing",
    "Outcome",
    "SittingChange",
    "StoredBooking",
    "effective_authority",
]
