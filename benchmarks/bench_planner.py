"""Benchmark the planner as a council would run it: families of years, many seeds (issue 13).

For each family of :mod:`families` and each seed, the year is written as a user's files
(``model.yaml``, ``referrals.csv``, ``availability.csv``) and planned with the command itself,
``panelsched plan ... --time-limit S``, in its own process: wall seconds are the command's
(start-up, reading, the greedy baseline, both stages and the four files), and peak memory is
its own (``wait4``'s ``ru_maxrss``). ``panelsched validate`` then re-checks every plan (it
never imports ortools): the run is ``ok`` when the only findings are lateness (S6-S14) and they
name exactly the plan's late cases.

Per family the table gives the median and the worst over the seeds of: late cases above the
proven lower bound on late cases (``Result.late_bound``, the relaxation's, over every sitting),
waiting above the proven bound on waiting (``Result.bound``), wall seconds, peak memory, and
the greedy baseline (first come, first served, from the same ``summary.json``): its late cases
as a ratio to the plan's, and its late cases and waiting above the same bounds.

    .venv/bin/python benchmarks/bench_planner.py                      # every family, 10 seeds
    .venv/bin/python benchmarks/bench_planner.py --families b --seeds 3
    .venv/bin/python benchmarks/bench_planner.py --quick              # family b, 2 seeds

Raw figures go to ``benchmarks/results/planner-runs.jsonl`` (one run a line, appended, so a
long run can be resumed with ``--resume``), the tables to ``benchmarks/results/planner.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
# Seconds given to ``--time-limit`` per family: the goals (b: 10 s at 3,000 including
# start-up; c: a minute at 20,000; d: five minutes at 50,000).
TIME_LIMITS = {"a": 10.0, "b": 10.0, "c": 60.0, "d": 290.0}
GOALS = {
    "b": "every seed: 0 unplaced, late at its lower bound, waiting within 1% of its bound, "
    "under 10 s",
    "c": "within 1% of the bound in under 60 s",
    "d": "within 2% in under 5 minutes and 2 GB",
}
LATENESS = {"S6", "S7", "S8", "S9", "S10", "S11", "S12", "S14"}


def _command(*args: str) -> list[str]:
    # The console script installed beside this interpreter, as a user would run it.
    return [str(Path(sys.executable).with_name("panelsched")), *args]


def _timed(command: list[str], timeout: float) -> tuple[int, float, float, str]:
    """Run ``command``: exit status, wall seconds, peak MB (its own), the end of its output."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        deadline = began + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        output.seek(0)
        tail = output.read().decode("utf-8", "replace")[-600:]
    scale = 1 if sys.platform == "darwin" else 1024
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss * scale / 2**20, tail


