"""Who may sign in, and what they may do: passwords, lockout, sessions and CSRF tokens.

Passwords are kept only as Argon2id hashes (argon2-cffi's defaults, RFC 9106's second
recommended set). Every sign-in that fails gets the same words and status, and costs the same
one Argon2 check (against a hash of nothing for an unknown name, against the real hash for a
disabled or held user), so neither the answer nor its time tells who exists or who is held.
Wrong passwords are counted by name and address, and by address (:mod:`.throttle`): five in a
row for one name from one address hold that name at that address for 15 minutes, so a guesser
cannot lock anyone else out.

A session is a random token: the browser holds it signed (itsdangerous) in an HttpOnly,
SameSite=Strict cookie, the store only its SHA-256 hash, with the session's CSRF token and
when it runs out. Signing a user out, disabling them or resetting their password deletes the
rows, so a stolen cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from panelsched.errors import InputError
from panelsched.forward.store import Store
from panelsched.web.accounts import Accounts, StoredUser
from panelsched.web.throttle import LOCK_FOR, PAIR_LIMIT, Throttle

ROLES = ("administrator", "chair", "viewer")

# What each role may change; every role reads every page and downloads the exports.
# Administrators run the diary; chairs record their panel's decisions (emergency ones too)
# and agree cancellations and late papers; viewers (managers, analysts) only look.
PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset({"upload", "outcome", "cancel", "extra", "late"}),
    "chair": frozenset({"outcome", "cancel", "late"}),
    "viewer": frozenset(),
}

LOCK_AFTER = PAIR_LIMIT
SESSION_FOR = timedelta(hours=8)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


def check_name(name: str) -> str:
    """A user name as given, checked: 1-64 letters, digits and ``. _ @ -``.

    Raises
    ------
    InputError
        Naming ``NAME`` when it is not of that form.
    """
    if not _NAME.fullmatch(name):
        raise InputError.one(
            "NAME",
            f"'{name}' is not a user name: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit",
        )
    return name


def check_role(role: str) -> str:
    """A role, checked.

    Raises
    ------
    InputError
        Naming ``--role`` when it is not one of :data:`ROLES`.
    """
    if role not in ROLES:
        raise InputError.one("--role", f"'{role}' is not {', '.join(ROLES[:-1])} or {ROLES[-1]}")
    return role


def check_password(password: str, source: str = "password") -> str:
    """A new password, checked for length (NCSC: length, not character rules).

    Raises
    ------
    InputError
        Naming ``source`` when it is shorter than :data:`MIN_PASSWORD` characters or longer
        than :data:`MAX_PASSWORD`.
    """
    if len(password) < MIN_PASSWORD:
        raise InputError.one(source, f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError.one(source, f"a password may have at most {MAX_PASSWORD} characters")
    return password


class Passwords:
    """Argon2id hashing, with a hash of nothing to spend the same time on unknown names.

    Parameters
    ----------
    hasher
        argon2-cffi's hasher; tests pass a cheap one.
    """

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """The hash to store."""
        return self.hasher.hash(password)

    def warm(self) -> None:
        """Make the hash of nothing now, so the first unknown name costs no more than later
        ones."""
        self._dummy = self._dummy or self.hasher.hash(secrets.token_urlsafe(16))

    def matches(self, stored: str | None, password: str) -> bool:
        """True when ``password`` is the one ``stored`` was made from (``None``: no user)."""
        if stored is None:
            self.warm()
            stored = self._dummy or ""
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """True when ``stored`` was made with weaker parameters than today's."""
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


@dataclass(frozen=True, slots=True)
class SignInResult:
    """The user signed in, or why not (a sentence to show)."""

    user: StoredUser | None
    refusal: str = ""


# One answer for every failure: a wrong password, an unknown or disabled user, a name held
# after wrong passwords, an address held. It says what may have happened without saying which.
REFUSAL = (
    f"Wrong user name or password. After {LOCK_AFTER} wrong tries, signing in is locked for "
    f"{int(LOCK_FOR.total_seconds() // 60)} minutes: wait and try again, or ask an "
    "administrator to reset your password."
)


