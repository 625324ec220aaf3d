"""Running scenarios: every replication planned by the solver and by the greedy baseline.

Each replication is one task: draw its demand, build the problem, plan it twice, measure both
plans. Its seed comes from the scenario's seed and its number alone
(:func:`replication_seed`), and the solver runs on deterministic time with one worker, so a
fixed seed gives the same figures whichever executor runs the tasks, on however many workers,
in whatever order they finish.

Tasks go to any :class:`concurrent.futures.Executor`: a process pool across the machine's
cores by default, or a Dask cluster's executor (``Client.get_executor()``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass

from panelsched.errors import InputError, Problem
from panelsched.planner.budget import WorkLimit
from panelsched.planner.params import SolveParams
from panelsched.planner.pipeline import plan_problem
from panelsched.planner.pool import process_pool
from panelsched.planner.problem import build_problem
from panelsched.planner.result import Method
from panelsched.scenarios.demand import scenario_demand
from panelsched.scenarios.kpis import replication_kpis
from panelsched.scenarios.spec import Scenario

METHODS: tuple[Method, ...] = ("cpsat", "greedy")

Progress = Callable[[int, int], None]


def replication_seed(seed: int, replication: int) -> int:
    """The seed of replication ``replication`` (from 0) of a scenario seeded ``seed``.

    A hash, so that neighbouring replications are unrelated and the value fits CP-SAT's
    32-bit seed. It depends on nothing else: not the worker, not the scenario's name.
    """
    digest = hashlib.sha256(f"panelsched-scenario:{seed}:{replication}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class KpiRow:
    """The figures of one replication of one scenario by one method."""

    scenario: str
    replication: int
    seed: int
    method: Method
    status: str
    gap: float | None
    figures: dict[str, float]


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock seconds of one plan; the one output that differs from run to run."""

    scenario: str
    replication: int
    method: Method
    seconds: float


@dataclass(frozen=True, slots=True)
class ReplicationOutcome:
    """What one task sends back: its rows and timings, or the problems that stopped it."""

    rows: tuple[KpiRow, ...]
    timings: tuple[Timing, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Task:
    """One replication of one scenario."""

    scenario: Scenario
    replication: int


def run_replication(task: Task) -> ReplicationOutcome:
    """Plan one replication with every method and measure the plans.

    Never raises on bad input: problems come back in the outcome, because an exception with
    several problems does not survive the trip back from another process intact.
    """
    scenario = task.scenario
    seed = replication_seed(scenario.seed, task.replication)
    referrals, away = scenario_demand(scenario, seed)
    if not referrals:
        message = (
            f"replication {task.replication + 1} (seed {seed}) has no referrals; "
            "expected more demand (raise load, arrivals_per_week or scale)"
        )
        return ReplicationOutcome((), (), (Problem(scenario.file, message, key="demand"),))
    try:
        problem = build_problem(
            scenario.authority, referrals, away, start=scenario.start, end=scenario.plan_end
        )
    except InputError as exc:
        return ReplicationOutcome((), (), exc.problems)
    rows = []
    timings = []
    # The baseline is made once, and is the solver's starting point too.
    baseline, planned = plan_problem(
        problem,
        WorkLimit(scenario.time_limit),
        SolveParams(seed=seed, workers=scenario.solver_workers),
    )
    for method in METHODS:
        result = planned if method == "cpsat" else baseline
        rows.append(
            KpiRow(
                scenario=scenario.name,
                replication=task.replication,
                seed=seed,
                method=method,
                status=result.status,
                gap=result.gap,
                figures=replication_kpis(problem, result, scenario.start, scenario.end),
            )
        )
        timings.append(Timing(scenario.name, task.replication, method, result.runtime))
    return ReplicationOutcome(tuple(rows), tuple(timings))


@dataclass(frozen=True)
class Run:
    """Every replication of every scenario, in a fixed order.

    Attributes
    ----------
    scenarios
        As given; the first is the reference of comparisons.
    rows
        Sorted by scenario (in the order given), replication and method (solver first).
    timings
        In the same order.
    seconds
        Wall-clock seconds of the whole run.
    workers
        How many workers ran it (for a Dask cluster, as the caller said).
    """

    scenarios: tuple[Scenario, ...]
    rows: tuple[KpiRow, ...]
    timings: tuple[Timing, ...]
    seconds: float
    workers: int


def _tasks(scenarios: Sequence[Scenario]) -> list[Task]:
    # Interleaved, so a run stopped early has seen every scenario about equally.
    most = max(s.replications for s in scenarios)
    return [
        Task(scenario, number)
        for number in range(most)
        for scenario in scenarios
        if number < scenario.replications
    ]


def run_scenarios(
    scenarios: Sequence[Scenario],
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> Run:
    """Run every replication of every scenario.

    Parameters
    ----------
    scenarios
        Loaded scenarios, names distinct.
    executor
        Where tasks run; ``None`` runs them here one after another when ``workers`` is 1,
        else in a process pool of ``workers``.
    workers
        The number of workers (used for the default pool, and reported).
    progress
        Called with ``(done, total)`` replications as each finishes.

    Returns
    -------
    Run
        The figures, in an order that does not depend on the executor.

    Raises
    ------
    InputError
        When a replication has nothing to plan.
    """
    if not scenarios:
        raise ValueError("no scenarios to run")
    tasks = _tasks(scenarios)
    began = time.perf_counter()
    report = progress or (lambda _done, _total: None)
    outcomes: list[ReplicationOutcome] = []
    report(0, len(tasks))
    if executor is None and workers <= 1:
        for task in tasks:
            outcomes.append(run_replication(task))
            report(len(outcomes), len(tasks))
    elif executor is None:
        with process_pool(workers) as pool:
            outcomes = _gather(pool, tasks, report)
    else:
        outcomes = _gather(executor, tasks, report)
    problems = [p for outcome in outcomes for p in outcome.problems]
    if problems:
        raise InputError(dict.fromkeys(problems))
    order = {s.name: i for i, s in enumerate(scenarios)}
    methods = {m: i for i, m in enumerate(METHODS)}

    def key(item: KpiRow | Timing) -> tuple[int, int, int]:
        return order[item.scenario], item.replication, methods[item.method]

    return Run(
        scenarios=tuple(scenarios),
        rows=tuple(sorted((r for o in outcomes for r in o.rows), key=key)),
        timings=tuple(sorted((t for o in outcomes for t in o.timings), key=key)),
        seconds=time.perf_counter() - began,
        workers=workers,
    )


def _gather(
    executor: Executor, tasks: Sequence[Task], report: Progress
) -> list[ReplicationOutcome]:
    futures: list[Future[ReplicationOutcome]] = [
        executor.submit(run_replication, task) for task in tasks
    ]
    outcomes = []
    try:
        for future in as_completed(futures):
            outcomes.append(future.result())
            report(len(outcomes), len(tasks))
    finally:
        for future in futures:
            future.cancel()
    return outcomes


__all__ = [
    "METHODS",
    "KpiRow",
    "ReplicationOutcome",
    "Run",
    "Task",
    "Timing",
    "replication_seed",
    "run_replication",
    "run_scenarios",
]
