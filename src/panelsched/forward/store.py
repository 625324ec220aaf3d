"""The forward planner's store: one SQLite file, opened, migrated and changed in transactions.

Every command that changes the store runs inside :meth:`Store.transaction`: the command's own
row in ``commands``, its audit rows and its changes are committed together or not at all, so a
bad input or a crash part-way leaves the file as it was (SQLite's journal covers a process that
dies mid-write). Reading is :meth:`Store.diary`, which returns plain frozen data.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from panelsched.core.availability import Unavailability
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
from panelsched.forward.schema import APPLICATION_ID, MIGRATIONS, Migration
from panelsched.io.model_file import load_model, load_model_text

DEFAULT_DB = Path("planner.db")

# How long a command waits for another's change to the same file (a command that plans
# holds the write lock while it books) before it says the diary is busy.
BUSY_SECONDS = 30.0

# The first 16 bytes of every SQLite file.
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who runs a command and when: the audit trail's *who* and *when*.

    ``now`` is the authority's local wall-clock time; pass a fixed one in tests.
    """

    now: datetime
    by: str


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _moment_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def _day_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


DAMAGED = (
    "the planner database is damaged (cut short or overwritten); nothing was changed: "
    "restore it from a backup copy"
)


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused because another command holds the file (after the wait)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def model_from_text(text: str, file: str) -> Authority:
    """Load a model kept in the store as text (it was checked when it was stored)."""
    try:
        return load_model_text(text, file)
    except InputError as exc:
        # A model that loaded when stored but not now: a newer release reads it stricter.
        raise InputError.one(
            file, f"the model kept in the planner no longer loads: {exc.problems[0].message}"
        ) from None


