"""Minutes booked against capacity, per sitting, on the tiny model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.plots import utilisation

APRIL = {"start": date(2027, 4, 1), "end": date(2027, 4, 30)}


def _heights(figure: Figure, row: int) -> tuple[list[float], list[float]]:
    """The capacity bars and the booked bars of one row, in date order."""
    containers = figure.axes[row].containers
    return (
        [b.get_height() for b in containers[0]],  # type: ignore[attr-defined]
        [b.get_height() for b in containers[1]],  # type: ignore[attr-defined]
    )


def test_bars_are_capacity_and_booked_minutes(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    figure = utilisation(spring, bookings, authority=tiny, panels=["res"], **APRIL)
    capacity, booked = _heights(figure, 0)
    # April's resource sittings: 01, 08, 20 (extra), 22, 29 (15th cancelled); 60 minutes each.
    # Booked: four slots on 08/04 (60 minutes), one on 22/04 (15).
    assert capacity == [60, 60, 60, 60, 60]
    assert booked == [0, 60, 0, 15, 0]
    # 75 of 300 minutes is 25%; one sitting of five is full.
    assert figure.axes[0].get_title(loc="left") == (
        "Resource Panel: 25% of 300 minutes booked, 1 of 5 sittings full"
    )


def test_one_row_per_panel_in_model_order(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    figure = utilisation(spring, bookings, authority=tiny, **APRIL)
    assert [ax.get_title(loc="left").split(":")[0] for ax in figure.axes] == [
        "Resource Panel",
        "Legal Panel",
        "Permanency Panel",
        "16+ Panel",
    ]
    # Only the bottom row is labelled with months, once with its year.
    assert [t.get_text() for t in figure.axes[-1].get_xticklabels()] == ["Apr 2027"]


def test_overbooking_is_shown_in_its_own_colour(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    extra = pd.concat(
        [
            bookings,
            pd.DataFrame(
                [["R-11", "res", "2027-04-08", "13:50", "14:05"]],
                columns=["referral_id", "panel", "date", "start", "end"],
            ),
        ],
        ignore_index=True,
    ).fillna("")
    figure = utilisation(spring, extra, authority=tiny, panels=["res"], **APRIL)
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert labels == ["capacity (window less breaks)", "booked", "booked over capacity"]


def test_axes_must_match_the_panels(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    ax = Figure().add_subplot()
    with pytest.raises(ValueError, match="expected 4 axes"):
        utilisation(spring, bookings, authority=tiny, ax=ax, **APRIL)
    figure = utilisation(spring, bookings, authority=tiny, panels=["res"], ax=ax, **APRIL)
    assert figure is ax.figure


def test_no_sittings(bookings: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no sittings to show"):
        utilisation((), bookings)


def test_baseline_image(
    tiny: Authority,
    spring: tuple[Sitting, ...],
    bookings: pd.DataFrame,
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    figure = utilisation(spring, bookings, authority=tiny, panels=["res", "legal", "sixteen"])
    matches_baseline(figure, "utilisation")
