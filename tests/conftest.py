"""Fixtures for every test; the plain helpers behind them are in tests/helpers/.

Session fixtures hold what is costly to build and only read (the models are frozen); a test
that changes something builds its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.io.model_file import load_model
from tests.helpers.browser import chromium
from tests.helpers.builders import referral as make_referral
from tests.helpers.paths import LAMBETH


@pytest.fixture
def referral() -> Callable[..., Referral]:
    """``referral("R1", submitted, **fields)``: a routine crp referral submitted Monday 4 Jan
    2027 09:00, presented by ``SW-R1`` and ``TM-R1`` (see
    :func:`tests.helpers.builders.referral`)."""
    return make_referral


@pytest.fixture(scope="session")
def lambeth() -> Authority:
    """The shipped Lambeth model, ``models/lambeth.yaml``."""
    return load_model(LAMBETH)


@pytest.fixture(scope="module")
def driver(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Headless Chromium (Selenium's driver), one for each test module that asks; the module's
    ``WINDOW`` (width, height) sizes it, 1300 by 1400 unless it says."""
    window = getattr(request.module, "WINDOW", (1300, 1400))
    with chromium(tmp_path_factory.mktemp("chromium-profile"), window) as browser:
        yield browser
