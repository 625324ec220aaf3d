"""Each message's words, from templates a council can edit, and the e-mail that carries them.

The shipped templates are in ``panelsched/notify/templates/``: for each kind of message a
subject (``invitation.subject.txt``), a plain-text body (``invitation.txt``) and an HTML body
(``invitation.html``), and the parts they share (``_slot.txt``, ``_slot.html``,
``_layout.html``). A council copies any of them into a folder of its own, edits it and passes
the folder (``planner notify --templates DIR``); a file there replaces the shipped one of the
same name. HTML is escaped; a name the template uses that the message does not have is an
error naming the template, never a blank.

What a template can use: ``authority``, ``person``, ``role``, ``case`` (the case reference:
never a name), ``hearing_kind``, ``panel``, ``panel_id``, ``location``, ``day``, ``start``,
``end``, ``papers`` (label and moment pairs: cut-off and papers-out); for an invitation to a
moved slot ``moved``, ``previous`` and ``previous_reason``; for a cancellation ``reason`` and
``withdrawn``; for a papers reminder ``papers_out`` and ``agenda`` (items with ``start``,
``end``, ``case``, ``kind``).

The e-mail is ``multipart/alternative``: text, HTML and, for an invitation or cancellation,
``text/calendar; method=REQUEST`` (or ``CANCEL``), the way Outlook and Exchange send meeting
requests. Its headers and MIME boundary come from the outbox row and the diary, so the same
store gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from panelsched.errors import InputError
from panelsched.forward.diary import Diary, StoredBooking
from panelsched.notify.invitations import invitation_bytes, papers_deadlines, utc_stamp
from panelsched.notify.outbox import OutboxEntry
from panelsched.notify.people import Person
from panelsched.notify.to_tell import CANCELLATION, INVITATION, PAPERS_REMINDER

# The template names' stem for each kind of message.
_STEMS = {
    INVITATION: "invitation",
    CANCELLATION: "cancellation",
    "presenter reminder": "presenter_reminder",
    PAPERS_REMINDER: "papers_reminder",
}


@dataclass(frozen=True, slots=True)
class Composed:
    """One message's words and calendar part, before it is put in an e-mail."""

    subject: str
    text: str
    html: str
    calendar: bytes | None = None
    method: str | None = None


