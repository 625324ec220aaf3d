"""Small scenario texts shared by the scenario tests (the paths are in paths.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers.paths import MODELS

# A small scenario: Central Bedfordshire's weekly panel (12 slots of 15 minutes), three weeks
# of referrals at about 90% of its slots, planned a fortnight beyond.
SMALL = f"""\
name: small
model: {MODELS / "central-bedfordshire.yaml"}
horizon: {{from: 2027-03-01, to: 2027-03-21}}
run_out_weeks: 2
demand:
  load: 0.9
replications: 2
seed: 11
time_limit: 0.5
"""

WriteScenario = Callable[..., Path]
