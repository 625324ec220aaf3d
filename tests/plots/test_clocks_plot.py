"""The clocks plot (issue 26, "Counted"): per clock, a stacked bar per month of the cases
decided in time, late and still open, with the share in time; and ``panelsched plot clocks``
over the diary of tests/helpers/clock_counts.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from matplotlib.colors import to_rgb
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.forward.clock_counts import ClockMonth
from panelsched.plots import save_figure
from panelsched.plots.clocks import clocks
from panelsched.plots.style import BLUE, GREY, VERMILLION
from tests.helpers.clock_counts import build_clock_diary

PNG = b"\x89PNG\r\n\x1a\n"
CLOCK = ("ehc-assessment-decision", "6-week assessment decision", "SEND Regulations 2014, reg. 5")
# The counts test_clock_counts.py works out by hand, December 2026 added to show the year.
COUNTS = (
    ClockMonth(*CLOCK, date(2026, 12, 1)),
    ClockMonth(*CLOCK, date(2027, 6, 1), started=6, in_time=3, late=2, days_late=(5, 12),
               paused=1, open_past=1),
    ClockMonth(*CLOCK, date(2027, 7, 1), started=3, open_in_time=3),
)  # fmt: skip


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, ["plot", "clocks", *args])
    assert "Traceback" not in result.output
    return result


def test_each_month_is_a_bar_of_in_time_late_and_open(tmp_path: Path) -> None:
    figure = clocks(COUNTS)
    (ax,) = figure.axes
    in_time, late, still_open = ax.containers
    # June: 3 in time, 2 late on top of them, 1 open on top of those; July: 3 open.
    assert [b.get_height() for b in in_time] == [0, 3, 0]
    assert [b.get_height() for b in late] == [0, 2, 0]
    assert [b.get_y() for b in late] == [0, 3, 0]
    assert [b.get_height() for b in still_open] == [0, 1, 3]
    assert [b.get_y() for b in still_open] == [0, 5, 0]
    colours = [c.patches[0].get_facecolor()[:3] for c in (in_time, late, still_open)]
    assert colours == [to_rgb(BLUE), to_rgb(VERMILLION), to_rgb(GREY)]
    # The share in time above each bar (3 of 5 decided in June; none decided otherwise).
    assert [t.get_text() for t in ax.texts] == ["-", "60%", "-"]
    # UK month names, the year on the first and at each new year.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Dec 2026", "Jun 2027", "Jul"]
    assert ax.get_title(loc="left").startswith("6-week assessment decision (SEND Regulations")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["decided in time", "decided late", "still open"]
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    save_figure(figure, first)
    save_figure(clocks(COUNTS), second)
    assert first.read_bytes() == second.read_bytes()


def test_no_counts_is_refused() -> None:
    with pytest.raises(ValueError, match="the model sets no statutory clocks"):
        clocks(())


def test_the_command_draws_the_diary(tmp_path: Path) -> None:
    db = build_clock_diary(tmp_path)
    out = tmp_path / "clocks.png"
    done = run("--db", str(db), "--from", "01/06/2027", "--to", "31/07/2027",
               "--now", "22/07/2027 09:00", "--out", str(out))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"Wrote {out}" in done.output and out.read_bytes().startswith(PNG)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "clocks.gif"], "error: --out: 'clocks.gif' is not a .png or .svg file name"),
        (["--out", "c.png", "--from", "01/08/2027", "--to", "01/06/2027"],
         "error: --to: 01/06/2027 is before --from 01/08/2027"),
        (["--out", "c.png", "--db", "missing.db"], "missing.db: no planner here"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    db = build_clock_diary(tmp_path)
    done = run("--db", str(db), *args)
    assert done.exit_code == 2
    assert "".join(message.split()) in "".join(done.output.split())
    assert not (tmp_path / "c.png").exists()
