"""How the web application runs: the one settings object :func:`~panelsched.web.main.create_app`
takes (the command line's ``serve`` fills it from its options; tests pass their own clock and a
cheap password hasher)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from panelsched.forward import Settings

if TYPE_CHECKING:
    from panelsched.web.security import Passwords


@dataclass(frozen=True)
class WebConfig:
    """How the application runs.

    Parameters
    ----------
    db
        The planner's database (made with ``planner init``).
    settings
        The planner's solver budget and seed for every booking the web makes.
    now
        Act as of this fixed moment (the authority's wall clock), for demonstrations and
        replays; ``None`` reads the clock.
    secret
        The key session cookies are signed with; ``None`` makes a new one at each start (so a
        restart signs everyone out).
    clock
        The real time, aware, for sessions and lockouts; tests pass their own.
    passwords
        The password hasher; tests pass a cheap one.
    upload_limit
        The largest referrals file accepted, in bytes.
    wait_seconds
        How long a form that changes the diary waits for its planning before the browser is
        shown the change's progress page instead (the planning goes on in the background).
    sign_ins_at_once
        How many passwords are checked at the same time (each takes a good part of a second
        of CPU; more sign-ins wait their turn, and pages are served meanwhile).
    """

    db: Path
    settings: Settings = field(default_factory=Settings)
    now: datetime | None = None
    secret: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    passwords: Passwords | None = None
    upload_limit: int = 5 * 1024 * 1024
    wait_seconds: float = 0.5
    sign_ins_at_once: int = 1


__all__ = ["WebConfig"]
