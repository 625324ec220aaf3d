"""`panelsched scenario compare`: kpis.csv, comparison.csv and report.md agree."""

from __future__ import annotations

import csv
import re
import statistics
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.cli.tables import solver_table
from panelsched.plots.scenario import read_comparison
from panelsched.scenarios import load_scenarios
from panelsched.scenarios.kpis import figure_keys
from panelsched.scenarios.outputs import COMPARISON_COLUMNS, KPI_COLUMNS
from panelsched.scenarios.runner import KpiRow, Run
from panelsched.scenarios.stats import t_quantile
from tests.helpers.scenarios import SMALL

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


def test_the_terminal_table_counts_unplaced_beside_late_with_the_difference(
    tmp_path: Path,
) -> None:
    # Two replications each, every figure the same in both (so each interval is its mean).
    # small: 5 heard late, none unplaced. fortnightly: 2 heard late, but 24 never heard, so
    # 26 not in time: 21 more than small, though 3 fewer are late.
    first, second = tmp_path / "small.yaml", tmp_path / "fortnightly.yaml"
    first.write_text(SMALL, encoding="utf-8")
    second.write_text(SMALL.replace("name: small", "name: fortnightly"), encoding="utf-8")
    scenarios = load_scenarios([first, second])
    keys = figure_keys(scenarios[0].panel_ids)

    def row(name: str, replication: int, method: str, late: int, unplaced: int) -> KpiRow:
        figures = dict.fromkeys(keys, 0.0) | {
            "late": late,
            "unplaced": unplaced,
            "not_in_time": late + unplaced,
        }
        return KpiRow(name, replication, 11, method, "optimal", 0.0, figures)

    rows = tuple(
        row(name, rep, method, late, unplaced)
        for name, late, unplaced in (("small", 5, 0), ("fortnightly", 2, 24))
        for rep in (0, 1)
        for method in ("cpsat", "greedy")
    )
    console = Console(record=True, width=200)
    console.print(solver_table(Run(scenarios, rows, (), 0.0, 1)))
    # Each line as a person reads it, the table's rules left out.
    text = console.export_text().replace("│", " ").replace("┃", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "figure small fortnightly fortnightly - small" in lines
    assert (
        "heard late (after the due date) 5.0 [5.0, 5.0] 2.0 [2.0, 2.0] -3.0 [-3.0, -3.0]" in lines
    )
    assert "unplaced 0.0 [0.0, 0.0] 24.0 [24.0, 24.0] +24.0 [+24.0, +24.0]" in lines
    assert (
        "not heard in time (late or unplaced) 5.0 [5.0, 5.0] 26.0 [26.0, 26.0] +21.0 [+21.0, +21.0]"
    ) in lines
