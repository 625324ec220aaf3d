"""Fixtures for every test; the plain helpers behind them are in builders.py.

Being the root conftest, this file puts ``tests/`` on ``sys.path`` (pytest's default
"prepend" import mode), so any test or conftest below may ``from builders import ...``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import referral as make_referral

from panelsched.core.referrals import Referral


@pytest.fixture
def referral() -> Callable[..., Referral]:
    """``referral("R1", submitted, **fields)``: a routine crp referral submitted Monday 4 Jan
    2027 09:00, presented by ``SW-R1`` and ``TM-R1`` (see :func:`builders.referral`)."""
    return make_referral
