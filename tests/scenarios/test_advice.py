"""``scenario run`` with ``advise:``: the advice replication by replication, and how often
each change is chosen."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.errors import InputError
from panelsched.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[2]
# Central Bedfordshire's weekly panel, three weeks of referrals at about 140% of its slots
# (more than it can hear in time), planned a fortnight beyond.
SMALL = f"""\
name: small
model: {ROOT / "models" / "central-bedfordshire.yaml"}
horizon: {{from: 2027-03-01, to: 2027-03-21}}
run_out_weeks: 2
demand:
  load: 1.4
replications: 2
seed: 11
time_limit: 0.5
"""


def test_each_replication_is_advised_and_the_changes_counted(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL + "advise: max-wait=14\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["scenario", "run", str(path), "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Advice for small (max-wait=14)" in result.output
    with (out / "advice-replications.csv").open(encoding="utf-8") as handle:
        replications = list(csv.DictReader(handle))
    with (out / "advice.csv").open(encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    assert [r["replication"] for r in replications] == ["1", "2"]
    # Each change is counted once per replication that chose it: the counts add up to the
    # changes of the two replications, and none is chosen more often than there are runs.
    assert sum(int(c["chosen"]) for c in changes) == sum(int(r["changes"]) for r in replications)
    assert all(1 <= int(c["chosen"]) <= 2 for c in changes)
    counts = [int(c["chosen"]) for c in changes]
    assert counts == sorted(counts, reverse=True)


def test_advise_true_means_late_0_and_a_bad_target_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL + "advise: true\n", encoding="utf-8")
    assert load_scenario(path).advise == "late=0"
    path.write_text(SMALL + "advise: soon\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "advise" in str(caught.value) and "'soon' is not a target" in str(caught.value)
