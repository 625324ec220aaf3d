"""``solve``: the planner's entry point. Never raises on an input it cannot satisfy."""

from __future__ import annotations

import math
import os
import time as clock
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from panelsched.greedy import book_greedily
from panelsched.metrics import lateness, weighted_wait
from panelsched.model import minutes_of
from panelsched.plan import Booking, Plan
from panelsched.planner import assignment
from panelsched.planner.params import solver_for
from panelsched.planner.sequencing import DayOutcome, sequence_day
from panelsched.problem import ProblemData
from panelsched.result import Method, Result
from panelsched.timeslots import Timeline, minute_to_time

# Each referral first sees every sitting up to its due date and this many after it (or its
# first this-many sittings when it has no due date); more are opened where a round needs them.
FIRST_EXTRA = 6
MAX_ROUNDS = 12
MIN_PANEL_SECONDS = 1.0

Progress = Callable[[str], None]


def _options(
    problem: ProblemData,
    referral: int,
    extra: int,
    closed: set[tuple[int, int]],
    current: int | None,
) -> list[int]:
    """The sittings open to ``referral`` this round: all in time, ``extra`` more, its current."""
    candidates = [s for s in problem.candidates[referral] if (referral, s) not in closed]
    due = problem.due[referral]
    in_time = sum(1 for s in candidates if due is not None and problem.sittings[s].date <= due)
    chosen = candidates[: in_time + extra]
    if current is not None and current in candidates and current not in chosen:
        chosen.append(current)
    return chosen


