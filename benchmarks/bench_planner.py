"""Benchmark the planner: greedy and CP-SAT on a year of referrals at 500, 3,000 and 20,000.

Goal (issue 3): 3,000 referrals in a year proven optimal in under 10 seconds on 2 cores, and
20,000 within 1% of the bound in under a minute.

Each run happens in its own process, so its peak memory (``ru_maxrss``) is its own and a run
that overruns ``--run-timeout`` can be stopped without losing the others. A run builds the
instance (:mod:`instances`), the problem (``build_problem``), solves it, then re-checks the
plan with the validator (which never imports ortools) and recomputes the waiting total by
hand. CP-SAT is offered every candidate sitting of every referral; its relaxation decides
which it needs to look at, so its proofs hold over all of them.

    .venv/bin/python benchmarks/bench_planner.py                  # 500, 3000 and 20000
    .venv/bin/python benchmarks/bench_planner.py --quick          # 500 only
    .venv/bin/python benchmarks/bench_planner.py --sizes 3000 --workers 1 --time-limit 10

The table is printed and written to ``benchmarks/results/planner.md`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = (500, 3000, 20000)
# The goal per size: deterministic seconds to give the solver (per round, shared by
# the panels), and the wall-clock seconds to meet.
TIME_LIMITS = {500: 10.0, 3000: 10.0, 20000: 60.0}
GOAL_SECONDS = {3000: 10.0, 20000: 60.0}
RUNS = ("greedy", "cpsat")


@dataclass(frozen=True)
class Run:
    """One measured run; ``error`` is set when it failed or overran."""

    size: int
    run: str
    figures: dict[str, Any]
    error: str = ""

    def get(self, key: str) -> Any:
        return self.figures.get(key)


# --- the child: one run in a fresh process -----------------------------------------------


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _phase_of(message: str) -> str:
    """Which phase a progress message starts (matched loosely: the wording may change)."""
    if "choosing sittings" in message:
        return "stage1"
    if "timing slots" in message:
        return "stage2"
    if "first come" in message:
        return "greedy"
    return "other"


def child(
    size: int, run: str, seed: int, time_limit: float, workers: int, threads: int | None
) -> dict[str, Any]:
    """Build, solve and check one instance; the figures as a JSON-able dict."""
    sys.path.insert(0, str(HERE))
    from instances import make_instance

    import panelsched.planner
    from panelsched.problem import build_problem
    from panelsched.validator import LATENESS_RULES, check_plan

    began = time.perf_counter()
    instance = make_instance(size, seed)
    generated = time.perf_counter()
    problem = build_problem(instance.authority, instance.referrals, instance.availability)
    built = time.perf_counter()
    memory_before = _peak_mb()

    phases: dict[str, float] = defaultdict(float)
    stage1_panels = [0]
    rounds = 0
    stage1_longest = [0.0]
    mark = [time.perf_counter(), "other"]

    def progress(message: str) -> None:
        nonlocal rounds
        now = time.perf_counter()
        # To stderr, so the parent can say how far a run got if it has to stop it.
        print(f"[{now - built:8.1f} s] {message}", file=sys.stderr, flush=True)
        if mark[1] == "stage1":
            stage1_longest[0] = max(stage1_longest[0], now - float(mark[0]))
        phases[str(mark[1])] += now - float(mark[0])
        phase = _phase_of(message)
        if phase == "stage1":
            # "choosing sittings for 8 panel(s)" (panels side by side) or "... for b01-crp".
            many = re.search(r"for (\d+) panel", message)
            stage1_panels[0] += int(many[1]) if many else 1
        found = re.match(r"round (\d+)", message)
        if found:
            rounds = max(rounds, int(found[1]))
        mark[0], mark[1] = now, phase

    method = "greedy" if run == "greedy" else "cpsat"
    options: dict[str, Any] = {"workers": workers, "progress": progress}
    if threads is not None:
        options["threads"] = threads
    result = panelsched.planner.solve(problem, method=method, time_limit=time_limit, **options)
    solved = time.perf_counter()
    phases[str(mark[1])] += solved - float(mark[0])
    findings = check_plan(problem, result.plan)
    checked = time.perf_counter()

    # The waiting total recomputed from the bookings, independently of the planner's metrics.
    referral = {r.referral_id: r for r in problem.referrals}
    wait = sum(
        referral[b.referral_id].weight * (b.date - referral[b.referral_id].submitted.date()).days
        for b in result.plan.bookings
    )
    due = {r.referral_id: problem.due_date(i) for i, r in enumerate(problem.referrals)}
    days_late = sum(
        max(0, (b.date - d).days) for b in result.plan.bookings if (d := due[b.referral_id])
    )
    broken = Counter(f.rule for f in findings if f.rule not in LATENESS_RULES)
    late_ids = {f.referral_id for f in findings if f.rule in LATENESS_RULES}
    return {
        "referrals": len(problem.referrals),
        "panels": len(instance.authority.panels),
        "people": instance.people,
        "leave_periods": len(instance.availability),
        "load": round(instance.load, 3),
        "sittings": len(problem.sittings),
        "candidates": sum(len(c) for c in problem.candidates),
        "cla_share": round(sum(r.cla_review is not None for r in problem.referrals) / size, 3),
        "status": result.status,
        "unplaced": result.unplaced,
        "late": result.late,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "solve_seconds": round(result.runtime, 2),
        "generate_seconds": round(generated - began, 2),
        "build_seconds": round(built - generated, 2),
        "check_seconds": round(checked - solved, 2),
        "phases": {k: round(v, 2) for k, v in sorted(phases.items())},
        "stage1_solves": stage1_panels[0],
        "stage1_longest": round(stage1_longest[0], 2),
        "rounds": rounds,
        "notes": list(result.notes),
        "peak_mb_before_solve": round(memory_before, 1),
        "peak_mb": round(_peak_mb(), 1),
        "violations": dict(sorted(broken.items())),
        "late_findings": len(late_ids),
        "wait_rechecked": wait,
        "days_late": days_late,
    }


# --- the parent: run, tabulate, write ----------------------------------------------------


def _run_child(
    size: int,
    run: str,
    seed: int,
    time_limit: float,
    workers: int,
    threads: int | None,
    timeout: float,
) -> Run:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        f"{size}:{run}",
        "--seed",
        str(seed),
        "--time-limit",
        str(time_limit),
        "--workers",
        str(workers),
        *(["--threads", str(threads)] if threads is not None else []),
    ]
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as stopped:
        seconds = time.perf_counter() - began
        err = stopped.stderr or b""
        text = err.decode() if isinstance(err, bytes) else err
        lines = text.strip().splitlines()
        stage1 = sum("choosing sittings" in line for line in lines)
        last = lines[-1] if lines else "no progress reported"
        return Run(
            size,
            run,
            {},
            f"stopped after {seconds:.0f} s (--run-timeout) after {stage1} stage-1 steps; "
            f"last: {last}",
        )
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Run(size, run, {}, f"failed: {tail}")
    return Run(size, run, json.loads(done.stdout.strip().splitlines()[-1]))


def _number(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _ratio(top: Any, bottom: Any) -> str:
    if top is None or bottom is None:
        return "-"
    if bottom == 0:
        return "-" if top == 0 else "inf"
    return f"{top / bottom:.2f}"


def _valid(run: Run) -> str:
    if run.error:
        return "-"
    problems = run.get("violations")
    consistent = run.get("late_findings") == run.get("late") and run.get(
        "wait_rechecked"
    ) == run.get("objective")
    if problems:
        return "; ".join(f"{rule} x{count}" for rule, count in problems.items())
    return "ok" if consistent else "figures differ"


def table(runs: list[Run]) -> list[str]:
    """The Markdown table over size x run."""
    greedy = {r.size: r for r in runs if r.run == "greedy" and not r.error}
    lines = [
        "| referrals | method | status | unplaced | late | wait | bound | gap | seconds "
        "| late vs greedy | wait vs greedy | rounds | panel solves (longest step s) | stage 1 s "
        "| stage 2 s | peak MB (before solving) "
        "| plan re-check |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        if run.error:
            lines.append(f"| {run.size:,} | {run.run} | {run.error} |" + " |" * 14)
            continue
        base = greedy.get(run.size)
        phases = run.get("phases") or {}
        gap = run.get("gap")
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{run.size:,}",
                    run.run,
                    run.get("status"),
                    _number(run.get("unplaced")),
                    _number(run.get("late")),
                    _number(run.get("objective")),
                    _number(run.get("bound")),
                    "-" if gap is None else f"{gap:.2%}",
                    f"{run.get('solve_seconds'):.2f}",
                    _ratio(run.get("late"), base.get("late") if base else None),
                    _ratio(run.get("objective"), base.get("objective") if base else None),
                    _number(run.get("rounds") or None),
                    f"{run.get('stage1_solves')} ({run.get('stage1_longest'):.1f})"
                    if run.run != "greedy"
                    else "-",
                    f"{phases.get('stage1', 0):.1f}" if run.run != "greedy" else "-",
                    f"{phases.get('stage2', 0):.1f}" if run.run != "greedy" else "-",
                    f"{run.get('peak_mb'):.0f} ({run.get('peak_mb_before_solve'):.0f})",
                    _valid(run),
                ]
            )
            + " |"
        )
    return lines


def instances_lines(runs: list[Run]) -> list[str]:
    seen: dict[int, Run] = {}
    for run in runs:
        if not run.error:
            seen.setdefault(run.size, run)
    lines = [
        "| referrals | panels | sittings | candidate sittings | people | leave periods | load "
        "| CLA share | generate s | build s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, run in sorted(seen.items()):
        lines.append(
            f"| {size:,} | {run.get('panels')} | {run.get('sittings'):,} | "
            f"{run.get('candidates'):,} | {run.get('people'):,} | {run.get('leave_periods'):,} | "
            f"{run.get('load'):.0%} | {run.get('cla_share'):.0%} | "
            f"{run.get('generate_seconds')} | {run.get('build_seconds')} |"
        )
    return lines


def goals(runs: list[Run]) -> list[str]:
    """Whether each of the issue's goals was met."""
    by = {(r.size, r.run): r for r in runs}
    lines = []
    run = by.get((3000, "cpsat"))
    if run is not None:
        if run.error:
            lines.append(f"- 3,000 proven optimal in under 10 s: not met ({run.error}).")
        else:
            met = run.get("status") == "optimal" and run.get("solve_seconds") < GOAL_SECONDS[3000]
            lines.append(
                f"- 3,000 proven optimal in under 10 s: {'met' if met else 'not met'} "
                f"({run.get('status')}, gap {run.get('gap'):.2%}, {run.get('solve_seconds')} s)."
            )
    run = by.get((20000, "cpsat"))
    if run is not None:
        if run.error:
            lines.append(
                f"- 20,000 within 1% of the bound in under a minute: not met ({run.error})."
            )
        else:
            met = run.get("gap") <= 0.01 and run.get("solve_seconds") < GOAL_SECONDS[20000]
            lines.append(
                f"- 20,000 within 1% of the bound in under a minute: {'met' if met else 'not met'} "
                f"(gap {run.get('gap'):.2%}, {run.get('solve_seconds')} s)."
            )
    return lines


