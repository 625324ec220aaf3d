"""The shared look: readable text colours, UK dates, and byte-for-byte repeatable files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from panelsched.plots.style import (
    BLUE,
    VERMILLION,
    YELLOW,
    date_axis,
    month_label,
    new_grid,
    save_figure,
    text_colour,
    uk_date,
    uk_day,
)


def _figure() -> Figure:
    figure = Figure(figsize=(3, 2))
    ax = figure.add_subplot()
    ax.plot([0, 1], [1, 0], label="a line")
    ax.set_title("title")
    ax.legend()
    return figure


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        # Okabe-Ito blue #0072B2 has relative luminance about 0.15, below the 0.179 at which
        # black and white contrast equally: white text.
        (BLUE, "white"),
        # Yellow #F0E442 is about 0.75: black text.
        (YELLOW, "#000000"),
        # Vermillion #D55E00 is about 0.22: black reads better (5.4:1 against 3.9:1).
        (VERMILLION, "#000000"),
        ("#000000", "white"),
        ("#FFFFFF", "#000000"),
    ],
)
def test_text_colour_picks_the_higher_contrast(background: str, expected: str) -> None:
    assert text_colour(background) == expected


def test_uk_dates() -> None:
    # 7 January 2027 was a Thursday; day before month.
    assert uk_date(date(2027, 1, 7)) == "07/01/2027"
    assert uk_day(date(2027, 1, 7)) == "Thu 07/01/2027"
    assert month_label(date(2027, 3, 1), with_year=True) == "Mar 2027"
    assert month_label(date(2027, 3, 1), with_year=False) == "Mar"


@pytest.mark.parametrize(
    ("start", "end", "labels"),
    [
        # The first month that starts inside the range is February; the year once.
        (date(2027, 1, 15), date(2027, 4, 30), ["Feb 2027", "Mar", "Apr"]),
        # Across a new year the year is written again on January.
        (date(2027, 11, 1), date(2028, 2, 1), ["Nov 2027", "Dec", "Jan 2028", "Feb"]),
    ],
)
def test_date_axis_labels_months(start: date, end: date, labels: list[str]) -> None:
    ax = Figure().add_subplot()
    date_axis(ax, start, end)
    assert [t.get_text() for t in ax.get_xticklabels()] == labels


def test_a_long_horizon_labels_every_other_month() -> None:
    ax = Figure().add_subplot()
    # 1 Jan 2027 to 31 Jan 2028 holds 14 month starts: all labelled; to 30 June 2028, 18: halved.
    date_axis(ax, date(2027, 1, 1), date(2028, 6, 30))
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["Jan 2027", "Mar", "May"]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_saving_twice_gives_the_same_bytes(tmp_path: Path, suffix: str) -> None:
    first = save_figure(_figure(), tmp_path / f"a{suffix}")
    second = save_figure(_figure(), tmp_path / f"b{suffix}")
    assert first.read_bytes() == second.read_bytes()


def test_files_carry_no_date_or_version(tmp_path: Path) -> None:
    svg = save_figure(_figure(), tmp_path / "a.svg").read_text()
    png = save_figure(_figure(), tmp_path / "a.png").read_bytes()
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg
    assert b"Software" not in png
    assert b"matplotlib" not in png.lower()


def test_the_same_figure_saves_the_same_in_another_process(tmp_path: Path) -> None:
    # svg.hashsalt fixes the ids SVG elements get, which otherwise differ per process.
    script = (
        "import sys\n"
        "from matplotlib.figure import Figure\n"
        "from panelsched.plots.style import save_figure\n"
        "f = Figure(figsize=(3, 2)); ax = f.add_subplot(); ax.plot([0, 1], [1, 0])\n"
        "save_figure(f, sys.argv[1])\n"
    )
    for name in ("a.svg", "b.svg"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], check=True)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


@pytest.mark.parametrize("name", ["plot.pdf", "plot", "plot.jpg"])
def test_only_png_and_svg_are_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"expected \.png or \.svg"):
        save_figure(_figure(), tmp_path / name)
    assert not (tmp_path / name).exists()


def test_a_grid_needs_one_axes_per_row() -> None:
    figure = Figure()
    axes = figure.subplots(1, 2)
    with pytest.raises(ValueError, match="expected 3 axes, one per row of the plot; got 2"):
        new_grid(list(axes), 3, (4, 4))
