"""``planner notify``: queue what people must be told, then send it (or write it) one by one.

::

    people = load_people("people.csv")
    result = notify(store, people, FileDelivery(Path("outbox")), now, sender=address)

The steps, and why in this order (see :mod:`.outbox`): work out every message due from the
diary (:mod:`.to_tell`); queue the new ones in one transaction; put every pending message into
words before sending any, so a broken template sends nothing; then deliver each, recording
it as sent the moment it went. A person missing from the people file, or a message the
server refuses, fails alone (with the reason kept in the outbox) and is tried again at the
next run; the others still go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage

from panelsched.forward.diary import Diary
from panelsched.forward.store import Store
from panelsched.notify.delivery import Delivery, DeliveryError
from panelsched.notify.emails import Templates, compose, email_message
from panelsched.notify.outbox import OutboxEntry, mark_failed, mark_sent, pending, queue
from panelsched.notify.people import People
from panelsched.notify.to_tell import due_messages

# The store_info key that keeps --since: changes before it were told by hand.
SINCE_KEY = "notices since"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class NotifyResult:
    """What a run did: how many messages it queued, which went and which failed (why)."""

    queued: int
    sent: tuple[OutboxEntry, ...]
    failed: tuple[tuple[OutboxEntry, str], ...]
    channel: str
    since: datetime | None
    about: dict[int, str]

    def lines(self, where: str) -> list[str]:
        """What the run did, in words; ``where`` says where the messages went."""
        found = [f"Queued {self.queued} new message(s)."]
        if self.since is not None:
            found.append(f"Changes before {self.since:%d/%m/%Y %H:%M} were told by hand.")
        if self.sent:
            verb = "Wrote" if self.channel == "file" else "Sent"
            found.append(f"{verb} {len(self.sent)} message(s) {where}.")
        elif not self.failed:
            found.append("Nothing to send.")
        if self.failed:
            found.append(f"{len(self.failed)} message(s) failed; the next run tries them again:")
        for entry, reason in self.failed:
            about = self.about.get(entry.id, entry.sitting_id)
            found.append(f"  {entry.kind} to {entry.person} about {about}: {reason}")
        return found


def _subject_of(diary: Diary, entry: OutboxEntry) -> str:
    if entry.hearing_id is not None:
        return diary.keys[entry.hearing_id]
    return entry.sitting_id


def message_name(diary: Diary, entry: OutboxEntry) -> str:
    """A safe file stem for a message: ``000012-SW-1-R-1-invitation``."""
    parts = [f"{entry.id:06d}", entry.person, _subject_of(diary, entry), entry.kind]
    return "-".join(_UNSAFE.sub("_", part).strip("._") or "x" for part in parts)


def _changed_at(diary: Diary, entry: OutboxEntry, ended_at: dict[int, datetime]) -> datetime:
    for booking in diary.bookings:
        if booking.id == entry.booking_id:
            if booking.in_force or booking.ended_command_id is None:
                return booking.booked_at
            return ended_at[booking.ended_command_id]
    return entry.queued_at


def notify(
    store: Store,
    people: People,
    delivery: Delivery,
    now: datetime,
    *,
    sender: Address,
    templates: Templates | None = None,
    since: datetime | None = None,
) -> NotifyResult:
    """Tell everyone of every change and reminder due by ``now`` not told yet.

    Parameters
    ----------
    store
        The planner.
    people
        Everyone's address.
    delivery
        Where the messages go (:class:`~.delivery.FileDelivery`, :class:`~.delivery.SmtpDelivery`).
    now
        The moment of the run (the authority's wall clock): what is still ahead, and each
        message's sent time.
    sender
        The team mailbox: From, and the invitations' ORGANIZER.
    templates
        The words (default: the shipped templates).
    since
        Changes made before this moment were told by hand: never queue them. Kept in the
        store for later runs; without it, the one kept (if any) applies.

    Returns
    -------
    NotifyResult
        What was queued, sent and failed.

    Raises
    ------
    InputError
        A template that cannot be filled in (nothing is sent).
    """
    words = templates or Templates()
    if since is not None:
        with store.writing():
            store.set_info(SINCE_KEY, since.strftime("%Y-%m-%dT%H:%M"))
    kept = store.info(SINCE_KEY)
    start = datetime.fromisoformat(kept) if kept else None
    diary = store.diary()
    if not sender.display_name:
        sender = Address(f"{diary.authority.authority} panels", addr_spec=sender.addr_spec)
    ended_at = {number: datetime.fromisoformat(at) for number, at, *_ in store.commands()}
    added = queue(store, due_messages(diary, ended_at, now, start), now)
    failed: list[tuple[OutboxEntry, str]] = []
    ready: list[tuple[OutboxEntry, EmailMessage]] = []
    for entry in pending(store):
        person = people.get(entry.person)
        if person is None:
            failed.append((entry, f"{entry.person} has no address in {people.file}"))
            continue
        try:
            composed = compose(
                diary,
                entry,
                person,
                organizer=sender.addr_spec,
                changed_at=_changed_at(diary, entry, ended_at),
                templates=words,
            )
        except LookupError as exc:
            failed.append((entry, str(exc)))
            continue
        stamp = now.replace(tzinfo=diary.authority.zone)
        ready.append(
            (entry, email_message(composed, sender=sender, person=person, entry=entry, date=stamp))
        )
    if failed:
        mark_failed(store, [(entry.id, reason) for entry, reason in failed], delivery.channel)
    sent: list[OutboxEntry] = []
    try:
        for entry, message in ready:
            try:
                delivery.deliver(message, message_name(diary, entry))
            except DeliveryError as exc:
                mark_failed(store, [(entry.id, str(exc))], delivery.channel)
                failed.append((entry, str(exc)))
                continue
            mark_sent(store, entry.id, now, delivery.channel)
            sent.append(entry)
    finally:
        delivery.close()
    order = {entry.id: index for index, (entry, _) in enumerate(ready)}
    failed.sort(key=lambda item: order.get(item[0].id, -1))
    about = {entry.id: _subject_of(diary, entry) for entry, _ in (*ready, *failed)}
    return NotifyResult(len(added), tuple(sent), tuple(failed), delivery.channel, start, about)


__all__ = ["SINCE_KEY", "NotifyResult", "message_name", "notify"]
