"""``solve``: the planner's entry point. Never raises on an input it cannot satisfy."""

from __future__ import annotations

import math
import os
import threading
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.core.timeslots import minute_to_time
from panelsched.planner.budget import budget_for, per_round
from panelsched.planner.cpsat import assignment, relaxation
from panelsched.planner.cpsat.improve import improve
from panelsched.planner.cpsat.params import solver_for, stopped_with
from panelsched.planner.cpsat.sequencing import DayOutcome, sequence_day
from panelsched.planner.greedy import book_greedily
from panelsched.planner.metrics import lateness, moves, over_ceiling, weighted_wait
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.preferred import Told, hold_told_times, told_of
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Method, Result

MAX_ROUNDS = 12
MIN_PANEL_SECONDS = 1.0
# CP-SAT first sees the arcs whose reduced cost is within this much of the relaxation's bound
# (in weighted waiting days; at least FIRST_ALLOWANCE, or this share of the bound); where
# its plan is further from the bound than that, it is given the arcs up to the distance found.
# Small, because a short search does better on a small model: on family b's panels at 0.8
# units each, 2.4% above the bound with these against 4.4% with 100 days or 1.5%.
FIRST_ALLOWANCE = 30.0
FIRST_SHARE = 0.005
MAX_TRIES = 3
# Arcs the relaxation sets at least this close to 1 are whole; the share of a panel's units
# the small search that books the others may spend (see _rounded).
ROUNDING_TOLERANCE = 1e-6
ROUNDING_SHARE = 0.1
# When no plan at hand reaches the relaxation's levels, this share of the panel's units goes
# to a search on the levels weighted together (see _weighted): a placement is worth a
# thousand late cases, a late case a hundred days late (or told bookings kept), ...
WEIGHTS: dict[assignment.Level, int] = {
    assignment.unplaced: 10**7,
    assignment.late: 3000,
    assignment.days_after_due: 30,
    assignment.kept: 1000,
    assignment.days_moved: 10,
    assignment.over_ceiling: 3,
}
WEIGHTED_SHARE = 0.4
# Under a wall-clock cap: a panel may take this many times its fair part of the time left
# (see _slice_end); a panel starting after the cap still gets its relaxation made whole, with
# this long for the small search that does it.
SLICE_FACTOR = 2.0
ROUNDING_WALL_SECONDS = 0.2
# The share of a panel's time that CP-SAT may spend looking for a plan that reaches the
# relaxation's levels 1-2 before it solves the levels one by one instead.
HELD_SHARE = 0.6

Progress = Callable[[str], None]


def _greedy_result(problem: ProblemData, started: float, plan: Plan | None = None) -> Result:
    plan = plan if plan is not None else book_greedily(problem)
    late = lateness(problem, plan)
    return Result(
        method="greedy",
        status="feasible",
        objective=weighted_wait(problem, plan),
        bound=None,
        runtime=clock.perf_counter() - started,
        plan=plan,
        unplaced=len(plan.unplaced),
        late=len(late),
    )


