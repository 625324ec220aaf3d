"""Loading scenario files: changes applied to the model, merges, and clear errors."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.errors import InputError
from panelsched.scenarios import load_scenario, load_scenarios
from panelsched.scenarios.spec import FileDemand, GeneratedDemand
from tests.helpers.paths import MODELS, ROOT
from tests.helpers.scenarios import SMALL, WriteScenario


def test_a_plain_scenario_keeps_the_model(write_scenario: WriteScenario) -> None:
    scenario = load_scenario(write_scenario())
    assert scenario.name == "small"
    assert scenario.panel_ids == ("cbc-arp",)
    assert scenario.authority == scenario.base
    # 21 March plus the two run-out weeks.
    assert (scenario.start, scenario.end, scenario.plan_end) == (
        date(2027, 3, 1),
        date(2027, 3, 21),
        date(2027, 4, 4),
    )
    assert isinstance(scenario.demand, GeneratedDemand)
    assert scenario.demand.load == 0.9
    assert (scenario.replications, scenario.seed, scenario.time_limit) == (2, 11, 0.5)


def test_changes_replace_keys_and_add_sittings(write_scenario: WriteScenario) -> None:
    text = SMALL + (
        "changes:\n"
        "  - panel: cbc-arp\n"
        '    cadence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"\n'
        "    anchor: 2027-03-04\n"
        '    time: "09:30-13:30"\n'
        "    complex_slot_minutes: 20\n"
        "    extra: [2027-03-09]\n"
    )
    scenario = load_scenario(write_scenario(text))
    panel = scenario.authority.panel("cbc-arp")
    assert panel.cadence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert panel.anchor == date(2027, 3, 4)
    assert panel.time == (time(9, 30), time(13, 30))
    assert (panel.slot_minutes, panel.complex_slot_minutes) == (15, 20)
    assert panel.extra == (date(2027, 3, 9),)
    # What the change does not name stays as the model has it.
    before = scenario.base.panel("cbc-arp")
    assert (panel.cutoff, panel.papers, panel.on_holiday) == (
        before.cutoff,
        before.papers,
        before.on_holiday,
    )
    assert scenario.changes == (
        "cbc-arp: cadence FREQ=WEEKLY;INTERVAL=2;BYDAY=TH; anchor 2027-03-04; time 09:30-13:30; "
        "complex_slot_minutes 20; extra sittings on 2027-03-09",
    )


def test_a_merged_panel_disappears_and_its_target_can_change(
    write_scenario: WriteScenario,
) -> None:
    text = f"""\
model: {MODELS / "peterborough.yaml"}
panels: [pbo-masg-north, pbo-masg-central, pbo-masg-south]
horizon: {{from: 2027-01-01, to: 2027-03-31}}
changes:
  - {{panel: pbo-masg-north, merge_into: pbo-masg-central}}
  - {{panel: pbo-masg-south, merge_into: pbo-masg-central}}
  - {{panel: pbo-masg-central, locality: null, cadence: "FREQ=WEEKLY;BYDAY=WE", anchor: null}}
demand: {{load: 0.5}}
"""
    scenario = load_scenario(write_scenario(text, name="city"))
    # The name defaults to the file's stem.
    assert scenario.name == "city"
    assert scenario.base.panel_ids == ("pbo-masg-north", "pbo-masg-central", "pbo-masg-south")
    assert scenario.panel_ids == ("pbo-masg-central",)
    assert scenario.merged == (
        ("pbo-masg-north", "pbo-masg-central"),
        ("pbo-masg-south", "pbo-masg-central"),
    )
    city = scenario.authority.panel("pbo-masg-central")
    assert (city.locality, city.anchor, city.cadence) == (None, None, "FREQ=WEEKLY;BYDAY=WE")


def test_demand_from_a_file_is_read_relative_to_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(
        f"""\
model: {MODELS / "lambeth.yaml"}
panels: [lam-crp]
horizon: {{from: 2027-01-01, to: 2027-06-30}}
demand:
  referrals: {ROOT / "examples" / "lambeth" / "referrals.csv"}
  scale: 1.5
