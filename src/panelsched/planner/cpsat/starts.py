"""Starting plans for a panel's held search, near the relaxation's levels.

Searching with levels 1-2 held at the relaxation's bounds is slow to find a first plan when no
plan at hand reaches them; these two get near them first: the relaxation's plan made whole
(:func:`rounded`), and a search on the levels weighted together (:func:`weighted`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from panelsched.planner.cpsat import assignment, relaxation, search
from panelsched.planner.cpsat.fallback import level_by_level
from panelsched.planner.cpsat.search import PanelWork

# Arcs the relaxation sets at least this close to 1 are whole.
ROUNDING_TOLERANCE = 1e-6
# A placement is worth a thousand late cases, a late case a hundred days late (or told
# bookings kept), ...: only a way to a first plan near the levels' bounds.
WEIGHTS: dict[assignment.Level, int] = {
    assignment.unplaced: 10**7,
    assignment.late: 3000,
    assignment.days_after_due: 30,
    assignment.kept: 1000,
    assignment.days_moved: 10,
    assignment.over_ceiling: 3,
}


def rounded(
    stage: assignment.Stage,
    relaxed: relaxation.Relaxation,
    budget: float,
    seed: int,
    work: PanelWork,
) -> NDArray[np.bool_]:
    """The relaxation's plan made whole: a plan that keeps every rule, often at its levels.

    Stage 1's relaxation is almost integral (a few dozen of a panel's 500 referrals split
    between sittings), so its whole arcs are kept and only the split referrals are booked, by
    a small search over all their sittings, level by level, around them. A short search from
    this plan does far better than one from the plan so far or from the relaxation's rounded
    values, which seldom keep every rule.
    """
    fixed = relaxed.solution > 1 - ROUNDING_TOLERANCE
    smaller, where = assignment.with_fixed(stage, fixed)
    found = level_by_level(smaller, np.zeros(len(smaller.arcs), dtype=bool), budget, seed, 1, work)
    plan = fixed.copy()
    position = {
        (r, s): k
        for k, (r, s) in enumerate(
            zip(smaller.arcs.referral.tolist(), smaller.arcs.sitting.tolist(), strict=True)
        )
    }
    for referral, sitting in found.chosen.items():
        k = position.get((referral, sitting))
        if k is not None:
            plan[where[k]] = True
    return plan


def weighted(
    stage: assignment.Stage,
    keep: NDArray[np.bool_],
    start: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: PanelWork,
) -> NDArray[np.bool_] | None:
    """A plan from ``start`` minimising the levels weighted together (:data:`WEIGHTS`).

    Only a way to a first plan near the levels' bounds: one number with large weights would
    weaken the proof, so the plan found is then improved with the levels held, as usual.
    """
    arcs = stage.arcs
    cost = np.zeros(len(arcs), dtype=np.int64)
    for level in assignment.LEVELS:
        cost += WEIGHTS.get(level, 1) * level(arcs)
    cp = assignment.to_cpsat(stage, keep)
    cp.model.minimize(cp.expression(cost))
    found = search.run(cp, start, budget, seed, workers, work)
    return found[0] if found is not None else None


__all__ = ["ROUNDING_TOLERANCE", "WEIGHTS", "rounded", "weighted"]