class Store:
    """An open planner database.

    Use :meth:`create` to start one and :meth:`open` for an existing one; close it with
    :meth:`close` (or use it as a context manager).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._command: int | None = None
        self._model_cache: tuple[int, Authority] | None = None

    # ------------------------------------------------------------------ opening

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun and ended here, explicitly.
        connection = sqlite3.connect(
            f"file:{path.resolve().as_posix()}?mode=rw",
            uri=True,
            isolation_level=None,
            timeout=BUSY_SECONDS,
        )
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    @classmethod
    def create(cls, path: str | Path, model_file: str | Path, actor: Actor) -> Store:
        """Start a planner at ``path`` with the model at ``model_file`` in force.

        The file is built beside ``path`` under another name and renamed into place only when
        complete, so a failed ``init`` leaves nothing behind.

        Raises
        ------
        InputError
            When ``path`` exists already, or the model cannot be read.
        """
        target = Path(path)
        if target.exists():
            raise InputError.one(
                str(target), "a file is already here; give another --db, or remove it first"
            )
        authority = load_model(model_file)
        text = Path(model_file).read_text(encoding="utf-8-sig")
        folder = target.parent if str(target.parent) else Path()
        if not folder.is_dir():
            raise InputError.one(str(target), f"the folder {folder} does not exist")
        handle, temporary = tempfile.mkstemp(prefix=".planner-", suffix=".db", dir=folder)
        os.close(handle)
        try:
            store = cls(cls._connect(Path(temporary)), target)
            store._migrate(MIGRATIONS)
            with store.transaction(actor, "init", f"model {Path(model_file).name}") as tx:
                tx.set_info("authority", authority.authority)
                tx.set_info("created", _moment_text(actor.now))
                tx.add_model(str(model_file), authority.authority, text)
            store._db.close()
            os.replace(temporary, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
        return cls.open(target)

    @classmethod
    def open(cls, path: str | Path, migrations: tuple[Migration, ...] = MIGRATIONS) -> Store:
        """Open the planner at ``path``, bringing its schema up to date.

        Raises
        ------
        InputError
            When there is no file, it is not a planner, or a newer release made it.
        """
        target = Path(path)
        if not target.is_file():
            raise InputError.one(
                str(target),
                "no planner here; start one with `panelsched planner init --model MODEL`",
            )
        try:
            connection = cls._connect(target)
            application = connection.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise
            raise InputError.one(str(target), f"cannot open the planner database: {exc}") from None
        except sqlite3.DatabaseError:
            with target.open("rb") as handle:
                header = handle.read(len(_SQLITE_HEADER))
            if header == _SQLITE_HEADER:
                raise InputError.one(str(target), DAMAGED) from None
            raise InputError.one(str(target), "not a planner database (not SQLite)") from None
        if application != APPLICATION_ID:
            connection.close()
            raise InputError.one(str(target), "not a planner database made by panelsched")
        store = cls(connection, target)
        store._migrate(migrations)
        return store

    def _migrate(self, migrations: tuple[Migration, ...]) -> None:
        version = self.schema_version
        newest = migrations[-1].version if migrations else 0
        if version > newest:
            self.close()
            raise InputError.one(
                str(self.path),
                f"made by a newer panelsched (schema version {version}; this one reads up to "
                f"{newest}); upgrade panelsched to open it",
            )
        pending = [m for m in migrations if m.version > version]
        if not pending:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for migration in pending:
                for statement in migration.statements:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {int(migration.version)}")
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite has rolled back already after some errors (a full disk): a second ROLLBACK
        # would fail and hide why.
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @property
    def schema_version(self) -> int:
        """The schema version the file is at."""
        value: int = self._db.execute("PRAGMA user_version").fetchone()[0]
        return value

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ changing

    @contextmanager
    def transaction(self, actor: Actor, command: str, detail: str = "") -> Iterator[Store]:
        """Run one command's changes atomically, recorded as ``command`` by ``actor``.

        Everything written inside the ``with`` block is committed when it ends normally and
        rolled back when anything (an :class:`InputError`, a crash) escapes it.
        """
        if self._command is not None:
            raise RuntimeError("a command is already running on this store")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            cursor = self._db.execute(
                "INSERT INTO commands (at, by, command, detail) VALUES (?, ?, ?, ?)",
                (_moment_text(actor.now), actor.by, command, detail),
            )
            self._command = int(cursor.lastrowid or 0)
            yield self
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            self._model_cache = None
            raise
        finally:
            self._command = None

    @property
    def command_id(self) -> int:
        """The running command's id; only inside :meth:`transaction`."""
        if self._command is None:
            raise RuntimeError("changes need a transaction")
        return self._command

    def audit(self, action: str, subject: str, detail: str = "") -> None:
        """Add one row to the audit trail for the running command."""
        self._db.execute(
            "INSERT INTO audit (command_id, action, subject, detail) VALUES (?, ?, ?, ?)",
            (self.command_id, action, subject, detail),
        )

    def set_info(self, key: str, value: str) -> None:
        """Set a fact about the store."""
        self._db.execute(
            "INSERT INTO store_info (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def add_model(self, file: str, authority: str, text: str) -> None:
        """Put a model in force."""
        self._db.execute(
            "INSERT INTO models (command_id, file, authority, text) VALUES (?, ?, ?, ?)",
            (self.command_id, file, authority, text),
        )
        self.audit("model loaded", authority, f"from {Path(file).name}")

    def add_referral(self, referral_id: str, source: str, row: int | None) -> None:
        """Record a new case reference."""
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
        number = self._db.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM hearings WHERE referral_id = ?",
            (referral_id,),
        ).fetchone()[0]
        cursor = self._db.execute(
            """INSERT INTO hearings (referral_id, number, command_id, kind, rule, origin_id,
                panel, submitted, social_worker, team_manager, child_id, request_type, complex,
                priority, cla_review, cp_review, contract_end, review_by, not_before, deadline,
                locality, late_permission, attendees, cost, first_cla_review,
                emergency_decision, due_note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?)""",
            (
                referral_id,
                number,
                self.command_id,
                kind,
                rule,
                origin_id,
                referral.panel,
                _moment_text(referral.submitted),
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
                _moment_text(emergency_decision) if emergency_decision else None,
                due_note,
            ),
        )
        return int(cursor.lastrowid or 0)

    def book(self, hearing_id: int, panel: str, day: date, start: time, end: time) -> int:
        """Book a hearing into a slot; returns the booking's id."""
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
        self._db.execute(
            "UPDATE bookings SET ended_command_id = ?, end_reason = ? "
            "WHERE id = ? AND ended_command_id IS NULL",
            (self.command_id, reason, booking_id),
        )

    def add_outcome(
        self, hearing_id: int, panel: str, day: date, outcome: str, record: dict[str, Any]
    ) -> None:
        """Record what the panel decided at a hearing, with the record's other cells."""
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
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO availability (command_id, person, start, end, whole_days) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                self.command_id,
                period.person,
                _moment_text(period.start),
                _moment_text(period.end),
                int(period.whole_days),
            ),
        )
        return cursor.rowcount > 0

    def add_sitting_change(
        self, panel: str, day: date, kind: str, reason: str, agreed_by: str = ""
    ) -> None:
        """Cancel a sitting or add an extra one."""
        self._db.execute(
            "INSERT INTO sitting_changes (command_id, panel, date, kind, reason, agreed_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (self.command_id, panel, day.isoformat(), kind, reason, agreed_by),
        )
        self._model_cache = None

    def withdraw_hearing(self, hearing_id: int, reason: str) -> None:
        """Withdraw a hearing not yet heard (its booking is ended separately); it stays in
        the store, out of the diary's hearings."""
        self._db.execute(
            "UPDATE hearings SET withdrawn_command_id = ?, withdrawn_reason = ? "
            "WHERE id = ? AND withdrawn_command_id IS NULL",
            (self.command_id, reason, hearing_id),
        )

    def remove_extra_sitting(self, panel: str, day: date) -> bool:
        """Remove the extra sitting of ``panel`` on ``day`` added in the store, as if it had
        never been added; False when there is none in force."""
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
        self._db.execute(
            "UPDATE outcomes SET outcome = ?, record = ?, command_id = ? WHERE hearing_id = ?",
            (
                outcome,
                json.dumps(record, sort_keys=True, default=_json_value),
                self.command_id,
                hearing_id,
            ),
        )

    # ------------------------------------------------------------------ reading

    def info(self, key: str) -> str | None:
        """A fact about the store, or ``None``."""
        row = self._db.execute("SELECT value FROM store_info WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

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
        """Everything in the store as frozen data."""
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

    def commands(self) -> list[tuple[int, str, str, str, str]]:
        """Every command: id, moment, who, command, detail."""
        return [
            (int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
            for r in self._db.execute(
                "SELECT id, at, by, command, detail FROM commands ORDER BY id"
            )
        ]

    def audit_trail(self) -> list[tuple[int, str, str, str, str, str, str]]:
        """Every audit row: command id, moment, who, command, action, subject, detail."""
        return [
            (int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]))
            for r in self._db.execute(
                "SELECT c.id, c.at, c.by, c.command, a.action, a.subject, a.detail "
                "FROM audit a JOIN commands c ON c.id = a.command_id ORDER BY a.id"
            )
        ]

    def dump(self) -> str:
        """The whole database as SQL text: equal dumps, equal contents."""
        return "\n".join(self._db.iterdump())

    # ------------------------------------------------------------------ sharing

    def share(self, busy_timeout: float = 30.0) -> None:
        """Make the file safe for a server and the command line to use at once.

        Write-ahead logging lets pages be read while a command books cases; the busy timeout
        makes a change wait up to ``busy_timeout`` seconds for another's to finish (a
        command that plans holds the write lock for a few seconds) rather than fail. The
        journal mode stays with the file, so the command line then uses it too.
        """
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self._db.execute("PRAGMA journal_mode = WAL")

    def last_command(self) -> int:
        """The latest command's id (0 before any): every change to the diary raises it."""
        value = self._db.execute("SELECT MAX(id) FROM commands").fetchone()[0]
        return int(value or 0)

    # ------------------------------------------------------------------ side ledgers

    @contextmanager
    def ledger(self) -> Iterator[sqlite3.Connection]:
        """One transaction on a table beside the diary (the outbox of ``planner notify``).

        No command or audit row is written, so the diary's last change, and with it every
        export's stamp, stays as it was: telling people of a change does not change the diary.
        """
        if self._command is not None:
            raise RuntimeError("a command is already running on this store")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def query(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Read rows from a side ledger (no transaction is held afterwards)."""
        return [tuple(row) for row in self._db.execute(sql, parameters)]

    # ------------------------------------------------------------------ people who sign in

    def add_user(self, name: str, role: str, password_hash: str, at: datetime) -> None:
        """Add someone who may sign in to the web application.

        Raises
        ------
        InputError
            When the name is taken.
        """
        if self.user(name) is not None:
            raise InputError.one("NAME", f"'{name}' is already a user; use `users reset`")
        self._db.execute(
            "INSERT INTO users (name, role, password_hash, created_at, changed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (name, role, password_hash, _utc_text(at), _utc_text(at)),
        )

    def user(self, name: str) -> StoredUser | None:
        """The user called ``name``, or ``None``."""
        row = self._db.execute(f"{_USER_SELECT} WHERE name = ?", (name,)).fetchone()
        return None if row is None else _user(row)

    def users(self) -> list[StoredUser]:
        """Every user, by name."""
        return [_user(row) for row in self._db.execute(f"{_USER_SELECT} ORDER BY name")]

    def set_password(self, name: str, password_hash: str, at: datetime) -> None:
        """Give ``name`` a new password hash, clear any lockout and end their sessions."""
        self._db.execute(
            "UPDATE users SET password_hash = ?, failed_sign_ins = 0, locked_until = NULL, "
            "changed_at = ? WHERE name = ?",
            (password_hash, _utc_text(at), name),
        )
        self.end_sessions(name)

    def rehash_password(self, name: str, password_hash: str) -> None:
        """Keep a stronger hash of the same password (Argon2's parameters were raised)."""
        self._db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))

    def disable_user(self, name: str, at: datetime) -> None:
        """Stop ``name`` signing in, and end their sessions."""
        self._db.execute(
            "UPDATE users SET disabled = 1, changed_at = ? WHERE name = ?", (_utc_text(at), name)
        )
        self.end_sessions(name)

    def enable_user(self, name: str, at: datetime) -> None:
        """Let ``name`` sign in again: not disabled, not locked out, wrong passwords forgotten."""
        self._db.execute(
            "UPDATE users SET disabled = 0, failed_sign_ins = 0, locked_until = NULL, "
            "changed_at = ? WHERE name = ?",
            (_utc_text(at), name),
        )

    def failed_sign_in(self, name: str, at: datetime, limit: int, lock_until: datetime) -> None:
        """Count a wrong password; the ``limit``-th in a row locks the account until
        ``lock_until`` and starts the count again."""
        # One statement, so two sign-ins at once cannot both miss the limit.
        self._db.execute(
            "UPDATE users SET "
            "locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ? ELSE locked_until END, "
            "failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 "
            "ELSE failed_sign_ins + 1 END, changed_at = ? WHERE name = ?",
            (limit, _utc_text(lock_until), limit, _utc_text(at), name),
        )

    def signed_in(self, name: str) -> None:
        """A right password: the count of wrong ones starts again."""
        self._db.execute(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE name = ?", (name,)
        )

    def add_session(
        self, token_hash: str, name: str, csrf_token: str, at: datetime, expires: datetime
    ) -> None:
        """Start a session for ``name`` (the token itself is never stored)."""
        self._db.execute("DELETE FROM sessions WHERE expires_at <= ?", (_utc_text(at),))
        self._db.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (token_hash, name, csrf_token, _utc_text(at), _utc_text(expires)),
        )

    def session(self, token_hash: str, at: datetime) -> tuple[StoredUser, str] | None:
        """The user of a session still running at ``at`` and its CSRF token, or ``None``
        (no such session, it ran out, or the user was disabled)."""
        row = self._db.execute(
            "SELECT s.user_name, s.csrf_token FROM sessions s WHERE s.token_hash = ? "
            "AND s.expires_at > ?",
            (token_hash, _utc_text(at)),
        ).fetchone()
        if row is None:
            return None
        found = self.user(str(row[0]))
        if found is None or found.disabled:
            return None
        return found, str(row[1])

    def end_session(self, token_hash: str) -> None:
        """Sign a session out."""
        self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def end_sessions(self, name: str) -> None:
        """Sign out every session of ``name``."""
        self._db.execute("DELETE FROM sessions WHERE user_name = ?", (name,))


