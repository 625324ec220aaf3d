"""The plan ``solve`` hands back: the best of the rounds' plans, never worse than the baseline."""

from __future__ import annotations

import time as clock
from collections.abc import Sequence
from dataclasses import dataclass, field

from panelsched.core.plan import PinnedBooking, Plan
from panelsched.planner.greedy import book_greedily
from panelsched.planner.metrics import lateness, moves, over_ceiling, weighted_wait
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result


@dataclass(frozen=True)
class Candidate:
    """One round's plan, whether stage 1 proved it, and stage 1's bound in that round."""

    plan: Plan
    proven: bool
    bound: int


@dataclass
class Rounds:
    """What the rounds found: a plan from each round, what they did, and the bounds proven.

    Attributes
    ----------
    candidates
        Each round's plan, in order.
    notes
        What the rounds did, for the summary.
    capped
        True when the wall-clock cap cut a search short.
    late_bound
        Round 1's lower bound on late cases (it closed no sitting, so it holds for any plan),
        or ``None``.
    units
        The deterministic work a time limit in seconds was turned into, or ``None``.
    """

    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    capped: bool = False
    late_bound: int | None = None
    units: float | None = None


def levels(problem: ProblemData, plan: Plan, told: Sequence[PinnedBooking] = ()) -> tuple[int, ...]:
    """The objective's levels (:data:`.assignment.LEVELS`): unplaced, late, days late, told
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


def greedy_result(problem: ProblemData, started: float, plan: Plan | None = None) -> Result:
    """The first-come-first-served plan (``plan`` when it is made already) as a result."""
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


def best_result(
    problem: ProblemData,
    greedy: Plan,
    told: Sequence[PinnedBooking],
    found: Rounds,
    started: float,
) -> Result:
    """The best candidate by the objective's levels, or ``greedy`` when it is better still.

    On equal levels the later round's plan wins: it kept more of the rules in stage 1.
    """
    notes = found.notes
    candidates = found.candidates
    best = min(reversed(candidates), key=lambda c: levels(problem, c.plan, told))
    if len(candidates) > 1 and best is not candidates[-1]:
        notes.append(f"kept round {candidates.index(best) + 1}'s plan, better than the last")
    if levels(problem, greedy, told) < levels(problem, best.plan, told):
        # Never hand back a plan that is worse than booking first come, first served.
        notes.append("kept the first-come-first-served plan: the rounds ended worse than it")
        return Result(
            method="cpsat",
            status="feasible",
            objective=weighted_wait(problem, greedy),
            bound=None,
            runtime=clock.perf_counter() - started,
            plan=greedy,
            unplaced=len(greedy.unplaced),
            late=len(lateness(problem, greedy)),
            notes=tuple(notes),
            capped=found.capped,
            budget_units=found.units,
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
    late_bound = found.late_bound
    if late_bound is not None:
        late_bound = min(late, late_bound + len(lateness(problem, pinned)))
    return Result(
        method="cpsat",
        status="optimal" if best.proven else "feasible",
        objective=objective,
        bound=min(objective, bound + pinned_wait),
        runtime=clock.perf_counter() - started,
        plan=plan,
        unplaced=len(plan.unplaced),
        late=late,
        notes=tuple(notes),
        capped=found.capped,
        budget_units=found.units,
        late_bound=late_bound,
    )


__all__ = ["Candidate", "Rounds", "best_result", "greedy_result", "levels"]
