"""The outputs of a scenario run: ``kpis.csv``, ``comparison.csv``, ``report.md``, ``timings.csv``.

Every file but ``timings.csv`` (wall-clock seconds) is the same, byte for byte, for the same
scenarios and seeds. The first scenario is the reference: each other scenario's figures are
also given as a difference from it, paired by replication.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from panelsched.exports.atomic import output_set, replace_text, replacing
from panelsched.exports.csv_text import csv_writer
from panelsched.exports.safety import markdown_cell, neutralise
from panelsched.scenarios.kpis import DEFINITIONS, figure_keys, figure_of
from panelsched.scenarios.runner import METHODS, KpiRow, Run
from panelsched.scenarios.spec import Scenario
from panelsched.scenarios.stats import Interval, mean_ci, paired_difference

# A run's files, replaced together; timings.csv last.
RUN_FILES = ("kpis.csv", "comparison.csv", "report.md", "timings.csv")
KPI_COLUMNS = ("scenario", "replication", "seed", "method", "status", "gap")
# One row per scenario and figure: the solver's figures first (what `panelsched plot scenario`
# draws), then the greedy baseline's; differences are from the reference scenario.
COMPARISON_COLUMNS = (
    "scenario",
    "figure",
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "reference",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "greedy_mean",
    "greedy_ci_low",
    "greedy_ci_high",
    "greedy_diff_mean",
    "greedy_diff_ci_low",
    "greedy_diff_ci_high",
)
METHOD_TITLES = {
    "cpsat": "Solver (CP-SAT)",
    "greedy": "Greedy baseline (first come, first served)",
}


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure of one scenario by one method, with its difference from the reference."""

    scenario: str
    method: str
    figure: str
    interval: Interval
    reference: str
    difference: Interval | None


def _keys(scenarios: Sequence[Scenario]) -> list[str]:
    keys: list[str] = []
    for scenario in scenarios:
        keys.extend(k for k in figure_keys(scenario.panel_ids) if k not in keys)
    return keys


def _values(rows: Iterable[KpiRow], scenario: str, method: str, key: str) -> list[float]:
    return [
        r.figures[key]
        for r in rows
        if r.scenario == scenario and r.method == method and key in r.figures
    ]


def compare(run: Run) -> list[Comparison]:
    """Mean and 95% interval of every figure, per scenario and method, and the paired
    difference from the first scenario where both have the figure and as many replications.
    """
    reference = run.scenarios[0]
    result = []
    for scenario in run.scenarios:
        for key in figure_keys(scenario.panel_ids):
            for method in METHODS:
                values = _values(run.rows, scenario.name, method, key)
                base = _values(run.rows, reference.name, method, key)
                paired = scenario is not reference and bool(base) and len(base) == len(values)
                result.append(
                    Comparison(
                        scenario=scenario.name,
                        method=method,
                        figure=key,
                        interval=mean_ci(values),
                        reference=reference.name if paired else "",
                        difference=paired_difference(values, base) if paired else None,
                    )
                )
    return result


def _number(value: float | None, whole: bool = False) -> str:
    if value is None or math.isnan(value):
        return ""
    if whole and float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}"


def write_kpis_csv(run: Run, path: Path) -> None:
    """One row per scenario, replication and method; per-panel figures as ``figure:panel``."""
    keys = _keys(run.scenarios)
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow([*KPI_COLUMNS, *keys])
        for row in run.rows:
            writer.writerow(
                [
                    neutralise(row.scenario),
                    row.replication + 1,
                    row.seed,
                    row.method,
                    row.status,
                    _number(row.gap),
                    *(_number(row.figures.get(k), figure_of(k).whole) for k in keys),
                ]
            )


def write_comparison_csv(comparisons: Sequence[Comparison], path: Path) -> None:
    """One row per scenario and figure: the solver's mean, sd and 95% interval and its
    difference from the reference, then the greedy baseline's.
    """
    by = {(c.scenario, c.figure, c.method): c for c in comparisons}
    pairs = list(dict.fromkeys((c.scenario, c.figure) for c in comparisons))
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(COMPARISON_COLUMNS)
        for scenario, figure in pairs:
            solver, greedy = by[(scenario, figure, "cpsat")], by[(scenario, figure, "greedy")]
            writer.writerow(
                [
                    neutralise(scenario),
                    figure,
                    solver.interval.n,
                    _number(solver.interval.mean),
                    _number(solver.interval.sd),
                    _number(solver.interval.low),
                    _number(solver.interval.high),
                    neutralise(solver.reference),
                    *_ends(solver.difference, mean=True),
                    *_ends(greedy.interval, mean=True),
                    *_ends(greedy.difference, mean=True),
                ]
            )


def _ends(interval: Interval | None, mean: bool) -> list[str]:
    if interval is None:
        return ["", "", ""] if mean else ["", ""]
    ends = [_number(interval.low), _number(interval.high)]
    return [_number(interval.mean), *ends] if mean else ends


