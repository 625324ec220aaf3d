"""Scenarios compared: each figure's mean with its confidence interval, one panel per figure.

A scenario runner plans many synthetic years under each setting (more demand, a fortnightly
panel, a longer sitting) and summarises each figure of the plans by its mean over the runs
and a confidence interval. This plot reads that table; it does not run anything.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from panelsched.errors import InputError, Problem
from panelsched.io.tables import missing_columns, read_table
from panelsched.plots.style import BLACK, CATEGORICAL, GREY, new_grid, plot_style

SCENARIO_COLUMNS = ("scenario", "figure", "mean", "ci_low", "ci_high")

# What each figure of a plan's summary means, in words for an axis.
FIGURE_LABELS: Mapping[str, str] = {
    "mean_wait_days": "mean wait (days)",
    "p95_wait_days": "95th percentile wait (days)",
    "weighted_wait_days": "weighted waiting days",
    "late": "cases heard late",
    "late_share": "share of cases heard late",
    "unplaced": "cases not placed",
    "placed": "cases placed",
    "utilisation": "share of sitting minutes booked",
    "sittings_used": "sittings used",
    "sittings": "sittings in the horizon",
    "median_wait_days": "median wait (days)",
    "days_late": "days late, all late cases",
    "mean_days_late": "mean days late, of those late",
    "overrun_minutes": "minutes not heard in time",
    "referrals": "referrals",
}
_SHARES = {"utilisation", "late_share"}
# Shown when no figures are chosen, in this order (those the table has).
HEADLINE = ("mean_wait_days", "p95_wait_days", "late", "unplaced", "utilisation")
_MOST = 6
_COLUMNS = 3


def figure_label(name: str) -> str:
    """Words for a figure's key: ``utilisation:lam-crp`` is "share of sitting minutes booked,
    lam-crp"."""
    key, _, panel = name.partition(":")
    label = FIGURE_LABELS.get(key, key.replace("_", " "))
    return f"{label}, {panel}" if panel else label


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def read_comparison(path: str | Path) -> pd.DataFrame:
    """Read a scenario comparison table from a CSV or XLSX file and check it.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem (see :func:`comparison_table`).
    """
    table = read_table(path)
    missing = missing_columns(table, SCENARIO_COLUMNS)
    if missing:
        raise InputError(missing)
    frame = pd.DataFrame(list(table.rows), columns=list(table.columns))
    return comparison_table(frame, table.file, row_numbers=table.row_numbers)


