"""Waiting days per panel, plan beside baseline, on hand-made bookings."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from matplotlib.figure import Figure

from panelsched.core.panels import Authority
from panelsched.plots import waits


@pytest.fixture
def baseline(bookings: pd.DataFrame) -> pd.DataFrame:
    """The greedy baseline: R-1 a week later (heard 14/04, after its due date 09/04: late), and
    R-6 a week later (heard 15/04, still before its due date 22/04)."""
    frame = bookings.copy()
    frame.loc[frame["referral_id"] == "R-1", ["date", "wait_days", "late"]] = [
        "2027-04-14",
        "16",
        "yes",
    ]
    frame.loc[frame["referral_id"] == "R-6", ["date", "wait_days"]] = ["2027-04-15", "21"]
    return frame


def _annotations(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].texts if t.get_text().endswith("late")]


def test_panels_in_model_order_with_counts(tiny: Authority, bookings: pd.DataFrame) -> None:
    figure = waits(bookings, authority=tiny)
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    # res: R-5..R-8 and R-10; legal; perm; sixteen: R-9.
    assert labels == [
        "Resource Panel\n(5 cases)",
        "Legal Panel\n(2 cases)",
        "Permanency Panel\n(2 cases)",
        "16+ Panel\n(1 case)",
    ]


def test_late_cases_are_counted_per_panel_and_plan(
    tiny: Authority, bookings: pd.DataFrame, baseline: pd.DataFrame
) -> None:
    figure = waits(bookings, baseline, authority=tiny)
    # Plan: R-8 late at res, R-4 at perm. Baseline: the same two, and R-1 at legal.
    assert _annotations(figure) == ["1 late", "1 late", "1 late", "1 late", "1 late"]
    positions = sorted(round(t.xy[0], 1) for t in figure.axes[0].texts if t.get_text() == "1 late")
    # Panels at 0 (res), 1 (legal), 2 (perm); the plan 0.2 left, the baseline 0.2 right.
    assert positions == [-0.2, 0.2, 1.2, 1.8, 2.2]


def test_the_legend_names_plan_and_baseline(
    tiny: Authority, bookings: pd.DataFrame, baseline: pd.DataFrame
) -> None:
    figure = waits(bookings, baseline, authority=tiny)
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert labels[:2] == ["plan", "greedy baseline"]
    assert "heard after its due date" in labels
    alone = waits(bookings, authority=tiny)
    assert "greedy baseline" not in [t.get_text() for t in alone.legends[0].get_texts()]


def test_a_booking_without_waiting_days_is_refused(bookings: pd.DataFrame) -> None:
    frame = bookings.drop(columns=["wait_days", "submitted"])
    with pytest.raises(ValueError, match="bookings: row 2 has no waiting days"):
        waits(frame)


def test_baseline_image(
    tiny: Authority,
    bookings: pd.DataFrame,
    baseline: pd.DataFrame,
    matches_baseline: Callable[[Figure, str], None],
) -> None:
    matches_baseline(waits(bookings, baseline, authority=tiny), "waits")
