"""A stronger lower bound on waiting than the planner proves in its time limit (issue 13).

The planner's own bound on weighted waiting (``Result.bound``) is, per panel, the linear
relaxation's or CP-SAT's, whichever is higher. On years whose panels mix 15- and 20-minute
slots (family ``b``) the relaxation is about 2% below the best plan: it fills every sitting's
minutes exactly, where whole cases of two lengths seldom can. A percentage "above the bound"
against it therefore mixes how good the plan is with how weak the bound is.

This script proves, per panel and offline, a bound the planner has no time for: the same
stage-1 model (every rule and level of :mod:`panelsched.planner.cpsat.assignment`, the levels before
waiting held at the relaxation's rounded bounds, exactly as the planner holds them) solved as
a mixed-integer programme by HiGHS (``highspy``, the ``bench`` extra), started from the
command's own plan where it keeps the held levels, whose dual bound holds over the arcs it was
given. It is given every arc whose reduced cost is within ``ALLOWANCE`` of the
relaxation's bound, so by weak duality a plan using any other arc waits more than
``relaxation + allowance``; the panel's bound is therefore the lower of the two, and never
below the relaxation's. Summed over panels it is a valid lower bound on the waiting of any
plan that keeps the held levels (the cross-panel presenter rows that stage 2 enforces only
make plans wait more).

    .venv/bin/python benchmarks/reference_bound.py FOLDER [--bookings F] [--seconds 30]

FOLDER holds ``model.yaml``, ``referrals.csv`` and ``availability.csv``; ``--bookings`` is a plan
of it to start from (``bookings.csv``). The result is one JSON object on standard output's
last line. Runs in minutes, not seconds: a measurement, not a planner.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from panelsched.core.sittings import sitting_id
from panelsched.io.inputs import load_availability, load_referrals
from panelsched.io.model_file import load_model
from panelsched.planner.cpsat import assignment, relaxation
from panelsched.planner.problem import ProblemData, build_problem

# Arcs within this share of the relaxation's bound are given to the MIP (its bound is valid up
# to relaxation + allowance): on family b the best plan is 1.5-2.5% above the relaxation.
ALLOWANCE = 0.04
# Stop a panel's MIP once its plan is proven within this share of optimal.
MIP_GAP = 0.001


def _mip(
    costs: np.ndarray,
    rows: sparse.csr_matrix,
    limits: np.ndarray,
    keep: np.ndarray,
    start: np.ndarray | None,
    seconds: float,
) -> tuple[float | None, float | None, bool]:
    """HiGHS's MIP over the kept arcs: its best plan's value, its dual bound, proven or not."""
    columns = sparse.csc_matrix(rows)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = len(costs), rows.shape[0]
    model.col_cost_ = costs
    model.col_lower_ = np.zeros(len(costs))
    model.col_upper_ = np.where(keep, 1.0, 0.0)
    model.row_lower_ = np.full(rows.shape[0], -highspy.kHighsInf)
    model.row_upper_ = limits
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = columns.indptr
    model.a_matrix_.index_ = columns.indices
    model.a_matrix_.value_ = columns.data
    model.integrality_ = [highspy.HighsVarType.kInteger] * len(costs)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", seconds)
    solver.setOptionValue("mip_rel_gap", MIP_GAP)
    solver.setOptionValue("threads", 1)
    solver.passModel(model)
    if start is not None:
        given = highspy.HighsSolution()
        given.col_value = start.astype(np.float64).tolist()
        given.value_valid = True
        solver.setSolution(given)
    solver.run()
    info = solver.getInfo()
    status = solver.getModelStatus()
    plan = info.objective_function_value if info.primal_solution_status else None
    dual = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    return plan, dual, status == highspy.HighsModelStatus.kOptimal


def panel_bound(
    problem: ProblemData, referrals: list[int], booked: dict[str, str], seconds: float
) -> dict[str, Any]:
    """One panel's relaxation bound and its MIP bound (valid over every arc)."""
    stage = assignment.build(problem, {r: list(problem.candidates[r]) for r in referrals}, {})
    relaxed = relaxation.relax(stage)
    if relaxed is None:
        return {"relaxation": None, "bound": None, "status": "relaxation failed"}
    allowance = ALLOWANCE * max(1.0, abs(relaxed.bound))
    sittings = [problem.sittings[s].id for s in stage.arcs.sitting.tolist()]
    ids = [problem.referrals[r].referral_id for r in stage.arcs.referral.tolist()]
    start = np.array([booked.get(i) == s for i, s in zip(ids, sittings, strict=True)])
    # The plan's own arcs stay in: a plan using an arc left out waits more than the
    # relaxation's bound plus the allowance, so the bound below holds over every arc.
    keep = relaxed.keep(allowance) | start
    matrix, upper = relaxation._matrix(stage)
    rows, limits = relaxation._held(stage, matrix, upper, relaxed.held)
    costs = assignment.waiting(stage.arcs).astype(np.float64)
    keeps_levels = bool(start.sum() == len(referrals) and (rows @ start <= limits + 1e-9).all())
    began = time.perf_counter()
    plan, dual, proven = _mip(costs, rows, limits, keep, start if keeps_levels else None, seconds)
    lower = relaxed.bound
    if dual is not None:
        lower = max(lower, min(dual, relaxed.bound + allowance))
    return {
        "relaxation": relaxed.bound,
        "bound": math.ceil(lower - 1e-6 * max(1.0, abs(lower))),
        "plan": int(costs[start].sum()) if keeps_levels else None,
        "mip_plan": None if plan is None else round(plan),
        "status": "proven" if proven else "time limit",
        "arcs": int(keep.sum()),
        "of_arcs": len(keep),
        "seconds": round(time.perf_counter() - began, 1),
    }


def _booked(path: Path | None) -> dict[str, str]:
    """Each referral's sitting in a ``bookings.csv``."""
    if path is None:
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {
        row.referral_id: sitting_id(row.panel, date.fromisoformat(row.date))
        for row in table.itertuples()
    }


def reference_bound(folder: Path, seconds: float, bookings: Path | None = None) -> dict[str, Any]:
    """Every panel's bounds for the year in ``folder``, and their sums."""
    authority = load_model(folder / "model.yaml")
    cases = load_referrals(folder / "referrals.csv", authority)
    away = load_availability(folder / "availability.csv")
    problem = build_problem(authority, cases, away, (), None, None, "pinned bookings")
    by_panel: dict[str, list[int]] = defaultdict(list)
    for r, item in enumerate(problem.referrals):
        by_panel[item.panel].append(r)
    booked = _booked(bookings)
    panels = {p: panel_bound(problem, rs, booked, seconds) for p, rs in sorted(by_panel.items())}
    bounds = [p["bound"] for p in panels.values()]
    return {
        "reference_bound": None if None in bounds else sum(bounds),
        "relaxation_bound": sum(p["relaxation"] or 0.0 for p in panels.values()),
        "panels_proven": sum(p["status"] == "proven" for p in panels.values()),
        "panels": panels,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bookings", type=Path, default=None, help="a plan to start from")
    parser.add_argument("--seconds", type=float, default=30.0, help="per panel")
    args = parser.parse_args(argv)
    print(json.dumps(reference_bound(args.folder, args.seconds, args.bookings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