def comparison_table(
    frame: pd.DataFrame,
    source: str = "comparison table",
    row_numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Check a scenario comparison frame; see :func:`scenario` for its columns.

    Parameters
    ----------
    frame
        The table.
    source
        Its name for messages.
    row_numbers
        The file row of each row; by default the header is row 1 and rows follow it.

    Raises
    ------
    InputError
        Naming the row and column of each missing column, missing scenario or figure name,
        number that is not a number, interval that does not hold its mean, and repeated
        scenario and figure pair.
    """
    missing = [c for c in SCENARIO_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            [Problem(source, "this required column is missing", column=c) for c in missing]
        )
    problems: list[Problem] = []
    rows = []
    seen: set[tuple[str, str]] = set()
    lines = list(row_numbers) if row_numbers is not None else range(2, len(frame) + 2)
    for number, record in zip(lines, frame.to_dict("records"), strict=True):
        row: dict[str, object] = {}
        for name in ("scenario", "figure"):
            text = _text(record[name])
            if not text:
                problems.append(Problem(source, "the cell is empty", row=number, column=name))
            row[name] = text
        numbers: dict[str, float] = {}
        for name in ("mean", "ci_low", "ci_high"):
            value = record[name]
            try:
                numbers[name] = float(value) if _text(value) else math.nan
            except (TypeError, ValueError):
                problems.append(
                    Problem(source, f"'{value}' is not a number", row=number, column=name)
                )
                numbers[name] = math.nan
        row.update(numbers)
        low, mean, high = numbers["ci_low"], numbers["mean"], numbers["ci_high"]
        if all(not _text(record[n]) for n in ("mean", "ci_low", "ci_high")):
            # A figure not measured in this scenario (a panel it does not have): nothing to draw.
            continue
        if math.isnan(mean) and not any(p.row == number for p in problems):
            problems.append(Problem(source, "the mean is missing", row=number, column="mean"))
        if not math.isnan(low) and not math.isnan(high) and not low <= mean <= high:
            problems.append(
                Problem(
                    source,
                    f"the interval {low:g} to {high:g} does not contain the mean {mean:g}",
                    row=number,
                    column="ci_low",
                )
            )
        key = (str(row["scenario"]), str(row["figure"]))
        if key in seen and all(key):
            problems.append(
                Problem(
                    source,
                    f"scenario '{key[0]}' has figure '{key[1]}' twice",
                    row=number,
                    column="figure",
                )
            )
        seen.add(key)
        rows.append(row)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([Problem(source, "the table has no rows")])
    return pd.DataFrame(rows, columns=list(SCENARIO_COLUMNS))


def _fmt(value: float, share: bool) -> str:
    if share:
        return f"{value:.0%}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def scenario(
    comparison: pd.DataFrame,
    *,
    figures: Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Plot each figure's mean and confidence interval, scenario by scenario.

    Parameters
    ----------
    comparison
        One row per scenario and figure, with columns:

        - ``scenario`` (text): the scenario's name, e.g. ``"CRP weekly 3h"``; scenarios are
          shown top to bottom in the order they first appear;
        - ``figure`` (text): what was measured, a key of a plan's summary such as
          ``mean_wait_days``, ``p95_wait_days``, ``late``, ``unplaced`` or ``utilisation``
          (a share from 0 to 1); any other name is shown as written;
        - ``mean`` (number): the figure's mean over the scenario's runs;
        - ``ci_low``, ``ci_high`` (numbers): the confidence interval's ends, empty (NaN) when
          there was a single run; the interval must hold the mean.

        Other columns (``runs``, ``unit``...) are ignored.
    figures
        The figures to show, in this order; by default those of :data:`HEADLINE` the table
        has (or its first six figures when it has none of them). Three to a row (four as two
        rows of two).
    title
        The figure's title.
    ax
        One axes per figure shown; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        When the table is not as described (see :func:`comparison_table`).
    ValueError
        When ``figures`` names a figure the table lacks.
    """
    table = comparison_table(comparison)
    scenarios = list(dict.fromkeys(table["scenario"]))
    present = list(dict.fromkeys(table["figure"]))
    if figures is not None:
        chosen = list(figures)
    else:
        # A scenario run measures a dozen figures and more per panel; the headline ones first.
        headline = [f for f in HEADLINE if f in present]
        chosen = headline or present[:_MOST]
    unknown = [f for f in chosen if f not in present]
    if unknown:
        raise ValueError(f"the table has no figure {', '.join(unknown)}")
    colours = {s: CATEGORICAL[i % len(CATEGORICAL)] for i, s in enumerate(scenarios)}
    # Three to a row; four as two rows of two rather than three and one.
    columns = 2 if len(chosen) == 4 else min(len(chosen), _COLUMNS)
    lines = math.ceil(len(chosen) / columns)
    width = 2.6 + 3.0 * columns
    height = 0.8 + lines * (0.8 + 0.42 * len(scenarios))
    with plot_style():
        if ax is None:
            figure = Figure(figsize=(width, height), layout="constrained")
            grid = figure.subplots(lines, columns, sharey=True, squeeze=False)
            axes = [a for row in grid for a in row]
            for spare in axes[len(chosen) :]:
                spare.set_visible(False)
            axes = axes[: len(chosen)]
        else:
            figure, axes = new_grid(ax, len(chosen), (width, height), sharex=False)
        for name, panel in zip(chosen, axes, strict=True):
            share = name.partition(":")[0] in _SHARES
            mine = table[table["figure"] == name]
            found: dict[str, tuple[float, float, float]] = {
                str(sc): (float(m), float(lo), float(hi))
                for sc, m, lo, hi in zip(
                    mine["scenario"], mine["mean"], mine["ci_low"], mine["ci_high"], strict=True
                )
            }
            values: list[float] = []
            for y, sc in enumerate(scenarios):
                if sc not in found:
                    continue
                mean, low, high = found[sc]
                has_ci = not (math.isnan(low) or math.isnan(high))
                if has_ci:
                    panel.errorbar(
                        mean,
                        y,
                        xerr=[[mean - low], [high - mean]],
                        fmt="none",
                        ecolor=colours[sc],
                        elinewidth=2.0,
                        capsize=4,
                        capthick=1.4,
                    )
                    values += [low, high]
                panel.plot(
                    mean,
                    y,
                    "o",
                    color=colours[sc],
                    markeredgecolor=BLACK,
                    markeredgewidth=0.6,
                    markersize=7,
                    zorder=3,
                )
                values.append(mean)
                label = _fmt(mean, share)
                if has_ci:
                    label += f"  ({_fmt(low, share)} to {_fmt(high, share)})"
                panel.annotate(
                    label,
                    (mean, y),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color="#333333",
                )
            lo, hi = min(values), max(values)
            pad = (hi - lo) * 0.25 or max(abs(hi) * 0.1, 1e-9 if share else 0.5)
            left = lo - pad
            if lo >= 0 > left:
                # A figure that cannot be negative starts its axis at zero, with room for a
                # marker sitting on zero.
                left = -0.04 * (hi + pad)
            panel.set_xlim(left, hi + pad)
            if share:
                panel.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
            panel.set_title(figure_label(name), fontsize=9)
            panel.grid(axis="x", color="#E3E3E3", linewidth=0.6)
            panel.set_axisbelow(True)
            panel.spines["left"].set_visible(False)
            panel.tick_params(axis="y", length=0)
        # Our own axes share y, so labelling the first labels them all (matplotlib shows the
        # labels on the left column only); axes passed in may not share.
        for i, panel in enumerate(axes[:1] if ax is None else axes):
            panel.set_yticks(range(len(scenarios)), scenarios if i == 0 else [""] * len(scenarios))
            panel.set_ylim(len(scenarios) - 0.4, -0.6)
        figure.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    marker="o",
                    color=GREY,
                    markeredgecolor=BLACK,
                    linestyle="",
                    label="mean over the runs",
                ),
                Line2D(
                    [],
                    [],
                    color=GREY,
                    linewidth=2.0,
                    marker="|",
                    markersize=8,
                    label="confidence interval",
                ),
            ],
            loc="outside lower right",
            ncol=2,
        )
        # A long title (a scenario's own words) wraps rather than running off the figure:
        # about nine bold 12-point characters to the inch.
        figure.suptitle(
            textwrap.fill(
                title or "Scenarios compared: mean and confidence interval over the runs",
                width=max(30, int(figure.get_figwidth() * 9)),
            ),
            x=0.01,
            ha="left",
        )
    return figure


__all__ = [
    "FIGURE_LABELS",
    "HEADLINE",
    "SCENARIO_COLUMNS",
    "comparison_table",
    "figure_label",
    "read_comparison",
    "scenario",
]