def run_one(
    family: str, seed: int, limit: float, folder: Path, timeout: float, reference: float = 0.0
) -> dict[str, Any]:
    """Write one year of ``family``, plan it with the command, re-check it; its figures.

    With ``reference`` seconds a panel, :mod:`reference_bound` also proves a stronger bound
    on waiting, offline, started from the command's plan.
    """
    sys.path.insert(0, str(HERE))
    import families

    began = time.perf_counter()
    instance = families.make(family, seed)
    model, referrals, availability = families.write(instance, folder)
    made = time.perf_counter() - began
    out = folder / "plan"
    inputs = ["--referrals", str(referrals), "--availability", str(availability)]
    code, wall, peak, tail = _timed(
        _command("plan", str(model), *inputs, "--out", str(out), "--time-limit", f"{limit:g}"),
        timeout,
    )
    figures: dict[str, Any] = {
        "family": family,
        "seed": seed,
        "time_limit": limit,
        "referrals": len(instance.referrals),
        "panels": len(instance.authority.panels),
        "people": instance.people,
        "leave_periods": len(instance.availability),
        "load": round(instance.load, 3),
        "generate_seconds": round(made, 2),
        "wall_seconds": round(wall, 2),
        "peak_mb": round(peak, 1),
    }
    if code != 0:
        figures["error"] = f"plan exited {code}: {tail.strip().splitlines()[-1:]}"
        return figures
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    base = summary["baseline"]
    figures.update(
        status=summary["status"],
        unplaced=summary["unplaced"],
        late=summary["late"],
        late_bound=summary.get("late_bound"),
        wait=summary["objective"],
        bound=summary["bound"],
        solve_seconds=summary["solve_seconds"],
        capped=(summary.get("time_limit") or {}).get("wall_clock_cap_cut_in"),
        work_units=(summary.get("time_limit") or {}).get("work_units"),
        greedy_unplaced=base["unplaced"],
        greedy_late=base["late"],
        greedy_wait=base["objective"],
        notes=summary.get("notes", []),
    )
    check = folder / "check"
    code, _, _, tail = _timed(
        _command(
            "validate",
            str(model),
            "--bookings",
            str(out / "bookings.csv"),
            *inputs,
            "--out",
            str(check),
            "--format",
            "json",
        ),
        timeout,
    )
    if code not in (0, 1):
        figures["recheck"] = f"validate exited {code}: {tail.strip().splitlines()[-1:]}"
        return figures
    found = json.loads((check / "findings.json").read_text(encoding="utf-8"))["findings"]
    broken = sorted({f["rule"] for f in found if f["rule"] not in LATENESS})
    late_ids = {f["referral_id"] for f in found if f["rule"] in LATENESS}
    if broken:
        figures["recheck"] = "broken: " + ", ".join(broken)
    elif len(late_ids) != figures["late"]:
        figures["recheck"] = (
            f"validator finds {len(late_ids)} late, the plan says {figures['late']}"
        )
    else:
        figures["recheck"] = "ok"
    if reference > 0:
        figures.update(_reference(folder, out / "bookings.csv", reference, timeout))
        if figures.get("reference_bound") is not None:
            # Both are proven lower bounds: the higher holds.
            figures["reference_bound"] = max(figures["reference_bound"], figures["bound"])
    return figures


def _reference(folder: Path, bookings: Path, seconds: float, timeout: float) -> dict[str, Any]:
    """The reference bound of :mod:`reference_bound` for the year in ``folder``."""
    command = [sys.executable, str(HERE / "reference_bound.py"), str(folder)]
    command += ["--bookings", str(bookings), "--seconds", f"{seconds:g}"]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        return {"reference_error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    # HiGHS prints its banner first: the answer is the last line.
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "reference_bound": found["reference_bound"],
        "reference_panels_proven": found["panels_proven"],
        "reference_seconds": seconds,
    }


# --- tables -------------------------------------------------------------------------------


def _excess(run: dict[str, Any], value: str, bound: str) -> float | None:
    """How far ``value`` is above its lower bound, as a share of the bound (0 at it)."""
    low = run.get(bound)
    high = run.get(value)
    if low is None or high is None:
        return None
    return (high - low) / low if low else (0.0 if high == 0 else float("inf"))


COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], float | None], str, bool], ...] = (
    # (heading, figure of one run, format, higher is worse)
    (
        "late above its bound",
        lambda r: r["late"] - r["late_bound"] if r.get("late_bound") is not None else None,
        "{:.0f}",
        True,
    ),
    ("waiting above its bound", lambda r: _excess(r, "wait", "bound"), "{:.2%}", True),
    (
        "waiting above the reference bound",
        lambda r: _excess(r, "wait", "reference_bound"),
        "{:.2%}",
        True,
    ),
    ("wall s", lambda r: r["wall_seconds"], "{:.1f}", True),
    ("peak MB", lambda r: r["peak_mb"], "{:.0f}", True),
    (
        "greedy late / plan late",
        lambda r: r["greedy_late"] / r["late"] if r["late"] else None,
        "{:.2f}",
        False,
    ),
    (
        "greedy late above the bound",
        lambda r: _excess(r, "greedy_late", "late_bound"),
        "{:.0%}",
        True,
    ),
    (
        "greedy waiting above the bound",
        lambda r: _excess(r, "greedy_wait", "bound"),
        "{:.1%}",
        True,
    ),
    (
        "greedy waiting above the reference bound",
        lambda r: _excess(r, "greedy_wait", "reference_bound"),
        "{:.1%}",
        True,
    ),
)