def solve(
    problem: ProblemData,
    method: Method = "cpsat",
    time_limit: float = 20.0,
    seed: int = 0,
    workers: int = 1,
    progress: Progress | None = None,
    threads: int | None = None,
    seconds: float | None = None,
    started: float | None = None,
    preferred: Iterable[PinnedBooking] = (),
    baseline: Result | None = None,
) -> Result:
    """Book referrals into sittings and slots.

    Parameters
    ----------
    problem
        The planner's input (see :func:`panelsched.planner.problem.build_problem`).
    method
        ``"cpsat"`` (the optimiser) or ``"greedy"`` (today's practice, the baseline).
    time_limit
        CP-SAT's deterministic time for choosing sittings in a full round, shared among
        the panels by size (at least one unit each; a round that re-solves a few panels
        gives them their shares only); roughly seconds on one core, and deterministic so
        that the same input always gives the same plan.
    seed, workers
        Solver seed and number of (interleaved, deterministic) search workers.
    progress
        Called with a short message as each phase starts.
    threads
        Panels solved at once (default: the machine's cores, at most 4). The plan is the same
        whatever the number.
    seconds
        Wall-clock seconds for the whole command, counted from ``started`` (default: now):
        replaces ``time_limit`` by a deterministic budget for all rounds worked out from the
        seconds and the problem's size (:mod:`panelsched.planner.budget`), so the same input
        still gives the same plan, with a wall-clock cap behind it. ``Result.capped`` says
        when the cap stopped a search.
    preferred
        Bookings people were told before that may move at a cost (re-planning; their
        referrals must be in ``problem`` and not pinned): right after fewest late cases the
        plan keeps as many of them at their sitting as it can, then moves the rest as few days
        as it can, and a kept booking keeps its time where it still fits. Count what moved
        with :func:`panelsched.planner.metrics.moves`.
    baseline
        The greedy result for ``problem`` when the caller has it already: it is the
        starting point, so it is not made twice.

    Returns
    -------
    Result
        Status, objective, bound, runtime and the plan. An impossible referral is left
        unplaced or booked late, never an exception.
    """
    began = clock.perf_counter()
    say = progress or (lambda _message: None)
    if threads is None:
        threads = min(4, os.cpu_count() or 1)
    if method == "greedy":
        say("booking first come, first served")
        return _greedy_result(problem, began, baseline.plan if baseline else None)

    told_list = tuple(preferred)
    told = told_of(problem, told_list)
    budget = (
        budget_for(seconds, problem, started)
        if seconds is not None
        else per_round(time_limit, MIN_PANEL_SECONDS)
    )
    if baseline is not None:
        greedy = baseline.plan
    else:
        say("booking first come, first served (the starting point)")
        greedy = book_greedily(problem)
    index = problem.referral_index()
    sittings = problem.sitting_index()
    chosen = {index[b.referral_id]: sittings[b.sitting_id] for b in greedy.bookings}

    by_panel: dict[str, list[int]] = defaultdict(list)
    for referral, item in enumerate(problem.referrals):
        by_panel[item.panel].append(referral)
    closed: set[tuple[int, int]] = set()
    notes: list[str] = []
    outcome: dict[str, _PanelOutcome] = {}
    dirty = set(by_panel)
    times: dict[int, int] = {}
    candidates: list[_Candidate] = []
    spent = 0.0
    capped = False
    late_bound: int | None = None
    # A group of sittings whose bookings did not change since the last round keeps its times.
    day_cache: dict[frozenset[tuple[int, int]], DayOutcome] = {}
    held_cache: dict[frozenset[tuple[int, int]], DayOutcome] = {}
    told_at = {r: t.sitting for r, t in told.items()}
    for round_ in range(1, MAX_ROUNDS + 1):
        options = {
            r: [s for s in problem.candidates[r] if (r, s) not in closed]
            for panel in dirty
            for r in by_panel[panel]
        }
        size = {panel: sum(len(options[r]) for r in by_panel[panel]) for panel in dirty}
        # Each panel's share of the time limit is by its size among all panels, so a round
        # that re-solves a few panels takes a fraction of a full round.
        total = max(1, sum(len(c) for c in problem.candidates))
        say(f"round {round_}: choosing sittings for {len(dirty)} panel(s)")
        so_far = dict(chosen)
        queue = _Queue(sum(size.values()))
        left = budget.units - spent
        dirty_size = max(1, sum(size.values()))

        def choose(
            panel: str,
            options: dict[int, list[int]] = options,
            size: dict[str, int] = size,
            total: int = total,
            start_from: dict[int, int] = so_far,
            again: bool = round_ > 1,
            left: float = left,
            dirty_size: int = dirty_size,
            queue: _Queue = queue,
        ) -> _PanelOutcome:
            mine = {r: options[r] for r in by_panel[panel]}
            # The round's units are shared among the panels by their size, with a floor each.
            units = budget.first_round * size[panel] / total
            # A panel solved again starts from its last plan, which lacks only the bookings
            # sent back: a quarter of its share is plenty, and no more than is left.
            if again:
                units = min(units / 4, left * size[panel] / dirty_size)
            work = _Work(_slice_end(budget.deadline, size[panel], queue, threads), budget.end)
            return _solve_panel(
                problem,
                mine,
                start_from,
                again,
                max(budget.floor, units),
                seed,
                workers,
                work,
                told_at,
            )

        # Panels share no sittings, so they are solved side by side; each solve depends only on
        # its own input, so the plan does not depend on how many run at once.
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool, stopped_with(pool):
            solved = list(zip(sorted(dirty), pool.map(choose, sorted(dirty)), strict=True))
        if round_ == 1:
            # Round 1 closed no sitting, so its bound holds for any plan.
            bounds = [found.late_bound for _, found in solved]
            late_bound = None if None in bounds else sum(b for b in bounds if b is not None)
        for panel, found in solved:
            outcome[panel] = found
            spent += found.spent
            capped = capped or found.capped
            for r in by_panel[panel]:
                chosen.pop(r, None)
            chosen.update(found.chosen)
        dirty = set()

        say(f"round {round_}: timing slots day by day")
        times, dropped = _time_slots(problem, chosen, told, seed, day_cache, held_cache)
        # Every round's plan is a candidate: as it is when every booking fitted, or with the
        # bookings sent back booked into any free slot (first come, first served). A later
        # round is not always better: it re-solves whole panels in less time.
        bound = sum(o.bound for o in outcome.values())
        if not dropped:
            proven = all(o.proven for o in outcome.values())
            candidates.append(_Candidate(_plan(problem, chosen, times), proven, bound))
            break
        repaired, repaired_times = dict(chosen), dict(times)
        _repair(problem, repaired, repaired_times)
        candidates.append(_Candidate(_plan(problem, repaired, repaired_times), False, bound))
        if spent >= budget.units or budget.expired():
            notes.append(
                f"round {round_}: {len(dropped)} booking(s) did not fit a slot; "
                "booked into free slots, the time limit being spent"
            )
            break
        for referral in dropped:
            closed.add((referral, chosen[referral]))
            dirty.add(problem.referrals[referral].panel)
        # The next round starts from the repaired plan, which keeps every rule.
        chosen = repaired
        notes.append(f"round {round_}: {len(dropped)} booking(s) did not fit a slot; retried")
    else:
        notes.append(f"stopped after {MAX_ROUNDS} rounds")
    if capped:
        notes.append(
            f"the wall-clock cap stopped a search at {seconds:g} s: this plan may differ from "
            "another run's"
        )

    # The best candidate by the objective's levels; on equal levels the later round's, which
    # kept more of the rules in stage 1.
    best = min(reversed(candidates), key=lambda c: _levels(problem, c.plan, told_list))
    if len(candidates) > 1 and best is not candidates[-1]:
        notes.append(f"kept round {candidates.index(best) + 1}'s plan, better than the last")
    units = None if seconds is None else round(budget.units, 2)
    if _levels(problem, greedy, told_list) < _levels(problem, best.plan, told_list):
        # Never hand back a plan that is worse than booking first come, first served.
        notes.append("kept the first-come-first-served plan: the rounds ended worse than it")
        return Result(
            method="cpsat",
            status="feasible",
            objective=weighted_wait(problem, greedy),
            bound=None,
            runtime=clock.perf_counter() - began,
            plan=greedy,
            unplaced=len(greedy.unplaced),
            late=len(lateness(problem, greedy)),
            notes=tuple(notes),
            capped=capped,
            budget_units=units,
        )
    plan = best.plan
    objective = weighted_wait(problem, plan)
    # A proven plan is proven over the sittings left open, and its round's bound says so.
    # Otherwise the bound must hold for any plan: round 1's, before stage 2 closed anything,
    # is the one that does.
    bound = best.bound if best.proven else min(c.bound for c in candidates)
    pinned = Plan.of(b for b in plan.bookings if b.pinned)
    pinned_wait = weighted_wait(problem, pinned)
    late = len(lateness(problem, plan))
    if late_bound is not None:
        late_bound = min(late, late_bound + len(lateness(problem, pinned)))
    return Result(
        method="cpsat",
        status="optimal" if best.proven else "feasible",
        objective=objective,
        bound=min(objective, bound + pinned_wait),
        runtime=clock.perf_counter() - began,
        plan=plan,
        unplaced=len(plan.unplaced),
        late=late,
        notes=tuple(notes),
        capped=capped,
        budget_units=units,
        late_bound=late_bound,
    )


