"""Benchmark: validate 100,000 records of Lambeth's panels (a benchmark, not a timed test).

Writes a realistic records file (two years of sittings, every column the Lambeth rules read,
about one record in twenty breaking a rule) to a temporary folder, then times reading it and
running the whole catalogue. Prints the seconds for each step.

    .venv/bin/python benchmarks/bench_validator.py [--records 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

from panelsched.core.sittings import generate_sittings
from panelsched.io.model_file import load_model
from panelsched.validator import load_records, validate

COLUMNS = [
    "referral_id", "panel", "date", "start", "end", "outcome", "child_id", "request_type",
    "cost", "complex", "social_worker", "team_manager", "attended", "submitted",
    "late_permission", "cla_review", "review_by", "contract_end", "submission_approved",
    "documents", "chair_present", "papers_sent", "minutes_on_record", "review_date",
    "deferral_reason", "age", "first_cla_review", "still_neet",
]  # fmt: skip
DOCUMENTS = "request form; case summary; genogram and chronology; assessment; child's plan"


def write_records(path: Path, count: int, seed: int) -> None:
    """A records file of ``count`` rows, every slot of every sitting filled in date order
    (Lambeth hears about 2,300 cases a year, so 100,000 records span decades); deterministic
    for ``seed``."""
    rng = random.Random(seed)
    authority = load_model(Path(__file__).parent.parent / "models" / "lambeth.yaml")
    years = count // 2000 + 1
    sittings = generate_sittings(authority, date(2027, 1, 1), date(2027 + years, 12, 31))
    booked = (
        (sitting, minute)
        for sitting in sittings
        for minute in range(
            sitting.window_minutes[0],
            sitting.window_minutes[1] - authority.panel(sitting.panel).slot_minutes + 1,
            authority.panel(sitting.panel).slot_minutes,
        )
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for n, (sitting, start) in zip(range(count), booked, strict=False):
            panel = authority.panel(sitting.panel)
            end = start + panel.slot_minutes
            day = sitting.date
            bad = rng.random() < 0.05
            submitted = (sitting.cutoff or datetime.combine(day, time(9))) - timedelta(
                hours=rng.randint(-2 if bad else 1, 200)
            )
            outcome = rng.choices(["approve", "decline", "defer"], [80, 10, 10])[0]
            writer.writerow(
                [
                    f"R-{n:06d}",
                    panel.id,
                    day.isoformat(),
                    f"{start // 60:02d}:{start % 60:02d}",
                    f"{end // 60:02d}:{end % 60:02d}",
                    outcome,
                    f"C-{rng.randint(10000, 99999)}",
                    rng.choice(["s17 package", "foster placement", "respite", "transport"]),
                    str(rng.randint(200, 9000)),
                    "no",
                    f"SW-{rng.randint(1, 300):03d}",
                    f"TM-{rng.randint(1, 40):02d}",
                    "",
                    submitted.strftime("%Y-%m-%d %H:%M"),
                    "no",
                    (day + timedelta(days=rng.randint(14, 90))).isoformat()
                    if rng.random() < 0.3
                    else "",
                    "",
                    "",
                    "no" if bad else "yes",
                    DOCUMENTS,
                    "no" if bad else "yes",
                    "",
                    (day + timedelta(days=rng.randint(1, 5 if bad else 3))).isoformat(),
                    (day + timedelta(days=182)).isoformat() if outcome == "approve" else "",
                    "assessment outstanding" if outcome == "defer" else "",
                    str(rng.randint(15, 24)) if panel.id in ("lam-16plus", "lam-neet") else "",
                    (day - timedelta(days=rng.randint(1, 20))).isoformat()
                    if panel.id == "lam-ptp"
                    else "",
                    "yes" if panel.id == "lam-neet" and rng.random() < 0.5 else "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    authority = load_model(Path(__file__).parent.parent / "models" / "lambeth.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        write_records(path, args.records, args.seed)
        began = clock.perf_counter()
        records = load_records(path, authority)
        read = clock.perf_counter()
        found = validate(authority, records=records)
        done = clock.perf_counter()
    print(f"records:   {len(records.rows):,}")
    print(f"findings:  {len(found.findings):,} ({found.errors:,} errors)")
    print(f"read:      {read - began:.2f} s")
    print(f"validate:  {done - read:.2f} s")
    print(f"total:     {done - began:.2f} s")


if __name__ == "__main__":
    main()
