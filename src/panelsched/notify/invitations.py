"""iTIP invitations (RFC 5546) for one person about one hearing, as Outlook reads them.

The event is the one every calendar file writes for the hearing
(:func:`panelsched.forward.calendars.hearing_event`), inside the same calendar with its compact
VTIMEZONE (:func:`panelsched.exports.ics.build_calendar`): so an invitation, ``planner.ics`` and
the person's own ``calendars/people/*.ics`` name the hearing with one UID, and a moved
hearing's invitation carries a higher SEQUENCE that updates the event people already have.

What iTIP adds to that calendar: ``METHOD:REQUEST`` for a new or moved slot, ``METHOD:CANCEL``
for a booking ended with none in its place, the team mailbox as ORGANIZER and the person as
ATTENDEE (RFC 5546 3.2.2 and 3.2.5 require both). Replies are not asked for (``RSVP=FALSE``):
the panel sets the time, people do not accept or decline it. The event's text also gives the
sitting's cut-off and papers-out, the papers deadline people need.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from icalendar import vCalAddress

from panelsched.exports.ics import build_calendar
from panelsched.forward.calendars import hearing_event
from panelsched.forward.diary import Diary, StoredBooking
from panelsched.notify.people import Person

REQUEST, CANCEL = "REQUEST", "CANCEL"


def papers_deadlines(diary: Diary, booking: StoredBooking) -> list[tuple[str, str]]:
    """The sitting's papers deadline (its cut-off) and papers-out, as label and moment."""
    sitting = diary.sitting(booking.panel, booking.date)
    if sitting is None:
        return []
    found = []
    if sitting.cutoff is not None:
        found.append(("Papers to the panel by (cut-off)", f"{sitting.cutoff:%a %d/%m/%Y %H:%M}"))
    if sitting.papers_out is not None:
        found.append(("Papers out to members", f"{sitting.papers_out:%a %d/%m/%Y %H:%M}"))
    return found


def invitation_bytes(
    diary: Diary,
    booking: StoredBooking,
    sequence: int,
    *,
    cancelled: bool,
    organizer: str,
    attendee: Person,
    stamp: datetime,
) -> bytes:
    """The ``text/calendar`` part of one person's invitation or cancellation.

    Parameters
    ----------
    diary
        The store's snapshot.
    booking
        The booking in force (an invitation) or the last one, ended (a cancellation).
    sequence
        The hearing's SEQUENCE (:func:`~panelsched.forward.calendars.hearing_revisions`).
    cancelled
        ``METHOD:CANCEL`` instead of ``METHOD:REQUEST``.
    organizer
        The team mailbox's address.
    attendee
        Who it goes to.
    stamp
        DTSTAMP: when the change was made (the authority's wall clock), never the clock.

    Returns
    -------
    bytes
        A VCALENDAR with one VTIMEZONE and one VEVENT, CRLF line ends.
    """
    hearing = diary.by_id[booking.hearing_id]
    event = hearing_event(diary, hearing, booking, sequence, cancelled=cancelled)
    extra = [] if cancelled else [f"{k}: {v}" for k, v in papers_deadlines(diary, booking)]
    event = replace(event, description="\n".join([event.description, *extra]))
    zone = diary.authority.zone
    moment = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=zone)
    calendar = build_calendar([event], diary.authority.timezone, event.summary, moment)
    # A PUBLISH feed's properties make no sense in a message to one person.
    for name in ("method", "x-wr-calname", "x-wr-timezone"):
        del calendar[name]
    calendar.add("method", CANCEL if cancelled else REQUEST)
    vevent = calendar.walk("VEVENT")[0]
    boss = vCalAddress(f"mailto:{organizer}")
    boss.params["cn"] = f"{diary.authority.authority} panel administrator"
    vevent.add("organizer", boss)
    guest = vCalAddress(f"mailto:{attendee.email}")
    guest.params["cn"] = attendee.person
    guest.params["role"] = "REQ-PARTICIPANT"
    guest.params["partstat"] = "NEEDS-ACTION"
    guest.params["rsvp"] = "FALSE"
    vevent.add("attendee", guest)
    data: bytes = calendar.to_ical()
    return data


def utc_stamp(diary: Diary, moment: datetime) -> datetime:
    """A wall-clock moment of the authority as an aware UTC moment."""
    return moment.replace(tzinfo=diary.authority.zone).astimezone(UTC)


__all__ = ["CANCEL", "REQUEST", "invitation_bytes", "papers_deadlines", "utc_stamp"]
