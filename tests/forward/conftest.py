"""Fixtures for the forward planner's tests: the model of tests/helpers/forward.py, a started
planner."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from panelsched.forward import Store, init
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import actor, model_text


@pytest.fixture
def model_file(tmp_path: Path) -> Callable[..., Path]:
    """Write the model, optionally with S13's safeguarding team managers on ctp."""

    def make(tms: Sequence[str] = (), name: str = "testshire.yaml") -> Path:
        path = tmp_path / name
        path.write_text(model_text(tms), encoding="utf-8")
        return path

    return make


@pytest.fixture
def store(tmp_path: Path, model_file: Callable[..., Path]) -> Iterator[Store]:
    """A planner started on Monday 1 March 2027 at 08:00 with the model, no S13."""
    db = tmp_path / "planner.db"
    init(db, read_model_file(model_file()), actor("2027-03-01 08:00"))
    with Store.open(db) as opened:
        yield opened
