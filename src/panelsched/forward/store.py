"""The forward planner's store: one SQLite file, opened, migrated and changed in transactions.

Every command that changes the store runs inside :meth:`Store.transaction`: the command's own
row in ``commands``, its audit rows and its changes are committed together or not at all, so a
bad input or a crash part-way leaves the file as it was (SQLite's journal covers a process that
dies mid-write). This module holds the connection, the transactions and the migrations; the
diary's rows, and :meth:`Store.diary` that reads them back as plain frozen data, are in
:mod:`.diary_rows`. Other owners keep their own tables' queries (:attr:`Store.connection`).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from panelsched.core.panels import Authority
from panelsched.errors import InputError
from panelsched.forward.diary import (
    Diary,
)
from panelsched.forward.diary_rows import DiaryRows, moment_text
from panelsched.forward.schema import APPLICATION_ID, MIGRATIONS, Migration
from panelsched.io.model_file import ModelFile

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


DAMAGED = (
    "the planner database is damaged (cut short or overwritten); nothing was changed: "
    "restore it from a backup copy"
)


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused because another command holds the file (after the wait)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


class Store(DiaryRows):
    """An open planner database.

    Use :meth:`create` to start one and :meth:`open` for an existing one; close it with
    :meth:`close` (or use it as a context manager).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._command: int | None = None
        self._model_cache: tuple[int, Authority] | None = None
        self._diary: Diary | None = None

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
    def create(cls, path: str | Path, model: ModelFile, actor: Actor) -> Store:
        """Start a planner at ``path`` with ``model`` in force.

        The file is built beside ``path`` under another name and renamed into place only when
        complete, so a failed ``init`` leaves nothing behind. The store keeps the model's text
        under the file name it was read from.

        Raises
        ------
        InputError
            When ``path`` exists already, or its folder does not.
        """
        target = Path(path)
        if target.exists():
            raise InputError.one(
                str(target), "a file is already here; give another --db, or remove it first"
            )
        authority = model.authority
        folder = target.parent if str(target.parent) else Path()
        if not folder.is_dir():
            raise InputError.one(str(target), f"the folder {folder} does not exist")
        handle, temporary = tempfile.mkstemp(prefix=".planner-", suffix=".db", dir=folder)
        os.close(handle)
        try:
            store = cls(cls._connect(Path(temporary)), target)
            store._migrate(MIGRATIONS)
            with store.transaction(actor, "init", f"model {model.name}") as tx:
                tx.set_info("authority", authority.authority)
                tx.set_info("created", moment_text(actor.now))
                tx.add_model(model.file, authority.authority, model.text)
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
        self._diary = None
        try:
            cursor = self._db.execute(
                "INSERT INTO commands (at, by, command, detail) VALUES (?, ?, ?, ?)",
                (moment_text(actor.now), actor.by, command, detail),
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
            self._diary = None

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

    # ------------------------------------------------------------------ reading

    def info(self, key: str) -> str | None:
        """A fact about the store, or ``None``."""
        row = self._db.execute("SELECT value FROM store_info WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

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

    # ------------------------------------------------------------------ other owners' tables

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection, for a repository that keeps its own tables in this file
        (the web's accounts, :mod:`panelsched.web.accounts`; the outbox,
        :mod:`panelsched.notify.outbox`) and its own queries with them.

        Outside :meth:`transaction` and :meth:`writing` each statement commits on its own;
        statements that must land together go inside :meth:`writing`.
        """
        return self._db

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
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

    def copy_to(self, path: str | Path) -> None:
        """Write a consistent copy of the store to ``path`` (SQLite's backup API), even while
        another process writes to it."""
        target = sqlite3.connect(path)
        try:
            self._db.backup(target)
        finally:
            target.close()


__all__ = [
    "BUSY_SECONDS",
    "DAMAGED",
    "DEFAULT_DB",
    "Actor",
    "Store",
    "is_busy",
]
