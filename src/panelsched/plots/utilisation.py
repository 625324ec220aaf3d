"""Minutes booked against capacity, sitting by sitting, one row per panel.

Each sitting is a pale bar as tall as its window's minutes with the booked minutes filled in
front, so a run of full sittings (where cases start to wait) and a run of near-empty ones
(where a sitting could be cancelled) both show.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.plots.data import booked_minutes
from panelsched.plots.style import (
    BLUE,
    LIGHT_GREY,
    VERMILLION,
    date_axis,
    day_number,
    new_grid,
    plot_style,
)


def utilisation(
    sittings: Sequence[Sitting],
    bookings: pd.DataFrame,
    *,
    authority: Authority | None = None,
    panels: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    title: str | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Plot minutes booked against each sitting's capacity over the horizon.

    Parameters
    ----------
    sittings
        The sittings of the horizon (their ``capacity_minutes`` is the window less breaks).
    bookings
        A plan's bookings (see :func:`panelsched.plots.data.bookings_table`).
    authority
        The model, for panel names and order; without it panels are in id order.
    panels
        The panels to show, one row each; by default every panel with a sitting.
    start, end
        The horizon; by default the first and last sitting.
    title
        The figure's title; by default says what is shown.
    ax
        One axes per panel shown, top to bottom (a single axes for a single panel); a new
        figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When there is no sitting to show, or ``ax`` does not hold one axes per panel.
    """
    first = start or min((s.date for s in sittings), default=None)
    last = end or max((s.date for s in sittings), default=None)
    if first is None or last is None:
        raise ValueError("no sittings to show")
    shown = [s for s in sittings if first <= s.date <= last]
    present = {s.panel for s in shown}
    if panels is not None:
        order = list(panels)
    elif authority is not None:
        order = [p for p in authority.panel_ids if p in present]
    else:
        order = sorted(present)
    if not order or not present & set(order):
        raise ValueError("no sittings to show")
    names = {p.id: p.name for p in authority.panels} if authority is not None else {}
    used = booked_minutes(bookings)
    with plot_style():
        figure, axes = new_grid(ax, len(order), (11.0, 0.6 + 1.45 * len(order)))
        for panel, row in zip(order, axes, strict=True):
            mine = [s for s in shown if s.panel == panel]
            days = [day_number(s.date) for s in mine]
            # Each bar most of the gap to its nearest neighbour wide, never wider than four
            # days: an extra sitting two days after another narrows those two, not the row.
            gaps = [b - a for a, b in itertools.pairwise(days)]
            nearest = [
                min(
                    [
                        g
                        for g in (gaps[i - 1] if i else None, gaps[i] if i < len(gaps) else None)
                        if g is not None
                    ],
                    default=8.0,
                )
                for i in range(len(days))
            ]
            width = [min(4.0, 0.7 * g) for g in nearest]
            capacity = [s.capacity_minutes for s in mine]
            booked = [used.get(s.id, 0) for s in mine]
            over = [b > c for b, c in zip(booked, capacity, strict=True)]
            row.bar(
                days, capacity, width=width, color=LIGHT_GREY, edgecolor="#BBBBBB", linewidth=0.5
            )
            row.bar(
                days,
                booked,
                width=[w * 0.7 for w in width],
                color=[VERMILLION if o else BLUE for o in over],
            )
            total = sum(capacity)
            share = sum(booked) / total if total else 0.0
            full = sum(b >= c for b, c in zip(booked, capacity, strict=True))
            row.set_title(
                f"{names.get(panel, panel)}: {share:.0%} of {total:,} minutes booked, "
                f"{full} of {len(mine)} sittings full",
                fontsize=9,
            )
            row.set_ylabel("minutes")
            row.set_ylim(0, max([*capacity, *booked, 1]) * 1.1)
            row.grid(axis="y", color="#E3E3E3", linewidth=0.6)
            row.set_axisbelow(True)
        lo = day_number(first - timedelta(days=4))
        hi = day_number(last + timedelta(days=4))
        for row in axes:
            row.set_xlim(lo, hi)
        date_axis(axes[-1], first, last)
        for row in axes[:-1]:
            row.tick_params(axis="x", labelbottom=False)
        heading = title or f"Minutes booked against capacity, {first:%d/%m/%Y} to {last:%d/%m/%Y}"
        figure.suptitle(heading, x=0.01, ha="left")
        handles = [
            Patch(
                facecolor=LIGHT_GREY,
                edgecolor="#BBBBBB",
                linewidth=0.5,
                label="capacity (window less breaks)",
            ),
            Patch(facecolor=BLUE, label="booked"),
        ]
        if any(used.get(s.id, 0) > s.capacity_minutes for s in shown):
            handles.append(Patch(facecolor=VERMILLION, label="booked over capacity"))
        figure.legend(handles=handles, loc="outside lower left", ncol=len(handles))
    return figure


__all__ = ["utilisation"]