@dataclass(frozen=True)
class _Candidate:
    """One round's plan, whether stage 1 proved it, and stage 1's bound in that round."""

    plan: Plan
    proven: bool
    bound: int


def _levels(
    problem: ProblemData, plan: Plan, told: Sequence[PinnedBooking] = ()
) -> tuple[int, ...]:
    """The objective's levels (:data:`assignment.LEVELS`): unplaced, late, days late, told
    bookings moved, days they moved, weighted days over the ceiling, weighted waiting."""
    late = lateness(problem, plan)
    moved = moves(plan, told)
    index = problem.referral_index()
    over = sum(
        problem.referrals[index[r]].weight * days for r, days in over_ceiling(problem, plan).items()
    )
    return (
        len(plan.unplaced),
        len(late),
        sum(late.values()),
        len(moved),
        sum(moved.values()),
        over,
        weighted_wait(problem, plan),
    )


class _Queue:
    """How much of a round's stage-1 work (choices) has not started yet; thread-safe."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._lock = threading.Lock()

    def take(self, size: int) -> float:
        """Start ``size`` of the work: its share of what had not started."""
        with self._lock:
            share = size / max(1, self._left)
            self._left -= size
            return share


def _slice_end(deadline: float | None, size: int, queue: _Queue, threads: int) -> float | None:
    """When a panel's searches must stop: at the cap, or sooner if the round is behind.

    A panel may use :data:`SLICE_FACTOR` times its fair part of the wall clock left (its share
    of the work not started, with ``threads`` panels at once), so that on a busy machine the
    last panels still get a search rather than none. On time, the slice is far beyond what a
    panel needs, so it changes nothing.
    """
    share = queue.take(size)
    if deadline is None:
        return None
    now = clock.perf_counter()
    return min(deadline, now + SLICE_FACTOR * max(0.0, deadline - now) * threads * share)


@dataclass(frozen=True)
class _PanelOutcome:
    chosen: dict[int, int]
    bound: int
    proven: bool
    spent: float = 0.0
    capped: bool = False
    late_bound: int | None = None


@dataclass
class _Work:
    """One panel's searches in one round: the cap's moment, work spent, whether it cut in,
    and the relaxation's lower bound on late cases (given the most placed)."""

    deadline: float | None
    end: float | None = None
    spent: float = 0.0
    capped: bool = False
    late_bound: int | None = None

    def done(self, chosen: dict[int, int], bound: int, proven: bool) -> _PanelOutcome:
        return _PanelOutcome(chosen, bound, proven, self.spent, self.capped, self.late_bound)