""",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert isinstance(scenario.demand, FileDemand)
    # Only the referrals to the scenario's panels are kept.
    assert scenario.demand.referrals
    assert {r.panel for r in scenario.demand.referrals} == {"lam-crp"}
    assert scenario.demand.scale == 1.5
    assert scenario.demand.availability == ()


def test_two_scenarios_may_not_share_a_name(write_scenario: WriteScenario) -> None:
    first = write_scenario(name="one")
    second = write_scenario(name="two")
    with pytest.raises(InputError) as caught:
        load_scenarios([first, second])
    assert str(caught.value) == (
        f"{second}, key 'name': the name 'small' is also the name of {first}; "
        "expected a different name"
    )


CBC = MODELS / "central-bedfordshire.yaml"
BASE = f"""\
model: {CBC}
horizon: {{from: 2027-03-01, to: 2027-03-21}}
demand: {{load: 0.9}}
"""

# Each bad scenario: the text, and the message after the file's name (file, key, expected).
BAD = [
    pytest.param(
        "horizon: {from: 2027-03-01, to: 2027-03-21}\ndemand: {load: 1}\n",
        "key 'model': this key is required",
        id="no-model",
    ),
    pytest.param(
        BASE + "replication: 5\n",
        "key 'replication': unknown key; expected one of name, description, model, panels, "
        "horizon, run_out_weeks, changes, demand, replications, seed, time_limit, "
        "solver_workers",
        id="unknown-key",
    ),
    pytest.param(
        BASE + "replications: 0\n",
        "key 'replications': expected a number of at least 1, got 0",
        id="no-replications",
    ),
    pytest.param(
        BASE + "time_limit: fast\n",
        "key 'time_limit': expected a number, got 'fast'",
        id="time-limit-text",
    ),
    pytest.param(
        f"model: {CBC}\nhorizon: {{from: 2027-02-30, to: 2027-03-21}}\ndemand: {{load: 1}}\n",
        "key 'horizon.from': expected a date like 2027-01-31, got '2027-02-30'",
        id="no-such-date",
    ),
    pytest.param(
        f"model: {CBC}\nhorizon: {{from: 2027-03-21, to: 2027-03-01}}\ndemand: {{load: 1}}\n",
        "key 'horizon.to': 2027-03-01 is before horizon.from 2027-03-21; expected a later date",
        id="horizon-backwards",
    ),
    pytest.param(
        f"model: {CBC}\nhorizon: {{from: 2027-03-01}}\ndemand: {{load: 1}}\n",
        "key 'horizon.to': this key is required",
        id="horizon-without-end",
    ),
    pytest.param(
        BASE + "panels: [cbc-arpp]\n",
        "key 'panels': unknown panel cbc-arpp; expected one of cbc-arp",
        id="unknown-panel",
    ),
    pytest.param(
        f"model: {MODELS / 'nowhere.yaml'}\nhorizon: {{from: 2027-03-01, to: 2027-03-21}}\n"
        "demand: {load: 1}\n",
        f"key 'model': no such file {MODELS / 'nowhere.yaml'}; expected a panel model YAML "
        "(paths are relative to the scenario file)",
        id="no-model-file",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-xyz, time: '09:30-13:00'}\n",
        "panel '#1', key 'changes.panel': unknown panel cbc-xyz; expected one of cbc-arp",
        id="change-unknown-panel",
    ),
    pytest.param(
        BASE + "changes:\n  - {time: '09:30-13:00'}\n",
        "panel '#1', key 'changes.panel': this key is required",
        id="change-without-panel",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, tim: '09:30-13:00'}\n",
        "panel 'cbc-arp', key 'changes.tim': unknown key; expected one of panel, merge_into, "
        "name, cadence, anchor, time, slot_minutes, complex_slot_minutes, cutoff, papers, "
        "on_holiday, cancelled, extra, breaks, locality, location, group, late_applications, "
        "max_wait_days, times, members, quorum, inquorate, rules, clocks, assumed, source",
        id="change-unknown-key",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, cadence: 'FREQ=WEEKLY;BYDAY=THU'}\n",
        "panel 'cbc-arp', key 'changes.cadence': 'FREQ=WEEKLY;BYDAY=THU' is not a valid RRULE: "
        "invalid 'BYDAY': THU",
        id="change-bad-cadence",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, time: '13:00-09:30'}\n",
        "panel 'cbc-arp', key 'changes.time': '13:00-09:30' ends before it starts; expected a "
        "range like '13:00-16:00'",
        id="change-window-backwards",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, slot_minutes: 240}\n",
        "panel 'cbc-arp', key 'changes.slot_minutes': a slot of 240 minutes is longer than the "
        "sitting window's 180 minutes",
        id="change-slot-too-long",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, extra: 2027-03-09}\n",
        "panel 'cbc-arp', key 'changes.extra': expected a list of dates like [2027-12-30], "
        "added to the model's own extra dates",
        id="change-extra-not-a-list",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp}\n",
        "panel 'cbc-arp', key 'changes': no change given; expected one or more of merge_into, "
        "name, cadence, anchor, time, slot_minutes, complex_slot_minutes, cutoff, papers, "
        "on_holiday, cancelled, extra, breaks, locality, location, group, late_applications, "
        "max_wait_days, times, members, quorum, inquorate, rules, clocks, assumed, source",
        id="change-empty",
    ),
    pytest.param(
        BASE + "changes:\n  - {panel: cbc-arp, merge_into: cbc-arp}\n",
        "panel 'cbc-arp', key 'changes.merge_into': expected the id of another of the "
        "scenario's panels (it has none), got 'cbc-arp'",
        id="merge-into-itself",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{load: 0.9, complex_share: 1.5}"),
        "key 'demand.complex_share': expected a number of at most 1, got 1.5",
        id="share-above-one",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{load: 0.9, compex_share: 0.2}"),
        "key 'demand.compex_share': unknown key; expected one of load, arrivals_per_week, "
        "scale, complex_share",
        id="demand-unknown-key",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{arrivals_per_week: {cbc-xyz: 10}}"),
        "key 'demand.arrivals_per_week': unknown panel cbc-xyz; expected one of cbc-arp",
        id="arrivals-unknown-panel",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{cla_lead_days: [30, 10]}"),
        "key 'demand.cla_lead_days': cla_lead_days must be (low, high) with 0 <= low <= high",
        id="lead-backwards",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{referrals: nowhere.csv}"),
        "key 'demand.referrals': no such file {tmp}/nowhere.csv; expected a CSV or XLSX file "
        "(paths are relative to the scenario file)",
        id="no-referrals-file",
    ),
    pytest.param(
        BASE.replace("{load: 0.9}", "{referrals: r.csv, complex_share: 0.2}"),
        "key 'demand.complex_share': unknown key; expected one of referrals, availability, scale",
        id="file-demand-with-generated-key",
    ),
    pytest.param(
        "- just\n- a list\n",
        "expected a mapping with keys model, horizon, demand, replications, seed",
        id="a-list",
    ),
    pytest.param("model: [unclosed\n", "not valid YAML at line 2", id="not-yaml"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_scenario_files_are_refused_with_file_key_and_expectation(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["scenario", "run", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = (
        f"error: {path}, {message}"
        if not message.startswith(("expected", "not"))
        else (f"error: {path}: {message}")
    )
    shown = "".join(result.output.split())
    assert "".join(expected.replace("{tmp}", str(tmp_path)).split()) in shown
    # Nothing half-done: no output folder.
    assert not (tmp_path / "o").exists()


def test_referrals_outside_the_horizon_are_refused(tmp_path: Path) -> None:
    # The example's referrals run to June; a horizon ending in March leaves some outside it.
    path = tmp_path / "short.yaml"
    path.write_text(
        f"""\
model: {MODELS / "lambeth.yaml"}
horizon: {{from: 2027-01-01, to: 2027-03-31}}
demand: {{referrals: {ROOT / "examples" / "lambeth" / "referrals.csv"}}}
""",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.key == "horizon"
    assert "were submitted outside 2027-01-01 to 2027-03-31" in problem.message
    assert problem.message.endswith("expected a horizon covering every submission")


def test_a_problem_in_the_model_names_the_model_file(tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(CBC.read_text(encoding="utf-8").replace("slot_minutes: 15", "slot_minutes: 0"))
    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace(str(CBC), "model.yaml"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert str(caught.value) == (
        f"{model}, panel 'cbc-arp', key 'slot_minutes': Input should be greater than 0"
    )
