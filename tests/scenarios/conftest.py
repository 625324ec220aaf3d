"""Scenario files written into a temporary folder, pointing at the shipped models."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.scenarios import SMALL, WriteScenario


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """Write scenario text into ``tmp_path/<name>.yaml`` and return the path."""

    def write(text: str = SMALL, name: str = "scenario") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
