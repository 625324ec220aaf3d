"""The referrals file's ``clock_pauses`` column: periods a referral's statutory clocks stand still.

One cell holds any number of pauses separated by ``;``, each a period and a reason::

    2027-07-22..2027-09-01 school-closure-4-weeks; 06/10/2027..05/11/2027 family-away-4-weeks

The dates are read as every other date cell is (ISO or UK day first, :func:`parse_date`);
the reason must be one the clocks that apply to the referral list under ``pauses``
(:mod:`panelsched.core.clocks`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from panelsched.core.clocks import ClockPause
from panelsched.errors import InputError
from panelsched.io.cells import Where, parse_date

PAUSE_HELP = (
    "expected periods like '2027-07-22..2027-09-01 school-closure-4-weeks', "
    "several separated by ';'"
)
_PAUSE = re.compile(r"^(?P<start>\S+)\s*\.\.\s*(?P<end>\S+)\s+(?P<reason>\S+)$")


def _uk(pause: ClockPause) -> str:
    return f"{pause.start:%d/%m/%Y} to {pause.end:%d/%m/%Y}"


def parse_pauses(text: str, where: Where) -> tuple[ClockPause, ...]:
    """Read a ``clock_pauses`` cell (empty: no pauses).

    Raises
    ------
    InputError
        For a pause not written as a period and a reason, a date that is not one, a pause
        ending before it starts, or two pauses that overlap.
    """
    pauses: list[ClockPause] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _PAUSE.match(part)
        if match is None:
            raise where.error(f"'{part}' is not a pause; {PAUSE_HELP}")
        try:
            start = parse_date(match["start"], where)
            end = parse_date(match["end"], where)
        except InputError:
            raise where.error(f"'{part}' does not give two dates; {PAUSE_HELP}") from None
        pause = ClockPause(start, end, match["reason"])
        if end < start:
            raise where.error(
                f"the pause '{part}' ends on {end:%d/%m/%Y}, before it starts on "
                f"{start:%d/%m/%Y}; give its first day, then its last"
            )
        pauses.append(pause)
    ordered = sorted(pauses, key=lambda p: (p.start, p.end))
    for first, second in itertools.pairwise(ordered):
        if second.start <= first.end:
            raise where.error(
                f"the pauses {_uk(first)} and {_uk(second)} overlap; a clock stands still "
                "once for each day, so give each period once"
            )
    return tuple(ordered)


def pause_problem(
    pauses: Sequence[ClockPause], allowed: Sequence[str], panel: str, request_type: str
) -> str | None:
    """Why one of ``pauses`` is not allowed for the referral (a reason no clock of its
    lists), or ``None``."""
    for pause in pauses:
        if pause.reason in allowed:
            continue
        kind = f" for a '{request_type}' request" if request_type else ""
        if not allowed:
            return (
                f"'{pause.reason}': no clock of panel '{panel}'{kind} may be paused; "
                "leave the cell empty"
            )
        return (
            f"'{pause.reason}' is not a reason its clocks may be paused for; expected one of "
            f"{', '.join(allowed)}"
        )
    return None


__all__ = ["PAUSE_HELP", "parse_pauses", "pause_problem"]