@dataclass(frozen=True, slots=True)
class StoredUser:
    """Someone who may sign in to the web application (moments are aware, UTC)."""

    name: str
    role: str
    password_hash: str
    disabled: bool
    failed_sign_ins: int
    locked_until: datetime | None
    created_at: datetime
    changed_at: datetime


_USER_SELECT = (
    "SELECT name, role, password_hash, disabled, failed_sign_ins, locked_until, created_at, "
    "changed_at FROM users"
)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _user(row: tuple[Any, ...]) -> StoredUser:
    return StoredUser(
        name=str(row[0]),
        role=str(row[1]),
        password_hash=str(row[2]),
        disabled=bool(row[3]),
        failed_sign_ins=int(row[4]),
        locked_until=datetime.fromisoformat(row[5]) if row[5] else None,
        created_at=datetime.fromisoformat(row[6]),
        changed_at=datetime.fromisoformat(row[7]),
    )


_HEARING_SELECT = """
    SELECT h.id, h.referral_id, h.number, h.kind, h.rule, h.origin_id, h.panel, h.submitted,
        h.social_worker, h.team_manager, h.child_id, h.request_type, h.complex, h.priority,
        h.cla_review, h.cp_review, h.contract_end, h.review_by, h.not_before, h.deadline,
        h.locality, h.late_permission, h.attendees, h.cost, h.first_cla_review,
        h.emergency_decision, h.due_note, h.command_id, c.at, c.by, h.withdrawn_command_id
    FROM hearings h JOIN commands c ON c.id = h.command_id
    ORDER BY h.id
"""


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


__all__ = [
    "BUSY_SECONDS",
    "DAMAGED",
    "DEFAULT_DB",
    "Actor",
    "Store",
    "StoredUser",
    "is_busy",
    "model_from_text",
]