def _solve_panel(
    problem: ProblemData,
    options: dict[int, list[int]],
    start_from: dict[int, int],
    again: bool,
    time_limit: float,
    seed: int,
    workers: int,
    work: _Work,
    told: Mapping[int, int | None],
) -> _PanelOutcome:
    """Every level for one panel's referrals, over every sitting open to them.

    The relaxation bounds levels 1-2 and prices each arc at level 3. CP-SAT then minimises
    waiting with levels 1-2 held at their bounds, over the arcs priced within an allowance of
    the bound (and those of ``start_from``, the plan so far). A plan within the allowance of
    the bound is optimal over every arc; one further away widens the allowance to its distance
    and is solved again. Where no plan reaching those bounds is found in time, the levels are
    solved one by one from ``start_from`` instead (:func:`_level_by_level`).

    CP-SAT starts from the relaxation's plan in round 1, and from ``start_from`` when the
    panel is solved ``again`` (after stage 2 sent bookings back), so that what did not need to
    change stays as it was.
    """
    stage = assignment.build(problem, options, {r: told[r] for r in options if r in told})
    start = _hint_from(stage, start_from)
    now = clock.perf_counter()
    behind = work.deadline is not None and now >= work.deadline
    if behind and work.end is not None and now >= work.end:
        # Well past the cap: even the relaxation would make the command late. The plan so far,
        # and the one bound that costs nothing: every referral at its cheapest sitting.
        work.capped = True
        cheapest = stage.best_possible(assignment.waiting(stage.arcs))
        return work.done(stage.chosen(start), cheapest, False)
    relaxed = relaxation.relax(stage, _known_levels(stage, start))
    if relaxed is None:
        return _level_by_level(stage, start, time_limit, seed, workers, work)
    work.late_bound = relaxed.held[1]
    allowance = max(FIRST_ALLOWANCE, FIRST_SHARE * abs(relaxed.bound))
    floor = math.ceil(relaxed.bound - 1e-6 * max(1.0, abs(relaxed.bound)))
    if behind:
        # The cap has passed already: the relaxation's plan made whole, in a moment (far
        # better than the plan so far), and no search.
        work.capped = True
        work.deadline = clock.perf_counter() + ROUNDING_WALL_SECONDS
    rounded = _rounded(stage, relaxed, ROUNDING_SHARE * time_limit, seed, work)
    if _level_values(stage, rounded) < _level_values(stage, start):
        start = rounded
    if behind:
        return work.done(stage.chosen(start), min(floor, _level_values(stage, start)[-1]), False)
    if _level_values(stage, start)[: len(relaxed.held)] != relaxed.held:
        # Searching with the levels held is slow to find a first plan when no plan at hand
        # reaches them: a search on all the levels weighted together gets near them first.
        keep = relaxed.keep(allowance) | start
        weighted = _weighted(stage, keep, start, WEIGHTED_SHARE * time_limit, seed, workers, work)
        if weighted is not None:
            # A short weighted search often ends a few late cases above the bound, which the
            # local search's moves put right (over every arc, not only those kept): the held
            # search then starts at the levels' bounds (family c seed 2: 239,700 -> 234,030).
            weighted = improve(stage, weighted)
            if _level_values(stage, weighted) < _level_values(stage, start):
                start = weighted
    hint = start
    left = time_limit - work.spent
    best: _PanelOutcome | None = None
    for _ in range(MAX_TRIES):
        keep = relaxed.keep(allowance) | start | hint
        cp = assignment.to_cpsat(stage, keep)
        for level, value in zip(assignment.LEVELS, relaxed.held, strict=False):
            cp.hold(level(stage.arcs), value)
        cp.model.minimize(cp.expression(assignment.waiting(stage.arcs)))
        # Until a plan reaching levels 1-2 is found, part of the time is kept back for
        # solving the levels one by one.
        found = _run(cp, hint, left if best else HELD_SHARE * left, seed, workers, work)
        if found is None:
            break
        hint, value, status, bound, spent = found
        left -= spent
        if status != cp_model.OPTIMAL:
            # Moves and swaps that a short search seldom makes (see :mod:`.improve`): from
            # CP-SAT's plan they reach further than CP-SAT does from theirs.
            hint = improve(stage, hint)
            value = int(assignment.waiting(stage.arcs)[hint].sum())
        if status == cp_model.OPTIMAL and value - relaxed.bound <= allowance:
            return work.done(stage.chosen(hint), value, True)
        # A plan using an arc left out would wait more than bound + allowance.
        lower = max(floor, min(bound, math.floor(relaxed.bound + allowance)))
        if value <= lower:
            # The plan meets a bound that holds over every arc (often the relaxation's own).
            return work.done(stage.chosen(hint), value, True)
        best = work.done(stage.chosen(hint), lower, False)
        if left < MIN_PANEL_SECONDS / 10 or work.capped:
            return best
        if status == cp_model.OPTIMAL:
            allowance = value - relaxed.bound
    if best is not None:
        return best
    keep = relaxed.keep(allowance) | start
    # The level-by-level fallback gets what is left, and at least a tenth of the share.
    budget = max(left, time_limit / 10)
    return _level_by_level(stage, start, budget, seed, workers, work, relaxed, keep)