def sign_in(
    store: Store,
    passwords: Passwords,
    name: str,
    password: str,
    now: datetime,
    address: str = "",
    throttle: Throttle | None = None,
) -> SignInResult:
    """Check a name and password, counting wrong ones by name and address.

    Parameters
    ----------
    store
        The planner.
    passwords
        The hasher.
    name, password
        As typed.
    now
        The real clock, aware (a hold runs by it even when the diary is replayed).
    address
        Where the sign-in came from.
    throttle
        The counts of wrong passwords; ``None`` counts nothing (the command line's checks).

    Returns
    -------
    SignInResult
        The user, or :data:`REFUSAL` for every kind of failure.
    """
    accounts = Accounts(store)
    user = accounts.user(name) if _NAME.fullmatch(name) else None
    held = throttle is not None and throttle.pair_held(
        name, address, now, user.changed_at if user is not None else None
    )
    # The one Argon2 check every sign-in costs, whatever follows: against the hash of nothing
    # for an unknown name, so that the time taken does not tell who exists.
    right = passwords.matches(user.password_hash if user is not None else None, password)
    # A lockout kept in the file (by a release before the per-address counts) still holds.
    locked_in_file = user is not None and user.locked_until is not None and user.locked_until > now
    if user is None or user.disabled or locked_in_file or held or not right:
        if throttle is not None and not right:
            throttle.wrong(name, address, now, held)
        return SignInResult(None, REFUSAL)
    accounts.signed_in(user.name)
    if throttle is not None:
        throttle.right(name, address)
    if passwords.needs_rehash(user.password_hash):
        accounts.rehash_password(user.name, passwords.hash(password))
    return SignInResult(user)


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user's session."""

    user: StoredUser
    csrf: str
    token_hash: str

    def may(self, action: str) -> bool:
        """True when the user's role allows ``action`` (:data:`PERMISSIONS`)."""
        return action in PERMISSIONS.get(self.user.role, frozenset())


class Sessions:
    """Start, find and end sessions; sign and check the cookie that carries one.

    Parameters
    ----------
    secret
        The key cookies are signed with; a restart with a new key signs everyone out.
    """

    COOKIE = "panelsched_session"
    SIGN_IN_COOKIE = "panelsched_sign_in"

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret)

    def start(self, store: Store, user: StoredUser, now: datetime) -> str:
        """A new session for ``user``; returns the cookie's value."""
        token = secrets.token_urlsafe(32)
        Accounts(store).add_session(
            token_hash(token), user.name, secrets.token_urlsafe(32), now, now + SESSION_FOR
        )
        return self._serializer.dumps(token, salt="session")

    def find(self, store: Store, cookie: str | None, now: datetime) -> Session | None:
        """The session a cookie carries, if it is signed by us and still running."""
        if not cookie:
            return None
        try:
            token = self._serializer.loads(
                cookie, salt="session", max_age=int(SESSION_FOR.total_seconds())
            )
        except BadSignature:
            return None
        if not isinstance(token, str):
            return None
        hashed = token_hash(token)
        found = Accounts(store).session(hashed, now)
        if found is None:
            return None
        return Session(found[0], found[1], hashed)

    def sign_in_token(self) -> str:
        """A token for the sign-in form and its cookie (no session exists yet to hold one)."""
        return self._serializer.dumps(secrets.token_urlsafe(16), salt="sign-in")

    def sign_in_token_ok(self, cookie: str | None, field: str | None) -> bool:
        """True when the form's token is ours, recent, and the cookie's own."""
        if not cookie or not field or not same(cookie, field):
            return False
        try:
            self._serializer.loads(field, salt="sign-in", max_age=3600)
        except BadSignature:
            return False
        return True


def key_file(db: Path) -> Path:
    """Where the session-signing key of the planner at ``db`` is kept: beside it,
    ``planner.db.session-key``."""
    return db.with_name(f"{db.name}.session-key")


def session_key(db: Path) -> str:
    """The key session cookies are signed with, made once and kept beside the planner, so a
    restart keeps everyone signed in.

    The file is created readable and writable by its owner only (0600), never replaced: a new
    key would sign everyone out. Delete it to sign everyone out on the next start.

    Raises
    ------
    InputError
        When the file cannot be read or made, others on the machine may read it, or it holds
        too short a key.
    """
    path = key_file(db)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise InputError.one(str(path), f"cannot make the session key: {exc.strerror}") from None
    else:
        with os.fdopen(handle, "w", encoding="utf-8") as made:
            made.write(secrets.token_urlsafe(48) + "\n")
    try:
        mode = path.stat().st_mode
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        words = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError.one(str(path), f"cannot read the session key: {words}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InputError.one(
            str(path),
            f"other users of this machine may read the session key; run `chmod 600 {path}`",
        )
    if len(key) < 32:
        raise InputError.one(
            str(path), "the session key needs at least 32 characters; delete the file to make one"
        )
    return key


def same(a: str, b: str) -> bool:
    """Compare two tokens in constant time."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


__all__ = [
    "LOCK_AFTER",
    "LOCK_FOR",
    "PERMISSIONS",
    "REFUSAL",
    "ROLES",
    "SESSION_FOR",
    "Passwords",
    "Session",
    "Sessions",
    "SignInResult",
    "check_name",
    "check_password",
    "check_role",
    "key_file",
    "same",
    "session_key",
    "sign_in",
    "token_hash",
]
