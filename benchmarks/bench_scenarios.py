"""Replications per minute for a one-year scenario of one council, on 2 cores.

Run ``python benchmarks/bench_scenarios.py [--quick] [--replications N]``. The scenario is
``scenarios/cbc-today.yaml`` (Central Bedfordshire's weekly panel, a year of referrals at 90%
of its slots, about 540 referrals a replication), run with ``N`` replications (default 4; 2
with ``--quick``) in a pool of 2 processes, under two solver settings:

- ``shipped``: the scenario as shipped (time limit 2, one CP-SAT worker);
- ``thorough``: time limit 6 and four interleaved CP-SAT workers (slower; for overloaded
  panels, whose plans the shipped budget does not always prove optimal).

For each it prints replications per minute (wall clock, the whole run with its pool), the mean
seconds of one solver plan and of one greedy plan, and how many solver plans were proven
optimal. The goal is seconds per replication.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from pathlib import Path

from panelsched.scenarios import load_scenario, run_scenarios

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "cbc-today.yaml"
WORKERS = 2


def main() -> int:
    """Print one row per solver setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two replications per setting")
    parser.add_argument("--replications", type=int, default=None, help="per setting")
    args = parser.parse_args()
    count = args.replications or (2 if args.quick else 4)
    shipped = load_scenario(SCENARIO)
    settings = {
        "shipped": replace(shipped, replications=count),
        "thorough": replace(shipped, replications=count, time_limit=6.0, solver_workers=4),
    }
    print(f"{SCENARIO.name}: {count} replications per setting, {WORKERS} processes")
    print(
        f"{'setting':<9} {'limit':>5} {'cp-sat':>6} {'referrals':>9} {'reps/min':>8} "
        f"{'s/rep':>6} {'solver s':>8} {'greedy s':>8} {'optimal':>7}"
    )
    for label, scenario in settings.items():
        run = run_scenarios([scenario], workers=WORKERS)
        solver = [t.seconds for t in run.timings if t.method == "cpsat"]
        greedy = [t.seconds for t in run.timings if t.method == "greedy"]
        rows = [r for r in run.rows if r.method == "cpsat"]
        proven = sum(r.status == "optimal" for r in rows)
        referrals = statistics.fmean(r.figures["referrals"] for r in rows)
        per_minute = count / run.seconds * 60
        print(
            f"{label:<9} {scenario.time_limit:>5g} {scenario.solver_workers:>6} "
            f"{referrals:>9.0f} {per_minute:>8.2f} {run.seconds / count:>6.1f} "
            f"{statistics.fmean(solver):>8.1f} {statistics.fmean(greedy):>8.3f} "
            f"{proven:>4}/{len(rows)}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
