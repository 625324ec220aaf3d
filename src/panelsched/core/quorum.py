"""Whether a sitting can be quorate: its chair (or a vice-chair) and enough members there.

A panel's ``members`` and ``quorum`` say who sits and what a sitting needs (P3: "a chair or
vice-chair chaired the sitting", CPR 2.1, CBC 13, LAM). The availability files name members
as they name presenters; a member away for any part of a sitting's window counts as absent,
since a quorum is needed for every case heard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from panelsched.core.availability import Unavailability
from panelsched.core.panels import CHAIRING_ROLES, Authority, Panel
from panelsched.core.sittings import Sitting

_ROLE_WORDS = {"chair": "chair", "vice-chair": "vice-chair", "member": "member"}


def _away(member: str, sitting: Sitting, away: Mapping[str, Sequence[Unavailability]]) -> bool:
    return any(a.clashes(sitting.date, sitting.start, sitting.end) for a in away.get(member, ()))


def _named(panel: Panel, ids: Sequence[str]) -> str:
    """``chair CH-01 and vice-chair VC-01``: each member with their role."""
    role = {m.id: m.role for m in panel.members}
    words = [f"{_ROLE_WORDS[role[i]]} {i}" for i in ids]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def shortfall(
    panel: Panel, sitting: Sitting, away: Mapping[str, Sequence[Unavailability]]
) -> str | None:
    """Why ``sitting`` cannot be quorate on the known availability, or ``None`` when it can
    (or the panel sets no quorum).

    Parameters
    ----------
    panel
        The sitting's panel, with its ``members`` and ``quorum``.
    sitting
        The sitting.
    away
        Each person's periods away.

    Returns
    -------
    str or None
        A phrase that follows the sitting's name: "has no chair: chair CH-01 and vice-chair
        VC-01 on leave", or "is not quorate: 2 members needed besides the chair, 1 available
        (M-01 and M-02 on leave)".

    Examples
    --------
    With a chair, a vice-chair and two members, and a quorum of the chair plus two: the
    chair away leaves the vice-chair to chair and two members, so it is quorate; the chair
    and one member away leaves the vice-chair and one member, one short.
    """
    quorum = panel.quorum
    if quorum is None:
        return None
    absent = [m.id for m in panel.members if _away(m.id, sitting, away)]
    present = [m for m in panel.members if m.id not in absent]
    chairs = [m for m in panel.members if m.role in CHAIRING_ROLES]
    if quorum.chair and not any(m.role in CHAIRING_ROLES for m in present):
        return f"has no chair: {_named(panel, [m.id for m in chairs])} on leave"
    others = len(present) - (1 if quorum.chair else 0)
    if others >= quorum.members:
        return None
    besides = " besides the chair" if quorum.chair else ""
    return (
        f"is not quorate: {quorum.members} members needed{besides}, {max(others, 0)} "
        f"available ({_named(panel, absent)} on leave)"
    )


def inquorate_sittings(
    authority: Authority, sittings: Iterable[Sitting], unavailability: Iterable[Unavailability]
) -> dict[str, str]:
    """Each sitting that cannot be quorate, by sitting id, with why (:func:`shortfall`)."""
    away: dict[str, list[Unavailability]] = {}
    for period in unavailability:
        away.setdefault(period.person, []).append(period)
    found = {}
    for sitting in sittings:
        panel = authority.panel(sitting.panel)
        if panel.quorum is None:
            continue
        why = shortfall(panel, sitting, away)
        if why is not None:
            found[sitting.id] = why
    return found


def with_quorum_notes(
    authority: Authority, sittings: Sequence[Sitting], unavailability: Iterable[Unavailability]
) -> tuple[Sitting, ...]:
    """``sittings`` with each one short of quorum noted ("this sitting has no chair: ..."),
    for the calendar's CSV, XLSX and ICS, which all show a sitting's note."""
    short = inquorate_sittings(authority, sittings, unavailability)
    return tuple(
        replace(s, note="; ".join(n for n in (s.note, f"this sitting {short[s.id]}") if n))
        if s.id in short
        else s
        for s in sittings
    )


__all__ = ["inquorate_sittings", "shortfall", "with_quorum_notes"]
