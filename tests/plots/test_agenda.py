"""The agenda timeline: lanes, labels and colours on the tiny model's bookings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.plots import agenda
from panelsched.plots.style import BLUE, ORANGE


def _lanes(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].get_yticklabels()]


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].texts]


def test_overlapping_sittings_get_a_lane_per_person_at_both(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    figure = agenda(bookings, date(2027, 4, 7), sittings=spring, authority=tiny)
    # Legal sits 10:00-12:00 and permanency 11:00-12:00 on Wednesday 07/04: they overlap.
    # TM-A presents R-1 at legal and R-4 at permanency, TM-B: a lane each.
    # Nobody else is at both (SW-1..SW-4 each at one).
    assert _lanes(figure) == [
        "Wed 07/04/2027\nLegal Panel",
        "Wed 07/04/2027\nPermanency Panel",
        "TM-A (at both)",
        "TM-B (at both)",
    ]
    # Each case once on its sitting's lane and once on its manager's lane, with the panel.
    assert sorted(_texts(figure)) == sorted(
        ["R-1", "R-2", "R-3", "R-4", "R-1\nlegal", "R-4\nperm", "R-2\nlegal", "R-3\nperm"]
    )


def test_slots_are_coloured_by_team_manager(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    figure = agenda(bookings, date(2027, 4, 7), panel="legal", sittings=spring, authority=tiny)
    legend = figure.legends[0]
    # Managers take colours in name order over the whole plan: TM-A blue, TM-B orange.
    colours = {
        t.get_text(): h.get_facecolor()
        for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    from matplotlib.colors import to_rgba

    assert colours == {"TM-A": to_rgba(BLUE), "TM-B": to_rgba(ORANGE)}
    assert figure.axes[0].get_title(loc="left") == "Agenda: Legal Panel, Wed 07/04/2027"


def test_a_week_shows_every_sitting_even_empty_ones(
    tiny: Authority, spring: tuple[Sitting, ...], bookings: pd.DataFrame
) -> None:
    figure = agenda(bookings, date(2027, 4, 8), week=True, sittings=spring, authority=tiny)
    lanes = _lanes(figure)
    # Week of Monday 05/04/2027: the 16+ panel sits with nothing booked, Wednesday's two
    # panels and their two people's lanes, Thursday's resource panel.
    assert lanes[0] == "Mon 05/04/2027\n16+ Panel"
    assert lanes[-1] == "Thu 08/04/2027\nResource Panel"
    assert len(lanes) == 6
    assert figure.axes[0].get_title(loc="left") == "Agendas for the week of Mon 05/04/2027"


def test_without_sittings_the_window_is_the_slots(bookings: pd.DataFrame) -> None:
    figure = agenda(bookings, date(2027, 4, 8))
    ax = figure.axes[0]
    # Slots from 13:00 to 14:00; the axis is rounded out to whole half hours, so the same.
    assert ax.get_xlim() == (13 * 60, 14 * 60)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "13:00",
        "13:15",
        "13:30",
        "13:45",
        "14:00",
    ]
    assert _lanes(figure) == ["Thu 08/04/2027\nres"]


def test_nothing_on_the_day(bookings: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no sitting of res and nothing booked on Fri 09/04/2027"):
        agenda(bookings, date(2027, 4, 9), panel="res")


def test_baseline_week(
    tiny: Authority,
    spring: tuple[Sitting, ...],
    bookings: pd.DataFrame,
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    figure = agenda(bookings, date(2027, 4, 7), week=True, sittings=spring, authority=tiny)
    matches_baseline(figure, "agenda_week")


def test_baseline_sitting(
    tiny: Authority,
    spring: tuple[Sitting, ...],
    bookings: pd.DataFrame,
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    figure = agenda(bookings, date(2027, 4, 8), panel="res", sittings=spring, authority=tiny)
    matches_baseline(figure, "agenda_sitting")
