"""Run every ``benchmarks/bench_*.py`` script in turn and print its output (``make bench``).

    .venv/bin/python benchmarks/run.py            # every benchmark, full sizes
    .venv/bin/python benchmarks/run.py --quick    # the small size of those that have one
    .venv/bin/python benchmarks/run.py planner    # only bench_planner.py

``--quick`` is passed on only to the scripts that accept it (those whose text declares a
``--quick`` option). Each script runs with this interpreter, from the repository root; the exit
status is the number of scripts that failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(names: list[str]) -> list[Path]:
    """The benchmark scripts, sorted; only those named (``planner`` or ``bench_planner.py``)."""
    found = sorted(HERE.glob("bench_*.py"))
    if not names:
        return found
    wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
    return [p for p in found if p.stem.removeprefix("bench_") in wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes where offered")
    args = parser.parse_args()
    chosen = scripts(args.names)
    if not chosen:
        print(f"no benchmark matches {args.names} in {HERE}", file=sys.stderr)
        return 1
    failed = 0
    for path in chosen:
        command = [sys.executable, str(path)]
        if args.quick and '"--quick"' in path.read_text(encoding="utf-8"):
            command.append("--quick")
        print(f"=== {path.name} {' '.join(command[2:])}".rstrip(), flush=True)
        began = time.perf_counter()
        # Output goes straight to the terminal, so long benchmarks show their progress.
        code = subprocess.run(command, cwd=HERE.parent, check=False).returncode
        seconds = time.perf_counter() - began
        if code:
            failed += 1
            print(f"=== {path.name} failed (exit status {code}) after {seconds:.1f} s", flush=True)
        else:
            print(f"=== {path.name} done in {seconds:.1f} s\n", flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
