"""Waiting days per panel: the plan beside the greedy baseline, deadline cases picked out.

A box per panel and plan shows the spread of waiting days (submission to sitting); every case
is a dot on it, so a panel with three cases is not read as a distribution. Cases with a due
date are drawn larger, and those heard after it are crosses, which is where a plan earns its
keep.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from panelsched.core.panels import Authority
from panelsched.plots.data import bookings_table
from panelsched.plots.style import BLACK, BLUE, GREY, ORANGE, VERMILLION, new_axes, plot_style

_OFFSET = 0.2
_BOX = 0.32


def _checked(bookings: pd.DataFrame, source: str) -> pd.DataFrame:
    table = bookings_table(bookings, source)
    if table["wait_days"].isna().any():
        row = int(np.flatnonzero(table["wait_days"].isna().to_numpy())[0]) + 2
        raise ValueError(
            f"{source}: row {row} has no waiting days; give a wait_days or submitted column"
        )
    return table


def _jitter(n: int, seed: int) -> np.ndarray:
    # A fixed seed per group: the same plan gives the same picture.
    return np.random.default_rng(seed).uniform(-_BOX / 2.6, _BOX / 2.6, n)


def waits(
    bookings: pd.DataFrame,
    baseline: pd.DataFrame | None = None,
    *,
    authority: Authority | None = None,
    panels: Sequence[str] | None = None,
    labels: tuple[str, str] = ("plan", "greedy baseline"),
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot the distribution of waiting days per panel, the baseline's beside the plan's.

    Parameters
    ----------
    bookings
        The plan's bookings (see :func:`panelsched.plots.data.bookings_table`) with
        ``wait_days`` (or ``submitted``); ``deadline`` or ``late`` mark the deadline cases.
    baseline
        The same referrals booked by the greedy baseline (``panelsched plan --method greedy``),
        or ``None`` to show the plan alone.
    authority
        The model, for panel names and order; without it panels are in id order.
    panels
        Only these panels, in this order.
    labels
        What to call the plan and the baseline in the legend.
    title
        The title; by default says what is compared.
    ax
        Axes to draw into; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When a booking has no waiting days, or there is nothing to show.
    """
    plans = [("plan", _checked(bookings, "bookings"))]
    if baseline is not None:
        plans.append(("baseline", _checked(baseline, "baseline")))
    present = sorted(set().union(*(set(t["panel"]) for _, t in plans)))
    if panels is not None:
        order = [p for p in panels if p in present]
    elif authority is not None:
        order = [p for p in authority.panel_ids if p in present]
        order += [p for p in present if p not in order]
    else:
        order = present
    if not order:
        raise ValueError("no bookings to show")
    names = {p.id: p.name for p in authority.panels} if authority is not None else {}
    colours = {"plan": BLUE, "baseline": ORANGE}

    with plot_style():
        figure, ax = new_axes(ax, (max(6.5, 1.35 * len(order) + 2.5), 5.0))
        top = 0
        for k, (kind, table) in enumerate(plans):
            shift = 0.0 if len(plans) == 1 else (-_OFFSET if k == 0 else _OFFSET)
            for i, panel in enumerate(order):
                mine = table[table["panel"] == panel]
                if mine.empty:
                    continue
                wait = mine["wait_days"].astype(int).to_numpy()
                top = max(top, int(wait.max()))
                x = i + shift
                ax.boxplot(
                    wait,
                    positions=[x],
                    widths=_BOX,
                    patch_artist=True,
                    showfliers=False,
                    whis=(5, 95),
                    medianprops={"color": BLACK, "linewidth": 1.4},
                    boxprops={"facecolor": colours[kind], "alpha": 0.35, "linewidth": 0.0},
                    whiskerprops={"color": colours[kind], "linewidth": 1.0},
                    capprops={"color": colours[kind], "linewidth": 1.0},
                    manage_ticks=False,
                )
                spread = x + _jitter(len(wait), seed=1000 * k + i)
                late = mine["late"].fillna(False).astype(bool).to_numpy()
                due = mine["deadline"].notna().to_numpy() | late
                plain = ~due
                ax.scatter(spread[plain], wait[plain], s=6, color=GREY, alpha=0.6, lw=0, zorder=3)
                kept = due & ~late
                ax.scatter(
                    spread[kept],
                    wait[kept],
                    s=14,
                    facecolor=colours[kind],
                    edgecolor=BLACK,
                    linewidth=0.4,
                    zorder=4,
                )
                ax.scatter(
                    spread[late],
                    wait[late],
                    s=34,
                    marker="X",
                    color=VERMILLION,
                    edgecolor=BLACK,
                    linewidth=0.5,
                    zorder=5,
                )
                if late.any():
                    ax.annotate(
                        f"{int(late.sum())} late",
                        (x, wait.max()),
                        xytext=(0, 4),
                        textcoords="offset points",
                        ha="center",
                        va="bottom",
                        fontsize=7,
                        color=VERMILLION,
                        fontweight="bold",
                    )
        counts = {p: int((plans[0][1]["panel"] == p).sum()) for p in order}
        ax.set_xticks(
            range(len(order)),
            [
                f"{names.get(p, p)}\n({counts[p]} case{'' if counts[p] == 1 else 's'})"
                for p in order
            ],
        )
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, len(order) - 0.4)
        ax.set_ylim(0, top * 1.12 + 2)
        ax.set_ylabel("waiting days (submission to sitting)")
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(
            title
            or (
                "Waiting days per panel: plan and greedy baseline"
                if baseline is not None
                else "Waiting days per panel"
            )
        )
        handles: list[Patch | Line2D] = [Patch(facecolor=BLUE, alpha=0.35, label=labels[0])]
        if baseline is not None:
            handles.append(Patch(facecolor=ORANGE, alpha=0.35, label=labels[1]))
        handles += [
            Line2D(
                [],
                [],
                marker="o",
                markersize=4,
                markerfacecolor="white",
                markeredgecolor=BLACK,
                markeredgewidth=0.5,
                linestyle="",
                label="case with a due date, heard in time",
            ),
            Line2D(
                [],
                [],
                marker="X",
                markersize=6.5,
                color=VERMILLION,
                markeredgecolor=BLACK,
                markeredgewidth=0.5,
                linestyle="",
                label="heard after its due date",
            ),
            Line2D([], [], marker="o", markersize=3, color=GREY, linestyle="", label="no due date"),
        ]
        figure.legend(handles=handles, loc="outside lower center", ncol=len(handles))
        ax.set_xlabel(
            "box: quartiles; whiskers: 5th to 95th percentile; line: median",
            fontsize=7.5,
            color="#444444",
        )
    return figure


__all__ = ["waits"]
