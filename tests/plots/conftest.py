"""Shared data for the plot tests: a tiny model, its sittings, hand-made bookings, and the
baseline-image check."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.plots import save_figure

matplotlib.use("Agg")

BASELINE = Path(__file__).parent / "baseline"
# RMS difference (0-255) allowed: antialiasing may differ in the last bit between builds, a
# moved label or a changed colour does not pass.
TOLERANCE = 2.0

# Two Wednesday panels that overlap from 11:00 to 12:00 (so the agenda draws people's lanes),
# a Thursday panel with a cancelled and an extra sitting, and a Monday panel that moves off
# bank holidays: Easter Monday 29/03/2027 and the May bank holidays 03/05 and 31/05/2027.
TINY = {
    "authority": "Testshire",
    "holidays": "ENG",
    "panels": [
        {
            "id": "res",
            "name": "Resource Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "13:00-14:00",
            "slot_minutes": 15,
            "cutoff": "MO 13:00",
            "cancelled": [date(2027, 4, 15)],
            "extra": [date(2027, 4, 20)],
        },
        {
            "id": "legal",
            "name": "Legal Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=WE",
            "time": "10:00-12:00",
            "slot_minutes": 30,
        },
        {
            "id": "perm",
            "name": "Permanency Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=WE",
            "time": "11:00-12:00",
            "slot_minutes": 15,
        },
        {
            "id": "sixteen",
            "name": "16+ Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=MO",
            "time": "14:00-15:00",
            "slot_minutes": 15,
            "on_holiday": "next_working_day",
        },
    ],
}

BOOKING_HEADER = [
    "referral_id",
    "panel",
    "date",
    "start",
    "end",
    "social_worker",
    "team_manager",
    "submitted",
    "deadline",
    "wait_days",
    "late",
    "pinned",
]
# Wednesday 07/04/2027: TM-A has a case at both overlapping panels (10:00 legal, 11:15 perm);
# Thursday 08/04/2027: the resource panel is full (four 15-minute slots in 60 minutes).
BOOKING_ROWS = [
    [
        "R-1",
        "legal",
        "2027-04-07",
        "10:00",
        "10:30",
        "SW-1",
        "TM-A",
        "2027-03-29T09:00",
        "2027-04-09",
        "9",
        "no",
        "no",
    ],
    [
        "R-2",
        "legal",
        "2027-04-07",
        "10:30",
        "11:00",
        "SW-2",
        "TM-B",
        "2027-03-30T09:00",
        "",
        "8",
        "no",
        "no",
    ],
    [
        "R-3",
        "perm",
        "2027-04-07",
        "11:00",
        "11:15",
        "SW-3",
        "TM-B",
        "2027-03-31T09:00",
        "",
        "7",
        "no",
        "no",
    ],
    [
        "R-4",
        "perm",
        "2027-04-07",
        "11:15",
        "11:30",
        "SW-4",
        "TM-A",
        "2027-03-22T09:00",
        "2027-04-01",
        "16",
        "yes",
        "no",
    ],
    [
        "R-5",
        "res",
        "2027-04-08",
        "13:00",
        "13:15",
        "SW-1",
        "TM-A",
        "2027-04-01T09:00",
        "",
        "7",
        "no",
        "no",
    ],
    [
        "R-6",
        "res",
        "2027-04-08",
        "13:15",
        "13:30",
        "SW-5",
        "TM-C",
        "2027-03-25T09:00",
        "2027-04-22",
        "14",
        "no",
        "no",
    ],
    [
        "R-7",
        "res",
        "2027-04-08",
        "13:30",
        "13:45",
        "SW-5",
        "TM-C",
        "2027-03-18T09:00",
        "",
        "21",
        "no",
        "no",
    ],
    [
        "R-8",
        "res",
        "2027-04-08",
        "13:45",
        "14:00",
        "SW-6",
        "TM-D",
        "2027-03-11T09:00",
        "2027-03-25",
        "28",
        "yes",
        "no",
    ],
    [
        "R-9",
        "sixteen",
        "2027-03-30",
        "14:00",
        "14:15",
        "SW-7",
        "TM-D",
        "2027-03-22T09:00",
        "",
        "8",
        "no",
        "no",
    ],
    [
        "R-10",
        "res",
        "2027-04-22",
        "13:00",
        "13:15",
        "SW-6",
        "TM-B",
        "2027-04-12T09:00",
        "",
        "10",
        "no",
        "no",
    ],
]


@pytest.fixture(scope="session")
def tiny() -> Authority:
    """The tiny four-panel model."""
    return Authority.model_validate(TINY)


@pytest.fixture
def tiny_yaml(tmp_path: Path) -> Path:
    """The tiny model written as a YAML file, for the command line."""
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def spring(tiny: Authority) -> tuple[Sitting, ...]:
    """Its sittings from 01/03/2027 to 31/05/2027."""
    return generate_sittings(tiny, date(2027, 3, 1), date(2027, 5, 31))


@pytest.fixture
def bookings() -> pd.DataFrame:
    """Ten bookings as text, as bookings.csv holds them."""
    return pd.DataFrame(BOOKING_ROWS, columns=BOOKING_HEADER)


@pytest.fixture
def bookings_csv(tmp_path: Path, bookings: pd.DataFrame) -> Path:
    """The same bookings written to a CSV file."""
    path = tmp_path / "bookings.csv"
    bookings.to_csv(path, index=False)
    return path


@pytest.fixture
def matches_baseline(tmp_path: Path) -> Callable[[Figure, str], None]:
    """Save a figure and compare it with ``baseline/<name>.png``.

    With ``PANELSCHED_UPDATE_BASELINES=1`` the baseline is rewritten instead (look at it first).
    """

    def check(figure: Figure, name: str) -> None:
        actual = tmp_path / f"{name}.png"
        save_figure(figure, actual)
        expected = BASELINE / f"{name}.png"
        if os.environ.get("PANELSCHED_UPDATE_BASELINES") == "1":
            BASELINE.mkdir(exist_ok=True)
            shutil.copyfile(actual, expected)
            return
        assert expected.exists(), f"no baseline {expected}; run with PANELSCHED_UPDATE_BASELINES=1"
        difference = compare_images(str(expected), str(actual), tol=TOLERANCE)
        assert difference is None, difference

    return check
