"""A sitting's or a week's agenda as a timeline: one lane per sitting, one bar per slot.

Slots are labelled with the case reference and coloured by team manager, so a manager's
cases read as one block. When two sittings on a day overlap in time (Lambeth's legal planning
and permanency tracking panels both sit on Wednesday mornings), everyone with cases at both
gets a lane of their own underneath, which shows at a glance that nobody is in two places.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextPath

from panelsched.core.panels import Authority, minutes_of
from panelsched.core.sittings import Sitting
from panelsched.plots.data import bookings_table
from panelsched.plots.style import (
    CATEGORICAL,
    HATCHES,
    LIGHT_GREY,
    clock_formatter,
    new_axes,
    plot_style,
    text_colour,
    uk_day,
)

_LABEL_SIZES = (6.5, 5.8)
_BAR = 0.84  # of a lane's height
_LANE_INCHES = 0.62


@dataclass(frozen=True, slots=True)
class _Lane:
    label: str
    day: date
    window: tuple[int, int] | None
    slots: pd.DataFrame
    person: bool


def _text_points(text: str, size: float) -> float:
    """How wide ``text`` is in points at ``size``, measured from the font's outlines."""
    path = TextPath((0, 0), text, size=size, prop=FontProperties(family="DejaVu Sans"))
    return float(path.get_extents().width)


