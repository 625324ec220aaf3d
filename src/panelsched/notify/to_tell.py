"""What people must be told, worked out from the diary alone.

Nothing here remembers what was sent: the outbox (:mod:`.outbox`) does. Each call looks at the
diary as it is and lists every message that should exist by now, each with a key that names it
(person, kind, booking or sitting, SEQUENCE), so a message already queued is never queued
twice and a change made while the last run crashed is still found.

- **Invitation** (``METHOD:REQUEST``): each person of a hearing booked in a slot still ahead,
  at the hearing's SEQUENCE. A moved hearing has the same UID and a higher SEQUENCE, so it
  is a new invitation that updates the event people have.
- **Cancellation** (``METHOD:CANCEL``): each person of a hearing whose booking ended with none
  in its place (its sitting was cancelled and no other was found, or it was withdrawn).
- **Presenter's reminder**: each person of a hearing, ``presenter_reminder_working_days``
  working days before the sitting at 09:00 (panel ``rules``; default 2), unless the booking
  was made after that moment (the invitation is then the reminder).
- **Papers reminder**: each member of a panel (the model's ``members``) once the papers of a
  sitting with cases booked go out: the sitting's papers-out moment, or for a panel without
  one ``papers_reminder_working_days`` working days before at 09:00 (default 2).

Decided hearings and slots that have already started are left alone: there is nothing left
to tell. ``since`` leaves out changes made before it (the ones told by hand before the
planner sent anything).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from panelsched.core.panels import Panel
from panelsched.core.workdays import working_calendar
from panelsched.errors import InputError
from panelsched.forward.calendars import hearing_revisions
from panelsched.forward.diary import Diary, StoredBooking

INVITATION = "invitation"
CANCELLATION = "cancellation"
PRESENTER_REMINDER = "presenter reminder"
PAPERS_REMINDER = "papers reminder"
KINDS = (INVITATION, CANCELLATION, PRESENTER_REMINDER, PAPERS_REMINDER)

# The panel ``rules`` keys that set the reminders, and their defaults (documented in README).
PRESENTER_DAYS_KEY = "presenter_reminder_working_days"
PAPERS_DAYS_KEY = "papers_reminder_working_days"
DEFAULT_REMINDER_DAYS = 2
# Reminders counted in working days go at the start of the working day.
REMINDER_TIME = time(9, 0)


@dataclass(frozen=True, slots=True)
class Due:
    """One message that should exist: to whom, of what kind, about what, and since when.

    ``booking_id`` is the booking the message is about (none for a papers reminder, which is
    about a sitting); ``changed_at`` is when the change it tells of was made (or the
    reminder's moment came), the authority's wall clock.
    """

    person: str
    kind: str
    hearing_id: int | None
    booking_id: int | None
    sitting_id: str
    sequence: int
    changed_at: datetime

    @property
    def key(self) -> tuple[str, str, int, str, int]:
        """What makes it the same message as one queued before (the outbox's unique key)."""
        return (self.person, self.kind, self.booking_id or 0, self.sitting_id, self.sequence)


def reminder_days(panel: Panel, key: str) -> int:
    """A panel's reminder lead in working days: ``rules: {key: N}``, else the default.

    Raises
    ------
    InputError
        When the model gives something other than a whole number of days.
    """
    value = panel.rules.get(key, DEFAULT_REMINDER_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError.one(
            "the model",
            f"{value!r} is not a count of working days, like 2",
            panel=panel.id,
            key=f"rules.{key}",
        )
    return value


def _reminder_moment(diary: Diary, panel: Panel, key: str, day: date) -> datetime:
    workdays = working_calendar(diary.authority.holidays)
    before = workdays.working_days_before(day, reminder_days(panel, key))
    return datetime.combine(before, REMINDER_TIME)


def _booking_changes(diary: Diary, ended_at: Mapping[int, datetime], now: datetime) -> list[Due]:
    revisions = hearing_revisions(diary)
    latest: dict[int, StoredBooking] = {}
    for booking in diary.bookings:
        latest[booking.hearing_id] = booking
    found: list[Due] = []
    for hearing_id, last in latest.items():
        booking = diary.in_force.get(hearing_id, last)
        if diary.is_decided(hearing_id) or booking.opens <= now:
            continue
        hearing = diary.by_id[hearing_id]
        if booking.in_force:
            kind, changed = INVITATION, booking.booked_at
        else:
            assert booking.ended_command_id is not None
            kind, changed = CANCELLATION, ended_at[booking.ended_command_id]
        found.extend(
            Due(
                person,
                kind,
                hearing_id,
                booking.id,
                booking.sitting_id,
                revisions[hearing_id],
                changed,
            )
            for person in hearing.referral.people
        )
    return found


def _presenter_reminders(diary: Diary, now: datetime) -> list[Due]:
    revisions = hearing_revisions(diary)
    found: list[Due] = []
    for hearing_id, booking in diary.in_force.items():
        if diary.is_decided(hearing_id):
            continue
        panel = diary.authority.panel(booking.panel)
        moment = _reminder_moment(diary, panel, PRESENTER_DAYS_KEY, booking.date)
        if not moment <= now < booking.opens or booking.booked_at >= moment:
            continue
        found.extend(
            Due(
                person,
                PRESENTER_REMINDER,
                hearing_id,
                booking.id,
                booking.sitting_id,
                revisions[hearing_id],
                moment,
            )
            for person in diary.by_id[hearing_id].referral.people
        )
    return found


def _papers_reminders(diary: Diary, now: datetime) -> list[Due]:
    found: list[Due] = []
    for bookings in diary.bookings_at().values():
        first = bookings[0]
        sitting = diary.sitting(first.panel, first.date)
        if sitting is None or all(diary.is_decided(b.hearing_id) for b in bookings):
            continue
        panel = diary.authority.panel(sitting.panel)
        moment = sitting.papers_out or _reminder_moment(diary, panel, PAPERS_DAYS_KEY, sitting.date)
        if not moment <= now < sitting.opens:
            continue
        found.extend(
            Due(member.id, PAPERS_REMINDER, None, None, sitting.id, 0, moment)
            for member in panel.members
        )
    return found


def due_messages(
    diary: Diary, ended_at: Mapping[int, datetime], now: datetime, since: datetime | None = None
) -> list[Due]:
    """Every message that should exist by ``now``, in the order they are queued.

    Parameters
    ----------
    diary
        The store's snapshot.
    ended_at
        When each command ran, by command id: when a booking ended.
    now
        The moment of the run (the authority's wall clock).
    since
        Leave out changes made (and reminders due) before this moment.

    Returns
    -------
    list of Due
        Invitations and cancellations, then presenters' and members' reminders, each group
        by hearing or sitting then person.
    """
    found = [
        *_booking_changes(diary, ended_at, now),
        *_presenter_reminders(diary, now),
        *_papers_reminders(diary, now),
    ]
    if since is not None:
        found = [due for due in found if due.changed_at >= since]
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(found, key=lambda d: (order[d.kind], d.sitting_id, d.booking_id or 0, d.person))


__all__ = [
    "CANCELLATION",
    "DEFAULT_REMINDER_DAYS",
    "INVITATION",
    "KINDS",
    "PAPERS_DAYS_KEY",
    "PAPERS_REMINDER",
    "PRESENTER_DAYS_KEY",
    "PRESENTER_REMINDER",
    "REMINDER_TIME",
    "Due",
    "due_messages",
    "reminder_days",
]