def write_timings_csv(run: Run, path: Path) -> None:
    """Wall-clock seconds of each plan (varies from run to run)."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(("scenario", "replication", "method", "seconds"))
        for t in run.timings:
            writer.writerow(
                (neutralise(t.scenario), t.replication + 1, t.method, f"{t.seconds:.3f}")
            )


def _label(key: str) -> str:
    panel = key.partition(":")[2]
    label = figure_of(key).label
    return f"{label}, {panel}" if panel else label


def _show(value: float, key: str, signed: bool = False) -> str:
    figure = figure_of(key)
    if figure.key == "utilisation":
        return f"{value * 100:{'+' if signed else ''}.1f}%"
    return f"{value:{'+' if signed else ''},.{figure.decimals}f}"


def interval_text(interval: Interval | None, key: str, signed: bool = False) -> str:
    """A figure's mean and 95% confidence interval as shown, ``5.0 [4.2, 5.8]``; empty when
    there is none."""
    if interval is None or interval.n == 0:
        return ""
    mean = _show(interval.mean, key, signed)
    if math.isnan(interval.low):
        return mean
    low, high = _show(interval.low, key, signed), _show(interval.high, key, signed)
    return f"{mean} [{low}, {high}]"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(markdown_cell(h) for h in header) + " |",
        "|" + "|".join(["---", *["---:"] * (len(header) - 1)]) + "|",
    ]
    lines.extend("| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows)
    return lines


def _scenario_section(run: Run, scenario: Scenario, reference: bool) -> list[str]:
    solver = [r for r in run.rows if r.scenario == scenario.name and r.method == "cpsat"]
    proven = sum(1 for r in solver if r.status == "optimal")
    title = f"### {scenario.name}" + (" (reference)" if reference else "")
    lines = [title, ""]
    if scenario.description:
        lines += [markdown_cell(scenario.description), ""]
    lines += [
        f"- model: {scenario.base.authority} ({Path(scenario.model_file).name}), panels "
        f"{', '.join(scenario.base.panel_ids)}",
        f"- submissions {scenario.start.isoformat()} to {scenario.end.isoformat()}, "
        f"planned into sittings up to {scenario.plan_end.isoformat()}",
        f"- demand: {scenario.describe_demand()}",
        "- changes: " + ("; ".join(scenario.changes) if scenario.changes else "none"),
        f"- {scenario.replications} replications, seed {scenario.seed}, solver time "
        f"{scenario.time_limit:g} deterministic seconds per round with "
        f"{scenario.solver_workers} interleaved worker(s); the solver proved "
        f"{proven} of {len(solver)} plans optimal",
        "",
    ]
    return lines


def report_markdown(run: Run, comparisons: Sequence[Comparison]) -> str:
    """``report.md``: the scenarios, then per method every figure side by side."""
    names = [s.name for s in run.scenarios]
    reference = names[0]
    by = {(c.scenario, c.method, c.figure): c for c in comparisons}
    keys = _keys(run.scenarios)
    lines = [
        "# Capacity scenarios",
        "",
        "Figures are means over replications with their 95% confidence interval in brackets "
        "(Student's t). Each replication draws its own demand from the scenario's seed; "
        "scenarios with the same seed and the same demand see the same referrals in each "
        f"replication, so the differences from {reference} are paired by replication and "
        "their intervals are usually narrower than those of the figures themselves.",
        "",
        "## Scenarios",
        "",
    ]
    for i, scenario in enumerate(run.scenarios):
        lines += _scenario_section(run, scenario, reference=i == 0)
    for method in METHODS:
        lines += [f"## {METHOD_TITLES[method]}", ""]
        rows = [
            [_label(k), *(interval_text(_interval(by, n, method, k), k) for n in names)]
            for k in keys
        ]
        lines += _table(["figure", *names], rows)
        lines.append("")
        if len(names) > 1:
            lines += [f"Difference from {reference}:", ""]
            rows = [
                [
                    _label(k),
                    *(
                        interval_text(_difference(by, n, method, k), k, signed=True)
                        for n in names[1:]
                    ),
                ]
                for k in keys
            ]
            lines += _table(["figure", *(f"{n} - {reference}" for n in names[1:])], rows)
            lines.append("")
    lines += ["## What the solver gains over first come, first served", ""]
    rows = [
        [_label(k), *(interval_text(_gain(run, n, k), k, signed=True) for n in names)] for k in keys
    ]
    lines += _table(["figure (solver - greedy)", *names], rows)
    lines += ["", "## Definitions", ""]
    lines += [f"- {d}" for d in DEFINITIONS]
    return "\n".join(_tidy(lines)) + "\n"


def _tidy(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "" and line == "":
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def _interval(
    by: dict[tuple[str, str, str], Comparison], name: str, method: str, key: str
) -> Interval | None:
    found = by.get((name, method, key))
    return found.interval if found else None


def _difference(
    by: dict[tuple[str, str, str], Comparison], name: str, method: str, key: str
) -> Interval | None:
    found = by.get((name, method, key))
    return found.difference if found else None


def _gain(run: Run, name: str, key: str) -> Interval | None:
    solver = _values(run.rows, name, "cpsat", key)
    greedy = _values(run.rows, name, "greedy", key)
    if not solver or len(solver) != len(greedy):
        return None
    return paired_difference(solver, greedy)


def write_outputs(run: Run, out: Path) -> list[Path]:
    """Write ``kpis.csv``, ``comparison.csv``, ``report.md`` and ``timings.csv`` into ``out``,
    replacing an earlier run's four together (:func:`~panelsched.exports.atomic.output_set`).

    Returns
    -------
    list of Path
        The files written, in that order.
    """
    comparisons = compare(run)
    with output_set(out, RUN_FILES) as staging:
        paths = [staging / n for n in RUN_FILES]
        write_kpis_csv(run, paths[0])
        write_comparison_csv(comparisons, paths[1])
        replace_text(paths[2], report_markdown(run, comparisons))
        write_timings_csv(run, paths[3])
    return [out / n for n in RUN_FILES]


__all__ = [
    "COMPARISON_COLUMNS",
    "KPI_COLUMNS",
    "Comparison",
    "compare",
    "interval_text",
    "report_markdown",
    "write_comparison_csv",
    "write_kpis_csv",
    "write_outputs",
    "write_timings_csv",
]
