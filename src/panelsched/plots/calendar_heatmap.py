"""The sitting calendar as a heatmap: weeks across, weekdays down, one strip per panel.

Each sitting's cell is coloured by how full it is (minutes booked over the window's minutes,
when a plan is given); bank holidays are hatched, cancelled sittings crossed, moved and extra
sittings marked, and month boundaries drawn as lines, as on a wall planner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from panelsched.calendar import Sitting
from panelsched.model import Authority
from panelsched.plots.style import (
    BLACK,
    BLUE,
    GREY,
    LIGHT_GREY,
    month_label,
    new_axes,
    plot_style,
    uk_date,
)
from panelsched.workdays import working_calendar

_GAP = 1.9  # rows of space above each strip for its title
_CELL_INCHES = 0.17
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _cell(x: float, y: float, size: float = 1.0) -> Rectangle:
    return Rectangle((x - size / 2, y - size / 2), size, size)


def fill_colormap() -> Colormap:
    """Light (empty) to dark (full): ColorBrewer's colour-blind safe YlGnBu, its palest tenth
    left out so an empty sitting still stands out from a day without one."""
    base = mpl.colormaps["YlGnBu"]
    return ListedColormap(base(np.linspace(0.12, 1.0, 256)), name="panelsched_fill")


def _month_lines(
    week0: date, weeks: int, rows: int, top: float, start: date, end: date
) -> list[list[tuple[float, float]]]:
    """Segments along the edges between cells of different months, as on a wall planner."""
    segments: list[list[tuple[float, float]]] = []
    for w in range(weeks):
        for d in range(rows):
            day = week0 + timedelta(weeks=w, days=d)
            if not start <= day <= end:
                continue
            left = day - timedelta(weeks=1)
            if start <= left and left.month != day.month:
                segments.append([(w - 0.5, top + d - 0.5), (w - 0.5, top + d + 0.5)])
            above = day - timedelta(days=1)
            if d > 0 and start <= above and above.month != day.month:
                segments.append([(w - 0.5, top + d - 0.5), (w + 0.5, top + d - 0.5)])
    return segments


def calendar_heatmap(
    authority: Authority,
    sittings: Sequence[Sitting],
    *,
    start: date | None = None,
    end: date | None = None,
    panels: Sequence[str] | None = None,
    booked: Mapping[str, int] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot a year (or any range) of sittings as a calendar heatmap.

    Parameters
    ----------
    authority
        The panel model: panel names, cancelled dates and the bank holidays' subdivision.
    sittings
        The sittings to show, from :func:`panelsched.calendar.generate_sittings`.
    start, end
        The range shown; by default the first and last sitting's dates.
    panels
        Panel ids, one strip each, top to bottom; by default every panel of the model.
    booked
        Minutes booked at each sitting, keyed by sitting id (``panel@YYYY-MM-DD``), as
        :func:`panelsched.plots.data.booked_minutes` gives. Without it every sitting has one
        colour; with it a sitting's colour is its share of the window booked.
    title
        The title; by default the authority and the range.
    ax
        Axes to draw into; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When ``panels`` names a panel the model lacks, or there is no range to show.
    """
    chosen = list(panels) if panels is not None else list(authority.panel_ids)
    unknown = [p for p in chosen if p not in authority.panel_ids]
    if unknown:
        raise ValueError(f"unknown panel {', '.join(unknown)}")
    shown = [s for s in sittings if s.panel in chosen]
    if start is None or end is None:
        if not shown:
            raise ValueError("no sittings to show; give start and end")
        start = start or min(s.date for s in shown)
        end = end or max(s.date for s in shown)
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    shown = [s for s in shown if start <= s.date <= end]
    workdays = working_calendar(authority.holidays)
    cancelled = {(p.id, day) for p in authority.panels if p.id in chosen for day in p.cancelled}
    cancelled = {(p, d) for p, d in cancelled if start <= d <= end}
    weekend = any(s.date.weekday() >= 5 for s in shown) or any(
        d.weekday() >= 5 for _, d in cancelled
    )
    rows = 7 if weekend else 5
    week0 = start - timedelta(days=start.weekday())
    weeks = (end - week0).days // 7 + 1
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    holidays = {d: name for d in days if (name := workdays.holiday_name(d)) is not None}

    # A short range gets bigger cells; the figure is sized so the cells come out about square.
    cell = min(0.34, max(_CELL_INCHES, 8.5 / weeks))
    grid_rows = len(chosen) * (rows + _GAP) + 0.2
    width = cell * (weeks + 0.4) + 0.6 + (1.1 if booked is not None else 0.0)
    height = cell * grid_rows + 1.5
    with plot_style():
        figure, ax = new_axes(ax, (max(6.5, width), height))
        norm = Normalize(0.0, 1.0)
        cmap = fill_colormap()
        by_key = {(s.panel, s.date): s for s in shown}
        any_marks = {"moved": False, "extra": False, "x": False}
        for index, panel_id in enumerate(chosen):
            top = index * (rows + _GAP) + _GAP
            empty, hatched, filled, colours = [], [], [], []
            marks: dict[str, list[tuple[float, float]]] = {"moved": [], "extra": [], "x": []}
            capacity = used = count = 0
            for day in days:
                d = day.weekday()
                if d >= rows:
                    continue
                x = (day - week0).days // 7
                y = top + d
                sitting = by_key.get((panel_id, day))
                if sitting is not None:
                    count += 1
                    capacity += sitting.capacity_minutes
                    minutes = (booked or {}).get(sitting.id, 0)
                    used += minutes
                    filled.append(_cell(x, y))
                    colours.append(
                        cmap(norm(minutes / sitting.capacity_minutes))
                        if booked is not None
                        else BLUE
                    )
                    if sitting.note.startswith("moved"):
                        marks["moved"].append((x, y))
                    elif sitting.note.startswith("extra"):
                        marks["extra"].append((x, y))
                elif day in holidays:
                    hatched.append(_cell(x, y))
                else:
                    # Small, so that the sittings read as the pattern and the days as ground.
                    empty.append(_cell(x, y, 0.45))
                if (panel_id, day) in cancelled:
                    marks["x"].append((x, y))
            ax.add_collection(PatchCollection(empty, facecolor=LIGHT_GREY, edgecolor="none"))
            ax.add_collection(
                PatchCollection(
                    hatched, facecolor="white", edgecolor=GREY, hatch="////", linewidth=0.0
                )
            )
            ax.add_collection(
                PatchCollection(filled, facecolor=colours, edgecolor="white", linewidth=0.6)
            )
            for segment in _month_lines(week0, weeks, rows, top, start, end):
                (x0, y0), (x1, y1) = segment
                ax.plot([x0, x1], [y0, y1], color="#8C8C8C", linewidth=0.7, solid_capstyle="butt")
            for kind, where in marks.items():
                any_marks[kind] = any_marks[kind] or bool(where)
            if marks["moved"]:
                xs, ys = zip(*marks["moved"], strict=True)
                ax.scatter(xs, ys, marker="D", s=14, facecolor="white", edgecolor=BLACK, lw=0.7)
            if marks["extra"]:
                xs, ys = zip(*marks["extra"], strict=True)
                ax.scatter(xs, ys, marker="P", s=26, facecolor="white", edgecolor=BLACK, lw=0.7)
            if marks["x"]:
                xs, ys = zip(*marks["x"], strict=True)
                ax.scatter(xs, ys, marker="x", s=22, color=BLACK, linewidth=1.2)
            name = authority.panel(panel_id).name
            ax.text(
                -0.6,
                top - 0.85,
                f"{name} ({panel_id})",
                fontsize=8.5,
                fontweight="bold",
                ha="left",
                va="bottom",
            )
            summary = f"{count} sittings"
            if booked is not None and capacity:
                summary += f", {used / capacity:.0%} of minutes booked"
            ax.text(
                weeks - 0.4,
                top - 0.85,
                summary,
                fontsize=8,
                ha="right",
                va="bottom",
                color="#333333",
            )

        # Month names over the first week that holds the 1st (the first month at the start).
        ticks, labels = [], []
        month = date(start.year, start.month, 1)
        first = True
        while month <= end:
            anchor = max(month, start)
            ticks.append((anchor - week0).days // 7 + (0.0 if anchor.weekday() == 0 else 0.5))
            labels.append(month_label(month, with_year=first or month.month == 1))
            first = False
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ax.set_xticks(ticks, labels, ha="left")
        ax.tick_params(axis="x", length=0, labeltop=True, labelbottom=True, pad=2)
        yticks = [
            i * (rows + _GAP) + _GAP + d for i in range(len(chosen)) for d in range(0, rows, 2)
        ]
        ax.set_yticks(yticks, [_WEEKDAYS[d] for _ in chosen for d in range(0, rows, 2)])
        ax.tick_params(axis="y", length=0, labelsize=6.5, pad=1)
        ax.set_xlim(-0.7, weeks - 0.3)
        ax.set_ylim(len(chosen) * (rows + _GAP) + 0.1, -0.1)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(
            title or f"{authority.authority}: sittings {uk_date(start)} to {uk_date(end)}",
            pad=14,
        )

        handles: list[Patch | Line2D] = []
        if booked is None:
            handles.append(Patch(facecolor=BLUE, label="sitting"))
        handles += [
            Patch(facecolor=LIGHT_GREY, label="no sitting"),
            Patch(facecolor="white", edgecolor=GREY, hatch="////", label="bank holiday"),
        ]
        # Only the marks that appear: a legend entry for nothing is a question for the reader.
        if any_marks["moved"]:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    markersize=4.5,
                    markerfacecolor="white",
                    markeredgecolor=BLACK,
                    linestyle="",
                    label="moved off a bank holiday",
                )
            )
        if any_marks["extra"]:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="P",
                    markersize=6,
                    markerfacecolor="white",
                    markeredgecolor=BLACK,
                    linestyle="",
                    label="extra sitting",
                )
            )
        if any_marks["x"]:
            handles.append(
                Line2D(
                    [], [], marker="x", markersize=5, color=BLACK, linestyle="", label="cancelled"
                )
            )
        # A figure legend below everything: constrained layout makes room for it, where an
        # axes legend below the axes would sit on the month labels.
        figure.legend(
            handles=handles,
            loc="outside lower left",
            ncol=min(len(handles), max(2, int(figure.get_figwidth() / 1.9))),
            handlelength=1.4,
            columnspacing=1.4,
        )
        if booked is not None:
            bar = figure.colorbar(
                mpl.cm.ScalarMappable(norm=norm, cmap=cmap),
                ax=ax,
                location="right",
                shrink=min(1.0, 2.6 / height),
                aspect=18,
                pad=0.01,
            )
            bar.set_label("share of the sitting's minutes booked", fontsize=8)
            bar.set_ticks([0.0, 0.25, 0.5, 0.75, 1.0], labels=["0%", "25%", "50%", "75%", "100%"])
            bar.ax.tick_params(labelsize=7)
            bar.outline.set_linewidth(0.5)
    return figure


__all__ = ["calendar_heatmap"]
