"""Benchmark: kill -9 the forward planner's commands at many moments (issue 17).

Each of `planner add`, `decide`, `cancel`, `extra` and `export` is run once to the end on
Lambeth's example diary (see ``tests/helpers/kill_sweep.py``) to measure its run time and what
it leaves; then it is run again N times, each on a fresh copy, and sent SIGKILL at N moments
spread evenly over one and a half times that run time. After each kill the store must pass
``PRAGMA integrity_check``, hold all of the change or none of it (an export: the earlier set
of files, the new set, or part of one set, never old files beside new), and the same
command run again must leave what a whole run leaves. Writes
``benchmarks/results/kill-sweep.md``.

    .venv/bin/python benchmarks/bench_kill_sweep.py [--points 24] [--commands add export]
    .venv/bin/python benchmarks/bench_kill_sweep.py --quick     # 6 points a command
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

# The sweep is shared with tests/forward/test_store_faults.py: import it as the tests do.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.kill_sweep import COMMANDS, Ends, ends, kill_after, make_diaries, spread

RESULTS = Path(__file__).resolve().parent / "results" / "kill-sweep.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=24, help="kill moments per command")
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=COMMANDS)
    parser.add_argument("--quick", action="store_true", help="6 points per command")
    parser.add_argument("--out", type=Path, default=RESULTS)
    options = parser.parse_args()
    points = 6 if options.quick else options.points
    rows = []
    failures = 0
    with tempfile.TemporaryDirectory(prefix="kill-sweep-") as folder:
        work = Path(folder)
        diaries = make_diaries(work / "diaries")
        for name in options.commands:
            # The run time is the median of three whole runs (the first warms the caches);
            # the kill moments reach half as far again, so some land after the command ends.
            runs = [ends(diaries, name, work) for _ in range(3)]
            assert all(r.after == runs[0].after for r in runs), f"{name} is not repeatable"
            seconds = statistics.median(r.seconds for r in runs)
            whole = Ends(name, runs[0].before, runs[0].after, seconds)
            states: Counter[str] = Counter()
            unsound = not_next = ended = 0
            for delay in spread(whole.seconds * 1.5, points):
                killed = kill_after(diaries, whole, delay, work)
                states[killed.state] += 1
                unsound += killed.integrity != "ok"
                not_next += not killed.next_works
                ended += killed.ended
            broken = states["broken"] + unsound + not_next
            failures += broken
            rows.append((name, whole.seconds, points, states, unsound, not_next, ended, broken))
            print(
                f"{name}: {whole.seconds:.2f} s, {points} kills: none {states['none']}, "
                f"all {states['all']}, part {states['part']}, broken {states['broken']}, "
                f"integrity failures {unsound}, next command failed {not_next}",
                flush=True,
            )
    lines = [
        "# Kill sweep (issue 17)",
        "",
        f"`benchmarks/bench_kill_sweep.py --points {points}` on {platform.machine()}, "
        f"Python {platform.python_version()}. "
        f"Each command is killed with SIGKILL at {points} moments spread evenly over 1.5 times"
        " its run time (the median of three whole runs, each in a process of its own: start-"
        "up, reading, planning, saving). *none*: the store (or the export folder) is exactly "
        "as before; *all*: exactly as after a whole run; *part*: an export folder holding "
        "part of one set of files (a kill in the milliseconds the set is renamed in); "
        "*broken*: anything else. *ended*: the command had finished before the kill came. "
        "After every kill the same command is run again and must leave what a whole run "
        "leaves.",
        "",
        "| command | run (s) | kills | none | all | part | broken | integrity failures "
        "| next command failed | ended before the kill |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, seconds, count, states, unsound, not_next, ended, _ in rows:
        lines.append(
            f"| `planner {name}` | {seconds:.2f} | {count} | {states['none']} | "
            f"{states['all']} | {states['part']} | {states['broken']} | {unsound} | "
            f"{not_next} | {ended} |"
        )
    verdict = "all consistent" if not failures else f"{failures} INCONSISTENT"
    lines += ["", f"{sum(r[2] for r in rows)} kills: {verdict}.", ""]
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"Wrote {options.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
