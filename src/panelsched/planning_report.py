"""What a planning run reports: ``summary.json``'s record and the terminal's summary table."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from panelsched.metrics import summarise
from panelsched.problem import ProblemData
from panelsched.result import Result


def _figures(problem: ProblemData, result: Result) -> dict[str, Any]:
    figures = summarise(problem, result.plan)
    gap = result.gap
    return {
        "method": result.method,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if gap is None else round(gap, 6),
        "solve_seconds": round(result.runtime, 3),
        **figures,
    }


def summary_record(problem: ProblemData, result: Result, baseline: Result) -> dict[str, Any]:
    """The contents of ``summary.json``: the plan's figures and the greedy baseline's.

    ``objective`` is the weighted waiting days (urgent cases count three times), after the
    first two levels (fewest unplaced, then fewest late). ``solve_seconds`` is the one figure
    that changes from run to run.
    """
    record = _figures(problem, result)
    record["notes"] = list(result.notes)
    record["planning_range"] = [problem.start.isoformat(), problem.end.isoformat()]
    record["baseline"] = _figures(problem, baseline)
    return record


def summary_table(problem: ProblemData, result: Result, baseline: Result) -> Table:
    """Plan against the first-come-first-served baseline, side by side."""
    plan, base = summarise(problem, result.plan), summarise(problem, baseline.plan)
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
    return table


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
