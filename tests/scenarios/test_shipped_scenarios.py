"""The scenarios shipped in scenarios/: they load, and the pairs meant to be compared match."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelsched.scenarios import load_scenario
from panelsched.scenarios.demand import scenario_demand
from tests.helpers.paths import SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))

# Scenarios compared with each other: the first of each is the reference. Each pair faces the
# same demand, so the comparison shows the change and not a different year of referrals.
SAME_DEMAND = [
    ("lambeth-crp-weekly-3h", "lambeth-crp-fortnightly-4h"),
    ("swindon-15min", "swindon-complex-20min"),
    ("cbc-plus20", "cbc-plus20-longer"),
]


def test_at_least_four_scenarios_on_the_source_councils() -> None:
    models = {load_scenario(f).base.authority for f in FILES}
    assert len(FILES) >= 4
    assert {"Lambeth", "Central Bedfordshire", "Swindon", "Peterborough"} <= models


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_shipped_scenario_loads_and_is_named_after_its_file(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert scenario.description
    assert scenario.replications >= 5


@pytest.mark.parametrize(("reference", "other"), SAME_DEMAND)
def test_compared_scenarios_face_the_same_demand(reference: str, other: str) -> None:
    first = load_scenario(SCENARIOS / f"{reference}.yaml")
    second = load_scenario(SCENARIOS / f"{other}.yaml")
    assert (first.seed, first.start, first.end) == (second.seed, second.start, second.end)
    assert first.authority != second.authority
    assert scenario_demand(first, 1) == scenario_demand(second, 1)


def test_more_demand_is_today_scaled() -> None:
    today = load_scenario(SCENARIOS / "cbc-today.yaml")
    more = load_scenario(SCENARIOS / "cbc-plus20.yaml")
    assert today.authority == more.authority
    assert (today.seed, today.start, today.end) == (more.seed, more.start, more.end)
    assert len(scenario_demand(more, 1)[0]) > len(scenario_demand(today, 1)[0])
