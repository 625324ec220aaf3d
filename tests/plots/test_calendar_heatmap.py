"""The calendar heatmap: which cell is what, worked out by hand on the tiny model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.plots import booked_minutes, calendar_heatmap
from panelsched.plots.calendar_heatmap import calendar_cells

SPRING = {"start": date(2027, 3, 1), "end": date(2027, 5, 31)}


def test_thursday_panel_cells(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    grid = calendar_cells(tiny, spring, panels=["res"], **SPRING)
    sittings = [c.day for c in grid.cells if c.kind == "sitting"]
    # Thursdays from 4 March to 27 May: 4 in March, 5 in April, 4 in May = 13; less the
    # cancelled 15 April, plus the extra Tuesday 20 April: 13.
    assert len(sittings) == 13
    assert date(2027, 4, 15) not in sittings
    marks = {c.day: c.mark for c in grid.cells if c.mark}
    assert marks == {date(2027, 4, 15): "cancelled", date(2027, 4, 20): "extra"}


def test_bank_holidays_and_moves(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    grid = calendar_cells(tiny, spring, panels=["sixteen"], **SPRING)
    holidays = [c.day for c in grid.cells if c.kind == "holiday"]
    # Good Friday 26/03, Easter Monday 29/03, early May 03/05 and spring 31/05/2027.
    assert holidays == [date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31)]
    moved = [c.day for c in grid.cells if c.mark == "moved"]
    # The Monday panel moves to the Tuesday; 31/05 moves to 01/06, outside the range.
    assert moved == [date(2027, 3, 30), date(2027, 5, 4)]


def test_fill_is_the_share_of_minutes_booked(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    grid = calendar_cells(tiny, spring, booked=booked_minutes(bookings), **SPRING)
    fill = {(c.panel, c.day): c.fill for c in grid.cells if c.kind == "sitting"}
    # Four 15-minute slots in the 60-minute window: full. One slot: a quarter.
    assert fill["res", date(2027, 4, 8)] == 1.0
    assert fill["res", date(2027, 4, 22)] == 0.25
    # Two 30-minute slots in the legal panel's 120 minutes: half.
    assert fill["legal", date(2027, 4, 7)] == 0.5
    assert fill["legal", date(2027, 4, 14)] == 0.0


def test_without_bookings_no_fill(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    grid = calendar_cells(tiny, spring, **SPRING)
    assert {c.fill for c in grid.cells} == {None}


def test_weekends_only_when_something_sits_on_one(
    tiny: Authority, spring: tuple[Sitting, ...]
) -> None:
    assert calendar_cells(tiny, spring, **SPRING).weekdays == 5
    weekend = tiny.model_copy(
        update={"panels": (tiny.panel("res").model_copy(update={"extra": (date(2027, 4, 24),)}),)}
    )
    from panelsched.core.sittings import generate_sittings

    saturday = generate_sittings(weekend, SPRING["start"], SPRING["end"])
    grid = calendar_cells(weekend, saturday, **SPRING)
    # The extra sitting on Saturday 24/04/2027 needs the weekend rows.
    assert grid.weekdays == 7
    assert any(c.day == date(2027, 4, 24) and c.mark == "extra" for c in grid.cells)


def test_the_range_defaults_to_the_sittings(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    grid = calendar_cells(tiny, spring)
    # The first sitting is Monday 1 March, the last Thursday 27 May (31 May is a holiday).
    assert (grid.start, grid.end) == (date(2027, 3, 1), date(2027, 5, 27))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"panels": ["nope"]}, "unknown panel nope"),
        ({"start": date(2027, 5, 1), "end": date(2027, 4, 1)}, "ends .* before it starts"),
    ],
)
def test_bad_arguments(
    tiny: Authority, spring: tuple[Sitting, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        calendar_cells(tiny, spring, **kwargs)  # type: ignore[arg-type]


def test_no_sittings_and_no_range(tiny: Authority) -> None:
    with pytest.raises(ValueError, match="no sittings to show; give start and end"):
        calendar_heatmap(tiny, ())


def test_legend_names_only_the_marks_shown(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    figure = calendar_heatmap(tiny, spring, panels=["legal"], **SPRING)
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    # The legal panel has no moved, extra or cancelled sitting.
    assert labels == ["sitting", "no sitting", "bank holiday"]


def test_draws_into_a_given_axes(tiny: Authority, spring: tuple[Sitting, ...]) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert calendar_heatmap(tiny, spring, panels=["res"], ax=ax, **SPRING) is figure
    assert ax.get_title(loc="left") == "Testshire: sittings 01/03/2027 to 31/05/2027"


def test_baseline_plain(
    tiny: Authority,
    spring: tuple[Sitting, ...],
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    matches_baseline(calendar_heatmap(tiny, spring, **SPRING), "calendar_plain")


def test_baseline_booked(
    tiny: Authority,
    spring: tuple[Sitting, ...],
    bookings: pd.DataFrame,
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    figure = calendar_heatmap(
        tiny, spring, panels=["res", "sixteen"], booked=booked_minutes(bookings), **SPRING
    )
    matches_baseline(figure, "calendar_booked")
