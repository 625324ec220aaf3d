"""The outbox: the ``notices`` table, one row per message to one person.

The order of work is what makes a crash harmless:

1. :func:`queue` records every message due (:mod:`.to_tell`) that is not in the table yet, all
   in one transaction, before anything is sent;
2. each message is sent, and :func:`mark_sent` records it in its own transaction the moment
   the server (or the ``.eml`` file) took it; :func:`mark_failed` records a failure.

A run that dies between two sends leaves the rest queued, and the next run sends only them.
The one window left is between the server taking a message and the row being marked (a
power cut in those milliseconds): that message would go twice, never be lost.

A message queued but not sent whose booking changed again is ``superseded`` by the newer one,
so people hear the latest time only; a cancellation of a booking nobody was told of is not
queued at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from panelsched.forward.store import Store
from panelsched.notify.to_tell import CANCELLATION, INVITATION, PRESENTER_REMINDER, Due

QUEUED, SENT, FAILED, SUPERSEDED = "queued", "sent", "failed", "superseded"
# Messages that update one another: a newer one of a group replaces an older unsent one.
_GROUPS: dict[str, tuple[str, ...]] = {
    INVITATION: (INVITATION, CANCELLATION),
    CANCELLATION: (INVITATION, CANCELLATION),
    PRESENTER_REMINDER: (PRESENTER_REMINDER,),
}
_COLUMNS = (
    "id, person, kind, hearing_id, booking_id, sitting_id, sequence, queued_at, status, "
    "attempts, last_error, sent_at, channel"
)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One row of the outbox."""

    id: int
    person: str
    kind: str
    hearing_id: int | None
    booking_id: int | None
    sitting_id: str
    sequence: int
    queued_at: datetime
    status: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    channel: str


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    sent = row[11]
    return OutboxEntry(
        id=int(row[0]),
        person=str(row[1]),
        kind=str(row[2]),
        hearing_id=None if row[3] is None else int(row[3]),
        booking_id=None if row[4] is None else int(row[4]),
        sitting_id=str(row[5]),
        sequence=int(row[6]),
        queued_at=datetime.fromisoformat(str(row[7])),
        status=str(row[8]),
        attempts=int(row[9]),
        last_error=str(row[10]),
        sent_at=None if sent is None else datetime.fromisoformat(str(sent)),
        channel=str(row[12]),
    )


def entries(store: Store, statuses: Iterable[str] | None = None) -> list[OutboxEntry]:
    """The outbox's rows in the order they were queued, optionally only some statuses."""
    rows = store.connection.execute(f"SELECT {_COLUMNS} FROM notices ORDER BY id").fetchall()
    chosen = set(statuses) if statuses is not None else None
    found = [_entry(row) for row in rows]
    return [e for e in found if chosen is None or e.status in chosen]


def queue(store: Store, due: Iterable[Due], now: datetime) -> list[OutboxEntry]:
    """Record every message of ``due`` not in the outbox yet, in one transaction.

    Returns
    -------
    list of OutboxEntry
        The rows just queued.
    """
    added: list[int] = []
    with store.writing() as db:
        known = {
            (str(r[0]), str(r[1]), int(r[2]), str(r[3]), int(r[4]))
            for r in db.execute(
                "SELECT person, kind, COALESCE(booking_id, 0), sitting_id, sequence FROM notices"
            )
        }
        for item in due:
            if item.key in known:
                continue
            group = _GROUPS.get(item.kind)
            if group is not None:
                marks = ", ".join("?" for _ in group)
                db.execute(
                    f"UPDATE notices SET status = ? WHERE person = ? AND hearing_id = ? "
                    f"AND kind IN ({marks}) AND status IN (?, ?)",
                    (SUPERSEDED, item.person, item.hearing_id, *group, QUEUED, FAILED),
                )
            if item.kind == CANCELLATION and not _was_told(db, item):
                continue
            cursor = db.execute(
                "INSERT INTO notices (person, kind, hearing_id, booking_id, sitting_id, "
                "sequence, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    item.person,
                    item.kind,
                    item.hearing_id,
                    item.booking_id,
                    item.sitting_id,
                    item.sequence,
                    _text(now),
                ),
            )
            known.add(item.key)
            added.append(int(cursor.lastrowid or 0))
    chosen = set(added)
    return [e for e in entries(store) if e.id in chosen]


def _was_told(db: sqlite3.Connection, item: Due) -> bool:
    """Whether ``item.person`` was sent an invitation to the hearing being cancelled."""
    row = db.execute(
        "SELECT 1 FROM notices WHERE person = ? AND hearing_id = ? AND kind = ? "
        "AND status = ? LIMIT 1",
        (item.person, item.hearing_id, INVITATION, SENT),
    ).fetchone()
    return row is not None


def pending(store: Store) -> list[OutboxEntry]:
    """Messages still to send: queued, and failed ones to try again, oldest first."""
    return entries(store, (QUEUED, FAILED))


def mark_sent(store: Store, entry_id: int, at: datetime, channel: str) -> None:
    """Record that the server (or the ``.eml`` file) took the message."""
    with store.writing() as db:
        db.execute(
            "UPDATE notices SET status = ?, attempts = attempts + 1, last_error = '', "
            "sent_at = ?, channel = ? WHERE id = ?",
            (SENT, _text(at), channel, entry_id),
        )


def mark_failed(store: Store, failures: Iterable[tuple[int, str]], channel: str) -> None:
    """Record failed tries, each row's id with why (they are tried again at the next run)."""
    with store.writing() as db:
        db.executemany(
            "UPDATE notices SET status = ?, attempts = attempts + 1, last_error = ?, "
            "channel = ? WHERE id = ?",
            [(FAILED, error, channel, entry_id) for entry_id, error in failures],
        )


__all__ = [
    "FAILED",
    "QUEUED",
    "SENT",
    "SUPERSEDED",
    "OutboxEntry",
    "entries",
    "mark_failed",
    "mark_sent",
    "pending",
    "queue",
]
