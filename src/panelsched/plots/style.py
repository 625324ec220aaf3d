"""The look shared by every plot: a colour-blind safe palette, one font, UK dates, saving.

Colours are Okabe and Ito's eight (Okabe M, Ito K (2008), *Color Universal Design*), which
stay distinct for the common colour-vision deficiencies; a quantity uses cividis, which is
designed to read the same to everyone and in grey. Text is DejaVu Sans, the font matplotlib
ships, so a plot renders the same on any machine that has matplotlib.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from panelsched.exports.atomic import replacing

# Okabe-Ito, black left out: it is kept for text, outlines and markers.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#999999"
LIGHT_GREY = "#EBEBEB"
PALE = "#F7F7F7"

# The order categories take colours in: the most distinct pairs first.
CATEGORICAL = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY)
# Hatches that tell apart categories once the colours run out (more than eight team managers).
HATCHES = ("", "//", "..", "xx", "\\\\", "++")
SEQUENTIAL = "cividis"

SAVE_FORMATS = (".png", ".svg")
DPI = 150

# Keys typed Any: matplotlib types rcParams keys as a Literal of every known name.
RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": f"cycler('color', {list(CATEGORICAL)!r})",
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "image.cmap": SEQUENTIAL,
    # Fixed so that the same plot saved twice as SVG is the same bytes.
    "svg.hashsalt": "panelsched",
    "svg.fonttype": "path",
    "path.simplify": True,
}


@contextlib.contextmanager
def plot_style() -> Iterator[None]:
    """Apply the house style to every figure, axes and text made inside the block."""
    with mpl.rc_context(RC):
        yield


def new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new figure of ``size`` inches with one axes.

    The figure is made without pyplot, so nothing is kept in pyplot's list of open figures
    and no GUI backend is touched; a notebook shows it when it is a cell's value.
    """
    if ax is not None:
        return _figure_of(ax), ax
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def new_grid(
    axes: Axes | Sequence[Axes] | None, rows: int, size: tuple[float, float], sharex: bool = True
) -> tuple[Figure, list[Axes]]:
    """``rows`` axes stacked in a new figure, or the ones given (as many as ``rows``).

    Raises
    ------
    ValueError
        When the axes given are not as many as ``rows``.
    """
    if axes is None:
        figure = Figure(figsize=size, layout="constrained")
        grid = figure.subplots(rows, 1, sharex=sharex, squeeze=False)
        return figure, [a for row in grid for a in row]
    given = [axes] if isinstance(axes, Axes) else list(axes)
    if len(given) != rows:
        raise ValueError(f"expected {rows} axes, one per row of the plot; got {len(given)}")
    return _figure_of(given[0]), given


def _figure_of(ax: Axes) -> Figure:
    figure: object = ax.figure
    # An axes in a subfigure: the subfigure's own ``figure`` is the one that saves.
    while not isinstance(figure, Figure) and figure is not None:
        figure = getattr(figure, "figure", None)
    if not isinstance(figure, Figure):  # pragma: no cover - an Axes always has a figure
        raise ValueError("the axes belong to no figure")
    return figure


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05); they are equal
    # at L = 0.179.
    return BLACK if luminance > 0.179 else "white"


def uk_date(day: date) -> str:
    """``07/01/2027``."""
    return day.strftime("%d/%m/%Y")


def uk_day(day: date) -> str:
    """``Thu 07/01/2027``."""
    return day.strftime("%a %d/%m/%Y")


def month_label(day: date, with_year: bool) -> str:
    """``Mar`` or ``Mar 2027``."""
    return day.strftime("%b %Y" if with_year else "%b")


def clock_formatter() -> FuncFormatter:
    """Tick labels for minutes after midnight: ``13:00``."""
    return FuncFormatter(lambda minutes, _pos: f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}")


def date_axis(ax: Axes, start: date, end: date) -> None:
    """Month ticks labelled ``Jan 2027``, ``Feb``, ... on a date x axis from ``start`` to ``end``.

    The year is written on the first tick and on each January, so no label repeats it.
    """
    months = []
    day = date(start.year, start.month, 1)
    if day < start:
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    # A long horizon would crowd twelve labels a year into a narrow axis; every other month
    # (or quarter) is enough to read it.
    step = 1 if len(months) <= 14 else 2 if len(months) <= 28 else 3
    shown = months[::step]
    ax.set_xticks(
        [day_number(d) for d in shown],
        [
            month_label(d, with_year=i == 0 or d.year != shown[i - 1].year)
            for i, d in enumerate(shown)
        ],
    )


def day_number(day: date) -> float:
    """``day`` as matplotlib's date number, for a date axis."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG, the same bytes for the same figure.

    The files carry no date and no software version: PNG ``Software`` and SVG ``Date`` and
    ``Creator`` metadata are left out, and SVG element ids come from a fixed salt.

    Parameters
    ----------
    figure
        The figure a plot function returned.
    path
        Where to write it; the suffix, ``.png`` or ``.svg``, chooses the format.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        For any other suffix.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SAVE_FORMATS:
        raise ValueError(
            f"unknown image format '{target.suffix or '(no extension)'}'; expected .png or .svg"
        )
    metadata: dict[str, str | None] = (
        {"Software": None} if suffix == ".png" else {"Date": None, "Creator": None}
    )
    # Written whole or not at all, as every output is.
    with plot_style(), replacing(target) as temporary:
        figure.savefig(temporary, format=suffix[1:], dpi=DPI, metadata=metadata)
    return target


__all__ = [
    "BLUE",
    "CATEGORICAL",
    "GREEN",
    "GREY",
    "ORANGE",
    "PURPLE",
    "SKY_BLUE",
    "VERMILLION",
    "YELLOW",
    "clock_formatter",
    "date_axis",
    "day_number",
    "month_label",
    "new_axes",
    "new_grid",
    "plot_style",
    "save_figure",
    "text_colour",
    "uk_date",
    "uk_day",
]
