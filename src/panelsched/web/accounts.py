"""The people who may sign in to the web application, and their sessions: the queries of
the ``users`` and ``sessions`` tables, kept with their owner, the web.

The tables live in the planner's file (:class:`~panelsched.forward.store.Store`); their
migrations stay in :mod:`panelsched.forward.schema`, the file's one linear history (SQLite
keeps one ``user_version``, and a released migration is never edited). Nothing here needs
FastAPI, so the command line's ``users`` commands use it too::

    with Store.open("planner.db") as store:
        Accounts(store).user("ada")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from panelsched.errors import InputError
from panelsched.forward.store import Store


class Accounts:
    """The web's users and sessions in an open store.

    Outside a transaction of the store each change commits on its own; inside
    :meth:`~panelsched.forward.store.Store.transaction` it lands with the command.
    """

    def __init__(self, store: Store) -> None:
        self._db = store.connection

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
        ``lock_until`` and starts the count again.

        The web application no longer calls this: a lock of the whole account let anyone lock
        an administrator out, so it counts wrong passwords by name and address in memory
        (:mod:`panelsched.web.throttle`). A lock already in the file still holds until it runs
        out or ``users enable`` clears it.
        """
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


__all__ = ["Accounts", "StoredUser"]
