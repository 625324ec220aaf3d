"""The diary's rows in the planner's store: referrals, hearings, bookings, outcomes, who is
away and the sittings cancelled or added, written one change at a time and read back whole as
a :class:`~panelsched.forward.diary.Diary`.

:class:`DiaryRows` is the part of :class:`~panelsched.forward.store.Store` that knows these
tables; the store adds the connection, its transactions and the migrations. Inside a
transaction the diary is read once and kept until a change is written, so a command that reads
it several times between its changes reads the file once (:meth:`DiaryRows.diary`).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from panelsched.core.availability import Unavailability
from panelsched.core.clocks import ClockPause
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.forward.diary import (
    Diary,
    Hearing,
    Outcome,
    SittingChange,
    StoredBooking,
    effective_authority,
)
from panelsched.io.model_file import load_model_text


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def moment_text(value: datetime) -> str:
    """A moment as the store keeps it: ``2027-01-07T13:00``."""
    return value.strftime("%Y-%m-%dT%H:%M")


def _day_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def model_from_text(text: str, file: str) -> Authority:
    """Load a model kept in the store as text (it was checked when it was stored)."""
    try:
        return load_model_text(text, file)
    except InputError as exc:
        # A model that loaded when stored but not now: a newer release reads it stricter.
        raise InputError.one(
            file, f"the model kept in the planner no longer loads: {exc.problems[0].message}"
        ) from None


class DiaryRows:
    """Write and read the diary's rows; mixed into :class:`~panelsched.forward.store.Store`,
    which opens the connection and runs the transactions."""

    path: Path
    _db: sqlite3.Connection
    _command: int | None
    _model_cache: tuple[int, Authority] | None
    # The diary read in the running transaction, until a change is written.
    _diary: Diary | None

    @property
    def command_id(self) -> int:
        """The running command's id; only inside a transaction of the store."""
        if self._command is None:
            raise RuntimeError("changes need a transaction")
        return self._command

    def _changed(self) -> None:
        """A change was written: the diary must be read again to see it."""
        self._diary = None

    def add_referral(self, referral_id: str, source: str, row: int | None) -> None:
        """Record a new case reference."""
        self._changed()
        self._db.execute(
            "INSERT INTO referrals (referral_id, command_id, source, file_row) VALUES (?, ?, ?, ?)",
            (referral_id, self.command_id, source, row),
        )

    def add_hearing(
        self,
        referral: Referral,
        *,
        referral_id: str,
        kind: str,
        rule: str = "",
        origin_id: int | None = None,
        first_cla_review: date | None = None,
        emergency_decision: datetime | None = None,
        due_note: str = "",
    ) -> int:
        """Add a hearing of ``referral_id`` (the next number for that case); returns its id.

        ``referral`` carries what the planner needs; its own ``referral_id`` is ignored.
        """
        self._changed()
        number = self._db.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM hearings WHERE referral_id = ?",
            (referral_id,),
        ).fetchone()[0]
        cursor = self._db.execute(
            """INSERT INTO hearings (referral_id, number, command_id, kind, rule, origin_id,
                panel, submitted, social_worker, team_manager, child_id, request_type, complex,
                priority, cla_review, cp_review, contract_end, review_by, not_before, deadline,
                locality, late_permission, attendees, cost, first_cla_review,
                emergency_decision, due_note, requested, clock_pauses)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ?)""",
            (
                referral_id,
                number,
                self.command_id,
                kind,
                rule,
                origin_id,
                referral.panel,
                moment_text(referral.submitted),
                referral.social_worker,
                referral.team_manager,
                referral.child_id,
                referral.request_type,
                int(referral.complex),
                referral.priority,
                _day_text(referral.cla_review),
                _day_text(referral.cp_review),
                _day_text(referral.contract_end),
                _day_text(referral.review_by),
                _day_text(referral.not_before),
                _day_text(referral.deadline),
                referral.locality,
                int(referral.late_permission),
                ";".join(referral.attendees),
                format(referral.cost, "f") if referral.cost is not None else None,
                _day_text(first_cla_review),
                moment_text(emergency_decision) if emergency_decision else None,
                due_note,
                _day_text(referral.requested),
                _pauses_text(referral.clock_pauses),
            ),
        )
        return int(cursor.lastrowid or 0)

    def book(self, hearing_id: int, panel: str, day: date, start: time, end: time) -> int:
        """Book a hearing into a slot; returns the booking's id."""
        self._changed()
        cursor = self._db.execute(
            "INSERT INTO bookings (hearing_id, panel, date, start, end, command_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                hearing_id,
                panel,
                day.isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                self.command_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def end_booking(self, booking_id: int, reason: str) -> None:
        """Take a booking out of force (it stays in the history) for ``reason``."""
        self._changed()
        self._db.execute(
            "UPDATE bookings SET ended_command_id = ?, end_reason = ? "
            "WHERE id = ? AND ended_command_id IS NULL",
            (self.command_id, reason, booking_id),
        )

    def add_outcome(
        self, hearing_id: int, panel: str, day: date, outcome: str, record: dict[str, Any]
    ) -> None:
        """Record what the panel decided at a hearing, with the record's other cells."""
        self._changed()
        self._db.execute(
            "INSERT INTO outcomes (hearing_id, command_id, panel, date, outcome, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                hearing_id,
                self.command_id,
                panel,
                day.isoformat(),
                outcome,
                json.dumps(record, sort_keys=True, default=_json_value),
            ),
        )

    def add_availability(self, period: Unavailability) -> bool:
        """Record that someone is away; False when the same period was already known."""
        self._changed()
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO availability (command_id, person, start, end, whole_days) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                self.command_id,
                period.person,
                moment_text(period.start),
                moment_text(period.end),
                int(period.whole_days),
            ),
        )
        return cursor.rowcount > 0

    def add_sitting_change(
        self, panel: str, day: date, kind: str, reason: str, agreed_by: str = ""
    ) -> None:
        """Cancel a sitting or add an extra one."""
        self._changed()
        self._db.execute(
            "INSERT INTO sitting_changes (command_id, panel, date, kind, reason, agreed_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (self.command_id, panel, day.isoformat(), kind, reason, agreed_by),
        )
        self._model_cache = None

    def withdraw_hearing(self, hearing_id: int, reason: str) -> None:
        """Withdraw a hearing not yet heard (its booking is ended separately); it stays in
        the store, out of the diary's hearings."""
        self._changed()
        self._db.execute(
            "UPDATE hearings SET withdrawn_command_id = ?, withdrawn_reason = ? "
            "WHERE id = ? AND withdrawn_command_id IS NULL",
            (self.command_id, reason, hearing_id),
        )

    def remove_extra_sitting(self, panel: str, day: date) -> bool:
        """Remove the extra sitting of ``panel`` on ``day`` added in the store, as if it had
        never been added; False when there is none in force."""
        self._changed()
        cursor = self._db.execute(
            "UPDATE sitting_changes SET removed_command_id = ? WHERE id = ("
            "SELECT MAX(id) FROM sitting_changes WHERE panel = ? AND date = ? "
            "AND removed_command_id IS NULL) AND kind = 'extra'",
            (self.command_id, panel, day.isoformat()),
        )
        self._model_cache = None
        return cursor.rowcount > 0

    def amend_outcome(self, hearing_id: int, outcome: str, record: dict[str, Any]) -> None:
        """Put right a recorded outcome (the audit trail keeps what it was)."""
        self._changed()
        self._db.execute(
            "UPDATE outcomes SET outcome = ?, record = ?, command_id = ? WHERE hearing_id = ?",
            (
                outcome,
                json.dumps(record, sort_keys=True, default=_json_value),
                self.command_id,
                hearing_id,
            ),
        )

    def model(self) -> Authority:
        """The model in force, as loaded from its file."""
        row = self._db.execute(
            "SELECT id, file, text FROM models ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise InputError.one(str(self.path), "the planner has no model; was init completed?")
        if self._model_cache is None or self._model_cache[0] != row[0]:
            self._model_cache = (row[0], model_from_text(row[2], row[1]))
        return self._model_cache[1]

    def diary(self) -> Diary:
        """Everything in the store as frozen data.

        Inside a transaction the diary read is kept until a change is written: no other
        process can write meanwhile, so it is the file as it is.
        """
        if self._command is not None and self._diary is not None:
            return self._diary
        diary = self._read_diary()
        if self._command is not None:
            self._diary = diary
        return diary

    def _read_diary(self) -> Diary:
        base = self.model()
        changes = tuple(
            SittingChange(
                panel=row[0],
                date=date.fromisoformat(row[1]),
                kind=row[2],
                reason=row[3],
                agreed_by=row[4],
                at=datetime.fromisoformat(row[5]),
                by=row[6],
                command_id=row[7],
            )
            for row in self._db.execute(
                "SELECT s.panel, s.date, s.kind, s.reason, s.agreed_by, c.at, c.by, c.id "
                "FROM sitting_changes s JOIN commands c ON c.id = s.command_id "
                # An extra sitting removed as a mistake never was: not even a cancellation.
                "WHERE s.removed_command_id IS NULL ORDER BY s.id"
            )
        )
        rows = self._db.execute(_HEARING_SELECT).fetchall()
        hearings = tuple(self._hearing(row[:-1]) for row in rows if row[-1] is None)
        withdrawn = tuple(self._hearing(row[:-1]) for row in rows if row[-1] is not None)
        bookings = tuple(
            StoredBooking(
                id=row[0],
                hearing_id=row[1],
                panel=row[2],
                date=date.fromisoformat(row[3]),
                start=time.fromisoformat(row[4]),
                end=time.fromisoformat(row[5]),
                command_id=row[6],
                booked_at=datetime.fromisoformat(row[7]),
                booked_by=row[8],
                ended_command_id=row[9],
                end_reason=row[10],
            )
            for row in self._db.execute(
                "SELECT b.id, b.hearing_id, b.panel, b.date, b.start, b.end, b.command_id, "
                "c.at, c.by, b.ended_command_id, b.end_reason "
                "FROM bookings b JOIN commands c ON c.id = b.command_id ORDER BY b.id"
            )
        )
        outcomes = {
            row[0]: Outcome(
                hearing_id=row[0],
                panel=row[1],
                date=date.fromisoformat(row[2]),
                outcome=row[3],
                record=json.loads(row[4]),
                decided_at=datetime.fromisoformat(row[5]),
                decided_by=row[6],
            )
            for row in self._db.execute(
                "SELECT o.hearing_id, o.panel, o.date, o.outcome, o.record, c.at, c.by "
                "FROM outcomes o JOIN commands c ON c.id = o.command_id ORDER BY o.hearing_id"
            )
        }
        availability = tuple(
            Unavailability(
                person=row[0],
                start=datetime.fromisoformat(row[1]),
                end=datetime.fromisoformat(row[2]),
                whole_days=bool(row[3]),
            )
            for row in self._db.execute(
                "SELECT person, start, end, whole_days FROM availability "
                "ORDER BY person, start, end, whole_days"
            )
        )
        last = self._db.execute("SELECT MAX(at) FROM commands").fetchone()[0]
        return Diary(
            base=base,
            authority=effective_authority(base, changes),
            hearings=hearings,
            bookings=bookings,
            outcomes=outcomes,
            availability=availability,
            changes=changes,
            last_change=_moment(last),
            withdrawn=withdrawn,
        )

    @staticmethod
    def _hearing(row: sqlite3.Row | tuple[Any, ...]) -> Hearing:
        (
            hearing_id,
            referral_id,
            number,
            kind,
            rule,
            origin_id,
            panel,
            submitted,
            social_worker,
            team_manager,
            child_id,
            request_type,
            complex_case,
            priority,
            cla_review,
            cp_review,
            contract_end,
            review_by,
            not_before,
            deadline,
            locality,
            late_permission,
            attendees,
            cost,
            first_cla_review,
            emergency_decision,
            due_note,
            requested,
            clock_pauses,
            command_id,
            created_at,
            created_by,
        ) = row
        referral = Referral(
            referral_id=referral_id,
            panel=panel,
            submitted=datetime.fromisoformat(submitted),
            social_worker=social_worker,
            team_manager=team_manager,
            child_id=child_id,
            request_type=request_type,
            complex=bool(complex_case),
            priority=priority,
            cla_review=_day(cla_review),
            cp_review=_day(cp_review),
            contract_end=_day(contract_end),
            review_by=_day(review_by),
            not_before=_day(not_before),
            deadline=_day(deadline),
            requested=_day(requested),
            clock_pauses=_pauses(clock_pauses),
            locality=locality,
            late_permission=bool(late_permission),
            attendees=tuple(a for a in attendees.split(";") if a),
            cost=Decimal(cost) if cost is not None else None,
            # The rule that made the hearing set its limit (S10 a deferral's next sitting,
            # S11 Permanency Tracking, S12 a NEET review); the store keeps the rule.
            deadline_rule="S10" if rule == "S10" else "S11" if rule == "S11" else "S14",
            review_by_rule="S12" if rule == "S12" else "S7",
        )
        return Hearing(
            id=hearing_id,
            referral_id=referral_id,
            number=number,
            kind=kind,
            rule=rule,
            origin_id=origin_id,
            referral=referral,
            first_cla_review=_day(first_cla_review),
            emergency_decision=_moment(emergency_decision),
            due_note=due_note,
            command_id=command_id,
            created_at=datetime.fromisoformat(created_at),
            created_by=created_by,
        )

    def known_referrals(self) -> dict[str, int]:
        """Every case reference in the store, with the command that added it."""
        return {
            str(row[0]): int(row[1])
            for row in self._db.execute("SELECT referral_id, command_id FROM referrals")
        }


_HEARING_SELECT = """
    SELECT h.id, h.referral_id, h.number, h.kind, h.rule, h.origin_id, h.panel, h.submitted,
        h.social_worker, h.team_manager, h.child_id, h.request_type, h.complex, h.priority,
        h.cla_review, h.cp_review, h.contract_end, h.review_by, h.not_before, h.deadline,
        h.locality, h.late_permission, h.attendees, h.cost, h.first_cla_review,
        h.emergency_decision, h.due_note, h.requested, h.clock_pauses, h.command_id, c.at, c.by,
        h.withdrawn_command_id
    FROM hearings h JOIN commands c ON c.id = h.command_id
    ORDER BY h.id
"""


def _pauses_text(pauses: tuple[ClockPause, ...]) -> str | None:
    """``2027-07-22..2027-09-01 school-closure-4-weeks; ...``, as the referrals file writes it."""
    return "; ".join(str(pause) for pause in pauses) or None


def _pauses(text: str | None) -> tuple[ClockPause, ...]:
    """The pauses :func:`_pauses_text` stored (read when the referral was added)."""
    found = []
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        span, reason = part.split(" ", 1)
        start, end = span.split("..")
        found.append(ClockPause(date.fromisoformat(start), date.fromisoformat(end), reason))
    return tuple(found)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__}")


__all__ = ["DiaryRows", "model_from_text", "moment_text"]
