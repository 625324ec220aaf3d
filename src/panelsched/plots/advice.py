"""Late cases and the 95th percentile wait against the cost of the changes advised.

The advice's changes are added one at a time in date order and each plan measured; the
steps show what each change buys: a flat step is a change bought for a later one's sake
(``panelsched advise`` writes the table as ``advice.csv``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from panelsched.plots.style import BLUE, GREY, VERMILLION, new_grid, plot_style

# The columns of advice.csv the plot reads; the first row is the model as it is (cost 0).
ADVICE_COLUMNS = ("cumulative_cost", "late", "p95_wait_days")


def advice_curve(
    steps: pd.DataFrame,
    *,
    target: str = "",
    floor: int | None = None,
    title: str | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Plot late cases and the 95th percentile wait against cumulative cost.

    Parameters
    ----------
    steps
        One row per plan, in order, with :data:`ADVICE_COLUMNS`: the model as it is first
        (cost 0), then each change added.
    target
        The target, for the title (``late=0``).
    floor
        The fewest late cases any set of the changes could give, drawn as a dashed line.
    title
        The figure's title; by default says what is shown.
    ax
        Two axes to draw in (late above, wait below); new ones by default.

    Returns
    -------
    Figure
        The figure.
    """
    missing = [c for c in ADVICE_COLUMNS if c not in steps.columns]
    if missing:
        raise ValueError(f"the steps lack the columns {', '.join(missing)}")
    with plot_style():
        figure, (late_ax, wait_ax) = new_grid(ax, 2, (7.0, 4.8))
        cost = steps["cumulative_cost"].astype(float)
        for axes, column, colour, label in (
            (late_ax, "late", VERMILLION, "cases heard late"),
            (wait_ax, "p95_wait_days", BLUE, "95th percentile wait (days)"),
        ):
            values = steps[column].astype(float)
            axes.step(cost, values, where="post", color=colour, linewidth=1.6)
            axes.plot(cost, values, "o", color=colour, markersize=4)
            axes.set_ylabel(label)
            axes.set_ylim(bottom=0)
            axes.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        if floor is not None:
            late_ax.axhline(floor, color=GREY, linestyle="--", linewidth=1.0)
            late_ax.annotate(
                f"fewest possible: {floor}",
                (0.01, floor),
                xycoords=("axes fraction", "data"),
                xytext=(0, -3),
                textcoords="offset points",
                ha="left",
                va="top",
                color=GREY,
            )
        wait_ax.set_xlabel("cost of the changes (as the advice file prices them)")
        late_ax.set_title(
            title or "What the changes buy" + (f" (target {target})" if target else "")
        )
    return figure


__all__ = ["ADVICE_COLUMNS", "advice_curve"]
