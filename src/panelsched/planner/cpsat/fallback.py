"""The fallback search: each objective level in turn, from a plan that keeps every rule.

Used where holding levels 1-2 at the relaxation's bounds finds no plan in time (or HiGHS
failed), and by :func:`panelsched.planner.cpsat.starts.rounded` on the few referrals the
relaxation split.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from panelsched.planner.cpsat import assignment, improve, relaxation, search
from panelsched.planner.cpsat.search import PanelOutcome, PanelWork


def level_by_level(
    stage: assignment.Stage,
    start: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: PanelWork,
    relaxed: relaxation.Relaxation | None = None,
    keep: NDArray[np.bool_] | None = None,
) -> PanelOutcome:
    """Each level in turn from ``start`` (a plan that keeps every rule), over ``keep``.

    Slower to reach levels 1-2 than holding them at their bounds, but every step has a plan to
    improve on. With the relaxation, a level already at its bound is not searched, and level 3
    is bounded by the relaxation for the levels reached. Without it (HiGHS failed), every level
    is searched over every arc and the plan is proven when each search is.
    """
    cp = assignment.to_cpsat(stage, keep)
    hint = start
    reached: list[int] = []
    proven = True
    left = budget
    targets: tuple[int | None, ...] = (
        relaxed.held if relaxed is not None else (None,) * (len(assignment.LEVELS) - 1)
    )
    for level, target in zip(assignment.LEVELS, targets, strict=False):
        costs = level(stage.arcs)
        value = int(costs[hint].sum())
        expression = cp.expression(costs)
        if (target is None or value > target) and costs.any():
            cp.model.minimize(expression)
            found = search.run(cp, hint, left / 2, seed, workers, work)
            if found is None:
                proven = False
            else:
                hint, value, status, _bound, spent = found
                left -= spent
                proven = proven and status == cp_model.OPTIMAL
        cp.hold(costs, value)
        reached.append(value)
    if relaxed is not None and tuple(reached) != relaxed.held:
        # Levels 1-2 stopped short of their bounds: bound level 3 for the levels reached.
        relaxed = relaxation.price(stage, reached) or relaxed
    cp.model.minimize(cp.expression(assignment.waiting(stage.arcs)))
    found = search.run(cp, hint, left, seed, workers, work)
    bound = 0
    if found is not None:
        hint, _value, status, bound, _spent = found
        proven = proven and status == cp_model.OPTIMAL
    if not proven:
        # Only where the levels before waiting stay as reached: the bound below is for them.
        better = improve.improve(stage, hint)
        if search.level_values(stage, better)[:-1] == search.level_values(stage, hint)[:-1]:
            hint = better
    value = int(assignment.waiting(stage.arcs)[hint].sum())
    if relaxed is None:
        return work.done(stage.chosen(hint), min(bound, value), proven and found is not None)
    floor = search.relaxation_floor(relaxed.bound)
    return work.done(stage.chosen(hint), min(floor, value), False)


__all__ = ["level_by_level"]
