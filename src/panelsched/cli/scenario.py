"""``panelsched scenario ...``: capacity scenarios, many replications each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from panelsched.errors import InputError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from panelsched.scenarios.advice import ReplicationAdvice
    from panelsched.scenarios.spec import Scenario

from panelsched.cli.common import (
    ExecutorName,
    check_folder,
    choose,
    command,
    console,
    writing,
)
from panelsched.cli.help_words import WordedGroup

scenario_app = typer.Typer(
    cls=WordedGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Capacity scenarios: what if a panel sat fortnightly, ran longer, or demand rose?",
)

ScenarioWorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers", help="Replications run at once (default: every core; the cluster's size)."
    ),
]
ExecutorOpt = Annotated[
    ExecutorName,
    typer.Option(
        "--executor", parser=str, help="local (a process per core) or dask (a Dask cluster)."
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="The Dask scheduler's address, tcp://host:8786."),
]


def _scenario_run(
    files: list[Path], out: Path, workers: int | None, executor: str, scheduler: str | None
) -> None:
    """Load the scenarios, run every replication with a progress bar, write and show."""
    from concurrent.futures import Executor
    from contextlib import AbstractContextManager, nullcontext

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from panelsched.cli.tables import solver_table
    from panelsched.planner.pool import default_workers
    from panelsched.scenarios import load_scenarios, run_scenarios
    from panelsched.scenarios.advice import write_scenario_advice
    from panelsched.scenarios.cluster import dask_executor
    from panelsched.scenarios.outputs import write_outputs

    choose(executor, "--executor", ExecutorName)
    if executor == "dask" and not scheduler:
        raise InputError.one("--scheduler", "--executor dask needs the scheduler's address")
    if executor == "local" and scheduler:
        raise InputError.one("--scheduler", "only with --executor dask")
    if workers is not None and workers < 1:
        raise InputError.one("--workers", f"{workers} is not a number of workers of 1 or more")
    check_folder(out)
    scenarios = load_scenarios(files)
    total = sum(s.replications for s in scenarios)
    console.print(
        f"{len(scenarios)} scenario(s), {total} replications, each planned by the solver and "
        "by first come, first served.",
        highlight=False,
    )
    pool: AbstractContextManager[Executor | None] = (
        dask_executor(scheduler) if executor == "dask" and scheduler else nullcontext(None)
    )
    count = workers or default_workers()
    with (
        pool as chosen,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar,
    ):
        task = bar.add_task("Replications", total=total)
        run = run_scenarios(
            scenarios,
            executor=chosen,
            workers=count,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
        advised = _advise(scenarios, count, bar)
    with writing(out):
        paths = write_outputs(run, out)
        for scenario, found in advised:
            prefix = "" if len(scenarios) == 1 else f"{scenario.name}-"
            paths += write_scenario_advice(scenario, found, out, prefix)
    console.print(solver_table(run))
    for scenario, found in advised:
        _show_advice(scenario, found)
    console.print(
        f"{total} replications in {run.seconds:.1f} s. Wrote "
        f"{', '.join(p.name for p in paths)} to {out}/",
        highlight=False,
        soft_wrap=True,
    )


def _advise(
    scenarios: Sequence[Scenario], workers: int, bar: Progress
) -> list[tuple[Scenario, tuple[ReplicationAdvice, ...]]]:
    """The advice for each scenario that asks for it (``advise:``), replication by replication."""
    from panelsched.scenarios.advice import advise_scenario

    found = []
    for scenario in scenarios:
        if scenario.advise is None:
            continue
        task = bar.add_task(f"Advice ({scenario.name})", total=scenario.replications)

        def advance(done: int, _total: int, task: TaskID = task) -> None:
            bar.update(task, completed=done)

        advised = advise_scenario(scenario, workers, advance)
        found.append((scenario, advised))
    return found


def _show_advice(scenario: Scenario, advised: Sequence[ReplicationAdvice]) -> None:
    """One line per scenario advised, and its changes chosen most often."""
    from panelsched.scenarios.advice import frequency_frame

    confirmed = sum(a.confirmed for a in advised)
    costs = sorted(a.cost for a in advised)
    console.print(
        f"Advice for {scenario.name} ({scenario.advise}): cost {costs[0]:g} to {costs[-1]:g} "
        f"over {len(advised)} replications, {confirmed} confirmed by re-planning.",
        highlight=False,
        soft_wrap=True,
    )
    for row in frequency_frame(scenario, advised).head(5).itertuples():
        console.print(
            f"  {row.change}: chosen in {row.chosen} of {len(advised)}",
            highlight=False,
            soft_wrap=True,
        )


@command(scenario_app, "run")
def scenario_run(
    file: Annotated[Path, typer.Argument(help="A scenario YAML file, e.g. scenarios/x.yaml.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the outputs (default: out/scenarios/NAME)."),
    ] = None,
    workers: ScenarioWorkersOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Run every replication of a scenario; write kpis.csv, comparison.csv and report.md
    (and, with `advise:` in the file, advice.csv: how often each change is chosen)."""
    _scenario_run([file], out or Path("out/scenarios") / file.stem, workers, executor, scheduler)


@command(scenario_app, "compare")
def scenario_compare(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario YAML files; the first is the reference.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path(
        "out/scenarios/compare"
    ),
    workers: ScenarioWorkersOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Run several scenarios and compare them side by side, with 95% confidence intervals."""
    _scenario_run(files, out, workers, executor, scheduler)
