"""What a command did: its :class:`Report`, with who must be told (:class:`Notice`) and the
follow-ups it created (:class:`FollowUpLine`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from panelsched.forward.booking import Placement


@dataclass(frozen=True, slots=True)
class Notice:
    """Someone to tell: a case they present or attend is booked, moved, or off an agenda."""

    person: str
    key: str
    kind: str
    panel: str
    panel_name: str
    date: date
    start: time
    end: time
    change: str


@dataclass(frozen=True, slots=True)
class FollowUpLine:
    """A follow-up created by this command, and where it was booked."""

    rule: str
    key: str
    kind: str
    panel: str
    due: date | None
    due_note: str
    booked: Placement | None
    late_reason: str = ""
    unplaced_reason: str = ""


@dataclass(frozen=True)
class Report:
    """What a command did."""

    command: str
    lines: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    follow_ups: tuple[FollowUpLine, ...] = ()
    unplaced: tuple[tuple[str, str], ...] = ()
    late: tuple[tuple[str, str], ...] = ()
    clashes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    moved: int = 0
    booked: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
