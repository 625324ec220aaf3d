"""The same run on a Dask cluster: a small local one, started and stopped by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.errors import InputError
from panelsched.scenarios.cluster import dask_executor
from tests.helpers.scenarios import WriteScenario


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # Threads in this process, one worker: light, and no ports left open.
    with LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as local:
        yield local


def test_a_dask_cluster_gives_the_same_figures_as_this_machine(
    write_scenario: WriteScenario, tmp_path: Path, cluster: LocalCluster
) -> None:
    path = write_scenario()
    here = tmp_path / "here"
    there = tmp_path / "there"
    for out, options in (
        (here, ["--workers", "1"]),
        (there, ["--executor", "dask", "--scheduler", cluster.scheduler_address]),
    ):
        result = CliRunner().invoke(
            app, ["scenario", "run", str(path), "--out", str(out), *options]
        )
        assert result.exit_code == 0, result.output
    for name in ("kpis.csv", "comparison.csv", "report.md"):
        assert (here / name).read_bytes() == (there / name).read_bytes()
    # Two replications, two methods each.
    assert len((there / "kpis.csv").read_text(encoding="utf-8").splitlines()) == 1 + 4


def test_an_unreachable_scheduler_is_bad_input() -> None:
    with pytest.raises(InputError) as caught, dask_executor("tcp://127.0.0.1:9", timeout=0.5):
        pass
    (problem,) = caught.value.problems
    assert problem.file == "--scheduler"
    assert problem.message.startswith("cannot reach a Dask scheduler at tcp://127.0.0.1:9 (")
