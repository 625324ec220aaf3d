"""The advice plot: late cases and the 95th percentile wait against cost."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from panelsched.plots import advice_curve, save_figure

STEPS = pd.DataFrame(
    {"cumulative_cost": [0.0, 0.5, 4.5], "late": [3, 1, 0], "p95_wait_days": [17.0, 10.0, 3.0]}
)


def test_it_draws_both_figures_against_cost_and_the_floor(tmp_path: Path) -> None:
    figure = advice_curve(STEPS, target="late=0", floor=0)
    late_ax, wait_ax = figure.axes
    # Each series is a step line and its points; the points are the table's rows.
    assert list(late_ax.lines[1].get_ydata()) == [3, 1, 0]
    assert list(wait_ax.lines[1].get_xdata()) == [0.0, 0.5, 4.5]
    assert late_ax.get_title(loc="left") == "What the changes buy (target late=0)"
    assert any("fewest possible: 0" in t.get_text() for t in late_ax.texts)
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    save_figure(figure, first)
    save_figure(advice_curve(STEPS, target="late=0", floor=0), second)
    assert first.read_bytes() == second.read_bytes()


def test_it_says_which_columns_are_missing() -> None:
    with pytest.raises(ValueError, match="p95_wait_days"):
        advice_curve(STEPS.drop(columns="p95_wait_days"))
