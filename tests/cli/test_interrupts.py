"""Ctrl-C during `plan` and `scenario run`: one line, exit status 130, no traceback, and the
output folder exactly as an earlier run left it (no part of the new set, no staging folder).

Each command runs in a process of its own and gets SIGINT as Ctrl-C sends it, a few seconds
in, while it is planning (a year of Lambeth referrals at 110% of capacity takes the solver
about 20 s; a scenario's replications about as long).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.cli.common import console
from panelsched.exports.atomic import STAGING_PREFIX
from panelsched.exports.input_files import write_referrals_csv
from panelsched.io.model_file import load_model
from panelsched.synthetic import generate_referrals

ROOT = Path(__file__).resolve().parents[2]
PANELSCHED = Path(sys.executable).with_name("panelsched")
LAMBETH = ROOT / "models" / "lambeth.yaml"
INTERRUPTED = (
    "interrupted: stopped before finishing; no files were written and nothing was changed\n"
)


def _earlier_run(out: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    out.mkdir(parents=True)
    for name in names:
        (out / name).write_text(f"from an earlier run: {name}\n", encoding="utf-8")
    (out / "notes.txt").write_text("the user's own file\n", encoding="utf-8")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _ctrl_c_after(seconds: float, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``panelsched *args``, send SIGINT after ``seconds``; the result and how long the
    command took to stop."""
    process = subprocess.Popen(
        [str(PANELSCHED), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(seconds)
    assert process.poll() is None, "the command finished before it could be interrupted"
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    stopped = time.perf_counter() - sent
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), stopped


@pytest.fixture(scope="module")
def busy_referrals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("busy") / "referrals.csv"
    authority = load_model(LAMBETH)
    referrals = generate_referrals(
        authority, date(2027, 1, 4), date(2027, 12, 31), load=1.1, seed=3
    )
    write_referrals_csv(referrals, path)
    return path


def test_ctrl_c_during_plan_leaves_the_earlier_plan_whole(
    busy_referrals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    before = _earlier_run(out, ("bookings.csv", "unplaced.csv", "agendas.md", "summary.json"))
    result, stopped = _ctrl_c_after(
        3.5, "plan", str(LAMBETH), "--referrals", str(busy_referrals),
        "--time-limit", "60", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 130
    assert result.stderr == INTERRUPTED
    assert "Traceback" not in result.stdout
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(out.glob(f"{STAGING_PREFIX}*"))
    # The solver's searches stop at once; what is left is the step under way (an LP).
    assert stopped < 10


def test_ctrl_c_during_scenario_run_leaves_the_earlier_run_whole(tmp_path: Path) -> None:
    out = tmp_path / "scenario"
    before = _earlier_run(out, ("kpis.csv", "comparison.csv", "report.md", "timings.csv"))
    result, _ = _ctrl_c_after(
        3.0, "scenario", "run", str(ROOT / "scenarios" / "cbc-plus20.yaml"),
        "--workers", "2", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 130
    # One line: the workers leave Ctrl-C to the command, so print nothing of their own.
    assert result.stderr == INTERRUPTED
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _ctrl_c(*args: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_while_writing_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The calendar's ICS is being written when Ctrl-C comes: its CSV, already in the staging
    # folder, never reaches --out.
    monkeypatch.setattr("panelsched.exports.ics.write_sittings_ics", _ctrl_c)
    out = tmp_path / "calendar"
    result = CliRunner().invoke(
        app, ["calendar", str(LAMBETH), "--from", "04/01/2027", "--to", "31/01/2027",
              "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 130
    assert result.output.endswith(INTERRUPTED)
    assert not out.exists()


def test_ctrl_c_after_the_files_are_in_place_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = console.print

    def print_then_ctrl_c(*args: object, **kwargs: object) -> None:
        if str(args[0]).startswith("Wrote sittings.csv"):
            raise KeyboardInterrupt
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(console, "print", print_then_ctrl_c)
    out = tmp_path / "calendar"
    result = CliRunner().invoke(
        app, ["calendar", str(LAMBETH), "--from", "04/01/2027", "--to", "31/01/2027",
              "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 130
    assert result.output.endswith("interrupted: stopped after its files were written in full\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "sittings.csv",
        "sittings.ics",
        "sittings.xlsx",
    ]
