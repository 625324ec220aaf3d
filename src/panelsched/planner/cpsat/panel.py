"""Stage 1 for one panel in one round: its sittings chosen, and a bound on its waiting.

The relaxation (:mod:`.relaxation`) bounds levels 1-2 and prices each arc at level 3. CP-SAT
then minimises waiting with levels 1-2 held at their bounds (:func:`_held_search`), over the
arcs priced within an allowance of the bound (and those of the plan so far). A plan within the
allowance of the bound is optimal over every arc; one further away widens the allowance to its
distance and is solved again. Where no plan reaching those bounds is found in time, the levels
are solved one by one instead (:func:`.fallback.level_by_level`).
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from panelsched.planner.budget import MIN_UNITS_PER_ROUND
from panelsched.planner.cpsat import assignment, improve, relaxation, search
from panelsched.planner.cpsat.fallback import level_by_level
from panelsched.planner.cpsat.search import PanelOutcome, PanelWork, level_values
from panelsched.planner.cpsat.starts import rounded, weighted
from panelsched.planner.params import SolveParams
from panelsched.planner.problem import ProblemData

# CP-SAT first sees the arcs whose reduced cost is within this much of the relaxation's bound
# (in weighted waiting days; at least FIRST_ALLOWANCE, or this share of the bound); where
# its plan is further from the bound than that, it is given the arcs up to the distance found.
# Small, because a short search does better on a small model.
FIRST_ALLOWANCE = 30.0
FIRST_SHARE = 0.005
MAX_TRIES = 3
# The share of a panel's units the small search that makes the relaxation whole may spend
# (:func:`.starts.rounded`), and the search on the levels weighted together
# (:func:`.starts.weighted`).
ROUNDING_SHARE = 0.1
WEIGHTED_SHARE = 0.4
# A panel starting after the cap still gets its relaxation made whole, with this long for the
# small search that does it.
ROUNDING_WALL_SECONDS = 0.2
# The share of a panel's time that CP-SAT may spend looking for a plan that reaches the
# relaxation's levels 1-2 before it solves the levels one by one instead.
HELD_SHARE = 0.6


def solve_panel(
    problem: ProblemData,
    options: dict[int, list[int]],
    start_from: dict[int, int],
    units: float,
    params: SolveParams,
    work: PanelWork,
    told: Mapping[int, int | None],
) -> PanelOutcome:
    """Every level for one panel's referrals, over every sitting open to them.

    Parameters
    ----------
    problem
        The planner's input.
    options
        Each of the panel's referrals, and the sittings still open to it.
    start_from
        The plan so far (referral to sitting): CP-SAT starts from it, so that what did not
        need to change stays as it was.
    units
        The panel's deterministic time this round.
    params
        Seed and search workers.
    work
        The panel's cap and the work it spends.
    told
        Referral to the sitting its booking was told for (re-planning).

    Returns
    -------
    PanelOutcome
        The sittings chosen, a bound on waiting, and whether they are proven best.
    """
    seed, workers = params.seed, params.workers
    stage = assignment.build(problem, options, {r: told[r] for r in options if r in told})
    start = search.hint_from(stage, start_from)
    now = clock.perf_counter()
    behind = work.deadline is not None and now >= work.deadline
    if behind and work.end is not None and now >= work.end:
        # Well past the cap: even the relaxation would make the command late. The plan so far,
        # and the one bound that costs nothing: every referral at its cheapest sitting.
        work.capped = True
        cheapest = stage.best_possible(assignment.waiting(stage.arcs))
        return work.done(stage.chosen(start), cheapest, False)
    relaxed = relaxation.relax(stage, search.known_levels(stage, start))
    if relaxed is None:
        return level_by_level(stage, start, units, seed, workers, work)
    # Level 1 counts minus one per booking over the choices (pins are not choices): the
    # fewest unplaced is the referrals to choose for less the most that can be booked.
    work.unplaced_bound = len(stage.referrals) - len(stage.pinned) + relaxed.held[0]
    work.late_bound = relaxed.held[1]
    allowance = max(FIRST_ALLOWANCE, FIRST_SHARE * abs(relaxed.bound))
    if behind:
        # The cap has passed already: the relaxation's plan made whole, in a moment (far
        # better than the plan so far), and no search.
        work.capped = True
        work.deadline = clock.perf_counter() + ROUNDING_WALL_SECONDS
    made_whole = rounded(stage, relaxed, ROUNDING_SHARE * units, seed, work)
    if level_values(stage, made_whole) < level_values(stage, start):
        start = made_whole
    if behind:
        floor = search.relaxation_floor(relaxed.bound)
        return work.done(stage.chosen(start), min(floor, level_values(stage, start)[-1]), False)
    start = _near_the_levels(stage, relaxed, start, allowance, units, params, work)
    return _held_search(stage, relaxed, start, allowance, units, params, work)


def _near_the_levels(
    stage: assignment.Stage,
    relaxed: relaxation.Relaxation,
    start: NDArray[np.bool_],
    allowance: float,
    units: float,
    params: SolveParams,
    work: PanelWork,
) -> NDArray[np.bool_]:
    """``start``, or a better plan from the levels weighted together where ``start`` does
    not reach the relaxation's levels: the held search is slow to find a first plan then."""
    if level_values(stage, start)[: len(relaxed.held)] == relaxed.held:
        return start
    keep = relaxed.keep(allowance) | start
    found = weighted(stage, keep, start, WEIGHTED_SHARE * units, params.seed, params.workers, work)
    if found is None:
        return start
    # A short weighted search often ends a few late cases above the bound, which the local
    # search's moves put right (over every arc, not only those kept): the held search then
    # starts at the levels' bounds.
    found = improve.improve(stage, found)
    return found if level_values(stage, found) < level_values(stage, start) else start