def _solve_level(
    am: assignment.AssignmentModel,
    level: cp_model.LinearExpr,
    hint: dict[int, int],
    seconds: float,
    seed: int,
    workers: int,
) -> tuple[int, dict[int, int], int, float] | None:
    """Minimise ``level``; returns (status, assignment, objective, bound) or None."""
    model = am.model
    model.clear_hints()
    for (referral, sitting), var in am.choose.items():
        model.add_hint(var, hint.get(referral) == sitting)
    model.minimize(level)
    solver = solver_for(seconds, seed, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = {r: s for (r, s), var in am.choose.items() if solver.boolean_value(var)}
    chosen.update(am.pinned)
    return status, chosen, round(solver.objective_value), solver.best_objective_bound


def _greedy_result(problem: ProblemData, started: float) -> Result:
    plan = book_greedily(problem)
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
) -> Result:
    """Book referrals into sittings and slots.

    Parameters
    ----------
    problem
        The planner's input (see :func:`panelsched.problem.build_problem`).
    method
        ``"cpsat"`` (the optimiser) or ``"greedy"`` (today's practice, the baseline).
    time_limit
        CP-SAT's deterministic time for choosing sittings in one round, shared among the
        panels by size (at least one unit each); roughly seconds on one core, and
        deterministic so that the same input always gives the same plan.
    seed, workers
        Solver seed and number of (interleaved, deterministic) search workers.
    progress
        Called with a short message as each phase starts.
    threads
        Panels solved at once (default: the machine's cores, at most 4). The plan is the same
        whatever the number.

    Returns
    -------
    Result
        Status, objective, bound, runtime and the plan. An impossible referral is left
        unplaced or booked late, never an exception.
    """
    started = clock.perf_counter()
    say = progress or (lambda _message: None)
    if threads is None:
        threads = min(4, os.cpu_count() or 1)
    if method == "greedy":
        say("booking first come, first served")
        return _greedy_result(problem, started)

    say("booking first come, first served (the starting point)")
    greedy = book_greedily(problem)
    index = problem.referral_index()
    sittings = problem.sitting_index()
    chosen = {index[b.referral_id]: sittings[b.sitting_id] for b in greedy.bookings}

    by_panel: dict[str, list[int]] = defaultdict(list)
    for referral, item in enumerate(problem.referrals):
        by_panel[item.panel].append(referral)
    extra: dict[int, int] = defaultdict(lambda: FIRST_EXTRA)
    closed: set[tuple[int, int]] = set()
    notes: list[str] = []
    outcome: dict[str, _PanelOutcome] = {}
    dirty = set(by_panel)
    times: dict[int, int] = {}
    # A day whose bookings did not change since the last round keeps its slot times.
    day_cache: dict[frozenset[tuple[int, int]], DayOutcome] = {}
    for round_ in range(1, MAX_ROUNDS + 1):
        options = {
            r: _options(problem, r, extra[r], closed, chosen.get(r))
            for r in range(len(problem.referrals))
        }
        size = {panel: sum(len(options[r]) for r in by_panel[panel]) for panel in dirty}
        say(f"round {round_}: choosing sittings for {len(dirty)} panel(s)")

        def choose(
            panel: str, options: dict[int, list[int]] = options, size: dict[str, int] = size
        ) -> _PanelOutcome:
            mine = {r: options[r] for r in by_panel[panel]}
            # The time limit is shared among the panels by their size, with a floor each.
            budget = max(MIN_PANEL_SECONDS, time_limit * size[panel] / max(1, sum(size.values())))
            return _solve_panel(problem, mine, chosen, budget, seed, workers)

        # Panels share no sittings, so they are solved side by side; each solve depends only on
        # its own input, so the plan does not depend on how many run at once.
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            solved = list(zip(sorted(dirty), pool.map(choose, sorted(dirty)), strict=True))
        for panel, found in solved:
            outcome[panel] = found
            for r in by_panel[panel]:
                chosen.pop(r, None)
            chosen.update(found.chosen)

        # More sittings for referrals at the edge of what they were offered: choose again
        # before spending time on slot times.
        dirty = {problem.referrals[r].panel for r in _grow(problem, options, chosen, extra, closed)}
        if dirty and round_ < MAX_ROUNDS:
            continue

        say(f"round {round_}: timing slots day by day")
        per_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
        for referral, sitting in chosen.items():
            per_day[problem.sittings[sitting].date].append((referral, sitting))
        times = {}
        dropped: list[int] = []
        for day in sorted(per_day):
            key = frozenset(per_day[day])
            if key not in day_cache:
                day_cache[key] = sequence_day(problem, day, per_day[day], seed=seed)
            fitted = day_cache[key]
            times.update(fitted.starts)
            dropped.extend(fitted.dropped)
        for referral in dropped:
            closed.add((referral, chosen.pop(referral)))
            dirty.add(problem.referrals[referral].panel)
        if not dropped:
            break
        notes.append(f"round {round_}: {len(dropped)} booking(s) did not fit a slot; retried")
    else:
        notes.append(f"stopped after {MAX_ROUNDS} rounds")

    proven = all(o.proven for o in outcome.values()) and not dirty
    bound = sum(o.bound for o in outcome.values())
    if dirty:
        _repair(problem, chosen, times)
    plan = _plan(problem, chosen, times)
    objective = weighted_wait(problem, plan)
    late = lateness(problem, plan)
    baseline = (
        len(greedy.unplaced),
        len(lateness(problem, greedy)),
        weighted_wait(problem, greedy),
    )
    if (len(plan.unplaced), len(late), objective) > baseline:
        # Rounds ran out with bookings still not fitting a slot: never hand back a plan that
        # is worse than booking first come, first served.
        notes.append("kept the first-come-first-served plan: the rounds ended worse than it")
        return Result(
            method="cpsat",
            status="feasible",
            objective=baseline[2],
            bound=None,
            runtime=clock.perf_counter() - started,
            plan=greedy,
            unplaced=baseline[0],
            late=baseline[1],
            notes=tuple(notes),
        )
    pinned_wait = weighted_wait(problem, Plan.of(b for b in plan.bookings if b.pinned))
    return Result(
        method="cpsat",
        status="optimal" if proven else "feasible",
        objective=objective,
        bound=min(objective, bound + pinned_wait),
        runtime=clock.perf_counter() - started,
        plan=plan,
        unplaced=len(plan.unplaced),
        late=len(late),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _PanelOutcome:
    chosen: dict[int, int]
    bound: int
    proven: bool


def _solve_panel(
    problem: ProblemData,
    options: dict[int, list[int]],
    start_from: dict[int, int],
    time_limit: float,
    seed: int,
    workers: int,
) -> _PanelOutcome:
    """Levels 1-3 for one panel's referrals; panels share no sittings, so each is separate."""
    am = assignment.build(problem, options)
    hint = {r: s for r, s in start_from.items() if r in options}
    placing = assignment.placement_level(am)
    first = _solve_level(am, placing, hint, 0.3 * time_limit, seed, workers)
    if first is None:
        # Not even the starting plan could be repaired in time: keep it as it is.
        kept = {r: s for r, s in hint.items() if s in options[r] or r in am.pinned}
        return _PanelOutcome(kept, 0, False)
    status1, hint, _, _ = first
    mine = {r: st for r, st in hint.items() if r not in am.pinned}
    lateness = [assignment.days_late(problem, r, st) for r, st in mine.items()]
    assignment.hold_placement(am, len(mine), sum(1 for d in lateness if d), sum(lateness))
    second = _solve_level(am, assignment.waiting_level(am), hint, 0.7 * time_limit, seed, workers)
    if second is None:
        return _PanelOutcome(hint, 0, False)
    status2, chosen, _, bound = second
    proven = status1 == cp_model.OPTIMAL and status2 == cp_model.OPTIMAL
    return _PanelOutcome(chosen, math.ceil(bound - 1e-6), proven)


def _grow(
    problem: ProblemData,
    options: dict[int, list[int]],
    chosen: dict[int, int],
    extra: dict[int, int],
    closed: set[tuple[int, int]],
) -> list[int]:
    """Open more sittings to referrals that are unplaced or at their last option."""
    grown = []
    for referral, opts in sorted(options.items()):
        if problem.pinned_start[referral] is not None:
            continue
        open_count = sum(1 for s in problem.candidates[referral] if (referral, s) not in closed)
        if open_count <= len(opts):
            continue
        sitting = chosen.get(referral)
        if sitting is None:
            # Unplaced: open every sitting at once rather than one more round per doubling.
            extra[referral] = len(problem.candidates[referral])
            grown.append(referral)
        elif opts and sitting == max(opts):
            extra[referral] *= 2
            grown.append(referral)
    return grown


def _repair(problem: ProblemData, chosen: dict[int, int], times: dict[int, int]) -> None:
    """Book what is left unplaced into any free slot, first come first served.

    Used only when the rounds run out with bookings that did not fit a slot.
    """
    sitting_busy: dict[int, Timeline] = defaultdict(Timeline)
    person_busy: dict[tuple[str, date], Timeline] = defaultdict(Timeline)

    def take(referral: int, sitting: int, start: int) -> None:
        end = start + problem.slot_minutes[referral]
        sitting_busy[sitting].add(start, end)
        for person in problem.referrals[referral].people:
            person_busy[person, problem.sittings[sitting].date].add(start, end)

    for index, each in enumerate(problem.sittings):
        for b_start, b_end in problem.authority.panel(each.panel).breaks:
            sitting_busy[index].add(minutes_of(b_start), minutes_of(b_end))
    for period in problem.unavailability:
        if not period.whole_days:
            for day, first, last in period.blocks():
                person_busy[period.person, day].add(first, last)
    for referral, start in times.items():
        take(referral, chosen[referral], start)
    waiting = sorted(
        (r for r in range(len(problem.referrals)) if r not in times),
        key=lambda r: (problem.referrals[r].submitted, problem.referrals[r].referral_id),
    )
    for referral in waiting:
        chosen.pop(referral, None)
        for sitting in problem.candidates[referral]:
            open_, close = problem.sittings[sitting].window_minutes
            day = problem.sittings[sitting].date
            busy = [sitting_busy[sitting]] + [
                person_busy[p, day] for p in problem.referrals[referral].people
            ]
            free = Timeline.first_common_gap(busy, open_, close, problem.slot_minutes[referral])
            if free is not None:
                chosen[referral], times[referral] = sitting, free
                take(referral, sitting, free)
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
