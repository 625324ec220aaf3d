"""The clock and the user a command acts as: the authority's local time, the operating-system
user, and ``--now`` / ``--by`` as the command line gives them."""

from __future__ import annotations

import getpass
from datetime import datetime

from panelsched.core.panels import Authority
from panelsched.forward.store import Actor
from panelsched.io.cells import argument_moment


def local_now(authority: Authority) -> datetime:
    """The computer's clock as the authority's local wall-clock time, to the minute."""
    return datetime.now(authority.zone).replace(tzinfo=None, second=0, microsecond=0)


def default_user() -> str:
    """The operating-system user, for the audit trail's *who*."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def parse_now(value: str | None) -> datetime | None:
    """The ``--now`` option: ``11/01/2027 08:00``, ``2027-01-11 08:00``, ``2027-01-11T08:00``
    or a date alone (the start of that day).

    Raises
    ------
    InputError
        Naming the option when the text is not a moment.
    """
    if value is None:
        return None
    return argument_moment(value, "--now").replace(second=0, microsecond=0)


def actor_for(authority: Authority, by: str | None, now: str | None) -> Actor:
    """Who runs a command (``--by``, else the OS user) and when (``--now``, else the clock)."""
    moment = parse_now(now) or local_now(authority)
    return Actor(moment, (by or "").strip() or default_user())


__all__ = ["actor_for", "default_user", "local_now", "parse_now"]