def _manager_styles(managers: Sequence[str]) -> dict[str, tuple[str, str]]:
    """A colour, and past eight managers a hatch too, for each team manager."""
    styles = {}
    for i, manager in enumerate(managers):
        colour = CATEGORICAL[i % len(CATEGORICAL)]
        hatch = HATCHES[(i // len(CATEGORICAL)) % len(HATCHES)]
        styles[manager] = (colour, hatch)
    return styles


def _window(sitting: Sitting) -> tuple[int, int]:
    return minutes_of(sitting.start), minutes_of(sitting.end)


def _lanes(
    table: pd.DataFrame,
    sittings: Sequence[Sitting],
    names: dict[str, str],
) -> list[_Lane]:
    lanes: list[_Lane] = []
    by_day = {
        d: sorted(
            {(s.panel, s.date): s for s in sittings if s.date == d}.values(),
            key=lambda s: (s.start, s.panel),
        )
        for d in sorted({*table["date"], *(s.date for s in sittings)})
    }
    for day, day_sittings in by_day.items():
        booked = table[table["date"] == day]
        panels = [s.panel for s in day_sittings]
        panels += sorted(set(booked["panel"]) - set(panels))
        windows: dict[str, tuple[int, int]] = {s.panel: _window(s) for s in day_sittings}
        for panel in panels:
            slots = booked[booked["panel"] == panel]
            if panel not in windows:
                # No sitting given: the slots themselves mark out the window.
                windows[panel] = (
                    min(minutes_of(t) for t in slots["start"]),
                    max(minutes_of(t) for t in slots["end"]),
                )
            lanes.append(
                _Lane(
                    f"{uk_day(day)}\n{names.get(panel, panel)}",
                    day,
                    windows[panel],
                    slots,
                    person=False,
                )
            )
        overlapping = [
            (a, b)
            for a, b in itertools.combinations(panels, 2)
            if windows[a][0] < windows[b][1] and windows[b][0] < windows[a][1]
        ]
        people: set[str] = set()
        for a, b in overlapping:
            at_a = booked[booked["panel"] == a]
            at_b = booked[booked["panel"] == b]
            for column in ("team_manager", "social_worker"):
                people |= (set(at_a[column]) & set(at_b[column])) - {""}
        for person in sorted(people):
            mine = booked[(booked["team_manager"] == person) | (booked["social_worker"] == person)]
            lanes.append(_Lane(f"{person} (at both)", day, None, mine, person=True))
    return lanes


def agenda(
    bookings: pd.DataFrame,
    day: date,
    *,
    week: bool = False,
    panel: str | None = None,
    sittings: Sequence[Sitting] = (),
    authority: Authority | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot one day's (or one week's) sittings as a timeline of slots.

    Parameters
    ----------
    bookings
        A plan's bookings: ``bookings.csv`` read by :func:`panelsched.plots.read_bookings`, or
        any frame :func:`panelsched.plots.data.bookings_table` accepts. ``team_manager`` colours
        the slots; ``social_worker`` and ``team_manager`` find who is needed at two sittings.
    day
        The day shown, or with ``week`` any day of the Monday-to-Sunday week shown.
    week
        Show the whole week.
    panel
        Only this panel's sittings.
    sittings
        The sittings of the period, to draw each window (and sittings with nothing booked);
        without them a sitting's window is taken from its first and last slot.
    authority
        The model, for the panels' names; ids are shown without it.
    title
        The title; by default the day or the week.
    ax
        Axes to draw into; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When there is nothing booked and no sitting in the period.
    InputError
        When ``bookings`` lacks a required column or has a bad cell.
    """
    table = bookings_table(bookings)
    first = day - timedelta(days=day.weekday()) if week else day
    last = first + timedelta(days=6) if week else day
    chosen = table[(table["date"] >= first) & (table["date"] <= last)]
    shown = [s for s in sittings if first <= s.date <= last]
    if panel is not None:
        chosen = chosen[chosen["panel"] == panel]
        shown = [s for s in shown if s.panel == panel]
    period = f"the week of {uk_day(first)}" if week else uk_day(day)
    if chosen.empty and not shown:
        where = f" of {panel}" if panel else ""
        raise ValueError(f"no sitting{where} and nothing booked on {period}")
    names = {p.id: p.name for p in authority.panels} if authority is not None else {}
    lanes = _lanes(chosen, shown, names)
    # Colours from every manager in the plan, so a manager keeps a colour from plot to plot.
    styles = _manager_styles(sorted(set(table["team_manager"]) - {""}))
    managers = sorted(set(chosen["team_manager"]) - {""})

    starts = [lane.window[0] for lane in lanes if lane.window] + [
        minutes_of(t) for t in chosen["start"]
    ]
    ends = [lane.window[1] for lane in lanes if lane.window] + [
        minutes_of(t) for t in chosen["end"]
    ]
    # Rounded out to whole half hours, so the axis starts and ends on a labelled tick.
    low = (min(starts) // 30) * 30
    high = -(-max(ends) // 30) * 30
    span = high - low
    # Inches an hour: a single sitting wide enough for its labels to read across, a long day
    # narrower (its labels turn up the bars).
    width = max(7.0, min(16.0, 2.9 + span / 60 * (2.5 if span <= 240 else 1.55)))
    height = 1.3 + _LANE_INCHES * len(lanes) + 0.25 * len({lane.day for lane in lanes})
    with plot_style():
        figure, ax = new_axes(ax, (width, height))
        labels: list[tuple[int, int, int, str, str]] = []
        for i, lane in enumerate(lanes):
            if lane.window is not None:
                ax.broken_barh(
                    [(lane.window[0], lane.window[1] - lane.window[0])],
                    (i - 0.5, 1.0),
                    facecolor=LIGHT_GREY,
                    edgecolor="none",
                    zorder=0,
                )
            slots = lane.slots
            for reference, panel_id, begins, ends_at, manager in zip(
                slots["referral_id"].astype(str),
                slots["panel"].astype(str),
                slots["start"],
                slots["end"],
                slots["team_manager"].astype(str),
                strict=True,
            ):
                start, end = minutes_of(begins), minutes_of(ends_at)
                colour, hatch = styles.get(manager, ("#BBBBBB", ""))
                ax.broken_barh(
                    [(start, end - start)],
                    (i - _BAR / 2, _BAR),
                    facecolor=colour,
                    edgecolor="white",
                    hatch=hatch or None,
                    linewidth=0.8,
                    zorder=2,
                )
                # In a person's lane the panel says which of the overlapping sittings it is.
                text = f"{reference}\n{panel_id}" if lane.person else reference
                labels.append((i, start, end, colour, text))
        # A rule between days, so a week reads as days.
        for i, (a, b) in enumerate(itertools.pairwise(lanes)):
            if a.day != b.day:
                ax.axhline(i + 0.5, color="#555555", linewidth=0.8)
        ax.set_yticks(range(len(lanes)), [lane.label for lane in lanes])
        for tick, lane in zip(ax.get_yticklabels(), lanes, strict=True):
            if lane.person:
                tick.set_fontstyle("italic")
                tick.set_color("#333333")
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.set_xlim(low, high)
        step = 15 if span <= 90 else 30 if span <= 240 else 60
        ax.set_xticks(range(low, high + 1, step))
        ax.xaxis.set_major_formatter(clock_formatter())
        ax.grid(axis="x", color="#CCCCCC", linewidth=0.6, zorder=1)
        ax.set_axisbelow(True)
        ax.set_xlabel("time of day")
        ax.spines["left"].set_visible(False)
        if title is None:
            if panel is not None and not week:
                title = f"Agenda: {names.get(panel, panel)}, {uk_day(day)}"
            else:
                title = f"Agendas for {period}"
        ax.set_title(title)
        handles = [
            Patch(facecolor=styles[m][0], hatch=styles[m][1] or None, edgecolor="white", label=m)
            for m in managers
        ]
        figure.legend(
            handles=handles,
            title="team manager",
            loc="outside right upper",
            alignment="left",
            handlelength=1.2,
        )
        figure.legend(
            handles=[Patch(facecolor=LIGHT_GREY, label="sitting window")],
            loc="outside right lower",
            handlelength=1.2,
        )
        _label_slots(figure, ax, labels, span)
    return figure


def _label_slots(
    figure: Figure,
    ax: Axes,
    labels: Sequence[tuple[int, int, int, str, str]],
    span: int,
) -> None:
    """Write each case reference on its bar: across if it fits, else up, else smaller."""
    # Lay the figure out first: how much room a bar has depends on the final axes size.
    figure.draw_without_rendering()
    box = ax.get_position()
    axes_x = box.width * figure.get_figwidth() * 72
    lane_y = box.height * figure.get_figheight() * 72 / max(1, len(ax.get_yticks()))
    for lane, start, end, colour, text in labels:
        lines = text.split("\n")
        room_x = axes_x * (end - start) / span - 3
        room_y = lane_y * _BAR - 3
        for size in _LABEL_SIZES:
            wide = max(_text_points(line, size) for line in lines)
            tall = len(lines) * size * 1.15
            if wide <= room_x and tall <= room_y:
                rotation = 0
                break
            if tall <= room_x and wide <= room_y:
                rotation = 90
                break
        else:
            continue  # no room for a readable label; its colour still tells the manager
        ax.text(
            (start + end) / 2,
            lane,
            text,
            ha="center",
            va="center",
            rotation=rotation,
            rotation_mode="anchor",
            fontsize=size,
            color=text_colour(colour),
            zorder=3,
            linespacing=1.0,
        )


__all__ = ["agenda"]
