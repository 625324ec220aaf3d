"""A table too large to plan from is refused while it is read, in one line and within a
stated memory bound, never with a MemoryError.

A table may hold :data:`~panelsched.io.tables.MAX_ROWS` (100,000) data rows; the check runs as
each row is read, and a CSV file is read a megabyte at a time, so a file of a million rows
costs no more memory than one of 100,000.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from panelsched.errors import InputError
from panelsched.io import tables
from panelsched.io.tables import MAX_ROWS, read_table

ROOT = Path(__file__).resolve().parents[2]
HEADER = "referral_id,panel,submitted,social_worker,team_manager\n"
ROW = "R-1,lam-crp,2027-01-04 09:00,SW-1,TM-1\n"
TOO_MANY = (
    "the file has more than {limit:,} rows, more than panelsched reads from one file; split "
    "it (by year, say) and give each part in turn"
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_million_row_referrals_file_is_refused_within_300_mb(tmp_path: Path) -> None:
    referrals = tmp_path / "referrals.csv"
    referrals.write_text(HEADER + ROW * 1_000_000, encoding="utf-8")  # 39 MB
    # The command as its entry point runs it, printing its own peak memory as it exits:
    # VmHWM, since getrusage's ru_maxrss carries over the parent's peak (pytest's, hundreds
    # of MB late in the suite) across fork and exec.
    measured = (
        "import atexit, re, sys\n"
        "atexit.register(lambda: print(re.search(r'VmHWM:\\s+(\\d+)',"
        " open('/proc/self/status').read()).group(1)))\n"
        "from panelsched.cli.main import main\n"
        "sys.argv[0] = 'panelsched'\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measured, "plan", str(ROOT / "models" / "lambeth.yaml"),
         "--referrals", str(referrals), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    # The header is row 1, so the 100,001st data row is row 100,002.
    assert result.stderr == (
        f"error: {referrals}, row {MAX_ROWS + 2}: {TOO_MANY.format(limit=MAX_ROWS)}\n"
    )
    assert not (tmp_path / "out").exists()
    # The bound (about 200 MB measured): the interpreter, its libraries and 100,000 rows.
    peak_mb = int(result.stdout.split()[-1]) / 1024
    assert peak_mb < 300


@pytest.mark.parametrize("rows", [5, 6])
def test_a_csv_at_the_limit_is_read_and_one_more_row_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    path = tmp_path / "r.csv"
    path.write_text(HEADER + ROW * rows, encoding="utf-8")
    if rows == 5:
        assert len(read_table(path).rows) == 5
        return
    with pytest.raises(InputError) as exc:
        read_table(path)
    (problem,) = exc.value.problems
    # Row 7: the header, five rows allowed, then the sixth.
    assert (problem.row, problem.message) == (7, TOO_MANY.format(limit=5))


def test_a_workbook_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(","))
    for _ in range(4):
        sheet.append(ROW.strip().split(","))
    book.save(tmp_path / "r.xlsx")
    with pytest.raises(InputError) as exc:
        read_table(tmp_path / "r.xlsx")
    (problem,) = exc.value.problems
    assert (problem.row, problem.message) == (5, TOO_MANY.format(limit=3))