def _held_search(
    stage: assignment.Stage,
    relaxed: relaxation.Relaxation,
    start: NDArray[np.bool_],
    allowance: float,
    units: float,
    params: SolveParams,
    work: PanelWork,
) -> PanelOutcome:
    """Least waiting with levels 1-2 held at the relaxation's bounds, over the arcs priced
    within ``allowance``, widened up to :data:`MAX_TRIES` times; the levels one by one where
    no plan reaching those bounds is found."""
    seed, workers = params.seed, params.workers
    floor = search.relaxation_floor(relaxed.bound)
    hint = start
    left = units - work.spent
    best: PanelOutcome | None = None
    for _ in range(MAX_TRIES):
        keep = relaxed.keep(allowance) | start | hint
        cp = assignment.to_cpsat(stage, keep)
        for level, value in zip(assignment.LEVELS, relaxed.held, strict=False):
            cp.hold(level(stage.arcs), value)
        cp.model.minimize(cp.expression(assignment.waiting(stage.arcs)))
        # Until a plan reaching levels 1-2 is found, part of the time is kept back for
        # solving the levels one by one.
        found = search.run(cp, hint, left if best else HELD_SHARE * left, seed, workers, work)
        if found is None:
            break
        hint, value, status, bound, spent = found
        left -= spent
        if status != cp_model.OPTIMAL:
            # Moves and swaps that a short search seldom makes (see :mod:`.improve`): from
            # CP-SAT's plan they reach further than CP-SAT does from theirs.
            hint = improve.improve(stage, hint)
            value = int(assignment.waiting(stage.arcs)[hint].sum())
        if status == cp_model.OPTIMAL and value - relaxed.bound <= allowance:
            return work.done(stage.chosen(hint), value, True)
        # A plan using an arc left out would wait more than bound + allowance.
        lower = max(floor, min(bound, math.floor(relaxed.bound + allowance)))
        if value <= lower:
            # The plan meets a bound that holds over every arc (often the relaxation's own).
            return work.done(stage.chosen(hint), value, True)
        best = work.done(stage.chosen(hint), lower, False)
        if left < MIN_UNITS_PER_ROUND / 10 or work.capped:
            return best
        if status == cp_model.OPTIMAL:
            allowance = value - relaxed.bound
    if best is not None:
        return best
    keep = relaxed.keep(allowance) | start
    # The level-by-level fallback gets what is left, and at least a tenth of the share.
    return level_by_level(stage, start, max(left, units / 10), seed, workers, work, relaxed, keep)


__all__ = ["solve_panel"]
