"""A plan: which referral is heard at which sitting, in which slot. Plain data, no solver."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from panelsched.core.panels import minutes_of
from panelsched.core.sittings import sitting_id


@dataclass(frozen=True, slots=True, order=True)
class Booking:
    """One referral booked into one slot of one sitting.

    Parameters
    ----------
    date, start, end
        The slot (local time).
    panel
        The sitting's panel id.
    referral_id
        The case reference.
    pinned
        True when the slot was fixed by an earlier booking and not chosen by this plan.
    """

    date: date
    start: time
    panel: str
    end: time
    referral_id: str
    pinned: bool = False

    @property
    def sitting_id(self) -> str:
        """The sitting's id, ``panel@YYYY-MM-DD``."""
        return sitting_id(self.panel, self.date)

    @property
    def minutes(self) -> tuple[int, int]:
        """Start and end as minutes after midnight."""
        return minutes_of(self.start), minutes_of(self.end)

    @property
    def opens(self) -> datetime:
        """The moment the slot starts."""
        return datetime.combine(self.date, self.start)


@dataclass(frozen=True, slots=True)
class PinnedBooking:
    """A slot fixed before planning (from an earlier ``bookings.csv``)."""

    referral_id: str
    date: date
    start: time
    row: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """Bookings sorted by date, time and panel, and the referrals left unplaced."""

    bookings: tuple[Booking, ...]
    unplaced: tuple[str, ...] = ()

    @classmethod
    def of(cls, bookings: Iterable[Booking], unplaced: Iterable[str] = ()) -> Plan:
        """A plan with bookings and unplaced ids put in their canonical order."""
        return cls(tuple(sorted(bookings)), tuple(sorted(unplaced)))

    def by_referral(self) -> dict[str, Booking]:
        """Bookings keyed by referral id."""
        return {b.referral_id: b for b in self.bookings}
