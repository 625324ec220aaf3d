"""One panel's searches in a round: the work they spend, and one CP-SAT search from a hint.

Stage 1 searches each panel several times in a round (:mod:`.panel`): every search goes
through :func:`run`, which counts its deterministic time in the panel's :class:`PanelWork`
and marks it when the wall-clock cap cut in.
"""

from __future__ import annotations

import math
import time as clock
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from panelsched.planner.cpsat import assignment
from panelsched.planner.cpsat.solver import solver_for


@dataclass(frozen=True)
class PanelOutcome:
    """The sittings chosen for one panel's referrals, and what the searches proved.

    Attributes
    ----------
    chosen
        Referral index to sitting index.
    bound
        A lower bound on the panel's weighted waiting, given levels 1-2.
    proven
        True when ``chosen`` is proven best.
    spent
        Deterministic time the searches spent.
    capped
        True when the wall-clock cap cut a search short or left it no time.
    late_bound
        The relaxation's lower bound on late cases (given the most placed), or ``None``.
    unplaced_bound
        The relaxation's lower bound on the panel's unplaced referrals (the first level), or
        ``None`` when no relaxation was solved.
    """

    chosen: dict[int, int]
    bound: int
    proven: bool
    spent: float = 0.0
    capped: bool = False
    late_bound: int | None = None
    unplaced_bound: int | None = None


@dataclass
class PanelWork:
    """One panel's searches in one round: the cap's moment, work spent, whether it cut in,
    and the relaxation's lower bounds on unplaced referrals and (given the most placed) late
    cases."""

    deadline: float | None
    end: float | None = None
    spent: float = 0.0
    capped: bool = False
    late_bound: int | None = None
    unplaced_bound: int | None = None

    def done(self, chosen: dict[int, int], bound: int, proven: bool) -> PanelOutcome:
        """The panel's outcome: ``chosen`` with its bound, and the work spent on it."""
        return PanelOutcome(
            chosen,
            bound,
            proven,
            self.spent,
            self.capped,
            self.late_bound,
            self.unplaced_bound,
        )


Found = tuple[NDArray[np.bool_], int, int, int, float]


def run(
    cp: assignment.CpStage,
    hint: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: PanelWork,
) -> Found | None:
    """Solve from ``hint``: (choice, objective, status, bound, time spent), or None.

    Under a wall-clock cap (``work.deadline``) a search the cap stops early, or one the cap
    leaves no time for, marks ``work.capped``.
    """
    wall = None
    if work.deadline is not None:
        wall = work.deadline - clock.perf_counter()
        if wall <= 0:
            work.capped = True
            return None
    _add_hint(cp, hint)
    limit = max(budget, 0.05)
    solver = solver_for(limit, seed, workers, linearization=2, presolve=False, wall_seconds=wall)
    status = solver.solve(cp.model)
    work.spent += solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and (
        solver.deterministic_time < 0.999 * limit and wall is not None
    ):
        # Stopped before its work was done: only the wall clock does that.
        work.capped = True
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return (
        cp.values(solver),
        round(solver.objective_value),
        status,
        math.ceil(solver.best_objective_bound - 1e-6),
        solver.deterministic_time,
    )


def _add_hint(cp: assignment.CpStage, hint: NDArray[np.bool_]) -> None:
    cp.model.clear_hints()
    for var, value in zip(cp.choice, hint[cp.kept].tolist(), strict=True):
        cp.model.add_hint(var, value)


def hint_from(stage: assignment.Stage, chosen: dict[int, int]) -> NDArray[np.bool_]:
    """The arcs of an earlier plan."""
    return np.array(
        [
            chosen.get(r) == s
            for r, s in zip(stage.arcs.referral.tolist(), stage.arcs.sitting.tolist(), strict=True)
        ],
        dtype=bool,
    )


def level_values(stage: assignment.Stage, plan: NDArray[np.bool_]) -> tuple[int, ...]:
    """Each level's value for ``plan`` (a mask over the stage's arcs)."""
    return tuple(int(level(stage.arcs)[plan].sum()) for level in assignment.LEVELS)


def known_levels(stage: assignment.Stage, plan: NDArray[np.bool_]) -> list[int | None]:
    """The first levels where ``plan`` is already best: every referral placed, then each
    referral at its cheapest choice for the level (none late, say), and so on."""
    known: list[int | None] = []
    for level in assignment.LEVELS[:-1]:
        costs = level(stage.arcs)
        value = int(costs[plan].sum())
        if value != stage.best_possible(costs):
            break
        known.append(value)
    return known


def relaxation_floor(bound: float) -> int:
    """The relaxation's bound on waiting as a whole number, allowing for its rounding."""
    return math.ceil(bound - 1e-6 * max(1.0, abs(bound)))


__all__ = [
    "PanelOutcome",
    "PanelWork",
    "hint_from",
    "known_levels",
    "level_values",
    "relaxation_floor",
    "run",
]
