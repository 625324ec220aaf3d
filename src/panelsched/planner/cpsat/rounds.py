"""``solve``: the planner's entry point, and the rounds of its two stages.

Each round chooses sittings for the panels whose bookings changed (stage 1,
:func:`.panel.solve_panel`, panels side by side), then times slots day by day (stage 2,
:func:`.slots.time_slots`). A booking stage 2 cannot fit is sent back with that sitting closed
to it, and its panel is solved again in the next round. Every round's plan is a candidate;
:func:`.pick.best_result` keeps the best. Never raises on an input it cannot satisfy.
"""

from __future__ import annotations

import os
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

from panelsched.core.plan import PinnedBooking, Plan
from panelsched.planner.budget import DEFAULT_LIMIT, Budget, TimeLimit
from panelsched.planner.cpsat.pacing import RoundQueue, slice_end
from panelsched.planner.cpsat.panel import solve_panel
from panelsched.planner.cpsat.pick import Candidate, Rounds, best_result, greedy_result
from panelsched.planner.cpsat.search import PanelOutcome, PanelWork
from panelsched.planner.cpsat.slots import DayCache, plan_of, repair, time_slots
from panelsched.planner.cpsat.solver import stopped_with
from panelsched.planner.greedy import book_greedily
from panelsched.planner.params import DEFAULT_PARAMS, SolveParams
from panelsched.planner.preferred import Told, told_of
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result

MAX_ROUNDS = 12

Progress = Callable[[str], None]


def solve(
    problem: ProblemData,
    limit: TimeLimit = DEFAULT_LIMIT,
    params: SolveParams = DEFAULT_PARAMS,
    *,
    preferred: Iterable[PinnedBooking] = (),
    baseline: Result | None = None,
    progress: Progress | None = None,
) -> Result:
    """Book referrals into sittings and slots.

    Parameters
    ----------
    problem
        The planner's input (see :func:`panelsched.planner.problem.build_problem`).
    limit
        How long to search: :class:`~panelsched.planner.budget.WorkLimit`, CP-SAT's
        deterministic time for a full round (the same input always gives the same plan), or
        :class:`~panelsched.planner.budget.SecondsLimit`, wall-clock seconds for the whole
        command, turned into a deterministic budget with a wall-clock cap behind it
        (``Result.capped`` says when the cap stopped a search).
    params
        The method (``"cpsat"``, or ``"greedy"`` for the baseline), seed, search workers and
        panels solved at once.
    preferred
        Bookings people were told before that may move at a cost (re-planning; their
        referrals must be in ``problem`` and not pinned): right after fewest late cases the
        plan keeps as many of them at their sitting as it can, then moves the rest as few days
        as it can, and a kept booking keeps its time where it still fits. Count what moved
        with :func:`panelsched.planner.metrics.moves`.
    baseline
        The greedy result for ``problem`` when the caller has it already: it is the
        starting point, so it is not made twice.
    progress
        Called with a short message as each phase starts.

    Returns
    -------
    Result
        Status, objective, bound, runtime and the plan. An impossible referral is left
        unplaced or booked late, never an exception.
    """
    began = clock.perf_counter()
    say = progress or (lambda _message: None)
    if params.method == "greedy":
        say("booking first come, first served")
        return greedy_result(problem, began, baseline.plan if baseline else None)
    told_list = tuple(preferred)
    told = told_of(problem, told_list)
    budget = limit.budget(problem)
    if baseline is not None:
        greedy = baseline.plan
    else:
        say("booking first come, first served (the starting point)")
        greedy = book_greedily(problem)
    found = run_rounds(problem, greedy, told, budget, params, say)
    return best_result(problem, greedy, told_list, found, began)


