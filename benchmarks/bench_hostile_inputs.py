"""Benchmark: small hostile input files against `panelsched plan` (issue 31, item 8).

Each file is a few hundred kilobytes that unpacks to a great deal (the builders are
``tests/helpers/hostile_xlsx.py``'s): one row of 2,000,000 cells, a shared-strings part of 300 MB
of text, and a CSV of 25,000 rows naming an unknown panel (25,000 problems). Each is given to
`panelsched plan models/lambeth.yaml --referrals FILE` in a process of its own, several times,
quiet and with every core kept busy by other processes; the table gives the median and worst
wall seconds, the peak memory of the process, the exit status and the lines it printed. With
``--src DIR`` the same runs use another checkout's ``src`` (an earlier release, for "before").
Writes ``benchmarks/results/hostile-inputs.md``.

    .venv/bin/python benchmarks/bench_hostile_inputs.py [--runs 5] [--src OLD/src --label before]
    .venv/bin/python benchmarks/bench_hostile_inputs.py --quick     # 2 runs, quiet only
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

# The builders are shared with tests/io/test_hostile_tables.py: import them as the tests do.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.hostile_xlsx import HEADER, hostile, one_text_row, text_blocks, wide_row

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "hostile-inputs.md"
LAMBETH = ROOT / "models" / "lambeth.yaml"

# Runs the command and reports its own children's peak memory: a fresh process per run, so
# one run's peak is not another's.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "status": done.returncode,
    "lines": len((done.stdout + done.stderr).splitlines()),
    "first": (done.stderr or done.stdout).strip().splitlines()[:1],
}))
"""


def _files(folder: Path) -> dict[str, Path]:
    csv = folder / "problems.csv"
    rows = [f"R{n},nope,2027-01-04,SW1,TM1" for n in range(1, 25_001)]
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return {
        "one row of 2,000,000 cells (XLSX)": hostile(folder / "wide.xlsx", wide_row(2_000_000)),
        "300 MB of shared strings (XLSX)": hostile(
            folder / "text.xlsx", one_text_row(), text_blocks(300)
        ),
        "25,000 rows each with a problem (CSV)": csv,
    }


def _burn() -> None:
    while True:
        pass


def _run(src: Path, path: Path, out: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "panelsched.cli", "plan", str(LAMBETH), "--referrals"]
    command += [str(path), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each file, each condition")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package's src")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--quick", action="store_true", help="2 runs, quiet only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    options = parser.parse_args()
    runs = 2 if options.quick else options.runs
    conditions = ["quiet"] if options.quick else ["quiet", "busy"]
    lines = [
        f"## {options.label} ({date.today():%d %B %Y})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{runs} runs each; busy: {os.cpu_count()} other processes spinning.",
        "",
        "| file | size | machine | seconds median | seconds worst | peak MB worst | exit | "
        "lines printed | first line |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        work = Path(folder)
        for name, path in _files(work).items():
            for condition in conditions:
                burners = []
                if condition == "busy":
                    burners = [
                        multiprocessing.Process(target=_burn, daemon=True)
                        for _ in range(os.cpu_count() or 2)
                    ]
                    for burner in burners:
                        burner.start()
                try:
                    found = [_run(options.src, path, work / "out") for _ in range(runs)]
                finally:
                    for burner in burners:
                        burner.terminate()
                seconds = [float(str(r["seconds"])) for r in found]
                first = str((found[0]["first"] or [""])[0])  # type: ignore[index]
                first = first.replace(str(path), path.name)
                first = first if len(first) <= 90 else first[:87] + "..."
                lines.append(
                    f"| {name} | {path.stat().st_size / 1024:,.0f} KB | {condition} | "
                    f"{statistics.median(seconds):.1f} | {max(seconds):.1f} | "
                    f"{max(float(str(r['peak_mb'])) for r in found):,.0f} | "
                    f"{found[0]['status']} | {found[0]['lines']:,} | "
                    f"{first.replace('|', '/')} |"
                )
                print(lines[-1], flush=True)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    before = options.out.read_text(encoding="utf-8") if options.out.exists() else ""
    head = "# Hostile input files (`bench_hostile_inputs.py`)\n\n"
    options.out.write_text(
        head + "\n".join(lines) + "\n\n" + before.removeprefix(head), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
