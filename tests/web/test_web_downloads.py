"""The downloads are byte for byte the files ``planner export`` writes from the same diary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.forward.diary_files import EXPORT_FILES
from tests.helpers.web import NOW


@pytest.mark.parametrize("name", EXPORT_FILES)
def test_each_download_is_the_file_planner_export_writes(
    name: str, sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    now = f"{NOW:%Y-%m-%d %H:%M}"
    result = CliRunner().invoke(
        app, ["planner", "export", "--out", str(out), "--db", str(db), "--now", now]
    )
    assert result.exit_code == 0, result.output
    response = sign_in("vic").get(f"/downloads/{name}")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert response.content == (out / name).read_bytes()
