"""Plots read data and plans only: importing them never loads the solver or pyplot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_plots_imports_neither_ortools_nor_pyplot() -> None:
    code = (
        "import sys, panelsched.plots, panelsched.plots.style\n"
        "print('ortools' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_drawing_every_plot_does_not_import_ortools() -> None:
    # Drawing (not just importing) must stay solver-free too: a plot that reached for a
    # planner helper would load ortools only when called.
    code = """
import sys
from datetime import date
import pandas as pd
from panelsched.io.model_file import load_model
from panelsched.core.sittings import generate_sittings
from panelsched.plots import agenda, calendar_heatmap, scenario, utilisation, waits, booked_minutes
m = load_model("models/lambeth.yaml")
s = generate_sittings(m, date(2027, 1, 1), date(2027, 1, 31))
b = pd.DataFrame([["R-1", "lam-crp", "2027-01-07", "13:00", "13:15", "SW", "TM", "", "", "3",
                   "no", "no"]], columns=["referral_id", "panel", "date", "start", "end",
                   "social_worker", "team_manager", "submitted", "deadline", "wait_days", "late",
                   "pinned"])
calendar_heatmap(m, s, booked=booked_minutes(b))
agenda(b, date(2027, 1, 7), sittings=s, authority=m)
waits(b, b, authority=m)
utilisation(s, b, authority=m)
scenario(pd.DataFrame([["A", "late", 1, 0, 2]],
                      columns=["scenario", "figure", "mean", "ci_low", "ci_high"]))
print('ortools' in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"
