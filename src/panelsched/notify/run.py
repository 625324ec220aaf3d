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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage

from panelsched.exports.file_names import safe_stem
from panelsched.forward.diary import Diary
from panelsched.forward.store import Store
from panelsched.notify.delivery import Delivery, DeliveryError
from panelsched.notify.emails import Templates, compose, email_message
from panelsched.notify.outbox import (
    SENT,
    OutboxEntry,
    entries,
    mark_failed,
    mark_sent,
    pending,
    queue,
)
from panelsched.notify.people import People
from panelsched.notify.stopping import NotifyInterrupted, counted, stop_between_messages
from panelsched.notify.to_tell import due_messages

# The store_info key that keeps --since: changes before it were told by hand.
SINCE_KEY = "notices since"


# The most failures listed one by one; the rest are counted (a full outbox folder once
# gave 597 lines of the same reason).
_LISTED = 10


@dataclass(frozen=True)
class NotifyResult:
    """What a run did: how many messages it queued, which went and which failed (why), and
    how many it left untried when a failure stopped it (a full disk)."""

    queued: int
    sent: tuple[OutboxEntry, ...]
    failed: tuple[tuple[OutboxEntry, str], ...]
    channel: str
    since: datetime | None
    about: dict[int, str]
    stopped: bool = False
    untried: int = 0

    def lines(self, where: str) -> list[str]:
        """What the run did, in words; ``where`` says where the messages went."""
        found = [f"Queued {counted(self.queued, 'new message')}."]
        if self.since is not None:
            found.append(f"Changes before {self.since:%d/%m/%Y %H:%M} were told by hand.")
        if self.sent:
            verb = "Wrote" if self.channel == "file" else "Sent"
            found.append(f"{verb} {counted(len(self.sent), 'message')} {where}.")
        elif not self.failed:
            found.append("Nothing to send.")
        if self.failed:
            found.append(
                f"{counted(len(self.failed), 'message')} failed; the next run tries "
                f"{'it' if len(self.failed) == 1 else 'them'} again:"
            )
        for entry, reason in self.failed[:_LISTED]:
            about = self.about.get(entry.id, entry.sitting_id)
            found.append(f"  {entry.kind} to {entry.person} about {about}: {reason}")
        if len(self.failed) > _LISTED:
            found.append(f"  and {len(self.failed) - _LISTED} more")
        if self.stopped:
            waiting = len(self.failed) + self.untried
            found.append(
                "Stopped there: the messages after it would fail the same way. "
                f"{counted(waiting, 'message')} {'waits' if waiting == 1 else 'wait'} for "
                "the next run."
            )
        return found


def _subject_of(diary: Diary, entry: OutboxEntry) -> str:
    if entry.hearing_id is not None:
        return diary.keys[entry.hearing_id]
    return entry.sitting_id


def message_name(diary: Diary, entry: OutboxEntry) -> str:
    """A safe file stem for a message: ``000012-SW-1-R-1-invitation``; a person or case too
    long for a file name is cut, with a hash of the whole (:func:`safe_stem`)."""
    parts = [entry.person, _subject_of(diary, entry), entry.kind]
    return "-".join([f"{entry.id:06d}", *(safe_stem(part) for part in parts)])


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
    NotifyInterrupted
        Ctrl-C: the message under way went (or, by SMTP after a second Ctrl-C, may have
        gone), the rest wait; it carries the counts as the outbox records them.
    """
    progress = _Progress()
    try:
        with stop_between_messages(wait_always=delivery.channel == "file") as ctrl_c:
            return _run(
                store, people, delivery, now, sender, templates or Templates(), since,
                ctrl_c.asked_to_stop, progress,
            )  # fmt: skip
    except KeyboardInterrupt:
        raise _interrupted(store, progress, delivery.channel) from None


@dataclass
class _Progress:
    """How far a run got: the messages it meant to send, and whether one was being sent by
    SMTP when Ctrl-C cut it off."""

    meant: set[int] = field(default_factory=set)
    under_way: bool = False


def _interrupted(store: Store, progress: _Progress, channel: str) -> NotifyInterrupted:
    """The counts for what Ctrl-C left, read back from the outbox, as the next run finds it."""
    status = {entry.id: entry.status for entry in entries(store)}
    went = sum(1 for number in progress.meant if status.get(number) == SENT)
    unsure = progress.under_way and channel != "file"
    return NotifyInterrupted(went, len(pending(store)), channel, unsure=unsure)


def _run(
    store: Store,
    people: People,
    delivery: Delivery,
    now: datetime,
    sender: Address,
    words: Templates,
    since: datetime | None,
    asked_to_stop: Callable[[], bool],
    progress: _Progress,
) -> NotifyResult:
    """:func:`notify`'s work; ``asked_to_stop`` is checked between messages (Ctrl-C)."""
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
        if asked_to_stop():
            raise KeyboardInterrupt
        progress.meant.add(entry.id)
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
    stopped, untried = False, 0
    try:
        for index, (entry, message) in enumerate(ready):
            if asked_to_stop():
                raise KeyboardInterrupt
            progress.under_way = True
            try:
                delivery.deliver(message, message_name(diary, entry))
            except DeliveryError as exc:
                progress.under_way = False
                mark_failed(store, [(entry.id, str(exc))], delivery.channel)
                failed.append((entry, str(exc)))
                if exc.stops_the_run:
                    # The rest would fail the same way: they stay as they are, for the
                    # next run, rather than each recording the same failure.
                    stopped, untried = True, len(ready) - index - 1
                    break
                continue
            mark_sent(store, entry.id, now, delivery.channel)
            progress.under_way = False
            sent.append(entry)
    finally:
        delivery.close()
    order = {entry.id: index for index, (entry, _) in enumerate(ready)}
    failed.sort(key=lambda item: order.get(item[0].id, -1))
    about = {entry.id: _subject_of(diary, entry) for entry, _ in (*ready, *failed)}
    return NotifyResult(
        len(added), tuple(sent), tuple(failed), delivery.channel, start, about, stopped, untried
    )


__all__ = ["SINCE_KEY", "NotifyInterrupted", "NotifyResult", "message_name", "notify"]
