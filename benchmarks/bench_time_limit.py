"""Calibrate and check ``plan --time-limit S``: seconds of wall clock for the whole command.

``panelsched.planner.budget`` turns the seconds into a fixed amount of solver work by
constants measured here. On a machine shared with others, wall seconds say more about the
neighbours than about the planner, so the calibration measures *CPU* seconds of each phase
(what they take on an idle 2-core machine) and fits:

- start-up: a fresh interpreter importing what ``plan`` imports;
- per (referral, sitting) pair open to a referral: reading, building the problem and stage 1's
  rows and the relaxation's linear programmes;
- per referral: the greedy baseline, timing slots, explanations and the files written;
- of stage 1's CPU, the local search after each search (``planner.improve``), reported
  apart: it grows with the choices, so the budget counts it in the cost of a choice;
- per unit of CP-SAT deterministic time in stage 1 (two panels are searched side by side on
  two cores, so the wall seconds of a unit are half its CPU seconds).

``--check`` then runs the command at several limits on one year and prints wall seconds
against the limit, and whether the wall-clock cap cut in.

    .venv/bin/python benchmarks/bench_time_limit.py --calibrate      # family b, seeds 1-2
    .venv/bin/python benchmarks/bench_time_limit.py --check --limits 5 10 20
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMPORTS = (
    "import panelsched.cli, panelsched.planner, panelsched.planner.explain, "
    "panelsched.exports.plan_files, panelsched.io.inputs, scipy.optimize"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _startup_cpu() -> float:
    """CPU seconds of a fresh interpreter that imports what ``plan`` imports (median of 3)."""
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times)


class _TimedImprove:
    """``planner.improve`` counting its CPU seconds, to tell them from the search's."""

    def __init__(self, plain: Any) -> None:
        self.plain = plain
        self.cpu = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        began = _cpu()
        try:
            return self.plain(*args, **kwargs)
        finally:
            self.cpu += _cpu() - began


def calibrate(family: str, seeds: list[int], units: float) -> dict[str, Any]:
    """CPU seconds per phase on ``family``'s years, and the constants they give."""
    sys.path.insert(0, str(HERE))
    import families

    from panelsched.exports.plan_files import write_plan_files
    from panelsched.io.inputs import load_availability, load_referrals
    from panelsched.io.model_file import load_model
    from panelsched.planner import SolveParams, solve
    from panelsched.planner.cpsat import assignment, improve
    from panelsched.planner.cpsat.panel import solve_panel
    from panelsched.planner.cpsat.search import PanelWork
    from panelsched.planner.explain import explain
    from panelsched.planner.greedy import book_greedily
    from panelsched.planner.problem import build_problem
    from panelsched.planner.summary import summary_record

    rows: list[dict[str, float]] = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            model, referrals_file, availability_file = families.write(
                families.make(family, seed), Path(folder)
            )
            cpu = _cpu()
            authority = load_model(model)
            referrals = load_referrals(referrals_file, authority)
            away = load_availability(availability_file)
            problem = build_problem(authority, referrals, away)
            built = _cpu() - cpu
            choices = sum(len(c) for c in problem.candidates)
            cpu = _cpu()
            greedy = book_greedily(problem)
            greedy_cpu = _cpu() - cpu
            index = problem.referral_index()
            sittings = problem.sitting_index()
            chosen = {index[b.referral_id]: sittings[b.sitting_id] for b in greedy.bookings}
            by_panel: dict[str, list[int]] = defaultdict(list)
            for referral, item in enumerate(problem.referrals):
                by_panel[item.panel].append(referral)
            search_cpu = spent = 0.0
            # Every stage-1 search calls the local search through its module: timed there.
            timed = _TimedImprove(improve.improve)
            improve.improve = timed
            for panel in sorted(by_panel):
                options = {r: list(problem.candidates[r]) for r in by_panel[panel]}
                work = PanelWork(None)
                cpu = _cpu()
                solve_panel(problem, options, chosen, units, SolveParams(), work, {})
                search_cpu += _cpu() - cpu
                spent += work.spent
            improve.improve = timed.plain
            cpu = _cpu()
            baseline = solve(problem, params=SolveParams(method="greedy"))
            found = explain(problem, greedy)
            record = summary_record(problem, baseline, baseline)
            write_plan_files(Path(folder) / "out", problem, greedy, found, record)
            after_cpu = _cpu() - cpu
            stage = assignment.build(problem, dict(enumerate(problem.candidates)))
            rows.append(
                {
                    "seed": seed,
                    "referrals": len(problem.referrals),
                    "choices": choices,
                    "arcs": len(stage.arcs),
                    "build_cpu": built,
                    "greedy_cpu": greedy_cpu,
                    "stage1_cpu": search_cpu,
                    "of_which_improve_cpu": timed.cpu,
                    "stage1_units": spent,
                    "after_cpu": after_cpu,
                }
            )
    return {"family": family, "startup_cpu": _startup_cpu(), "runs": rows}


def check(family: str, seed: int, limits: list[float]) -> list[dict[str, Any]]:
    """Run ``plan`` at each limit on one year: wall seconds, and whether the cap cut in."""
    sys.path.insert(0, str(HERE))
    import families

    found = []
    with tempfile.TemporaryDirectory() as folder:
        model, referrals, availability = families.write(families.make(family, seed), Path(folder))
        for limit in limits:
            out = Path(folder) / f"plan-{limit:g}"
            command = [
                str(Path(sys.executable).with_name("panelsched")),
                "plan",
                str(model),
                "--referrals",
                str(referrals),
                "--availability",
                str(availability),
                "--out",
                str(out),
                "--time-limit",
                f"{limit:g}",
            ]
            began = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            wall = time.perf_counter() - began
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            found.append(
                {
                    "limit": limit,
                    "wall": round(wall, 2),
                    "capped": summary["time_limit"]["wall_clock_cap_cut_in"],
                    "units": summary["time_limit"]["work_units"],
                    "late": summary["late"],
                    "late_bound": summary["late_bound"],
                    "gap": summary["gap"],
                }
            )
            print(json.dumps(found[-1]), flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--family", default="b")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--units", type=float, default=1.0, help="per panel, when calibrating")
    parser.add_argument("--limits", type=float, nargs="+", default=[5.0, 10.0, 20.0])
    args = parser.parse_args(argv)
    if args.calibrate or not args.check:
        print(json.dumps(calibrate(args.family, args.seeds, args.units), indent=1))
    if args.check:
        check(args.family, args.seeds[0], args.limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
