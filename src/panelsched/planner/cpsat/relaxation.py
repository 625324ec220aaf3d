"""The linear relaxation of stage 1: proven bounds, and which arcs can be left out.

Each objective level of :data:`~panelsched.planner.cpsat.assignment.LEVELS` is minimised in turn as
a linear programme over *every* arc (HiGHS, through scipy), with the levels before it held at
their rounded bounds. Rounded up, each value is a lower bound on that level for any plan that
reaches the levels before it; in practice stage 1's relaxation is almost integral, and CP-SAT
reaches these values.

The last level's dual solution gives each arc a reduced cost ``rc``. For every plan ``x`` that
keeps the held levels, ``waiting(x) >= bound + sum(rc * x)`` (weak duality), so an arc whose
reduced cost exceeds ``best known - bound`` is in no better plan and can be left out. The
planner solves CP-SAT over the few arcs that remain, which proves optimality over all of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from scipy.optimize import linprog

from panelsched.planner.cpsat import assignment
from panelsched.planner.cpsat.assignment import LEVELS, Level, Stage

# HiGHS's feasibility tolerances are about 1e-7; a bound is rounded with this much slack so
# that a value of 23.9999999 counts as 24 and not as 23.
_SLACK = 1e-6


@dataclass(frozen=True)
class Relaxation:
    """What the linear relaxation proved about one stage.

    Attributes
    ----------
    held
        For each level but the last, its lower bound, rounded up: the value the planner then
        holds it at.
    bound
        The last level's relaxed optimum (a lower bound on the waiting of any plan keeping
        ``held``).
    reduced_costs
        Per arc, how much choosing it must add to ``bound`` at least.
    solution
        The relaxed choice per arc (between 0 and 1).
    """

    held: tuple[int, ...]
    bound: float
    reduced_costs: NDArray[np.float64]
    solution: NDArray[np.float64]

    def keep(self, allowance: float) -> NDArray[np.bool_]:
        """Arcs that may be in a plan whose waiting is at most ``bound + allowance``."""
        slack = _SLACK * max(1.0, abs(self.bound)) + 0.5
        return (self.reduced_costs <= allowance + slack) | (self.solution > _SLACK)


def _matrix(stage: Stage) -> tuple[sparse.csr_matrix, NDArray[np.float64]]:
    """The rules' rows as a sparse matrix and their upper bounds."""
    matrix, upper = assignment.as_matrix(stage.rows, len(stage.arcs))
    return matrix.astype(np.float64), upper.astype(np.float64)


def _held(
    stage: Stage, matrix: sparse.csr_matrix, upper: NDArray[np.float64], held: Sequence[int]
) -> tuple[sparse.csr_matrix, NDArray[np.float64]]:
    """The rows with the first levels held at ``held``."""
    # A level with no cost on any arc holds whatever the plan: no row for it.
    levels = [
        (costs.astype(np.float64), value)
        for level, value in zip(LEVELS, held, strict=False)
        if (costs := level(stage.arcs)).any()
    ]
    if not levels:
        return matrix, upper
    return (
        sparse.vstack([matrix, sparse.csr_matrix(np.vstack([c for c, _ in levels]))], format="csr"),
        np.concatenate([upper, np.asarray([v for _, v in levels], dtype=np.float64)]),
    )


def _minimise(costs: NDArray[np.int64], rows: sparse.csr_matrix, upper: NDArray[np.float64]) -> Any:
    """HiGHS's answer to ``min costs.x`` with ``rows.x <= upper``, ``x >= 0``; None if it fails.

    ``x <= 1`` is implied by the one-sitting rows, so it is not stated: then every reduced
    cost at the optimum is non-negative, which is what :meth:`Relaxation.keep` relies on.
    """
    found = linprog(
        costs.astype(np.float64), A_ub=rows, b_ub=upper, bounds=(0, None), method="highs"
    )
    return found if found.status == 0 else None


def _implied_zero(stage: Stage, before: Level, level: Level) -> int | None:
    """0 when holding ``before`` at 0 forces ``level`` to 0 (no late case, no days late)."""
    previous, costs = before(stage.arcs), level(stage.arcs)
    if (previous >= 0).all() and (costs >= 0).all() and not costs[previous == 0].any():
        return 0
    return None


def relax(stage: Stage, known: Sequence[int | None] = ()) -> Relaxation | None:
    """Solve the levels' relaxations in turn; ``None`` if HiGHS fails (it should not).

    ``known`` gives levels whose bound is known already (a plan reaches a value no relaxation
    can beat, such as every referral placed): those are not solved.
    """
    if len(stage.arcs) == 0:
        return Relaxation((0,) * (len(LEVELS) - 1), 0.0, np.zeros(0), np.zeros(0))
    matrix, upper = _matrix(stage)
    held: list[int] = []
    for index, level in enumerate(LEVELS[:-1]):
        given = known[index] if index < len(known) else None
        if given is None and not level(stage.arcs).any():
            # Nothing told before, no ceiling: the level is 0 whatever the plan.
            given = 0
        if given is None and index and held[-1] == 0:
            given = _implied_zero(stage, LEVELS[index - 1], level)
        if given is not None:
            held.append(given)
            continue
        found = _minimise(level(stage.arcs), *_held(stage, matrix, upper, held))
        if found is None:
            return None
        held.append(math.ceil(found.fun - _SLACK * max(1.0, abs(found.fun))))
    return price(stage, held, (matrix, upper))


def price(
    stage: Stage,
    held: Sequence[int],
    rules: tuple[sparse.csr_matrix, NDArray[np.float64]] | None = None,
) -> Relaxation | None:
    """The last level's relaxation with the others held at ``held``: bound and arc prices."""
    if len(stage.arcs) == 0:
        return Relaxation(tuple(held), 0.0, np.zeros(0), np.zeros(0))
    matrix, upper = rules or _matrix(stage)
    found = _minimise(LEVELS[-1](stage.arcs), *_held(stage, matrix, upper, held))
    if found is None:
        return None
    return Relaxation(
        tuple(held),
        float(found.fun),
        np.maximum(np.asarray(found.lower.marginals, dtype=np.float64), 0.0),
        np.asarray(found.x, dtype=np.float64),
    )


__all__ = ["Relaxation", "price", "relax"]
