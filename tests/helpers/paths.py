"""Where the repository keeps what the tests read: shipped models, scenarios and examples."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
SCENARIOS = ROOT / "scenarios"
LAMBETH = MODELS / "lambeth.yaml"
LAMBETH_REFERRALS = ROOT / "examples" / "lambeth" / "referrals.csv"
