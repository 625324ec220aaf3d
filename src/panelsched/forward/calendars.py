"""The diary as calendar files: ``planner.ics`` and one file per panel and per person.

``planner.ics`` is the administrator's: every sitting with its cut-off and papers-out, and
every booked slot. ``calendars/panels/<panel>.ics`` holds the same for one panel, for its
members; ``calendars/people/<person>.ics`` holds one person's own slots (presenting or
attending), to send to them. Every export rewrites both folders, so a stale file of someone no
longer booked in the range never lingers there.

Importing a newer export must update what a calendar already holds, never add a second copy.
Each event's UID names what it is (the hearing, the sitting), and its SEQUENCE counts how often
that thing changed in the store's history, so the same store always gives the same bytes and a
moved case comes back with the same UID and a higher SEQUENCE:

- a hearing: one for each booking of it made or ended after the first was made, and one more
  once its outcome is recorded (booked: 0; moved once: 2; then decided: 3);
- a sitting, its cut-off and its papers-out: one for each change the store made to the sitting
  (cancelled, added back), less the change that created an extra sitting.

A hearing whose booking was ended with none in its place (its sitting was cancelled and no
other found yet) is kept as a cancelled event at its last time, so calendars drop it. A hearing
moved out of the range is written at its new time wherever an earlier booking of it was in the
range, so the calendars that had it follow it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from panelsched.exports.atomic import replace_bytes
from panelsched.exports.file_names import safe_stem
from panelsched.exports.ics import UID_DOMAIN, TimedEvent, calendar_bytes, sitting_events
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.forward.views import sitting_views

CALENDARS_FOLDER = Path("calendars")
PANELS_FOLDER = CALENDARS_FOLDER / "panels"
PEOPLE_FOLDER = CALENDARS_FOLDER / "people"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One event, with the panel it belongs to and the people whose calendars it goes in."""

    event: TimedEvent
    panel: str
    people: tuple[str, ...] = ()


def hearing_revisions(diary: Diary) -> dict[int, int]:
    """Each booked hearing's SEQUENCE, by hearing id, from its bookings and outcome.

    Returns
    -------
    dict
        Every hearing that has ever been booked: the bookings of it made and ended, less the
        first booking, plus one when its outcome is recorded.
    """
    changes: Counter[int] = Counter()
    for booking in diary.bookings:
        changes[booking.hearing_id] += 1 if booking.in_force else 2
    return {
        hearing: count - 1 + (1 if diary.is_decided(hearing) else 0)
        for hearing, count in changes.items()
    }


def sitting_revisions(diary: Diary) -> dict[str, int]:
    """Each changed sitting's SEQUENCE by sitting id (``panel@YYYY-MM-DD``); 0 for the rest."""
    changes: Counter[str] = Counter(change.sitting_id for change in diary.changes)
    created: set[str] = set()
    for change in diary.changes:
        if change.sitting_id not in created and change.kind == "extra":
            # Adding an extra sitting is how it came to be, not a change to it.
            changes[change.sitting_id] -= 1
        created.add(change.sitting_id)
    return dict(changes)


def hearing_event(
    diary: Diary, hearing: Hearing, booking: StoredBooking, sequence: int, *, cancelled: bool
) -> TimedEvent:
    """A hearing's calendar event at ``booking``'s slot, as every calendar file writes it.

    Parameters
    ----------
    diary
        The store's snapshot.
    hearing, booking
        The hearing and the booking of it whose slot the event shows.
    sequence
        Its SEQUENCE, from :func:`hearing_revisions`.
    cancelled
        True for a booking ended with none in its place: the event says so and is cancelled.
    """
    key = diary.keys[hearing.id]
    panel = diary.authority.panel(booking.panel)
    referral = hearing.referral
    lines = [hearing.kind_words, f"Presenting: {', '.join(referral.people)}"]
    due = diary.due_date(hearing)
    if due is not None:
        lines.append(f"Due by: {due:%d/%m/%Y} ({hearing.due_note})")
    outcome = diary.outcomes.get(hearing.id)
    if outcome is not None:
        lines.append(f"Outcome: {outcome.outcome}")
    if cancelled:
        reason = booking.end_reason or "booking ended"
        lines.insert(0, f"No longer booked at this time ({reason}); a new time will follow.")
    return TimedEvent(
        uid=f"hearing-{key}@{UID_DOMAIN}",
        summary=f"{'CANCELLED: ' if cancelled else ''}{key}: {panel.name}",
        start=datetime.combine(booking.date, booking.start),
        end=datetime.combine(booking.date, booking.end),
        description="\n".join(lines),
        busy=not cancelled,
        sequence=sequence,
        location=panel.location or "",
        cancelled=cancelled,
    )