def _rounded(
    stage: assignment.Stage,
    relaxed: relaxation.Relaxation,
    budget: float,
    seed: int,
    work: _Work,
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
    found = _level_by_level(smaller, np.zeros(len(smaller.arcs), dtype=bool), budget, seed, 1, work)
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


def _weighted(
    stage: assignment.Stage,
    keep: NDArray[np.bool_],
    start: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: _Work,
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
    found = _run(cp, start, budget, seed, workers, work)
    return found[0] if found is not None else None


def _level_values(stage: assignment.Stage, plan: NDArray[np.bool_]) -> tuple[int, ...]:
    """Each level's value for ``plan`` (a mask over the stage's arcs)."""
    return tuple(int(level(stage.arcs)[plan].sum()) for level in assignment.LEVELS)


def _level_by_level(
    stage: assignment.Stage,
    start: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: _Work,
    relaxed: relaxation.Relaxation | None = None,
    keep: NDArray[np.bool_] | None = None,
) -> _PanelOutcome:
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
            found = _run(cp, hint, left / 2, seed, workers, work)
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
    found = _run(cp, hint, left, seed, workers, work)
    bound = 0
    if found is not None:
        hint, _value, status, bound, _spent = found
        proven = proven and status == cp_model.OPTIMAL
    if not proven:
        # Only where the levels before waiting stay as reached: the bound below is for them.
        better = improve(stage, hint)
        if _level_values(stage, better)[:-1] == _level_values(stage, hint)[:-1]:
            hint = better
    value = int(assignment.waiting(stage.arcs)[hint].sum())
    if relaxed is None:
        return work.done(stage.chosen(hint), min(bound, value), proven and found is not None)
    floor = math.ceil(relaxed.bound - 1e-6 * max(1.0, abs(relaxed.bound)))
    return work.done(stage.chosen(hint), min(floor, value), False)


def _known_levels(stage: assignment.Stage, plan: NDArray[np.bool_]) -> list[int | None]:
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


def _run(
    cp: assignment.CpStage,
    hint: NDArray[np.bool_],
    budget: float,
    seed: int,
    workers: int,
    work: _Work,
) -> tuple[NDArray[np.bool_], int, int, int, float] | None:
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


def _hint_from(stage: assignment.Stage, chosen: dict[int, int]) -> NDArray[np.bool_]:
    """The arcs of an earlier plan."""
    return np.array(
        [
            chosen.get(r) == s
            for r, s in zip(stage.arcs.referral.tolist(), stage.arcs.sitting.tolist(), strict=True)
        ],
        dtype=bool,
    )


def _add_hint(cp: assignment.CpStage, hint: NDArray[np.bool_]) -> None:
    cp.model.clear_hints()
    for var, value in zip(cp.choice, hint[cp.kept].tolist(), strict=True):
        cp.model.add_hint(var, value)


def _time_slots(
    problem: ProblemData,
    chosen: Mapping[int, int],
    told: Mapping[int, Told],
    seed: int,
    cache: dict[frozenset[tuple[int, int]], DayOutcome],
    held_cache: dict[frozenset[tuple[int, int]], DayOutcome],
) -> tuple[dict[int, int], list[int]]:
    """Stage 2 for every day: slot starts, and the bookings that did not fit.

    With told bookings, each day is timed first with the told starts of those kept at their
    sitting held (:func:`hold_told_times`); a day where that leaves a booking out is timed
    again freely, and that timing is kept only if it fits more. A day's told starts depend
    only on its bookings, so each cache stays true from round to round.
    """
    held = hold_told_times(problem, chosen, told)
    per_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for referral, sitting in chosen.items():
        per_day[problem.sittings[sitting].date].append((referral, sitting))
    times: dict[int, int] = {}
    dropped: list[int] = []
    for day in sorted(per_day):
        booked = per_day[day]
        fitted = sequence_day(
            held, day, booked, seed=seed, cache=held_cache if held is not problem else cache
        )
        if fitted.dropped and held is not problem:
            free = sequence_day(problem, day, booked, seed=seed, cache=cache)
            if len(free.dropped) < len(fitted.dropped):
                fitted = free
        times.update(fitted.starts)
        dropped.extend(fitted.dropped)
    return times, dropped


def _repair(problem: ProblemData, chosen: dict[int, int], times: dict[int, int]) -> None:
    """Book what is left unplaced into any free slot, first come first served.

    Used only when the rounds run out with bookings that did not fit a slot.
    """
    taken = Occupancy(problem)
    for referral, start in times.items():
        taken.take(referral, chosen[referral], start)
    waiting = sorted(
        (r for r in range(len(problem.referrals)) if r not in times),
        key=lambda r: (problem.referrals[r].submitted, problem.referrals[r].referral_id),
    )
    for referral in waiting:
        chosen.pop(referral, None)
        for sitting in problem.candidates[referral]:
            free = taken.first_free(referral, sitting)
            if free is not None:
                chosen[referral], times[referral] = sitting, free
                taken.take(referral, sitting, free)
                break


def _plan(problem: ProblemData, chosen: dict[int, int], times: dict[int, int]) -> Plan:
    bookings = []
    unplaced = []
    for referral, item in enumerate(problem.referrals):
        sitting_index = chosen.get(referral)
        if sitting_index is None or referral not in times:
            unplaced.append(item.referral_id)
            continue
        sitting = problem.sittings[sitting_index]
        start = times[referral]
        bookings.append(
            Booking(
                date=sitting.date,
                start=minute_to_time(start),
                panel=sitting.panel,
                end=minute_to_time(start + problem.slot_minutes[referral]),
                referral_id=item.referral_id,
                pinned=problem.pinned_start[referral] is not None,
            )
        )
    return Plan.of(bookings, unplaced)