class Templates:
    """The shipped templates, with any of a council's own in ``folder`` taking their place.

    Raises
    ------
    InputError
        When ``folder`` is given but is not a folder.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        loaders: list[Any] = []
        if folder is not None:
            if not Path(folder).is_dir():
                raise InputError.one(str(folder), "not a folder of message templates")
            loaders.append(FileSystemLoader(str(folder)))
        loaders.append(PackageLoader("panelsched.notify", "templates"))
        self.folder = folder
        self._env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(("html",), default_for_string=False, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, name: str, context: Mapping[str, object]) -> str:
        """Fill the template ``name`` in.

        Raises
        ------
        InputError
            Naming the template (and its line) when it cannot be read or filled in.
        """
        where = str(Path(self.folder) / name) if self.folder is not None else name
        try:
            return self._env.get_template(name).render(context)
        except TemplateSyntaxError as exc:
            raise InputError.one(
                exc.filename or where, f"line {exc.lineno}: {exc.message}"
            ) from None
        except TemplateNotFound as exc:
            raise InputError.one(where, f"no template {exc.name}") from None
        except TemplateError as exc:
            raise InputError.one(where, f"cannot be filled in: {exc.message}") from None


def _slot_words(booking: StoredBooking) -> str:
    return f"{booking.date:%a %d/%m/%Y} {booking.start:%H:%M}-{booking.end:%H:%M}"


def _booking_context(diary: Diary, booking: StoredBooking) -> dict[str, object]:
    hearing = diary.by_id[booking.hearing_id]
    panel = diary.authority.panel(booking.panel)
    earlier = [b for b in diary.bookings if b.hearing_id == hearing.id and b.id < booking.id]
    return {
        "case": diary.keys[hearing.id],
        "hearing_kind": hearing.kind_words,
        "panel": panel.name,
        "panel_id": panel.id,
        "location": panel.location or "",
        "day": f"{booking.date:%a %d/%m/%Y}",
        "start": f"{booking.start:%H:%M}",
        "end": f"{booking.end:%H:%M}",
        "papers": papers_deadlines(diary, booking),
        "moved": bool(earlier),
        "previous": _slot_words(earlier[-1]) if earlier else "",
        "previous_reason": (earlier[-1].end_reason or "") if earlier else "",
        "reason": booking.end_reason or "",
        "withdrawn": hearing.id in {h.id for h in diary.withdrawn},
    }


def _sitting_context(diary: Diary, sitting_id: str) -> dict[str, object]:
    panel_id, _, day = sitting_id.partition("@")
    sitting = diary.sitting(panel_id, datetime.fromisoformat(day).date())
    if sitting is None:
        raise LookupError(f"the sitting {sitting_id} is no longer in the calendar")
    panel = diary.authority.panel(panel_id)
    agenda = [
        {
            "start": f"{b.start:%H:%M}",
            "end": f"{b.end:%H:%M}",
            "case": diary.keys[b.hearing_id],
            "kind": diary.by_id[b.hearing_id].kind_words,
        }
        for b in diary.bookings_at().get(sitting_id, [])
    ]
    return {
        "panel": panel.name,
        "panel_id": panel.id,
        "location": panel.location or "",
        "day": f"{sitting.date:%a %d/%m/%Y}",
        "start": f"{sitting.start:%H:%M}",
        "end": f"{sitting.end:%H:%M}",
        "papers_out": f"{sitting.papers_out:%a %d/%m/%Y %H:%M}" if sitting.papers_out else "",
        "agenda": agenda,
    }


def compose(
    diary: Diary,
    entry: OutboxEntry,
    person: Person,
    *,
    organizer: str,
    changed_at: datetime,
    templates: Templates,
) -> Composed:
    """One outbox row's message for ``person``.

    Parameters
    ----------
    diary
        The store's snapshot.
    entry
        The outbox row.
    person
        Who it goes to, from the people file.
    organizer
        The team mailbox (the invitation's ORGANIZER).
    changed_at
        When the change it tells of was made: the invitation's DTSTAMP.
    templates
        The words.

    Raises
    ------
    LookupError
        When the booking or sitting it is about is no longer in the diary.
    """
    context: dict[str, object] = {
        "authority": diary.authority.authority,
        "person": person.person,
        "role": person.role,
        "kind": entry.kind,
    }
    booking: StoredBooking | None = None
    if entry.booking_id is not None:
        found = [b for b in diary.bookings if b.id == entry.booking_id]
        if not found:
            raise LookupError(f"booking {entry.booking_id} is no longer in the diary")
        booking = found[0]
        context.update(_booking_context(diary, booking))
    else:
        context.update(_sitting_context(diary, entry.sitting_id))
    stem = _STEMS[entry.kind]
    subject = " ".join(templates.render(f"{stem}.subject.txt", context).split())
    text = templates.render(f"{stem}.txt", context)
    html = templates.render(f"{stem}.html", context)
    if booking is None or entry.kind not in (INVITATION, CANCELLATION):
        return Composed(subject, text, html)
    cancelled = entry.kind == CANCELLATION
    calendar = invitation_bytes(
        diary,
        booking,
        entry.sequence,
        cancelled=cancelled,
        organizer=organizer,
        attendee=person,
        stamp=utc_stamp(diary, changed_at),
    )
    return Composed(subject, text, html, calendar, "CANCEL" if cancelled else "REQUEST")


def email_message(
    composed: Composed,
    *,
    sender: Address,
    person: Person,
    entry: OutboxEntry,
    date: datetime,
) -> EmailMessage:
    """The e-mail for one message: ``multipart/alternative`` of text, HTML and calendar.

    Parameters
    ----------
    composed
        The words and calendar part.
    sender
        The team mailbox (From).
    person
        Who it goes to (To).
    entry
        The outbox row: it makes the Message-ID and the MIME boundary.
    date
        The Date header: an aware moment.
    """
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = Address(display_name=person.person, addr_spec=person.email)
    message["Subject"] = composed.subject
    message["Date"] = format_datetime(date)
    token = hashlib.sha256(
        f"{entry.id}|{entry.person}|{entry.kind}|{entry.sitting_id}|{entry.sequence}".encode()
    ).hexdigest()[:16]
    message["Message-ID"] = f"<notice-{entry.id}-{token}@{sender.domain or 'panelsched'}>"
    message.set_content(composed.text)
    message.add_alternative(composed.html, subtype="html")
    if composed.calendar is not None and composed.method is not None:
        message.add_alternative(
            composed.calendar.decode("utf-8"),
            subtype="calendar",
            params={"method": composed.method},
        )
    # A fixed boundary keeps the bytes the same from run to run (the default is random).
    message.set_boundary(f"=_panelsched_{token}")
    return message


__all__ = ["Composed", "Templates", "compose", "email_message"]
