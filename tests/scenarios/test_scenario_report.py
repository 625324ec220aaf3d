"""`panelsched scenario compare`: kpis.csv, comparison.csv and report.md agree."""

from __future__ import annotations

import csv
import re
import statistics
import time
from pathlib import Path

import pytest
from scenario_helpers import SMALL
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.plots.scenario import read_comparison
from panelsched.scenarios.report import COMPARISON_COLUMNS, KPI_COLUMNS
from panelsched.scenarios.stats import t_quantile

LONGER = (
    SMALL.replace("name: small", "name: longer")
    + "changes:\n  - {panel: cbc-arp, time: '09:30-13:30'}\n"
)


@pytest.fixture(scope="module")
def compare_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The output folder of ``scenario compare`` and the wall-clock seconds the command took."""
    folder = tmp_path_factory.mktemp("compare")
    first, second = folder / "small.yaml", folder / "longer.yaml"
    first.write_text(SMALL, encoding="utf-8")
    second.write_text(LONGER, encoding="utf-8")
    out = folder / "out"
    began = time.perf_counter()
    result = CliRunner().invoke(
        app, ["scenario", "compare", str(first), str(second), "--out", str(out), "--workers", "1"]
    )
    elapsed = time.perf_counter() - began
    assert result.exit_code == 0, result.output
    assert "Wrote kpis.csv, comparison.csv, report.md, timings.csv" in " ".join(
        result.output.split()
    )
    return out, elapsed


@pytest.fixture(scope="module")
def compared(compare_run: tuple[Path, float]) -> Path:
    return compare_run[0]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_kpis_has_a_row_per_scenario_replication_and_method(compared: Path) -> None:
    rows = _rows(compared / "kpis.csv")
    assert list(rows[0])[: len(KPI_COLUMNS)] == list(KPI_COLUMNS)
    assert [(r["scenario"], r["replication"], r["method"]) for r in rows] == [
        (name, str(rep), method)
        for name in ("small", "longer")
        for rep in (1, 2)
        for method in ("cpsat", "greedy")
    ]
    assert "utilisation:cbc-arp" in rows[0]


def test_comparison_means_and_intervals_follow_from_kpis(compared: Path) -> None:
    kpis = _rows(compared / "kpis.csv")
    rows = _rows(compared / "comparison.csv")
    assert list(rows[0]) == list(COMPARISON_COLUMNS)
    # One row per scenario and figure.
    assert len({(r["scenario"], r["figure"]) for r in rows}) == len(rows)
    by = {(r["scenario"], r["figure"]): r for r in rows}

    def values(name: str, method: str, figure: str) -> list[float]:
        return [float(k[figure]) for k in kpis if k["scenario"] == name and k["method"] == method]

    for figure in ("mean_wait_days", "utilisation", "late"):
        solver = values("longer", "cpsat", figure)
        row = by[("longer", figure)]
        mean = statistics.fmean(solver)
        assert float(row["mean"]) == pytest.approx(mean, abs=1e-4)
        # Two replications: the half-width is t(0.975, 1) * sd / sqrt(2).
        half = t_quantile(1) * statistics.stdev(solver) / 2**0.5
        assert float(row["ci_high"]) == pytest.approx(mean + half, abs=1e-3)
        # The difference is paired replication by replication against the first scenario.
        reference = values("small", "cpsat", figure)
        diffs = [a - b for a, b in zip(solver, reference, strict=True)]
        assert row["reference"] == "small"
        assert float(row["diff_mean"]) == pytest.approx(statistics.fmean(diffs), abs=1e-4)
        greedy = values("longer", "greedy", figure)
        assert float(row["greedy_mean"]) == pytest.approx(statistics.fmean(greedy), abs=1e-4)
    # The reference has no difference from itself.
    assert by[("small", "late")]["reference"] == by[("small", "late")]["diff_mean"] == ""


def test_a_longer_sitting_runs_less_full(compared: Path) -> None:
    # The same referrals in both (same seed, same demand) and 240 minutes a sitting instead of
    # 180: the longer sittings hear a few more cases inside the horizon, but nowhere near a
    # third more, so each replication's sittings run less full.
    kpis = _rows(compared / "kpis.csv")
    for rep in ("1", "2"):
        small, longer = (
            next(
                float(k["utilisation"])
                for k in kpis
                if (k["scenario"], k["replication"], k["method"]) == (name, rep, "cpsat")
            )
            for name in ("small", "longer")
        )
        assert longer < small
    rows = {(r["scenario"], r["figure"]): r for r in _rows(compared / "comparison.csv")}
    assert float(rows[("longer", "utilisation")]["diff_mean"]) < 0


def test_report_shows_each_figure_with_its_interval(compared: Path) -> None:
    text = (compared / "report.md").read_text(encoding="utf-8")
    rows = {(r["scenario"], r["figure"]): r for r in _rows(compared / "comparison.csv")}
    row = rows[("longer", "mean_wait_days")]
    cell = f"{float(row['mean']):.1f} [{float(row['ci_low']):.1f}, {float(row['ci_high']):.1f}]"
    assert "| mean wait (days) | " in text
    assert cell in text
    assert "### small (reference)" in text
    assert "- changes: cbc-arp: time 09:30-13:30" in text
    assert "| figure | longer - small |" in text
    assert "## Definitions" in text


def test_the_comparison_is_what_the_scenario_plot_reads(compared: Path) -> None:
    frame = read_comparison(compared / "comparison.csv")
    assert set(frame["scenario"]) == {"small", "longer"}


def test_timings_are_kept_apart(compare_run: tuple[Path, float]) -> None:
    compared, elapsed = compare_run
    rows = _rows(compared / "timings.csv")
    # One plan per scenario, replication and method, in the order of kpis.csv.
    assert [(r["scenario"], r["replication"], r["method"]) for r in rows] == [
        (name, str(rep), method)
        for name in ("small", "longer")
        for rep in (1, 2)
        for method in ("cpsat", "greedy")
    ]
    assert all(re.fullmatch(r"\d+\.\d{3}", r["seconds"]) for r in rows)
    seconds = [float(r["seconds"]) for r in rows]
    # Measured, not made up: every CP-SAT plan takes some time, and with one worker the plans
    # run one after another inside the command, so together they fit in its wall-clock time
    # (each figure is rounded to the millisecond, at most half of one off).
    assert all(s > 0 for s, r in zip(seconds, rows, strict=True) if r["method"] == "cpsat")
    assert sum(seconds) <= elapsed + 0.0005 * len(rows)
