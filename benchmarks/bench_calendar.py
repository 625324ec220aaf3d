"""Time the sitting calendar for every shipped model over ten years (2027-2036).

Run ``python benchmarks/bench_calendar.py``. Each model's calendar is generated five times and
the best time is kept (the least disturbed by other work on the machine). The goal is well
under a second for all models together.

The first call for a subdivision builds its bank-holiday table, a one-off cost a process pays
once; it shows in the ``first`` column (the first model listed pays it for all ENG models) and
is left out of the best-of-five ``seconds``.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from panelsched.core.panels import Authority
from panelsched.core.sittings import generate_sittings
from panelsched.io.model_file import load_model

MODELS = Path(__file__).resolve().parents[1] / "models"
START, END = date(2027, 1, 1), date(2036, 12, 31)
REPEATS = 5


def best_of(authority: Authority, repeats: int = REPEATS) -> tuple[int, float, float]:
    """Sittings in the ten years, the first call's seconds and the best of ``repeats`` runs."""
    began = time.perf_counter()
    count = len(generate_sittings(authority, START, END))
    first = time.perf_counter() - began
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        generate_sittings(authority, START, END)
        best = min(best, time.perf_counter() - began)
    return count, first, best


def main() -> int:
    """Print a table of model, sittings, first-call and best seconds, then the totals."""
    files = sorted(MODELS.glob("*.yaml"))
    if not files:
        print(f"no models in {MODELS}", file=sys.stderr)
        return 1
    print(f"Calendar {START.isoformat()} to {END.isoformat()}, best of {REPEATS}")
    print(f"{'model':<32} {'panels':>6} {'sittings':>9} {'first':>9} {'seconds':>9}")
    total_sittings, total_first, total_seconds = 0, 0.0, 0.0
    for path in files:
        authority = load_model(path)
        sittings, first, seconds = best_of(authority)
        total_sittings += sittings
        total_first += first
        total_seconds += seconds
        panels = len(authority.panels)
        print(f"{path.name:<32} {panels:>6} {sittings:>9} {first:>9.4f} {seconds:>9.4f}")
    print(f"{'total':<32} {'':>6} {total_sittings:>9} {total_first:>9.4f} {total_seconds:>9.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
