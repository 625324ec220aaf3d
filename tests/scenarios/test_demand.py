"""Demand for a replication: generated at the configured rates, scaled, re-pointed by merges."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime

import pytest

from panelsched.core.referrals import Referral
from panelsched.scenarios import load_scenario
from panelsched.scenarios.demand import scale_referrals, scenario_demand
from panelsched.synthetic import expected_counts
from tests.helpers.paths import MODELS, SCENARIOS
from tests.helpers.scenarios import SMALL, WriteScenario


def _referrals(n: int) -> list[Referral]:
    return [
        Referral(f"R-{i:05d}", "arp", datetime(2027, 1, 4, 10), f"SW-{i}", "TM-1") for i in range(n)
    ]


def test_whole_scales_copy_every_referral() -> None:
    # Scale 2: each of the three referrals once more, as R-...~2.
    doubled = scale_referrals(_referrals(3), 2.0, seed=1)
    assert [r.referral_id for r in doubled] == [
        "R-00000",
        "R-00000~2",
        "R-00001",
        "R-00001~2",
        "R-00002",
        "R-00002~2",
    ]
    assert doubled[1] == replace(doubled[0], referral_id="R-00000~2")
    assert scale_referrals(_referrals(3), 1.0, seed=1) == tuple(_referrals(3))


@pytest.mark.parametrize("scale", [0.5, 1.2, 2.7])
def test_fractional_scales_reach_their_rate(scale: float) -> None:
    # Each of 2,000 referrals adds one more with chance frac(scale): a binomial count with
    # sd sqrt(2000 p (1 - p)) <= 22.4; four of them is a tolerance that fails once in 15,000.
    n = 2000
    part = scale - int(scale)
    scaled = scale_referrals(_referrals(n), scale, seed=7)
    tolerance = 4 * math.sqrt(n * part * (1 - part))
    assert abs(len(scaled) - n * scale) <= tolerance
    assert len({r.referral_id for r in scaled}) == len(scaled)
    # Same seed, same choice; another seed, another choice.
    assert scale_referrals(_referrals(n), scale, seed=7) == scaled
    assert scale_referrals(_referrals(n), scale, seed=8) != scaled


def test_a_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="scale must be greater than 0"):
        scale_referrals(_referrals(1), 0.0, seed=1)


YEAR = f"""\
model: {MODELS / "central-bedfordshire.yaml"}
horizon: {{from: 2027-01-01, to: 2027-12-31}}
demand:
  load: 0.9
  scale: {{scale}}
  complex_share: 0.3
  urgent_share: 0.2
"""


@pytest.mark.parametrize("scale", [1.0, 1.2])
def test_generated_demand_reproduces_its_configured_rates(
    write_scenario: WriteScenario, scale: float
) -> None:
    scenario = load_scenario(write_scenario(YEAR.replace("{scale}", str(scale))))
    base = expected_counts(scenario.base, date(2027, 1, 1), date(2027, 12, 31), load=0.9)
    # Today's demand fills 90% of the year's slots; the scale multiplies it.
    expected = base["cbc-arp"] * scale
    counts, complex_cases, urgent = [], 0, 0
    for seed in (1, 2, 3):
        referrals, _ = scenario_demand(scenario, seed)
        counts.append(len(referrals))
        complex_cases += sum(r.complex for r in referrals)
        urgent += sum(r.priority == "urgent" for r in referrals)
    # Three Poisson years: their mean has sd sqrt(expected / 3); allow four.
    assert abs(sum(counts) / 3 - expected) <= 4 * math.sqrt(expected / 3)
    total = sum(counts)
    # Shares: binomial, sd sqrt(p (1 - p) / total) < 0.012 here; allow four.
    assert abs(complex_cases / total - 0.3) <= 4 * math.sqrt(0.3 * 0.7 / total)
    assert abs(urgent / total - 0.2) <= 4 * math.sqrt(0.2 * 0.8 / total)


def test_changes_do_not_change_the_demand(write_scenario: WriteScenario) -> None:
    # Demand is drawn against the model before the changes, so a longer sitting faces the same
    # referrals replication by replication (common random numbers).
    plain = load_scenario(write_scenario(name="plain"))
    changed = SMALL + "changes:\n  - {panel: cbc-arp, time: '09:30-13:30'}\n"
    longer = load_scenario(write_scenario(changed, name="longer"))
    assert longer.authority != plain.authority
    assert scenario_demand(longer, 5) == scenario_demand(plain, 5)
    assert scenario_demand(plain, 5) != scenario_demand(plain, 6)


def test_merged_panels_send_their_referrals_to_the_city_panel() -> None:
    localities = load_scenario(SCENARIOS / "pbo-masg-localities.yaml")
    city = load_scenario(SCENARIOS / "pbo-masg-city.yaml")
    before, _ = scenario_demand(localities, 3)
    after, _ = scenario_demand(city, 3)
    assert {r.panel for r in before} == {"pbo-masg-north", "pbo-masg-central", "pbo-masg-south"}
    assert {(r.panel, r.locality) for r in after} == {("pbo-masg-central", "")}
    # The same referrals, only re-pointed.
    assert [r.referral_id for r in after] == [r.referral_id for r in before]
    assert [r.submitted for r in after] == [r.submitted for r in before]


def test_demand_from_a_file_is_scaled_per_replication() -> None:
    scenario = load_scenario(SCENARIOS / "lambeth-example-plus20.yaml")
    referrals, away = scenario_demand(scenario, 1)
    assert away  # the example's leave
    file_count = 327
    copies = [r for r in referrals if "~" in r.referral_id]
    assert len(referrals) == file_count + len(copies)
    # About a fifth copied: binomial sd sqrt(327 * 0.2 * 0.8) = 7.2; allow four.
    assert abs(len(copies) - 0.2 * file_count) <= 4 * 7.3
    assert scenario_demand(scenario, 2)[0] != referrals
