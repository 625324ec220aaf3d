"""`panelsched calendar` end to end: the Lambeth year, its three files, and bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner, Result

from panelsched import __version__
from panelsched.cli import app

LAMBETH = Path(__file__).resolve().parents[2] / "models" / "lambeth.yaml"
LAMBETH_IDS = ["lam-crp", "lam-lpp", "lam-ctp", "lam-ptp", "lam-16plus", "lam-neet"]
# The columns of sittings.csv as issue 2 documents them.
COLUMNS = [
    "panel",
    "panel_name",
    "date",
    "weekday",
    "start",
    "end",
    "cutoff",
    "papers_out",
    "capacity_minutes",
    "note",
]


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def shows(message: str, output: str) -> bool:
    """Whether ``output`` holds ``message``, however the 80-column error console wrapped it."""
    return "".join(message.split()) in "".join(output.split())


@pytest.fixture(scope="module")
def lambeth_year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("lambeth") / "out"
    result = run(
        "calendar", str(LAMBETH), "--from", "2027-01-01", "--to", "2027-12-31", "--out", str(out)
    )
    return result, out


def test_the_lambeth_year_writes_three_files(lambeth_year: tuple[Result, Path]) -> None:
    result, out = lambeth_year
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "sittings.csv",
        "sittings.ics",
        "sittings.xlsx",
    ]


def test_sittings_csv_has_the_documented_columns(lambeth_year: tuple[Result, Path]) -> None:
    _, out = lambeth_year
    with (out / "sittings.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert {row["panel"] for row in rows} == set(LAMBETH_IDS)
    assert all("2027-01-01" <= row["date"] <= "2027-12-31" for row in rows)


def test_the_easter_cutoff_moves_back_to_thursday(lambeth_year: tuple[Result, Path]) -> None:
    _, out = lambeth_year
    with (out / "sittings.csv").open(encoding="utf-8", newline="") as file:
        rows = [
            r for r in csv.DictReader(file) if (r["panel"], r["date"]) == ("lam-crp", "2027-04-01")
        ]
    # "MO 13:00" before Thursday 1 April 2027 is Monday 29 March, Easter Monday; the moment
    # moves back past Sunday, Saturday and Good Friday (26th) to Thursday 25 March at 13:00.
    assert [(r["weekday"], r["start"], r["end"], r["cutoff"]) for r in rows] == [
        ("Thursday", "13:00", "16:00", "2027-03-25T13:00")
    ]


def test_the_ics_and_xlsx_hold_the_same_sittings(lambeth_year: tuple[Result, Path]) -> None:
    _, out = lambeth_year
    ics = (out / "sittings.ics").read_bytes()
    assert b"UID:lam-crp-20270401@panelsched\r\n" in ics
    assert b"UID:cutoff-lam-crp-20270401@panelsched\r\n" in ics
    assert openpyxl.load_workbook(out / "sittings.xlsx").sheetnames == LAMBETH_IDS


def test_the_table_is_not_squeezed_into_80_columns(lambeth_year: tuple[Result, Path]) -> None:
    result, _ = lambeth_year
    # The 16+ Panel sits on Mondays and moves to the Tuesday; Monday 29 March 2027 is Easter
    # Monday. The note is printed whole on one line, not wrapped in a narrow column.
    line = next(x for x in result.output.splitlines() if "Tue 30/03/2027" in x)
    assert "lam-16plus" in line
    assert "moved from 2027-03-29 (Easter Monday)" in line


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"panelsched {__version__}"


def subcommands() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_has_help(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_calendar_help_names_its_options() -> None:
    text = run("calendar", "--help").output
    assert all(option in text for option in ("--from", "--to", "--panel", "--out"))


def test_uk_dates_on_the_command_line_give_the_same_files_as_iso(tmp_path: Path) -> None:
    # --from 01/01/2027 is 1 January 2027, day first, exactly as --from 2027-01-01.
    iso, uk = tmp_path / "iso", tmp_path / "uk"
    for out, start, end in ((iso, "2027-01-01", "2027-01-31"), (uk, "01/01/2027", "31/01/2027")):
        result = run(
            "calendar", str(LAMBETH), "--from", start, "--to", end, "--panel", "lam-crp",
            "--out", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert (uk / "sittings.csv").read_bytes() == (iso / "sittings.csv").read_bytes()
    assert (uk / "sittings.ics").read_bytes() == (iso / "sittings.ics").read_bytes()


def test_a_repeated_panel_is_listed_once() -> None:
    # Thursdays of January 2027: the 7th, 14th, 21st and 28th.
    result = run(
        "calendar", str(LAMBETH), "--from", "2027-01-01", "--to", "2027-01-31",
        "--panel", "lam-crp", "--panel", "lam-crp",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "4 sittings." in result.output
    # Without --out nothing is written, and the command says so and how to write the files.
    assert result.output.splitlines()[-1] == (
        "Wrote no files (add --out FOLDER to write sittings.csv, sittings.ics and sittings.xlsx)."
    )


def test_a_year_from_29_february_ends_on_28_february() -> None:
    result = run("calendar", str(LAMBETH), "--from", "2028-02-29", "--panel", "lam-crp")
    assert result.exit_code == 0
    # 2029 is not a leap year: a year after 29 February 2028 is 28 February 2029.
    assert "sittings 29/02/2028 to 28/02/2029" in result.output


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        (
            str(LAMBETH),
            ["--panel", "lam-crp", "--panel", "lam-xyz"],
            "error: --panel: unknown panel lam-xyz; known: " + ", ".join(LAMBETH_IDS),
        ),
        ("models/no-such-model.yaml", [], "error: models/no-such-model.yaml: no such file"),
        (
            str(LAMBETH),
            ["--from", "2027-02-01", "--to", "2027-01-31"],
            "error: --to: 31/01/2027 is before --from 01/02/2027",
        ),
        (
            str(LAMBETH),
            ["--from", "2027-13-01"],
            "error: --from: '2027-13-01' is not a real date: there is no month 13",
        ),
    ],
    ids=["unknown panel", "missing model", "to before from", "not a date"],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, model: str, options: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = run("calendar", model, *options, "--out", str(out))
    assert result.exit_code == 2
    assert shows(message, result.output)
    assert not out.exists()


def test_a_wrong_model_names_file_panel_and_key(tmp_path: Path) -> None:
    model = tmp_path / "wrong.yaml"
    model.write_text(
        "authority: Testshire\n"
        "panels:\n"
        "  - id: crp\n"
        "    name: Resource Panel\n"
        '    cadence: "FREQ=WEEKLY;BYDAY=TH"\n'
        '    time: "13:00-16:00"\n'
        "    slot_minutes: 15\n"
        '    cutoff: "next tuesday"\n',
        encoding="utf-8",
    )
    result = run("calendar", str(model), "--from", "2027-01-01", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert shows(f"error: {model}, panel 'crp', key 'cutoff':", result.output)
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me", encoding="utf-8")
    result = run("calendar", str(LAMBETH), "--from", "2027-01-01", "--out", str(target))
    assert result.exit_code == 2
    assert shows(f"error: --out: {target} is a file; expected a folder", result.output)
    assert target.read_text(encoding="utf-8") == "keep me"
