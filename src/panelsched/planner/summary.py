"""What a planning run reports: ``summary.json``'s record and the terminal's summary table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from panelsched.core.plan import PinnedBooking
from panelsched.planner.metrics import moves, over_ceiling, summarise
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result


def _figures(problem: ProblemData, result: Result, told: Sequence[PinnedBooking]) -> dict[str, Any]:
    figures = summarise(problem, result.plan)
    gap = result.gap
    over = over_ceiling(problem, result.plan)
    record = {
        "method": result.method,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if gap is None else round(gap, 6),
        "late_bound": result.late_bound,
        "solve_seconds": round(result.runtime, 3),
        **figures,
        # S14: cases heard after more days than their panel's max_wait_days, and by how much.
        "over_wait_ceiling": len(over),
        "days_over_wait_ceiling": sum(over.values()),
    }
    if told:
        moved = moves(result.plan, told)
        record["moved"] = len(moved)
        record["days_moved"] = sum(moved.values())
    return record


def summary_record(
    problem: ProblemData,
    result: Result,
    baseline: Result,
    time_limit: float | None = None,
    told: Sequence[PinnedBooking] = (),
) -> dict[str, Any]:
    """The contents of ``summary.json``: the plan's figures and the greedy baseline's.

    ``objective`` is the weighted waiting days (urgent cases count three times), after the
    levels before it (fewest unplaced, then fewest late, fewest ``told`` bookings moved, least
    waiting beyond a panel's ceiling). ``solve_seconds`` is the one figure that changes from
    run to run. With a ``time_limit`` in seconds, ``time_limit`` records it, the work it was
    turned into, and whether the wall-clock cap cut in (only then may the plan differ from
    another run's).
    """
    record = _figures(problem, result, told)
    record["notes"] = list(result.notes)
    record["planning_range"] = [problem.start.isoformat(), problem.end.isoformat()]
    if time_limit is not None:
        record["time_limit"] = {
            "seconds": time_limit,
            "work_units": result.budget_units,
            "wall_clock_cap_cut_in": result.capped,
        }
    record["baseline"] = _figures(problem, baseline, told)
    return record


def summary_table(
    problem: ProblemData,
    result: Result,
    baseline: Result,
    told: Sequence[PinnedBooking] = (),
) -> Table:
    """Plan against the first-come-first-served baseline, side by side."""
    plan, base = _figures(problem, result, told), _figures(problem, baseline, told)
    table = Table(title=f"{problem.authority.authority}: plan ({result.method}, {result.status})")
    table.add_column("")
    table.add_column("this plan", justify="right")
    if result is not baseline:
        table.add_column("first come, first served", justify="right")
    rows = [
        ("referrals", "referrals"),
        ("placed", "placed"),
        ("unplaced", "unplaced"),
        ("heard after their due date", "late"),
        ("mean wait (days)", "mean_wait_days"),
        ("95th percentile wait (days)", "p95_wait_days"),
        ("weighted waiting days", "weighted_wait_days"),
        ("utilisation", "utilisation"),
    ]
    if any(p.max_wait_days is not None for p in problem.authority.panels):
        rows.insert(6, ("waiting beyond their panel's ceiling", "over_wait_ceiling"))
    if told:
        rows.insert(4, ("bookings moved (people to tell)", "moved"))
    for label, key in rows:
        cells = [_show(plan[key])]
        if result is not baseline:
            cells.append(_show(base[key]))
        table.add_row(label, *cells)
    if result.bound is not None:
        gap = result.gap or 0.0
        table.caption = (
            f"Lower bound on weighted waiting days: {result.bound} (gap {gap:.2%}); "
            f"{result.runtime:.1f} s"
        )
    if result.capped:
        # Only then may the same input give another plan: say so where it is read.
        table.caption = (table.caption or "") + (
            "; the wall-clock cap stopped the search, so another run may give another plan"
        )
    return table


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
