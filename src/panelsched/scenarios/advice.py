"""The advice across a scenario's replications: how often each change is chosen.

A scenario with ``advise: true`` (or a target such as ``advise: max-wait=42``) is advised once
per replication, on that replication's referrals and leave, with the default costs. A change
chosen in most replications is needed whatever the year brings; one chosen in a few answers one
year's peak. ``scenario run`` writes the counts as ``advice.csv`` and the replications as
``advice-replications.csv``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from panelsched.advice.advise import advise
from panelsched.advice.capacity_changes import Change
from panelsched.advice.settings import parse_target
from panelsched.exports.tables import write_csv
from panelsched.planner.pool import process_pool
from panelsched.scenarios.demand import scenario_demand
from panelsched.scenarios.runner import replication_seed
from panelsched.scenarios.spec import Scenario

FREQUENCY_COLUMNS = ["change", "panel", "date", "kind", "minutes", "cost", "chosen", "share"]
REPLICATION_COLUMNS = [
    "replication",
    "seed",
    "changes",
    "cost",
    "proven",
    "misses_as_is",
    "misses_after",
    "floor",
    "confirmed",
]


@dataclass(frozen=True)
class ReplicationAdvice:
    """One replication's advice, as the summary needs it."""

    replication: int
    seed: int
    chosen: tuple[Change, ...]
    cost: float
    proven: bool
    misses_as_is: int
    misses_after: int
    floor: int
    confirmed: bool


def advise_replication(scenario: Scenario, replication: int) -> ReplicationAdvice:
    """Advise one replication of ``scenario`` (run in a worker process too)."""
    assert scenario.advise is not None
    seed = replication_seed(scenario.seed, replication)
    referrals, away = scenario_demand(scenario, seed)
    advice = advise(
        scenario.authority,
        referrals,
        parse_target(scenario.advise),
        away,
        start=scenario.start,
        end=scenario.plan_end,
        time_limit=scenario.time_limit,
    )
    return ReplicationAdvice(
        replication,
        seed,
        advice.chosen,
        advice.cost,
        advice.gap <= 1e-9,
        advice.today.misses,
        advice.after.misses,
        advice.floor,
        advice.confirmed,
    )


def _one(task: tuple[Scenario, int]) -> ReplicationAdvice:
    return advise_replication(*task)


def advise_scenario(
    scenario: Scenario,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ReplicationAdvice, ...]:
    """Advise every replication of ``scenario``, in ``workers`` processes when more than one.

    The result is the same whatever the number of workers, in replication order.
    """
    tasks = [(scenario, r) for r in range(scenario.replications)]
    done: list[ReplicationAdvice] = []
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            done.append(_one(task))
            if progress:
                progress(len(done), len(tasks))
        return tuple(done)
    with process_pool(min(workers, len(tasks))) as pool:
        for found in pool.map(_one, tasks):
            done.append(found)
            if progress:
                progress(len(done), len(tasks))
    return tuple(done)


def frequency_frame(scenario: Scenario, advised: Sequence[ReplicationAdvice]) -> pd.DataFrame:
    """Each change chosen in any replication, with how many chose it; most often first."""
    counts = Counter(c for a in advised for c in a.chosen)
    ordered = sorted(counts, key=lambda c: (-counts[c], c))
    rows = [
        {
            "change": c.words(scenario.authority),
            "panel": c.panel,
            "date": c.date.isoformat(),
            "kind": c.kind,
            "minutes": c.minutes,
            "cost": c.cost,
            "chosen": counts[c],
            "share": round(counts[c] / len(advised), 4) if advised else 0.0,
        }
        for c in ordered
    ]
    return pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)


def replications_frame(advised: Sequence[ReplicationAdvice]) -> pd.DataFrame:
    """One row per replication: its changes, cost, proof and figures."""
    rows = [
        {
            "replication": a.replication + 1,
            "seed": a.seed,
            "changes": len(a.chosen),
            "cost": a.cost,
            "proven": "yes" if a.proven else "no",
            "misses_as_is": a.misses_as_is,
            "misses_after": a.misses_after,
            "floor": a.floor,
            "confirmed": "yes" if a.confirmed else "no",
        }
        for a in advised
    ]
    return pd.DataFrame(rows, columns=REPLICATION_COLUMNS)


def write_scenario_advice(
    scenario: Scenario, advised: Sequence[ReplicationAdvice], out: Path, prefix: str = ""
) -> list[Path]:
    """Write ``{prefix}advice.csv`` and ``{prefix}advice-replications.csv`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{prefix}advice.csv", out / f"{prefix}advice-replications.csv"]
    write_csv(frequency_frame(scenario, advised), paths[0])
    write_csv(replications_frame(advised), paths[1])
    return paths


__all__ = [
    "FREQUENCY_COLUMNS",
    "REPLICATION_COLUMNS",
    "ReplicationAdvice",
    "advise_replication",
    "advise_scenario",
    "frequency_frame",
    "replications_frame",
    "write_scenario_advice",
]
