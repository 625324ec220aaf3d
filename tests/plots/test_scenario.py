"""The scenario comparison: a hand-made table of means and confidence intervals."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from panelsched.errors import InputError
from panelsched.plots import comparison_table, scenario
from panelsched.plots.scenario import read_comparison

COLUMNS = ["scenario", "figure", "mean", "ci_low", "ci_high"]


@pytest.fixture
def comparison() -> pd.DataFrame:
    """Two capacity settings, three figures each; one figure from a single run (no interval)."""
    return pd.DataFrame(
        [
            ["CRP weekly 3h", "mean_wait_days", 13.4, 12.1, 14.8],
            ["CRP fortnightly 4h", "mean_wait_days", 19.9, 17.5, 22.3],
            ["CRP weekly 3h", "late", 12, 9, 15],
            ["CRP fortnightly 4h", "late", 30, 24, 36],
            ["CRP weekly 3h", "utilisation", 0.58, 0.55, 0.61],
            ["CRP fortnightly 4h", "utilisation", 0.77, math.nan, math.nan],
        ],
        columns=COLUMNS,
    )


def test_one_panel_per_figure_in_table_order(comparison: pd.DataFrame) -> None:
    figure = scenario(comparison)
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert titles == ["mean wait (days)", "cases heard late", "share of sitting minutes booked"]
    # Scenarios top to bottom in the order they first appear.
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [
        "CRP weekly 3h",
        "CRP fortnightly 4h",
    ]


def test_points_are_labelled_with_mean_and_interval(comparison: pd.DataFrame) -> None:
    figure = scenario(comparison)
    late = [t.get_text() for t in figure.axes[1].texts]
    assert late == ["12.0  (9.0 to 15.0)", "30.0  (24.0 to 36.0)"]
    # Shares as percentages; a single run has no interval to show.
    assert [t.get_text() for t in figure.axes[2].texts] == ["58%  (55% to 61%)", "77%"]


def test_choosing_figures(comparison: pd.DataFrame) -> None:
    figure = scenario(comparison, figures=["late"])
    assert [ax.get_title(loc="left") for ax in figure.axes] == ["cases heard late"]
    with pytest.raises(ValueError, match="the table has no figure cost"):
        scenario(comparison, figures=["cost"])


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["A", "late", "x", 1, 2], "row 2, column 'mean': 'x' is not a number"),
        (["A", "late", 3, 4, 5], "row 2, column 'ci_low': the interval 4 to 5 does not contain"),
        (["", "late", 3, 2, 4], "row 2, column 'scenario': the cell is empty"),
        (["A", "late", None, 2, 4], "row 2, column 'mean': the mean is missing"),
    ],
)
def test_bad_rows_are_named(row: list[object], problem: str) -> None:
    with pytest.raises(InputError) as caught:
        comparison_table(pd.DataFrame([row], columns=COLUMNS))
    assert str(caught.value).startswith(f"comparison table, {problem}")


def test_a_repeated_pair_and_a_missing_column() -> None:
    twice = pd.DataFrame([["A", "late", 3, 2, 4], ["A", "late", 3, 2, 4]], columns=COLUMNS)
    with pytest.raises(InputError, match="row 3, column 'figure': scenario 'A' has figure"):
        comparison_table(twice)
    with pytest.raises(InputError, match="column 'ci_high': this required column is missing"):
        comparison_table(twice.drop(columns=["ci_high"]))


def test_reading_a_file_keeps_its_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "comparison.csv"
    # A blank line is skipped but still counted, as a spreadsheet shows it.
    path.write_text(
        "scenario,figure,mean,ci_low,ci_high,runs\nA,late,3,2,4,20\n\nB,late,3,4,five,20\n"
    )
    with pytest.raises(InputError) as caught:
        read_comparison(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "ci_high")]


def test_baseline_image(
    comparison: pd.DataFrame, matches_baseline: Callable[[Figure, str], None]
) -> None:
    matches_baseline(scenario(comparison), "scenario")


def test_a_scenario_runs_table_shows_its_headline_figures() -> None:
    # As comparison.csv of a scenario run: many figures, per-panel ones, extra columns, and a
    # per-panel figure one scenario did not measure (its panel is not in that scenario).
    rows = [
        ["weekly", "referrals", "120", "", "", "10"],
        ["weekly", "mean_wait_days", "13.4", "12.1", "14.8", "10"],
        ["weekly", "p95_wait_days", "30", "28", "33", "10"],
        ["weekly", "late", "12", "9", "15", "10"],
        ["weekly", "unplaced", "0", "0", "0", "10"],
        ["weekly", "utilisation", "0.58", "0.55", "0.61", "10"],
        ["weekly", "utilisation:lam-crp", "0.6", "0.5", "0.7", "10"],
        ["fortnightly", "utilisation:lam-crp", "", "", "", "10"],
    ]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "n"])
    figure = scenario(frame)
    visible = [ax for ax in figure.axes if ax.get_visible()]
    # Five headline figures, three to a row: two rows, one spare axes hidden.
    assert [ax.get_title(loc="left") for ax in visible] == [
        "mean wait (days)",
        "95th percentile wait (days)",
        "cases heard late",
        "cases not placed",
        "share of sitting minutes booked",
    ]
    assert len(figure.axes) == 6
    # The unmeasured row is left out, not refused: only "weekly" is on the chart.
    per_panel = scenario(frame, figures=["utilisation:lam-crp"])
    assert per_panel.axes[0].get_title(loc="left") == "share of sitting minutes booked, lam-crp"
    assert [t.get_text() for t in per_panel.axes[0].texts] == ["60%  (50% to 70%)"]


def test_four_figures_make_two_rows_of_two(comparison: pd.DataFrame) -> None:
    extra = pd.DataFrame([["CRP weekly 3h", "p95_wait_days", 30, 28, 33]], columns=COLUMNS)
    figure = scenario(pd.concat([comparison, extra], ignore_index=True))
    # Headline order: mean wait, 95th percentile, late, utilisation; laid out 2 by 2.
    assert len(figure.axes) == 4
    rows = sorted({round(ax.get_position().y0, 2) for ax in figure.axes})
    assert len(rows) == 2
