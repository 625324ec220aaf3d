"""``panelsched advise`` end to end on a tiny year, and bad input.

``crp`` sits on Thursdays 13:00-14:00 (four 15-minute slots), cut-off the Monday before at
13:00. Five cases due Thursday 7 January 2027, submitted Monday 4 January: one more than the
sitting holds. With windows allowed to run to 14:30, the cheapest change is 7 January 30
minutes longer (cost 0.5).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import yaml
from typer.testing import CliRunner, Result

from panelsched.cli import app
from tests.helpers.builders import PANELS


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    model = tmp_path / "testshire.yaml"
    model.write_text(
        yaml.safe_dump({"authority": "Testshire", "panels": [PANELS["crp"]]}, sort_keys=False),
        encoding="utf-8",
    )
    referrals = tmp_path / "referrals.csv"
    rows = ["referral_id,panel,submitted,social_worker,team_manager,deadline"]
    rows += [f"R-{i},crp,2027-01-04 09:00,SW-{i},TM-{i},2027-01-07" for i in range(5)]
    referrals.write_text("\n".join(rows) + "\n", encoding="utf-8")
    settings = tmp_path / "advice.yaml"
    settings.write_text("latest_end: '14:30'\n", encoding="utf-8")
    return model, referrals, settings


def advise_args(model: Path, referrals: Path, settings: Path) -> list[str]:
    return ["advise", str(model), "--referrals", str(referrals), "--settings", str(settings)]


def test_advise_writes_the_advice_and_the_revised_model(tmp_path: Path) -> None:
    model, referrals, settings = inputs(tmp_path)
    out = tmp_path / "out"
    args = [*advise_args(model, referrals, settings), "--to", "31/01/2027", "--out", str(out)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "1 change(s) costing 0.5 (proven cheapest)" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "advice.csv",
        "advice.md",
        "advice.png",
        "slot_values.csv",
        "testshire-advised.yaml",
    ]
    with (out / "advice.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # As it is: one late; with 7 January 30 minutes longer: none, one late case saved.
    assert [(r["order"], r["kind"], r["late"], r["late_saved"]) for r in rows] == [
        ("0", "", "1", "0"),
        ("1", "extend", "0", "1"),
    ]
    revised = yaml.safe_load((out / "testshire-advised.yaml").read_text(encoding="utf-8"))
    assert revised["panels"][0]["times"] == {date(2027, 1, 7): "13:00-14:30"}
    text = (out / "advice.md").read_text(encoding="utf-8")
    assert "one more 15-minute slot on Thursday 07 January 2027" in text
    # The same input gives the same files, byte for byte.
    again = tmp_path / "again"
    assert run(*args[:-1], str(again)).exit_code == 0
    for name in (
        "advice.csv",
        "advice.md",
        "slot_values.csv",
        "advice.png",
        "testshire-advised.yaml",
    ):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_a_bad_target_or_advice_file_writes_nothing(tmp_path: Path) -> None:
    model, referrals, settings = inputs(tmp_path)
    out = tmp_path / "out"
    bad = run(*advise_args(model, referrals, settings), "--target", "soon", "--out", str(out))
    assert bad.exit_code == 2 and "--target" in bad.output
    settings.write_text("costs: {extend_30: cheap}\n", encoding="utf-8")
    worse = run(*advise_args(model, referrals, settings), "--out", str(out))
    assert worse.exit_code == 2 and "costs.extend_30" in worse.output
    settings.write_text("panels: [lpp]\n", encoding="utf-8")
    unknown = run(*advise_args(model, referrals, settings), "--out", str(out))
    assert (
        unknown.exit_code == 2 and "key 'panels': lpp: not a panel of the model" in unknown.output
    )
    assert not out.exists()
