"""What would it take? The cheapest changes to capacity that reach a target, confirmed.

1. Plan the model as it is with the real planner: the figures today.
2. List the candidate changes (:mod:`.capacity_changes`) and make them all at once; over that, the
   relaxation (:mod:`.choice`) finds the fewest misses any set could reach (the floor), then
   the cheapest set reaching the target, or the floor when the target is below it.
3. Re-plan with the chosen changes using the real planner. When the plan misses the target
   (the relaxation is optimistic), that set is ruled out and the programme asked again, with
   the cases the planner left missing to be served in full; the relaxation's first cost stays
   a proven lower bound, so the report gives the gap.
4. Add the chosen changes one at a time in date order and re-plan after each: what each saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from panelsched.advice.capacity_changes import EXTENSIONS, Change, candidates, with_changes
from panelsched.advice.choice import Choice, Programme
from panelsched.advice.prices import SlotValue, slot_values
from panelsched.advice.settings import AdviceSettings, Target, check_panels
from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.planner import WorkLimit, solve
from panelsched.planner.metrics import lateness, wait_days, weighted_wait
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.planner.result import Result

_ROUNDS = 4


@dataclass(frozen=True)
class Figures:
    """A plan's figures, as the advice reports them.

    Attributes
    ----------
    misses
        Cases that miss the target: late or unplaced (``late``), waiting more than the ceiling
        or unplaced (``max-wait``).
    late, unplaced
        Cases heard after their due date; cases with no sitting.
    waiting_days
        Days from submission to sitting, summed over the cases booked.
    weighted_waiting_days
        The same with urgent and emergency cases three times (the planner's level 3).
    p95_wait
        The 95th percentile of waiting days.
    """

    misses: int
    late: int
    unplaced: int
    waiting_days: int
    weighted_waiting_days: int
    p95_wait: float


@dataclass(frozen=True)
class Step:
    """The plan once ``change`` is added to those before it."""

    change: Change
    figures: Figures


@dataclass(frozen=True)
class Advice:
    """The advice: what to change, what it costs, what it gives.

    Attributes
    ----------
    target
        What was asked.
    reachable
        False when no set of the candidate changes can reach the target, by the relaxation's
        floor; the advice is then for the best figure reachable.
    floor
        The fewest misses any set of the changes can give (a proven lower bound).
    aimed
        The misses the advice aimed at: the target's, or the floor when that is higher.
    chosen
        The changes, in date order.
    cost, bound
        Their cost, and the proven lower bound on the cost of reaching ``aimed``.
    confirmed
        True when the real planner, with the changes made, reached ``aimed``.
    today, after
        The figures of the plan as the model is, and with the changes made.
    steps
        Each change added in date order, and the plan's figures then.
    slot_values
        One more slot's worth at each sitting of the model as it is.
    candidates
        How many changes were considered.
    rounds
        Confirmation rounds (1 when the first set was confirmed).
    """

    target: Target
    reachable: bool
    floor: int
    aimed: int
    chosen: tuple[Change, ...]
    cost: float
    bound: float
    confirmed: bool
    today: Figures
    after: Figures
    steps: tuple[Step, ...]
    slot_values: tuple[SlotValue, ...]
    candidates: int
    rounds: int
    start: date
    end: date
    authority: Authority

    @property
    def gap(self) -> float:
        """The cost above the proven lower bound (0 when the cheapest is proven)."""
        return max(0.0, self.cost - self.bound)


def missing(problem: ProblemData, result: Result, target: Target) -> tuple[str, ...]:
    """The cases of a plan that miss ``target``, sorted: late (or waiting longer than the
    ceiling) and unplaced."""
    plan = result.plan
    if target.kind == "late":
        over = set(lateness(problem, plan))
    else:
        over = {r for r, days in wait_days(problem, plan).items() if days > target.days}
    return tuple(sorted(over | set(plan.unplaced)))


def figures_of(problem: ProblemData, result: Result, target: Target) -> Figures:
    """A plan's figures, its misses counted against ``target``."""
    plan = result.plan
    waits = wait_days(problem, plan)
    late = lateness(problem, plan)
    misses = len(missing(problem, result, target))
    values = np.array(sorted(waits.values()), dtype=float)
    return Figures(
        misses=misses,
        late=len(late),
        unplaced=len(plan.unplaced),
        waiting_days=sum(waits.values()),
        weighted_waiting_days=weighted_wait(problem, plan),
        p95_wait=round(float(np.percentile(values, 95)), 1) if values.size else 0.0,
    )


def _aiming(authority: Authority, target: Target, panels: Iterable[str]) -> Authority:
    """The model the planner confirms with: for a ceiling, the panels' ``max_wait_days`` set
    to it, so the planner's own S14 level works towards the target."""
    if target.kind != "max-wait":
        return authority
    chosen = set(panels)
    return authority.model_copy(
        update={
            "panels": tuple(
                p.model_copy(update={"max_wait_days": target.days}) if p.id in chosen else p
                for p in authority.panels
            )
        }
    )


def _longest(changes: Sequence[Change]) -> list[Change]:
    """Every change but extensions, and each sitting's longest extension: all made at once."""
    longest: dict[str, Change] = {}
    others = []
    for change in changes:
        if change.kind != "extend":
            others.append(change)
        elif (
            change.sitting_id not in longest or change.minutes > longest[change.sitting_id].minutes
        ):
            longest[change.sitting_id] = change
    return others + list(longest.values())


def advise(
    authority: Authority,
    referrals: Sequence[Referral],
    target: Target,
    unavailability: Sequence[Unavailability] = (),
    settings: AdviceSettings | None = None,
    start: date | None = None,
    end: date | None = None,
    time_limit: float = 5.0,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> Advice:
    """The cheapest changes that reach ``target``, confirmed by re-planning.

    Parameters
    ----------
    authority
        The model as it is.
    referrals
        The demand to plan (a year's referrals, say).
    target
        ``late=N`` or ``max-wait=D`` (:func:`panelsched.advice.settings.parse_target`).
    unavailability
        Who is away (presenters and members).
    settings
        The advice file: costs and what may change (defaults when ``None``).
    start, end
        The planning range (by default the planner's).
    time_limit
        The planner's deterministic time per plan, and HiGHS's seconds per programme.
    progress
        Told what is being done.
    workers
        Processes that plan the step-by-step table at once (the figures are the same).

    Returns
    -------
    Advice
        The changes, their cost and proof, and the figures before, after and step by step.

    Raises
    ------
    InputError
        When the advice file names a panel the model does not have.
    """
    settings = settings or AdviceSettings()
    say = progress or (lambda _message: None)
    check_panels(settings, authority.panel_ids, "advice file")
    referred = {r.panel for r in referrals}
    panels = tuple(p for p in (settings.panels or sorted(referred)) if p in authority.panel_ids)
    away = tuple(unavailability)

    def plan(model: Authority) -> tuple[ProblemData, Result]:
        return _plan(_Plan(model, tuple(referrals), away, target, panels, start, end, time_limit))

    say("planning the model as it is")
    base_problem, base_result = plan(authority)
    first, last = base_problem.start, base_problem.end
    start, end = first, last
    today = figures_of(base_problem, base_result, target)
    say("pricing each sitting's minutes")
    values = slot_values(base_problem)
    changes = candidates(authority, base_problem.sittings, panels, first, last, settings)
    # A sitting that cannot be quorate hears nobody (unless the panel says warn).
    base_minutes = {
        s.id: 0 if _refused(base_problem, s.id) else s.capacity_minutes
        for s in base_problem.sittings
    }
    say(f"choosing among {len(changes)} changes")
    # A shorter slot changes every case's length: the programme is built with and without.
    slot_changes = [c for c in changes if c.kind == "slot"]
    others = [c for c in changes if c.kind != "slot"]
    best: tuple[Choice, Programme, list[Change], float, ProblemData, list[Change]] | None = None
    floors = []
    for fixed in ([], slot_changes) if slot_changes else ([],):
        everything = with_changes(authority, _longest(others) + list(fixed))
        problem = build_problem(
            _aiming(everything, target, panels), referrals, away, (), first, last
        )
        usable = [c for c in others if not _refused(problem, c.sitting_id)]
        programme = Programme(problem, base_problem, base_minutes, usable, target)
        floor = programme.floor()
        if floor is None:
            continue
        floors.append(floor)
        aimed = max(target.count, _whole(floor))
        choice = programme.cheapest(aimed, time_limit=max(time_limit * 6, 10.0))
        if not choice.feasible:
            continue
        extra = sum(c.cost for c in fixed)
        if best is None or choice.cost + extra < best[0].cost + best[3] - 1e-9:
            best = (choice, programme, list(fixed), extra, problem, usable)
    floor_value = _whole(min(floors)) if floors else today.misses
    aimed = max(target.count, floor_value)
    if best is None:
        return Advice(
            target,
            False,
            floor_value,
            aimed,
            (),
            0.0,
            0.0,
            False,
            today,
            today,
            (),
            values,
            len(changes),
            0,
            first,
            last,
            authority,
        )
    choice, programme, fixed, fixed_cost, everything_problem, usable = best
    bound = choice.bound + fixed_cost
    tried: list[tuple[int, ...]] = []
    chosen = [programme.changes[c] for c in choice.chosen] + fixed
    rounds = 1
    say("confirming with the planner")
    problem, result = plan(with_changes(authority, chosen))
    after = figures_of(problem, result, target)
    served: set[str] = set()
    while after.misses > aimed and rounds < _ROUNDS:
        tried.append(choice.chosen)
        # The cases the planner left missing must be wholly served next time (where any
        # sitting could serve them), by a set not tried already.
        served.update(missing(problem, result, target))
        if target.kind == "max-wait" and rounds == 1:
            # The planner puts fewest late cases before the ceiling; ask the same of the sets.
            programme = Programme(
                everything_problem, base_problem, base_minutes, usable, target, in_time_too=True
            )
        retry = programme.cheapest(
            aimed, tried, time_limit=max(time_limit * 6, 10.0), served=served
        )
        if not retry.feasible:
            break
        rounds += 1
        choice = retry
        trying = [programme.changes[c] for c in choice.chosen] + fixed
        problem, result = plan(with_changes(authority, trying))
        figures = figures_of(problem, result, target)
        # Kept when it misses fewer (or as few, more cheaply): the best round is the advice.
        better = (figures.misses, _total(trying)) < (after.misses, _total(chosen))
        if better:
            chosen, after = trying, figures
    chosen.sort()
    say("measuring each change")
    asks = [
        _Plan(
            with_changes(authority, chosen[:count]),
            tuple(referrals),
            away,
            target,
            panels,
            first,
            last,
            time_limit,
        )
        for count in range(1, len(chosen))
    ]
    measured = _measure(asks, workers)
    steps = [Step(c, f) for c, f in zip(chosen, [*measured, after] if chosen else [], strict=True)]
    return Advice(
        target=target,
        reachable=floor_value <= target.count,
        floor=floor_value,
        aimed=aimed,
        chosen=tuple(chosen),
        cost=_total(chosen),
        bound=min(bound, _total(chosen)),
        confirmed=after.misses <= aimed,
        today=today,
        after=after,
        steps=tuple(steps),
        slot_values=values,
        candidates=len(changes),
        rounds=rounds,
        start=start,
        end=end,
        authority=authority,
    )


@dataclass(frozen=True)
class _Plan:
    """One plan to make: the model, the demand, and what the planner aims at."""

    authority: Authority
    referrals: tuple[Referral, ...]
    away: tuple[Unavailability, ...]
    target: Target
    panels: tuple[str, ...]
    start: date | None
    end: date | None
    time_limit: float


def _plan(ask: _Plan) -> tuple[ProblemData, Result]:
    model = _aiming(ask.authority, ask.target, ask.panels)
    problem = build_problem(model, ask.referrals, ask.away, (), ask.start, ask.end)
    return problem, solve(problem, WorkLimit(ask.time_limit))


def _figures(ask: _Plan) -> Figures:
    """The figures of one plan (run in a worker process too)."""
    problem, result = _plan(ask)
    return figures_of(problem, result, ask.target)


def _measure(asks: Sequence[_Plan], workers: int) -> list[Figures]:
    """The figures of each plan, in order; in ``workers`` processes when more than one."""
    if workers <= 1 or len(asks) <= 1:
        return [_figures(ask) for ask in asks]
    from panelsched.planner.pool import process_pool

    with process_pool(min(workers, len(asks))) as pool:
        return list(pool.map(_figures, asks))


def _refused(problem: ProblemData, sitting_id: str) -> bool:
    """True when ``sitting_id`` cannot be quorate and its panel refuses to sit so."""
    if sitting_id not in problem.inquorate:
        return False
    panel = sitting_id.rsplit("@", 1)[0]
    return problem.authority.panel(panel).inquorate == "refuse"


def _total(changes: Sequence[Change]) -> float:
    return float(sum(c.cost for c in changes))


def _whole(value: float) -> int:
    """A relaxation's count rounded up, allowing for HiGHS's tolerances."""
    return int(np.ceil(value - 1e-6))


__all__ = ["EXTENSIONS", "Advice", "Figures", "Step", "advise", "figures_of", "missing"]