def _median_and_worst(
    runs: Sequence[dict[str, Any]],
    figure: Callable[[dict[str, Any]], float | None],
    worse_high: bool,
) -> tuple[float | None, float | None]:
    values = [v for r in runs if (v := figure(r)) is not None]
    if not values:
        return None, None
    return statistics.median(values), (max(values) if worse_high else min(values))


def family_table(runs: Sequence[dict[str, Any]]) -> list[str]:
    """One row per family: seeds, and the median and worst of each column."""
    head = "| family | referrals | seeds | unplaced (worst) | capped | re-check |"
    rule = "|---|---:|---:|---:|---:|---|"
    for name, _, _, _ in COLUMNS:
        head += f" {name}: median | worst |"
        rule += "---:|---:|"
    lines = [head, rule]
    by_family: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        by_family.setdefault(run["family"], []).append(run)
    for family, group in sorted(by_family.items()):
        done = [r for r in group if "error" not in r]
        checks = sorted({r.get("recheck", "-") for r in done})
        cells = [
            family,
            f"{statistics.median(r['referrals'] for r in group):,.0f}",
            f"{len(done)}"
            + (f" ({len(group) - len(done)} failed)" if len(done) < len(group) else ""),
            f"{max((r['unplaced'] for r in done), default=0)}",
            f"{sum(bool(r.get('capped')) for r in done)}",
            "; ".join(checks) if checks else "-",
        ]
        for _, figure, form, worse_high in COLUMNS:
            median, worst = _median_and_worst(done, figure, worse_high)
            cells += [
                "-" if median is None else form.format(median),
                "-" if worst is None else form.format(worst),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def runs_table(runs: Sequence[dict[str, Any]]) -> list[str]:
    """Every run, for the record."""
    lines = [
        "| family | seed | referrals | load | status | unplaced | late (bound) "
        "| wait (bound; reference bound) "
        "| wall s | solve s | peak MB | capped | greedy late | greedy wait | re-check |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for r in runs:
        if "error" in r:
            lines.append(
                f"| {r['family']} | {r['seed']} | {r['referrals']:,} | | {r['error']} |" + " |" * 10
            )
            continue
        lines.append(
            f"| {r['family']} | {r['seed']} | {r['referrals']:,} | {r['load']:.0%} | {r['status']} "
            f"| {r['unplaced']} | {r['late']} ({r.get('late_bound')}) "
            f"| {r['wait']:,} ({r['bound']:,}; {_thousands(r.get('reference_bound'))}) "
            f"| {r['wall_seconds']:.1f} | {r['solve_seconds']:.1f} | {r['peak_mb']:.0f} "
            f"| {'yes' if r.get('capped') else 'no'} | {r['greedy_late']} | {r['greedy_wait']:,} "
            f"| {r.get('recheck', '-')} |"
        )
    return lines


def _thousands(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _reference_seconds(runs: Sequence[dict[str, Any]]) -> str:
    given = sorted({r["reference_seconds"] for r in runs if r.get("reference_seconds")})
    if not given:
        return "not run in this table"
    return " or ".join(f"{s:g} s" for s in given) + " a panel"


def report(runs: Sequence[dict[str, Any]], started: str, load: str) -> str:
    import ortools

    limits = ", ".join(
        f"{f}: {s:g} s" for f, s in sorted({(r["family"], r["time_limit"]) for r in runs})
    )
    lines = [
        "# Planner benchmark: families of years, many seeds",
        "",
        f"Written by `benchmarks/bench_planner.py` on {started}: Python "
        f"{platform.python_version()}, OR-Tools {ortools.__version__}, {os.cpu_count()} cores, "
        f"load average {load} at the start (the run's own load is about 2). **The machine may be "
        "shared with other engineers' test runs, which makes wall seconds longer and can bring "
        "the cap in** (`capped`); an uncapped run's plan is not affected: the work each run "
        "does is fixed by its time limit and input. `--time-limit` per family: "
        f"{limits}.",
        "",
        "Bounds: `late above its bound` is late cases minus `Result.late_bound`, the stage-1 "
        "relaxation's proven lower bound on late cases over every sitting (summed over panels; "
        "given the most referrals placed). `waiting above its bound` is weighted waiting days "
        "over `Result.bound`, the proven lower bound on waiting given the levels before it: "
        "per panel the relaxation's (HiGHS) or CP-SAT's own, whichever is higher. `waiting "
        "above the reference bound` is against a stronger bound proven offline "
        "(`reference_bound.py`: stage 1's model as a MIP in HiGHS, "
        f"{_reference_seconds(runs)}, started from the plan; '-' where not run): "
        "it tells how far the plan is from the best possible, where the first tells how "
        "much the planner could prove in its time limit. The greedy columns measure first "
        "come, first served against the same bounds.",
        "",
        "## Median and worst over the seeds",
        "",
        *family_table(runs),
        "",
        "## Every run",
        "",
        *runs_table(runs),
        "",
        "## Goals (issue 13)",
        "",
        *[f"- family {f}: {g}" for f, g in GOALS.items()],
        "",
    ]
    return "\n".join(lines)


def _earlier_references(raw: Path | None) -> dict[tuple[str, int], dict[str, Any]]:
    """Reference bounds recorded in an earlier raw file, by family and seed."""
    if raw is None:
        return {}
    found = {}
    for line in raw.read_text(encoding="utf-8").splitlines():
        run = json.loads(line)
        if run.get("reference_bound") is not None:
            found[run["family"], run["seed"]] = {
                key: run[key]
                for key in ("reference_bound", "reference_panels_proven", "reference_seconds")
            }
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="+", default=["a", "b", "c", "d"])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per family (1, 2, ...)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="override per family")
    parser.add_argument("--quick", action="store_true", help="family b, 2 seeds")
    parser.add_argument("--resume", action="store_true", help="keep runs already recorded")
    parser.add_argument("--run-timeout", type=float, default=1800.0)
    parser.add_argument(
        "--reference",
        type=float,
        default=0.0,
        metavar="S",
        help="also prove the offline reference bound, S seconds a panel (0: not)",
    )
    parser.add_argument(
        "--reference-from",
        type=Path,
        default=None,
        metavar="RAW",
        help="take reference bounds from an earlier run's raw file (the bound depends on the "
        "year only, not on the plan it started from)",
    )
    parser.add_argument("--raw", type=Path, default=RESULTS / "planner-runs.jsonl")
    parser.add_argument("--out", type=Path, default=RESULTS / "planner.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.families, args.seeds = ["b"], 2
    args.raw.parent.mkdir(parents=True, exist_ok=True)
    started = date.today().isoformat()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    done: list[dict[str, Any]] = []
    if args.resume and args.raw.exists():
        done = [json.loads(line) for line in args.raw.read_text(encoding="utf-8").splitlines()]
    elif args.raw.exists():
        args.raw.unlink()
    seen = {(r["family"], r["seed"]) for r in done}
    earlier = _earlier_references(args.reference_from)
    for family in args.families:
        limit = args.time_limit or TIME_LIMITS[family]
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            if (family, seed) in seen:
                continue
            print(f"family {family}, seed {seed}, --time-limit {limit:g} ...", flush=True)
            with tempfile.TemporaryDirectory() as folder:
                figures = run_one(
                    family, seed, limit, Path(folder), args.run_timeout, args.reference
                )
            if (family, seed) in earlier and "reference_bound" not in figures:
                figures.update(earlier[family, seed])
                if figures.get("bound") is not None and figures["reference_bound"] is not None:
                    figures["reference_bound"] = max(figures["reference_bound"], figures["bound"])
            print(f"  {json.dumps(figures)}", flush=True)
            done.append(figures)
            with args.raw.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(figures) + "\n")
    text = report(done, started, load)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nwritten to {args.out} and {args.raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
