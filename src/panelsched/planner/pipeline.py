"""Planning referrals end to end: the problem, the baseline, the plan, its explanations and
its summary, as ``panelsched plan`` does it.

The commands, the web and scenarios call :func:`plan_referrals` (or :func:`plan_problem`, for a
problem built already) rather than repeating these steps; they read the files and write or show
the :class:`PlanOutcome`. The solver is imported only when a plan is first made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.plan import PinnedBooking
from panelsched.core.referrals import Referral
from panelsched.planner.budget import DEFAULT_LIMIT, SecondsLimit, TimeLimit
from panelsched.planner.explain import Explanation, explain
from panelsched.planner.params import DEFAULT_PARAMS, GREEDY, SolveParams
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.planner.result import Result
from panelsched.planner.summary import summary_record

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanOutcome:
    """A plan made end to end, with everything a command shows or writes about it.

    Attributes
    ----------
    problem
        The planner's input, without the ``told`` bookings' pins.
    result
        The plan (the baseline itself when the method is ``"greedy"``).
    baseline
        The first-come-first-served plan it is compared with.
    told
        The pinned bookings that were let move (``pins_may_move``), in the planning range.
    explanations
        Why each referral not placed in time was not.
    summary
        ``summary.json``'s record (:func:`panelsched.planner.summary.summary_record`).
    """

    problem: ProblemData
    result: Result
    baseline: Result
    told: tuple[PinnedBooking, ...]
    explanations: tuple[Explanation, ...]
    summary: dict[str, Any]


def plan_problem(
    problem: ProblemData,
    limit: TimeLimit,
    params: SolveParams,
    told: Sequence[PinnedBooking] = (),
    progress: Progress | None = None,
) -> tuple[Result, Result]:
    """The baseline and the plan of ``problem``: the baseline is made once and is the
    solver's starting point; with ``params.method`` ``"greedy"`` the plan is the baseline."""
    from panelsched.planner import solve

    baseline = solve(problem, params=GREEDY)
    if params.method == "greedy":
        return baseline, baseline
    result = solve(problem, limit, params, preferred=told, baseline=baseline, progress=progress)
    return baseline, result


def plan_referrals(
    authority: Authority,
    referrals: Sequence[Referral],
    away: Sequence[Unavailability] = (),
    pins: Sequence[PinnedBooking] = (),
    start: date | None = None,
    end: date | None = None,
    *,
    pinned_file: str = "pinned bookings",
    pins_may_move: bool = False,
    limit: TimeLimit = DEFAULT_LIMIT,
    params: SolveParams = DEFAULT_PARAMS,
    progress: Progress | None = None,
) -> PlanOutcome:
    """Book ``referrals`` into sittings and slots; explain and summarise the plan.

    Parameters
    ----------
    authority, referrals, away
        The council's panels, the referrals to book and who is away.
    pins
        Earlier bookings that keep their date and time.
    start, end
        The first and last sitting dates to book into (see
        :func:`~panelsched.planner.problem.build_problem`).
    pinned_file
        What to call the pins in an error message.
    pins_may_move
        Let the pins in the planning range move where that books more cases in time (they
        become ``told`` bookings: fewest moved, then fewest days).
    limit, params
        The solver's time limit and settings (see :func:`panelsched.planner.solve`).
    progress
        Called with a short message as each phase of the solver starts.

    Returns
    -------
    PlanOutcome
        The plan, its baseline, explanations and summary record.
    """
    problem = build_problem(authority, referrals, away, pins, start, end, pinned_file)
    told: tuple[PinnedBooking, ...] = ()
    if pins_may_move and pins:
        # Checked above as pins; those in the range become bookings that may move.
        told = tuple(p for p in pins if problem.start <= p.date <= problem.end)
        kept = [p for p in pins if p not in told]
        problem = build_problem(authority, referrals, away, kept, start, end, pinned_file)
    baseline, result = plan_problem(problem, limit, params, told, progress)
    explanations = explain(problem, result.plan)
    seconds = (
        limit.seconds if isinstance(limit, SecondsLimit) and params.method == "cpsat" else None
    )
    summary = summary_record(problem, result, baseline, seconds, told)
    return PlanOutcome(problem, result, baseline, told, explanations, summary)


__all__ = ["PlanOutcome", "plan_problem", "plan_referrals"]
