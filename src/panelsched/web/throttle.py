"""Wrong passwords, counted so that guessing is slow and nobody can lock anyone else out.

Two counts, kept in the server's memory (a restart forgets them):

- a **name from one address**: :data:`PAIR_LIMIT` wrong passwords in a row for one user name
  from one address stop that name signing in *from that address* for :data:`LOCK_FOR`. Someone
  guessing an administrator's password from their own machine locks only themselves out; the
  administrator, at another address, signs in as usual.
- an **address**: :data:`ADDRESS_LIMIT` wrong passwords within :data:`LOCK_FOR` from one
  address, whatever the names, stop every sign-in from it for :data:`LOCK_FOR` (trying many
  names, or many guesses at one, from one machine).

Names are counted as typed, whether or not such a user exists, so an unknown name is held back
exactly like a known one and the counts say nothing about who exists. An administrator's
``users reset`` or ``users enable`` (which change the user's ``changed_at``) lifts a name's
hold at once. The address is the one the server sees: uvicorn takes it from a proxy's
``X-Forwarded-For`` only when the proxy is on this machine (``--forwarded-allow-ips``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import anyio
import anyio.to_thread

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
LOCK_FOR = timedelta(minutes=15)
# The most names and addresses remembered: beyond it the oldest are forgotten first, so a
# flood of made-up names cannot fill the server's memory.
MOST_REMEMBERED = 20_000


class Throttle:
    """The counts of wrong passwords by name-and-address and by address (thread-safe: the
    passwords are checked in worker threads).

    Parameters
    ----------
    pair_limit, address_limit
        Wrong passwords that hold a name at one address, and an address.
    lock_for
        How long a hold lasts, and the window the address's count runs over.
    """

    def __init__(
        self,
        pair_limit: int = PAIR_LIMIT,
        address_limit: int = ADDRESS_LIMIT,
        lock_for: timedelta = LOCK_FOR,
    ) -> None:
        self.pair_limit = pair_limit
        self.address_limit = address_limit
        self.lock_for = lock_for
        self._lock = threading.Lock()
        # (name, address) -> wrong passwords in a row; address -> moments of wrong ones.
        self._in_a_row: dict[tuple[str, str], int] = {}
        self._wrong_at: dict[str, deque[datetime]] = {}
        # What is held, from when (a reset after that moment lifts a name's hold).
        self._pair_held: dict[tuple[str, str], datetime] = {}
        self._address_held: dict[str, datetime] = {}

    def address_held(self, address: str, now: datetime) -> bool:
        """True while ``address`` may not sign in at all."""
        with self._lock:
            since = self._address_held.get(address)
            if since is None:
                return False
            if now - since < self.lock_for:
                return True
            del self._address_held[address]
            return False

    def pair_held(
        self, name: str, address: str, now: datetime, reset_at: datetime | None = None
    ) -> bool:
        """True while ``name`` may not sign in from ``address``.

        Parameters
        ----------
        reset_at
            When an administrator last changed the user (``users reset`` or ``enable``): a
            hold from before then is lifted. ``None`` for a name with no user.
        """
        key = _key(name, address)
        with self._lock:
            since = self._pair_held.get(key)
            if since is None:
                return False
            # The store keeps whole seconds: a reset in the same second as the hold lifts it.
            # A change dated after now (a clock set wrong) is no reset.
            lifted = reset_at is not None and since.replace(microsecond=0) <= reset_at <= now
            if now - since < self.lock_for and not lifted:
                return True
            del self._pair_held[key]
            self._in_a_row.pop(key, None)
            return False

    def wrong(self, name: str, address: str, now: datetime, held: bool = False) -> None:
        """Count a wrong password for ``name`` from ``address``; the limits start a hold.

        A try at a name already held (``held``) counts for the address only: the name's hold
        runs its time and is not made longer by more tries.
        """
        key = _key(name, address)
        with self._lock:
            if not held:
                count = self._in_a_row.pop(key, 0) + 1
                if count >= self.pair_limit:
                    _remember(self._pair_held, key, now)
                else:
                    _remember(self._in_a_row, key, count)
            moments = self._wrong_at.pop(address, None) or deque()
            while moments and now - moments[0] >= self.lock_for:
                moments.popleft()
            moments.append(now)
            if len(moments) >= self.address_limit:
                _remember(self._address_held, address, now)
            else:
                _remember(self._wrong_at, address, moments)

    def right(self, name: str, address: str) -> None:
        """A right password: the name's count at that address starts again (the address's
        does not, so signing in to one's own account does not buy more guesses)."""
        with self._lock:
            self._in_a_row.pop(_key(name, address), None)


class SignIns:
    """What every sign-in shares: the :class:`Throttle`, and a limit on how many passwords are
    checked at once.

    Argon2 is built to take a good part of a second of CPU and memory. Unlimited, a burst of
    sign-ins (someone guessing) took every core and a signed-in person's calendar slowed from
    12 ms to more than half a second; one or two at a time in their own worker threads, the
    burst waits its turn on the event loop and pages are served meanwhile.

    Parameters
    ----------
    at_once
        How many passwords are checked at the same time.
    """

    def __init__(self, at_once: int = 1) -> None:
        self.throttle = Throttle()
        self._limiter = anyio.CapacityLimiter(at_once)

    async def check(self, work: Callable[[], T]) -> T:
        """Run ``work`` (which checks a password) in a worker thread of its own pool, waiting
        for a turn without holding a thread the pages need."""
        return await anyio.to_thread.run_sync(work, limiter=self._limiter)


def _key(name: str, address: str) -> tuple[str, str]:
    # Case folded: "Ada" and "ada" are one name to a person guessing.
    return name.casefold(), address


def _remember(table: dict[K, V], key: K, value: V) -> None:
    """Set ``table[key]`` as the newest entry, forgetting the oldest beyond the limit."""
    table.pop(key, None)
    table[key] = value
    while len(table) > MOST_REMEMBERED:
        del table[next(iter(table))]


__all__ = ["ADDRESS_LIMIT", "LOCK_FOR", "MOST_REMEMBERED", "PAIR_LIMIT", "SignIns", "Throttle"]
