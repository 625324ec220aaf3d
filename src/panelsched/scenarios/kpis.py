"""The figures of one replication: waiting, lateness, how full the sittings ran.

The figures are defined in :data:`DEFINITIONS`, which every ``report.md`` repeats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from panelsched.planner.metrics import lateness, wait_days
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a replication: its column name, a label and how to show it."""

    key: str
    label: str
    decimals: int
    whole: bool = False


DEFINITIONS = (
    "Waits are days from submission to sitting, over the referrals placed.",
    "`late` counts referrals placed after their due date (S6-S9); `days_late` adds up the "
    "days after it; `mean_days_late` is their mean (0 when none is late).",
    "`not_in_time` counts the referrals not heard by their due date: `late` plus `unplaced` "
    "(a case never heard is not in time either), so a panel that leaves cases unplaced never "
    "looks better on lateness.",
    "`utilisation` is booked slot minutes over the capacity minutes of the sittings dated in "
    "the horizon; the run-out weeks after it, which only clear the last submissions, are left "
    "out.",
    "`overrun_minutes`: the planner never books past a sitting's end, so no sitting overruns; "
    "instead this is the slot minutes of the referrals it could not hear in time (late or "
    "unplaced): the extra sitting time the panel would have needed before their due dates. It "
    "is an upper bound, since a case with no sitting between its cut-off and its due date "
    "would be late however long the sittings ran.",
    "`sittings` counts the sittings dated in the horizon, `sittings_used` those with at least "
    "one booking.",
    "`weighted_wait_days` is the solver's third objective level: waiting days, urgent and "
    "emergency cases counting three times.",
)

FIGURES = (
    Figure("referrals", "referrals", 1, whole=True),
    Figure("placed", "placed", 1, whole=True),
    Figure("unplaced", "unplaced", 1, whole=True),
    Figure("late", "heard late (after the due date)", 1, whole=True),
    Figure("not_in_time", "not heard in time (late or unplaced)", 1, whole=True),
    Figure("days_late", "days late, all late cases", 1, whole=True),
    Figure("mean_days_late", "mean days late, of those late", 1),
    Figure("mean_wait_days", "mean wait (days)", 1),
    Figure("median_wait_days", "median wait (days)", 1),
    Figure("p95_wait_days", "95th percentile wait (days)", 1),
    Figure("weighted_wait_days", "weighted waiting days", 0, whole=True),
    Figure("utilisation", "utilisation", 3),
    Figure("overrun_minutes", "overrun minutes (not heard in time)", 0, whole=True),
    Figure("sittings", "sittings in the horizon", 1, whole=True),
    Figure("sittings_used", "sittings used", 1, whole=True),
)
PANEL_FIGURES = (
    Figure("utilisation", "utilisation", 3),
    Figure("overrun_minutes", "overrun minutes", 0, whole=True),
    Figure("sittings_used", "sittings used", 1, whole=True),
)


def panel_key(figure: str, panel: str) -> str:
    """The column of a per-panel figure, e.g. ``utilisation:lam-crp``."""
    return f"{figure}:{panel}"


def figure_keys(panels: Sequence[str]) -> list[str]:
    """Every figure's column, the overall ones first, then per panel in the order given."""
    keys = [f.key for f in FIGURES]
    for panel in panels:
        keys.extend(panel_key(f.key, panel) for f in PANEL_FIGURES)
    return keys


def figure_of(key: str) -> Figure:
    """The :class:`Figure` a column shows (per-panel columns take the panel figure's)."""
    name, _, panel = key.partition(":")
    for figure in PANEL_FIGURES if panel else FIGURES:
        if figure.key == name:
            return figure
    raise KeyError(key)


def replication_kpis(
    problem: ProblemData, result: Result, start: date, end: date
) -> dict[str, float]:
    """The figures of one planned replication (see the module's definitions).

    Parameters
    ----------
    problem
        What was planned.
    result
        The plan of one method.
    start, end
        The horizon: utilisation and sittings count the sittings dated in it.

    Returns
    -------
    dict
        Figure column to value, in the order of :func:`figure_keys` over the problem's panels.
    """
    plan = result.plan
    waits = np.array(sorted(wait_days(problem, plan).values()), dtype=float)
    late = lateness(problem, plan)
    index = problem.referral_index()
    panels = problem.authority.panel_ids

    in_horizon = [s for s in problem.sittings if start <= s.date <= end]
    capacity: Counter[str] = Counter()
    sittings: Counter[str] = Counter()
    for sitting in in_horizon:
        capacity[sitting.panel] += sitting.capacity_minutes
        sittings[sitting.panel] += 1
    horizon_ids = {s.id for s in in_horizon}
    booked: Counter[str] = Counter()
    used: dict[str, set[str]] = {panel: set() for panel in panels}
    for booking in plan.bookings:
        if booking.sitting_id in horizon_ids:
            begin, finish = booking.minutes
            booked[booking.panel] += finish - begin
            used[booking.panel].add(booking.sitting_id)
    overrun: Counter[str] = Counter()
    for referral_id in (*plan.unplaced, *late):
        at = index[referral_id]
        overrun[problem.referrals[at].panel] += problem.slot_minutes[at]

    days_late = sum(late.values())
    figures: dict[str, float] = {
        "referrals": len(problem.referrals),
        "placed": len(plan.bookings),
        "unplaced": len(plan.unplaced),
        "late": len(late),
        "not_in_time": len(late) + len(plan.unplaced),
        "days_late": days_late,
        "mean_days_late": days_late / len(late) if late else 0.0,
        "mean_wait_days": float(waits.mean()) if waits.size else 0.0,
        "median_wait_days": float(np.median(waits)) if waits.size else 0.0,
        "p95_wait_days": float(np.percentile(waits, 95)) if waits.size else 0.0,
        "weighted_wait_days": result.objective,
        "utilisation": _share(sum(booked.values()), sum(capacity.values())),
        "overrun_minutes": sum(overrun.values()),
        "sittings": len(in_horizon),
        "sittings_used": sum(len(ids) for ids in used.values()),
    }
    for panel in panels:
        figures[panel_key("utilisation", panel)] = _share(booked[panel], capacity[panel])
        figures[panel_key("overrun_minutes", panel)] = overrun[panel]
        figures[panel_key("sittings_used", panel)] = len(used[panel])
    return figures


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


__all__ = [
    "DEFINITIONS",
    "FIGURES",
    "PANEL_FIGURES",
    "Figure",
    "figure_keys",
    "figure_of",
    "panel_key",
    "replication_kpis",
]