def report(runs: list[Run], args: argparse.Namespace, started: str, load: str) -> str:
    import ortools

    limits = ", ".join(f"{s:,}: {_limit(args, s):g}" for s in args.sizes)
    lines = [
        "# Planner benchmark",
        "",
        f"Written by `benchmarks/bench_planner.py` on {started}: Python "
        f"{platform.python_version()}, OR-Tools {ortools.__version__}, {os.cpu_count()} cores "
        f"(load average {load} at the start; the machine is shared, so seconds vary), "
        f"seed {args.seed}, {args.workers} CP-SAT worker(s) per panel solve, "
        f"{'default' if args.threads is None else args.threads} thread(s) for panels side by "
        f"side, time limit {limits}" + " "
        "(deterministic units per round).",
        "",
        "## Instances",
        "",
        *instances_lines(runs),
        "",
        "## Results",
        "",
        "`wait` is the total weighted waiting days (`Result.objective`); `late vs greedy` and "
        "`wait vs greedy` are ratios to the greedy run of the same size (lower is better). "
        "Seconds are the solver's "
        "own (`Result.runtime`); stage 1 and 2 seconds come from its progress messages. Peak "
        "memory is the run's process's (instance and problem included; in brackets, before "
        "solving). "
        "`plan re-check` is the validator's verdict: `ok` when it found nothing but lateness, "
        "its late cases are exactly the plan's, and the waiting total recomputed from the "
        "bookings equals `wait`.",
        "",
        *table(runs),
        "",
    ]
    if met := goals(runs):
        lines += ["## Goals", "", *met, ""]
    notes = [
        f"- {r.size:,} {r.run}: {'; '.join(r.get('notes'))}"
        for r in runs
        if not r.error and r.get("notes")
    ]
    if notes:
        lines += ["## Solver notes", "", *notes, ""]
    return "\n".join(lines)


