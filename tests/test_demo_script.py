"""scripts/demo.sh shows what a new user needs to see of each step's output.

The script runs here against a stand-in ``panelsched`` that prints numbered lines, so the test
checks the script's own trimming in a second, without solving anything: the real outputs are
what ``make demo`` shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The stand-in prints a 60-row calendar table, and for `planner cancel` its two summary lines
# then a "who must be told" table of 30 people; every other command prints one line.
STAND_IN = """#!/usr/bin/env bash
case "$1 $2" in
  "calendar "*)
    echo "Lambeth: sittings 01/01/2027 to 31/03/2027"
    for n in $(seq 1 60); do echo "calendar row $n"; done
    echo "60 sittings."
    ;;
  "planner cancel")
    echo "Cancelled lam-crp@2027-01-28: 10 booked case(s) to move."
    echo "Booked 0 hearing(s); moved 10."
    echo "Who must be told"
    for n in $(seq 1 30); do echo "told row $n"; done
    ;;
  *) echo "$1 $2 ran" ;;
esac
"""


@pytest.fixture
def shown(tmp_path: Path) -> str:
    if shutil.which("bash") is None or shutil.which("awk") is None:
        pytest.skip("the demo needs bash and awk")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "panelsched").write_text(STAND_IN, encoding="utf-8")
    # fill_outcomes.py is run with the venv's python; the stand-in only needs to succeed.
    (bin_dir / "python").write_text("#!/usr/bin/env bash\ntrue\n", encoding="utf-8")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    done = subprocess.run(
        ["bash", "scripts/demo.sh", str(bin_dir), str(tmp_path / "demo")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_calendar_shows_its_start_and_its_end(shown: str) -> None:
    lines = shown.splitlines()
    # The title and first rows (where a reader starts), then the last rows and the count.
    assert "Lambeth: sittings 01/01/2027 to 31/03/2027" in lines
    assert "calendar row 1" in lines and "calendar row 13" in lines
    assert "calendar row 60" in lines and "60 sittings." in lines
    # 62 lines printed, 14 at the start and 6 at the end shown: 42 left out, and said so.
    assert "calendar row 14" not in lines
    assert "  ... 42 more lines ..." in lines


def test_the_cancellation_shows_who_must_be_told(shown: str) -> None:
    lines = shown.splitlines()
    assert "Who must be told" in lines
    # 33 lines printed, 22 shown: the table's start, then how many more rows there are.
    assert "told row 1" in lines and "told row 19" in lines
    assert "told row 20" not in lines
    assert "  ... and 11 more lines" in lines
