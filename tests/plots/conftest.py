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
from tests.helpers import council

matplotlib.use("Agg")

BASELINE = Path(__file__).parent / "baseline"
# RMS difference (0-255) allowed: antialiasing may differ in the last bit between builds, a
# moved label or a changed colour does not pass.
TOLERANCE = 2.0

# tests/data/councils.yaml's "plots" council: two Wednesday panels that overlap from 11:00 to
# 12:00 (so the agenda draws people's lanes), a Thursday panel with a cancelled and an extra
# sitting, and a Monday panel that moves off bank holidays.
TINY = council.model("plots")


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
    """Ten bookings as text, as bookings.csv holds them (tests/data/plots-bookings.csv).

    Wednesday 07/04/2027: TM-A has a case at both overlapping panels (10:00 legal, 11:15
    perm); Thursday 08/04/2027: the resource panel is full (four 15-minute slots in 60 minutes).
    """
    return pd.read_csv(council.DATA / "plots-bookings.csv", dtype=str, keep_default_na=False)


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