def run_rounds(
    problem: ProblemData,
    greedy: Plan,
    told: Mapping[int, Told],
    budget: Budget,
    params: SolveParams,
    say: Progress,
) -> Rounds:
    """Stage 1 then stage 2, again for the panels whose bookings stage 2 sent back, until
    every booking fits a slot, the budget is spent or :data:`MAX_ROUNDS` have run."""
    threads = params.threads if params.threads is not None else min(4, os.cpu_count() or 1)
    index = problem.referral_index()
    sittings = problem.sitting_index()
    chosen = {index[b.referral_id]: sittings[b.sitting_id] for b in greedy.bookings}
    by_panel: dict[str, list[int]] = defaultdict(list)
    for referral, item in enumerate(problem.referrals):
        by_panel[item.panel].append(referral)
    closed: set[tuple[int, int]] = set()
    found = Rounds(units=None if budget.seconds is None else round(budget.units, 2))
    outcome: dict[str, PanelOutcome] = {}
    dirty = set(by_panel)
    spent = 0.0
    day_cache: DayCache = {}
    held_cache: DayCache = {}
    told_at = {r: t.sitting for r, t in told.items()}
    for round_ in range(1, MAX_ROUNDS + 1):
        say(f"round {round_}: choosing sittings for {len(dirty)} panel(s)")
        solved = _stage_one(
            problem,
            {panel: by_panel[panel] for panel in dirty},
            closed,
            dict(chosen),
            round_ > 1,
            budget,
            budget.units - spent,
            params,
            threads,
            told_at,
        )
        if round_ == 1:
            # Round 1 closed no sitting, so its bound holds for any plan.
            bounds = [panel_found.late_bound for _, panel_found in solved]
            found.late_bound = None if None in bounds else sum(b for b in bounds if b is not None)
            found.unplaced_bounds = {
                panel: panel_found.unplaced_bound
                for panel, panel_found in solved
                if panel_found.unplaced_bound is not None
            }
        for panel, panel_found in solved:
            outcome[panel] = panel_found
            spent += panel_found.spent
            found.capped = found.capped or panel_found.capped
            for r in by_panel[panel]:
                chosen.pop(r, None)
            chosen.update(panel_found.chosen)
        dirty = set()

        say(f"round {round_}: timing slots day by day")
        times, dropped = time_slots(problem, chosen, told, params.seed, day_cache, held_cache)
        # Every round's plan is a candidate: as it is when every booking fitted, or with the
        # bookings sent back booked into any free slot (first come, first served). A later
        # round is not always better: it re-solves whole panels in less time.
        bound = sum(o.bound for o in outcome.values())
        if not dropped:
            proven = all(o.proven for o in outcome.values())
            found.candidates.append(Candidate(plan_of(problem, chosen, times), proven, bound))
            break
        repaired, repaired_times = dict(chosen), dict(times)
        repair(problem, repaired, repaired_times)
        found.candidates.append(Candidate(plan_of(problem, repaired, repaired_times), False, bound))
        if spent >= budget.units or budget.expired():
            found.notes.append(
                f"round {round_}: {len(dropped)} booking(s) did not fit a slot; "
                "booked into free slots, the time limit being spent"
            )
            break
        for referral in dropped:
            closed.add((referral, chosen[referral]))
            dirty.add(problem.referrals[referral].panel)
        # The next round starts from the repaired plan, which keeps every rule.
        chosen = repaired
        found.notes.append(f"round {round_}: {len(dropped)} booking(s) did not fit a slot; retried")
    else:
        found.notes.append(f"stopped after {MAX_ROUNDS} rounds")
    if found.capped:
        found.notes.append(
            f"the wall-clock cap stopped a search at {budget.seconds:g} s: this plan may "
            "differ from another run's"
        )
    return found


def _stage_one(
    problem: ProblemData,
    panels: Mapping[str, list[int]],
    closed: set[tuple[int, int]],
    start_from: dict[int, int],
    again: bool,
    budget: Budget,
    left: float,
    params: SolveParams,
    threads: int,
    told_at: Mapping[int, int | None],
) -> list[tuple[str, PanelOutcome]]:
    """Sittings chosen for each of ``panels`` (their referrals), side by side.

    Panels share no sittings, so they are solved side by side; each solve depends only on its
    own input, so the plan does not depend on how many run at once.
    """
    options = {
        r: [s for s in problem.candidates[r] if (r, s) not in closed]
        for referrals in panels.values()
        for r in referrals
    }
    size = {panel: sum(len(options[r]) for r in referrals) for panel, referrals in panels.items()}
    # Each panel's share of the time limit is by its size among all panels, so a round that
    # re-solves a few panels takes a fraction of a full round.
    total = max(1, sum(len(c) for c in problem.candidates))
    queue = RoundQueue(sum(size.values()))
    dirty_size = max(1, sum(size.values()))

    def choose(panel: str) -> PanelOutcome:
        mine = {r: options[r] for r in panels[panel]}
        # The round's units are shared among the panels by their size, with a floor each.
        units = budget.first_round * size[panel] / total
        # A panel solved again starts from its last plan, which lacks only the bookings sent
        # back: a quarter of its share is plenty, and no more than is left.
        if again:
            units = min(units / 4, left * size[panel] / dirty_size)
        work = PanelWork(slice_end(budget.deadline, size[panel], queue, threads), budget.end)
        return solve_panel(
            problem, mine, start_from, max(budget.floor, units), params, work, told_at
        )

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool, stopped_with(pool):
        return list(zip(sorted(panels), pool.map(choose, sorted(panels)), strict=True))


__all__ = ["MAX_ROUNDS", "run_rounds", "solve"]