def _limit(args: argparse.Namespace, size: int) -> float:
    return float(args.time_limit) if args.time_limit is not None else TIME_LIMITS.get(size, 10.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--quick", action="store_true", help="500 referrals only")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="solve()'s time_limit; by default 10 up to 3,000 referrals and 60 above",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="CP-SAT workers per panel solve (interleaved when more than one)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="panels solved side by side (default: solve()'s own, the cores up to 4)",
    )
    parser.add_argument(
        "--run-timeout", type=float, default=1800.0, help="stop a run after this many seconds"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "planner.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        size, run = args.child.split(":")
        figures = child(
            int(size), run, args.seed, _limit(args, int(size)), args.workers, args.threads
        )
        print(json.dumps(figures))
        return 0

    if args.quick:
        args.sizes = [500]
    started = date.today().isoformat()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    runs: list[Run] = []
    for size in args.sizes:
        for name in RUNS:
            print(f"{size:,} referrals, {name} ...", flush=True)
            limit = _limit(args, size)
            run = _run_child(
                size,
                name,
                args.seed,
                limit,
                args.workers,
                args.threads,
                args.run_timeout,
            )
            runs.append(run)
            print(f"  {run.error or _summary(run)}", flush=True)
    text = report(runs, args, started, load)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print()
    print(text)
    print(f"\nwritten to {args.out}")
    return 0


def _summary(run: Run) -> str:
    return (
        f"{run.get('status')}: unplaced {run.get('unplaced')}, late {run.get('late')}, "
        f"wait {run.get('objective'):,}, bound {_number(run.get('bound'))}, "
        f"{run.get('solve_seconds')} s, peak {run.get('peak_mb'):.0f} MB, "
        f"phases {run.get('phases')}"
    )


if __name__ == "__main__":
    sys.exit(main())
