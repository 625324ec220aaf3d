"""Every notebook in notebooks/ runs from top to bottom, within a minute, and draws its plots.

The notebooks are stored without outputs; this executes them with the venv's own Python
kernel (``python3``) in the notebooks folder, as an analyst opening them in Jupyter would.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["forward-planner.ipynb", "capacity-scenarios.ipynb", "process-compliance.ipynb"]
# The limit is a minute each; the slowest plans 327 referrals in about 10 seconds.
LIMIT_SECONDS = 60


def test_the_notebooks_are_the_ones_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_within_a_minute(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=LIMIT_SECONDS,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.monotonic()
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT_SECONDS, f"{name} took {elapsed:.0f} s"
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    # Every notebook is there to look at plots: each draws at least two.
    assert len(images) >= 2, f"{name} drew {len(images)} images"
