"""`panelsched plot ...` end to end on the tiny model: files written, bad input refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app

PNG = b"\x89PNG\r\n\x1a\n"


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, ["plot", *args])
    assert "Traceback" not in result.output
    return result


def shows(message: str, output: str) -> bool:
    """Whether ``output`` holds ``message``, however the error console wrapped it."""
    return "".join(message.split()) in "".join(output.split())


@pytest.fixture
def model(tiny_yaml: Path) -> Path:
    return tiny_yaml


@pytest.fixture
def scenario_csv(tmp_path: Path) -> Path:
    path = tmp_path / "comparison.csv"
    path.write_text(
        "scenario,figure,mean,ci_low,ci_high\n"
        "weekly,mean_wait_days,13.4,12.1,14.8\n"
        "fortnightly,mean_wait_days,19.9,17.5,22.3\n"
    )
    return path


def test_every_plot_writes_its_image(
    tmp_path: Path, model: Path, bookings_csv: Path, scenario_csv: Path
) -> None:
    out = tmp_path / "images"
    commands = {
        "calendar.png": [
            "calendar",
            str(model),
            "--from",
            "2027-03-01",
            "--to",
            "2027-05-31",
            "--bookings",
            str(bookings_csv),
        ],
        "agenda.png": [
            "agenda",
            str(model),
            "--bookings",
            str(bookings_csv),
            "--date",
            "2027-04-07",
            "--week",
        ],
        "waits.png": [
            "waits",
            str(model),
            "--bookings",
            str(bookings_csv),
            "--baseline",
            str(bookings_csv),
        ],
        "utilisation.png": ["utilisation", str(model), "--bookings", str(bookings_csv)],
        "scenario.png": ["scenario", str(scenario_csv)],
    }
    for name, args in commands.items():
        result = run(*args, "--out", str(out / name))
        assert result.exit_code == 0, result.output
        assert shows(f"Wrote {out / name}", result.output)
        assert (out / name).read_bytes().startswith(PNG)


def test_svg_is_written_too(tmp_path: Path, model: Path) -> None:
    out = tmp_path / "calendar.svg"
    result = run(
        "calendar", str(model), "--from", "2027-03-01", "--panel", "res", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith("<?xml")


def test_the_same_command_writes_the_same_bytes(
    tmp_path: Path, model: Path, bookings_csv: Path
) -> None:
    args = ["agenda", str(model), "--bookings", str(bookings_csv), "--date", "2027-04-08"]
    run(*args, "--out", str(tmp_path / "a.svg"))
    run(*args, "--out", str(tmp_path / "b.svg"))
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calendar", "{model}", "--out", "{out}.pdf"], "--out: 'x.pdf' is not a .png or .svg"),
        (
            ["calendar", "{model}", "--panel", "nope", "--out", "{out}.png"],
            "--panel: unknown panel nope; known: res, legal, perm, sixteen",
        ),
        (
            [
                "calendar",
                "{model}",
                "--from",
                "2027-05-01",
                "--to",
                "2027-04-01",
                "--out",
                "{out}.png",
            ],
            "--to: 01/04/2027 is before --from 01/05/2027",
        ),
        (
            # Month first, as a US-style date: refused, saying dates are day first.
            ["calendar", "{model}", "--from", "05/13/2027", "--out", "{out}.png"],
            "--from: '05/13/2027' is not a real date: there is no month 13 (dates are day "
            "first, so 04/01/2027 is 4 January)",
        ),
        (
            [
                "agenda",
                "{model}",
                "--bookings",
                "{bad}",
                "--date",
                "2027-04-07",
                "--out",
                "{out}.png",
            ],
            "bad.csv, row 3, column 'start': '25:00'",
        ),
        (
            [
                "agenda",
                "{model}",
                "--bookings",
                "{bookings}",
                "--date",
                "2027-04-09",
                "--panel",
                "res",
                "--out",
                "{out}.png",
            ],
            "--date: no sitting of res and nothing booked on Fri 09/04/2027",
        ),
        (
            ["waits", "{model}", "--bookings", "{missing}", "--out", "{out}.png"],
            "nowhere.csv: no such file",
        ),
        (
            ["scenario", "{bad}", "--out", "{out}.png"],
            "bad.csv, column 'scenario': this required column is missing",
        ),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path,
    model: Path,
    bookings_csv: Path,
    args: list[str],
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    frame = pd.read_csv(bookings_csv, dtype=str, keep_default_na=False)
    frame.loc[1, "start"] = "25:00"
    frame.to_csv(bad, index=False)
    names = {
        "model": str(model),
        "out": str(tmp_path / "x"),
        "bad": str(bad),
        "bookings": str(bookings_csv),
        "missing": str(tmp_path / "nowhere.csv"),
    }
    result = run(*(a.format(**names) for a in args))
    assert result.exit_code == 2, result.output
    assert shows(f"error: {message}", result.output.replace(str(tmp_path) + "/", ""))
    assert not list(tmp_path.glob("x.*"))


def test_the_plot_group_lists_its_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("calendar", "agenda", "waits", "utilisation", "scenario"):
        assert command in result.output
