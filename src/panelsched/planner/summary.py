"""What a planning run reports, as plain data: ``summary.json``'s record.

The terminal's summary table is drawn from it in :mod:`panelsched.cli.plan_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from panelsched.core.plan import PinnedBooking
from panelsched.planner.metrics import moves, over_ceiling, summarise
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result


def figures(problem: ProblemData, result: Result, told: Sequence[PinnedBooking]) -> dict[str, Any]:
    """One plan's figures: its method, status, bound, waiting and late cases, and the told
    bookings it moved."""
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
        **first_level_figures(problem, result),
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


def placed_words(problem: ProblemData, panel: str, placed: int, most: int) -> str:
    """A plan placing fewer of ``panel``'s referrals than the proven limit, in words.

    The limit is a bound, not a plan: it says no plan places more, never that one places
    that many (the relaxation does not see a presenter's other panels).
    """
    return (
        f"the plan places {placed} referrals at {problem.authority.panel(panel).name}, "
        f"where no plan can place more than {most}"
    )


def first_level_figures(problem: ProblemData, result: Result) -> dict[str, Any]:
    """The first level against its proven bound: ``placed_bound`` and ``unplaced_bound`` (no
    plan places more, or leaves fewer), ``first_level_met`` (the plan reaches them) and, for
    each panel where it places fewer than its limit, a sentence saying so."""
    bound = result.unplaced_bound
    return {
        "placed_bound": None if bound is None else len(problem.referrals) - bound,
        "unplaced_bound": bound,
        "first_level_met": result.first_level_met,
        "first_level_missed": [
            {
                "panel": panel,
                "placed": placed,
                "placed_bound": most,
                "sentence": placed_words(problem, panel, placed, most),
            }
            for panel, placed, most in result.panels_below_bound
        ],
    }


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
    record = figures(problem, result, told)
    record["notes"] = list(result.notes)
    record["planning_range"] = [problem.start.isoformat(), problem.end.isoformat()]
    if time_limit is not None:
        record["time_limit"] = {
            "seconds": time_limit,
            "work_units": result.budget_units,
            "wall_clock_cap_cut_in": result.capped,
        }
    record["baseline"] = figures(problem, baseline, told)
    return record


__all__ = ["figures", "first_level_figures", "placed_words", "summary_record"]
