"""The planner's input files written from objects: ``referrals.csv`` and ``availability.csv``.

Generated demand (:mod:`panelsched.synthetic`) is written in the same format the planner reads
(:mod:`panelsched.io.inputs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from panelsched.core.availability import Unavailability
from panelsched.core.referrals import Referral
from panelsched.exports.atomic import replacing
from panelsched.exports.csv_text import csv_writer
from panelsched.exports.safety import neutralise
from panelsched.io.inputs import AVAILABILITY_COLUMNS, REFERRAL_COLUMNS

# Written only when some referral has them (see write_referrals_csv).
_CLOCK_COLUMNS = ("requested", "clock_pauses")


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def referral_row(referral: Referral) -> dict[str, str]:
    """One referral as the text cells of the referrals file (issue 3 input format)."""
    return {
        "referral_id": referral.referral_id,
        "panel": referral.panel,
        "submitted": referral.submitted.strftime("%Y-%m-%d %H:%M"),
        "social_worker": referral.social_worker,
        "team_manager": referral.team_manager,
        "child_id": referral.child_id,
        "request_type": referral.request_type,
        "complex": _yes(referral.complex),
        "priority": referral.priority,
        "requested": _day(referral.requested),
        "cla_review": _day(referral.cla_review),
        "cp_review": _day(referral.cp_review),
        "contract_end": _day(referral.contract_end),
        "review_by": _day(referral.review_by),
        "not_before": _day(referral.not_before),
        "deadline": _day(referral.deadline),
        "locality": referral.locality,
        "late_permission": _yes(referral.late_permission),
        "attendees": ";".join(referral.attendees),
        "cost": format(referral.cost, "f") if referral.cost is not None else "",
        "clock_pauses": "; ".join(str(pause) for pause in referral.clock_pauses),
    }


def availability_row(period: Unavailability) -> dict[str, str]:
    """One period as the text cells of the availability file; times only for part days."""
    part = not period.whole_days
    return {
        "person": period.person,
        "from": period.start.date().isoformat(),
        "to": period.end.date().isoformat(),
        "start": period.start.strftime("%H:%M") if part else "",
        "end": period.end.strftime("%H:%M") if part else "",
        "reason": period.reason,
    }


def _write(path: str | Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row[column]) for column in columns])


def write_referrals_csv(referrals: Iterable[Referral], path: str | Path) -> None:
    """Write referrals in the referrals-file format: UTF-8, ``\\n`` line ends, ISO dates.

    Text that a spreadsheet would run as a formula is prefixed with ``'``. The clock columns
    (``requested``, ``clock_pauses``) are written only when a referral has one, so files of
    referrals without statutory clocks keep their columns.
    """
    written = list(referrals)
    clocked = any(r.requested is not None or r.clock_pauses for r in written)
    columns = [c for c in REFERRAL_COLUMNS if clocked or c not in _CLOCK_COLUMNS]
    _write(path, columns, (referral_row(r) for r in written))


def write_availability_csv(periods: Iterable[Unavailability], path: str | Path) -> None:
    """Write periods in the availability-file format (``person, from, to, start, end, reason``)."""
    _write(path, AVAILABILITY_COLUMNS, (availability_row(p) for p in periods))


__all__ = [
    "availability_row",
    "referral_row",
    "write_availability_csv",
    "write_referrals_csv",
]
