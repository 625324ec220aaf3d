"""The audit trail read back: every change to one case (``planner history``) and every change
in a span of dates or by one person (``planner audit``).

Each row of the trail belongs to the command that made it (who, when, which command) and
names its subject: a case reference (``R-1``) or a hearing's key (``R-1#2``) for a case, a
sitting (``crp@2027-03-11``) for a cancelled or extra sitting, a person for a period away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from panelsched.errors import InputError
from panelsched.forward.store import Store


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change: which command made it, who and when, and what it was.

    Attributes
    ----------
    command_id
        The command's number in the store, in the order commands ran.
    at, by, command
        When (the authority's wall-clock time), who, and the command (``extra --move 1``).
    action
        What changed: ``booked``, ``booking moved``, ``outcome amended``...
    subject
        The case reference, hearing key, sitting or person it concerns.
    detail
        The change in words.
    """

    command_id: int
    at: datetime
    by: str
    command: str
    action: str
    subject: str
    detail: str


def _entries(store: Store) -> list[AuditEntry]:
    return [
        AuditEntry(number, datetime.fromisoformat(at), by, command, action, subject, detail)
        for number, at, by, command, action, subject, detail in store.audit_trail()
    ]


def is_about(subject: str, reference: str) -> bool:
    """True when an audit ``subject`` is the case ``reference`` or one of its hearings.

    Examples
    --------
    >>> [is_about(s, "R-1") for s in ("R-1", "R-1#2", "R-10", "R-1#h7")]
    [True, True, False, True]
    >>> is_about("R-1", "R-1#2"), is_about("R-1#2", "R-1#2")
    (False, True)
    """
    if "#" in reference:
        return subject == reference
    return subject == reference or subject.startswith(f"{reference}#")


def case_history(store: Store, reference: str) -> tuple[AuditEntry, ...]:
    """Every change to the case ``reference`` (all its hearings), or to one hearing when
    ``reference`` is a key such as ``R-1#2``, oldest first.

    Raises
    ------
    InputError
        Naming ``REFERENCE`` when the store has no such case.
    """
    reference = reference.strip()
    found = tuple(e for e in _entries(store) if is_about(e.subject, reference))
    if not found:
        raise InputError.one(
            "REFERENCE",
            f"'{reference}' is not in the planner; give a case reference like R-1 or a "
            "hearing like R-1#2",
        )
    return found


def audit_entries(
    store: Store, start: date | None = None, end: date | None = None, by: str | None = None
) -> tuple[AuditEntry, ...]:
    """Every change made from ``start`` to ``end`` (the commands' dates, inclusive) by ``by``;
    each filter left out takes everything. Oldest first."""
    return tuple(
        e
        for e in _entries(store)
        if (start is None or e.at.date() >= start)
        and (end is None or e.at.date() <= end)
        and (by is None or e.by == by)
    )


__all__ = ["AuditEntry", "audit_entries", "case_history", "is_about"]