def diary_events(diary: Diary, start: date, end: date) -> list[_Entry]:
    """Every event of the sittings dated ``start`` to ``end`` and of the hearings booked there.

    Each sitting (cancelled ones too) comes with its cut-off, papers-out and slots, in date
    order; then any hearing that has left the range or lost its booking.
    """
    views = sitting_views(diary, start, end)
    sequences = sitting_revisions(diary)
    reasons = {v.sitting.id: v.cancelled for v in views if v.cancelled}
    revisions = hearing_revisions(diary)
    entries: list[_Entry] = []
    written: set[int] = set()
    for view in views:
        sitting = view.sitting
        if view.reinstated:
            # Held after all: say so where its calendar event had said it was cancelled.
            words = f"reinstated: {view.reinstated}"
            sitting = replace(sitting, note=f"{sitting.note}; {words}" if sitting.note else words)
        entries.extend(
            _Entry(event, view.sitting.panel)
            for event in sitting_events(
                diary.authority, [sitting], sequences=sequences, cancelled=reasons
            )
        )
        for slot in view.slots:
            hearing = slot.hearing
            event = hearing_event(
                diary, hearing, slot.booking, revisions[hearing.id], cancelled=False
            )
            entries.append(_Entry(event, slot.booking.panel, hearing.referral.people))
            written.add(hearing.id)
    # Hearings the range once held: moved elsewhere, or waiting for a new sitting.
    latest: dict[int, StoredBooking] = {}
    touched: set[int] = set()
    for booking in diary.bookings:
        if booking.hearing_id not in diary.in_force:
            latest[booking.hearing_id] = booking
        if start <= booking.date <= end:
            touched.add(booking.hearing_id)
    others = []
    for hearing_id in touched - written:
        booking = diary.in_force.get(hearing_id) or latest[hearing_id]
        others.append((booking.opens, diary.keys[hearing_id], hearing_id, booking))
    for _, _, hearing_id, booking in sorted(others):
        hearing = diary.by_id[hearing_id]
        event = hearing_event(
            diary,
            hearing,
            booking,
            revisions[hearing_id],
            cancelled=not booking.in_force,
        )
        entries.append(_Entry(event, booking.panel, hearing.referral.people))
    return entries


def _calendar(diary: Diary, entries: Iterable[_Entry], title: str, stamp: datetime) -> bytes:
    events = [entry.event for entry in entries]
    return calendar_bytes(events, diary.authority.timezone, title, stamp)


def planner_ics_bytes(diary: Diary, start: date, end: date, stamp: datetime) -> bytes:
    """``planner.ics``: every event of :func:`diary_events`, as one calendar file.

    Parameters
    ----------
    diary
        The store's snapshot.
    start, end
        The sittings to cover.
    stamp
        Every event's DTSTAMP: the store's last change, never the clock.

    Returns
    -------
    bytes
        The whole file.
    """
    title = f"{diary.authority.authority} forward planner"
    return _calendar(diary, diary_events(diary, start, end), title, stamp)


def write_planner_ics(diary: Diary, start: date, end: date, stamp: datetime, path: Path) -> None:
    """Write ``planner.ics`` (:func:`planner_ics_bytes`) to ``path`` whole.

    Parameters
    ----------
    diary, start, end, stamp
        As for :func:`planner_ics_bytes`.
    path
        The file to write.
    """
    replace_bytes(path, planner_ics_bytes(diary, start, end, stamp))


def file_names(people: Iterable[str]) -> dict[str, str]:
    """A distinct, safe ``.ics`` file name for each person (``SW-001.ics``).

    Characters other than letters, digits and ``. _ -`` become ``_`` and a name too long for
    a file is cut, with a hash of the whole name (:mod:`panelsched.exports.file_names`); two
    people whose names would then clash get ``-2``, ``-3``... in the order of their names.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for person in sorted(set(people)):
        stem = safe_stem(person, default="person")
        name, number = f"{stem}.ics", 1
        while name.lower() in taken:
            number += 1
            name = f"{stem}-{number}.ics"
        taken.add(name.lower())
        names[person] = name
    return names


def _clear(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.ics"):
        old.unlink()


def write_shared_calendars(
    diary: Diary, start: date, end: date, stamp: datetime, folder: Path
) -> list[Path]:
    """One calendar per panel and one per person under ``folder/calendars/``.

    A panel's file is its part of ``planner.ics`` (every panel gets one, even with nothing in
    the range); a person's file holds the slots of the cases they present or attend.

    Parameters
    ----------
    diary, start, end, stamp
        As for :func:`planner_ics_bytes`.
    folder
        The export's folder.

    Returns
    -------
    list of Path
        The files written: panels in model order, then people by name.
    """
    entries = diary_events(diary, start, end)
    authority = diary.authority.authority
    panels, people = folder / PANELS_FOLDER, folder / PEOPLE_FOLDER
    _clear(panels)
    _clear(people)
    written = []
    for panel in diary.base.panels:
        path = panels / f"{safe_stem(panel.id, default='panel')}.ics"
        chosen = [e for e in entries if e.panel == panel.id]
        title = f"{authority}: {panel.name} ({panel.id})"
        replace_bytes(path, _calendar(diary, chosen, title, stamp))
        written.append(path)
    names = file_names(person for e in entries for person in e.people)
    for person, name in names.items():
        chosen = [e for e in entries if person in e.people]
        path = people / name
        title = f"{authority}: panel slots for {person}"
        replace_bytes(path, _calendar(diary, chosen, title, stamp))
        written.append(path)
    return written


__all__ = [
    "CALENDARS_FOLDER",
    "PANELS_FOLDER",
    "PEOPLE_FOLDER",
    "diary_events",
    "file_names",
    "hearing_event",
    "hearing_revisions",
    "planner_ics_bytes",
    "sitting_revisions",
    "write_planner_ics",
    "write_shared_calendars",
]
