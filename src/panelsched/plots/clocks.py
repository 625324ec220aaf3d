"""Statutory clocks counted, month by month: the cases decided in time, decided late and still
open, stacked, one panel per clock, each bar topped by the share decided in time (the figure
councils are judged on, e.g. EHC plans issued within 20 weeks).

It takes the counts (:func:`panelsched.forward.clock_counts.clock_counts`, or anything with
the same fields), not the diary: drawing needs no store and no solver.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from panelsched.plots.style import (
    BLUE,
    GREY,
    VERMILLION,
    month_label,
    new_grid,
    plot_style,
)

if TYPE_CHECKING:
    from panelsched.forward.clock_counts import ClockMonth

# The stacked parts, bottom up: label, colour, hatch (so late reads apart in grey too).
PARTS = (
    ("decided in time", BLUE, ""),
    ("decided late", VERMILLION, "//"),
    ("still open", GREY, ".."),
)


def _heights(row: ClockMonth) -> tuple[int, int, int]:
    return row.in_time, row.late, row.open_in_time + row.open_past


def clocks(
    counts: Sequence[ClockMonth],
    *,
    title: str | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Plot each clock's cases by the month their clock started.

    Parameters
    ----------
    counts
        The counts, a row per clock and month, each clock's months in order.
    title
        The figure's title; by default says what is shown.
    ax
        One axes per clock to draw in; new ones by default.

    Returns
    -------
    Figure
        The figure: per clock, a stacked bar per month (in time, late, open) with the share
        decided in time written above it (``60%``; ``-`` when none was decided).

    Raises
    ------
    ValueError
        When there are no counts (the model sets no clocks).
    """
    grouped: dict[str, list[ClockMonth]] = {}
    for row in counts:
        grouped.setdefault(row.clock, []).append(row)
    if not grouped:
        raise ValueError("there are no clocks to plot: the model sets no statutory clocks")
    with plot_style():
        figure, axes = new_grid(ax, len(grouped), (7.5, 2.8 * len(grouped)), sharex=False)
        for axes_, rows in zip(axes, grouped.values(), strict=True):
            _draw(axes_, rows)
        axes[0].legend(loc="upper left", ncols=3, bbox_to_anchor=(0, 1.02), borderaxespad=1.5)
        figure.suptitle(
            title or "Statutory clocks: cases by the month the clock started", x=0.01, ha="left"
        )
    return figure


def _draw(ax: Axes, rows: list[ClockMonth]) -> None:
    places = list(range(len(rows)))
    bottoms = [0] * len(rows)
    heights = [_heights(r) for r in rows]
    for part, (label, colour, hatch) in enumerate(PARTS):
        values = [h[part] for h in heights]
        ax.bar(
            places,
            values,
            bottom=bottoms,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            linewidth=0.6,
            label=label,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    top = max(bottoms, default=0)
    for place, row, height in zip(places, rows, bottoms, strict=True):
        share = row.share_in_time
        ax.annotate(
            "-" if share is None else f"{share:.0%}",
            (place, height),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    months: list[date] = [r.month for r in rows]
    ax.set_xticks(
        places,
        [
            month_label(m, with_year=i == 0 or m.year != months[i - 1].year)
            for i, m in enumerate(months)
        ],
    )
    # Head room for the legend above the tallest bar and its share.
    ax.set_ylim(0, max(top, 1) * 1.55)
    ax.set_ylabel("cases")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Two lines: one line cut the clock's citation off at a figure's usual width.
    ax.set_title(f"{rows[0].name} ({rows[0].source})\nshare decided in time above each bar")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


__all__ = ["PARTS", "clocks"]
