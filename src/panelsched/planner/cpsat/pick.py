"""The plan ``solve`` hands back: the best of the rounds' plans, never worse than the baseline."""

from __future__ import annotations

import time as clock
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from panelsched.core.plan import PinnedBooking, Plan
from panelsched.planner.greedy import book_greedily
from panelsched.planner.metrics import lateness, moves, over_ceiling, weighted_wait
from panelsched.planner.problem import ProblemData
from panelsched.planner.result import Result
from panelsched.planner.summary import placed_words


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
        Round 1's lower bound on late cases for plans that reach its bound on unplaced
        referrals (it closed no sitting), or ``None``.
    unplaced_bounds
        Round 1's lower bound on unplaced referrals, per panel whose relaxation was solved:
        no plan leaves fewer of that panel's referrals unplaced.
    units
        The deterministic work a time limit in seconds was turned into, or ``None``.
    """

    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    capped: bool = False
    late_bound: int | None = None
    unplaced_bounds: dict[str, int] = field(default_factory=dict)
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
        first = first_level(problem, greedy, found.unplaced_bounds)
        notes.extend(first.sentences)
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
            unplaced_bound=first.bound,
            panels_below_bound=first.below,
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
    first = first_level(problem, plan, found.unplaced_bounds)
    notes.extend(first.sentences)
    # The relaxation's late bound holds only for plans that reach the first level's bound: a
    # plan that places fewer may leave late cases unplaced and beat it, so it is reported
    # only for a plan that reaches it (and never lowered to the plan's own count).
    late_bound = found.late_bound
    if late_bound is not None:
        late_bound += len(lateness(problem, pinned))
        if first.met is not True or late_bound > late:
            late_bound = None
    # A proof over the sittings stage 2 left open is no proof over all of them while the plan
    # places fewer than round 1's bound (which may be out of reach: the relaxation does not
    # see a presenter's other panels, but nothing proves that it is).
    proven = best.proven and first.met is not False
    # The bound on waiting is for plans that reach the levels before it; one that places
    # fewer may wait less than it, so it bounds nothing here.
    waiting_bound = None if first.met is False else min(objective, bound + pinned_wait)
    return Result(
        method="cpsat",
        status="optimal" if proven else "feasible",
        objective=objective,
        bound=waiting_bound,
        runtime=clock.perf_counter() - started,
        plan=plan,
        unplaced=len(plan.unplaced),
        late=late,
        notes=tuple(notes),
        capped=found.capped,
        budget_units=found.units,
        late_bound=late_bound,
        unplaced_bound=first.bound,
        panels_below_bound=first.below,
    )


@dataclass(frozen=True)
class FirstLevel:
    """How a plan stands against the first level's proven bound (most referrals placed).

    Attributes
    ----------
    bound
        The fewest referrals any plan leaves unplaced, as round 1's relaxations proved, or
        ``None`` when a panel's relaxation was not solved.
    met
        Whether the plan leaves only that many unplaced; ``None`` when ``bound`` is.
    below
        Each panel where the plan places fewer than no plan can exceed: (panel, placed, that
        limit).
    sentences
        What to tell a reader about each of ``below``.
    """

    bound: int | None
    met: bool | None
    below: tuple[tuple[str, int, int], ...]
    sentences: tuple[str, ...]


def first_level(problem: ProblemData, plan: Plan, bounds: Mapping[str, int]) -> FirstLevel:
    """``plan`` against the per-panel bounds on unplaced referrals in ``bounds``."""
    referrals: dict[str, int] = defaultdict(int)
    for referral in problem.referrals:
        referrals[referral.panel] += 1
    index = problem.referral_index()
    unplaced: dict[str, int] = defaultdict(int)
    for referral_id in plan.unplaced:
        unplaced[problem.referrals[index[referral_id]].panel] += 1
    below = tuple(
        (panel, referrals[panel] - unplaced[panel], referrals[panel] - bounds[panel])
        for panel in sorted(bounds)
        if unplaced[panel] > bounds[panel]
    )
    sentences = tuple(placed_words(problem, panel, placed, most) for panel, placed, most in below)
    if set(bounds) != set(referrals):
        return FirstLevel(None, None, below, sentences)
    bound = sum(bounds.values())
    return FirstLevel(bound, len(plan.unplaced) == bound, below, sentences)


__all__ = [
    "Candidate",
    "FirstLevel",
    "Rounds",
    "best_result",
    "first_level",
    "greedy_result",
    "levels",
]
