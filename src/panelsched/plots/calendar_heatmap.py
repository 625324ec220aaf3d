"""The sitting calendar as a heatmap: weeks across, weekdays down, one strip per panel.

Each sitting's cell is coloured by how full it is (minutes booked over the window's minutes,
when a plan is given); bank holidays are hatched, cancelled sittings crossed, moved and extra
sittings marked, and month boundaries drawn as lines, as on a wall planner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting, sitting_id
from panelsched.core.workdays import working_calendar
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

_GAP = 1.9  # rows of space above each strip for its title
_CELL_INCHES = 0.17
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# marker, size (points squared), face colour, edge width
_MARKS = {
    "moved": ("D", 14.0, "white", 0.7),
    "extra": ("P", 26.0, "white", 0.7),
    "cancelled": ("x", 22.0, BLACK, 1.2),
}
_MARK_LABELS = {
    "moved": "moved off a bank holiday",
    "extra": "extra sitting",
    "cancelled": "cancelled",
}


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


@dataclass(frozen=True, slots=True)
class Cell:
    """One day of one panel's strip.

    Attributes
    ----------
    panel, day
        Which strip and which day.
    kind
        ``sitting``, ``holiday`` (a bank holiday the panel does not sit on) or ``none``.
    fill
        For a sitting with bookings given, minutes booked over its capacity; else ``None``.
    mark
        ``moved`` (off a bank holiday), ``extra``, ``cancelled`` or empty.
    """

    panel: str
    day: date
    kind: Literal["sitting", "holiday", "none"]
    fill: float | None = None
    mark: Literal["", "moved", "extra", "cancelled"] = ""


@dataclass(frozen=True, slots=True)
class CalendarGrid:
    """What the heatmap draws: the range, the panels and every cell."""

    start: date
    end: date
    panels: tuple[str, ...]
    weekdays: int
    cells: tuple[Cell, ...]

    @property
    def first_monday(self) -> date:
        """The Monday of the first week shown."""
        return self.start - timedelta(days=self.start.weekday())

    @property
    def weeks(self) -> int:
        """How many week columns."""
        return (self.end - self.first_monday).days // 7 + 1


def calendar_cells(
    authority: Authority,
    sittings: Sequence[Sitting],
    *,
    start: date | None = None,
    end: date | None = None,
    panels: Sequence[str] | None = None,
    booked: Mapping[str, int] | None = None,
) -> CalendarGrid:
    """Each panel's days from ``start`` to ``end`` as cells (see :func:`calendar_heatmap`).

    Weekends are left out unless a sitting or a cancelled sitting falls on one.

    Raises
    ------
    ValueError
        When ``panels`` names a panel the model lacks, or there is no range to show.
    """
    chosen = tuple(panels) if panels is not None else authority.panel_ids
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
    by_key = {(s.panel, s.date): s for s in shown if start <= s.date <= end}
    cancelled = {
        (p.id, day)
        for p in authority.panels
        if p.id in chosen
        for day in p.cancelled
        if start <= day <= end
    }
    weekend = any(d.weekday() >= 5 for _, d in [*by_key, *cancelled])
    weekdays = 7 if weekend else 5
    workdays = working_calendar(authority.holidays)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    days = [d for d in days if d.weekday() < weekdays]
    holidays = {d for d in days if workdays.holiday_name(d) is not None}
    cells = []
    for panel_id in chosen:
        for day in days:
            sitting = by_key.get((panel_id, day))
            if sitting is not None:
                fill = (
                    booked.get(sitting.id, 0) / sitting.capacity_minutes
                    if booked is not None
                    else None
                )
                mark: Literal["", "moved", "extra"] = (
                    "moved"
                    if sitting.note.startswith("moved")
                    else "extra"
                    if sitting.note.startswith("extra")
                    else ""
                )
                cells.append(Cell(panel_id, day, "sitting", fill, mark))
                continue
            cells.append(
                Cell(
                    panel_id,
                    day,
                    "holiday" if day in holidays else "none",
                    mark="cancelled" if (panel_id, day) in cancelled else "",
                )
            )
    return CalendarGrid(start, end, chosen, weekdays, tuple(cells))


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

    Weeks run across and weekdays down, one strip per panel. A sitting is a full cell,
    coloured by the share of its minutes booked when ``booked`` is given; a day without a
    sitting is a small grey square; a bank holiday is hatched. Sittings moved off a bank
    holiday carry a diamond, extra sittings a plus, cancelled sittings a cross.

    Parameters
    ----------
    authority
        The panel model: panel names, cancelled dates and the bank holidays' subdivision.
    sittings
        The sittings to show, from :func:`panelsched.core.sittings.generate_sittings`.
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
    grid = calendar_cells(authority, sittings, start=start, end=end, panels=panels, booked=booked)
    rows, weeks, week0 = grid.weekdays, grid.weeks, grid.first_monday
    capacity = {s.id: s.capacity_minutes for s in sittings}
    # A short range gets bigger cells; the figure is sized so the cells come out about square.
    cell = min(0.34, max(_CELL_INCHES, 8.5 / weeks))
    width = cell * (weeks + 0.4) + 0.6 + (1.1 if booked is not None else 0.0)
    height = cell * (len(grid.panels) * (rows + _GAP) + 0.2) + 1.5
    with plot_style():
        figure, ax = new_axes(ax, (max(6.5, width), height))
        norm = Normalize(0.0, 1.0)
        cmap = fill_colormap()
        seen_marks: set[str] = set()
        for index, panel_id in enumerate(grid.panels):
            top = index * (rows + _GAP) + _GAP
            mine = [c for c in grid.cells if c.panel == panel_id]
            empty: list[Rectangle] = []
            hatched: list[Rectangle] = []
            filled: list[Rectangle] = []
            colours: list[object] = []
            marks: dict[str, list[tuple[float, float]]] = {
                "moved": [],
                "extra": [],
                "cancelled": [],
            }
            for c in mine:
                x = (c.day - week0).days // 7
                y = top + c.day.weekday()
                if c.kind == "sitting":
                    filled.append(_cell(x, y))
                    colours.append(cmap(norm(c.fill)) if c.fill is not None else BLUE)
                elif c.kind == "holiday":
                    hatched.append(_cell(x, y))
                else:
                    # Small, so that the sittings read as the pattern and the days as ground.
                    empty.append(_cell(x, y, 0.45))
                if c.mark:
                    marks[c.mark].append((x, y))
            ax.add_collection(PatchCollection(empty, facecolor=LIGHT_GREY, edgecolor="none"))
            ax.add_collection(
                PatchCollection(
                    hatched, facecolor="white", edgecolor=GREY, hatch="////", linewidth=0.0
                )
            )
            ax.add_collection(
                PatchCollection(filled, facecolor=colours, edgecolor="white", linewidth=0.6)
            )
            ax.add_collection(
                LineCollection(
                    _month_lines(week0, weeks, rows, top, grid.start, grid.end),
                    colors="#8C8C8C",
                    linewidths=0.7,
                    capstyle="butt",
                )
            )
            for kind, (marker, size, face, line) in _MARKS.items():
                if marks[kind]:
                    seen_marks.add(kind)
                    xs, ys = zip(*marks[kind], strict=True)
                    # An "x" is a line, not a shape: it takes its colour, not an edge.
                    ax.scatter(
                        xs,
                        ys,
                        marker=marker,
                        s=size,
                        c=face,
                        edgecolors=None if marker == "x" else BLACK,
                        linewidth=line,
                        zorder=3,
                    )
            sat = [c for c in mine if c.kind == "sitting"]
            ax.text(
                -0.6,
                top - 0.85,
                f"{authority.panel(panel_id).name} ({panel_id})",
                fontsize=8.5,
                fontweight="bold",
                ha="left",
                va="bottom",
            )
            summary = f"{len(sat)} sittings"
            total = sum(capacity.get(sitting_id(panel_id, c.day), 0) for c in sat)
            if booked is not None and total:
                used = sum(booked.get(sitting_id(panel_id, c.day), 0) for c in sat)
                summary += f", {used / total:.0%} of minutes booked"
            ax.text(
                weeks - 0.4,
                top - 0.85,
                summary,
                fontsize=8,
                ha="right",
                va="bottom",
                color="#333333",
            )

        # Month names over the week that holds the 1st (the first month at the start).
        ticks: list[float] = []
        labels: list[str] = []
        month = date(grid.start.year, grid.start.month, 1)
        while month <= grid.end:
            anchor = max(month, grid.start)
            ticks.append((anchor - week0).days // 7 + (0.0 if anchor.weekday() == 0 else 0.5))
            labels.append(month_label(month, with_year=not labels or month.month == 1))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ax.set_xticks(ticks, labels, ha="left")
        ax.tick_params(axis="x", length=0, labeltop=True, labelbottom=True, pad=2)
        strips = range(len(grid.panels))
        ax.set_yticks(
            [i * (rows + _GAP) + _GAP + d for i in strips for d in range(0, rows, 2)],
            [_WEEKDAYS[d] for _ in strips for d in range(0, rows, 2)],
        )
        ax.tick_params(axis="y", length=0, labelsize=6.5, pad=1)
        ax.set_xlim(-0.7, weeks - 0.3)
        ax.set_ylim(len(grid.panels) * (rows + _GAP) + 0.1, -0.1)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(
            title
            or f"{authority.authority}: sittings {uk_date(grid.start)} to {uk_date(grid.end)}",
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
        for kind, (marker, size, face, line) in _MARKS.items():
            if kind in seen_marks:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=marker,
                        markersize=size**0.5 * 1.1,
                        markerfacecolor=face,
                        markeredgecolor=BLACK,
                        markeredgewidth=line,
                        color=BLACK,
                        linestyle="",
                        label=_MARK_LABELS[kind],
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


__all__ = ["CalendarGrid", "Cell", "calendar_cells", "calendar_heatmap"]
