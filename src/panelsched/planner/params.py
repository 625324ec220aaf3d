"""CP-SAT parameters that make runs repeatable."""

from __future__ import annotations

from ortools.sat.python import cp_model


def solver_for(
    deterministic_seconds: float,
    seed: int,
    workers: int,
    linearization: int | None = None,
    presolve: bool = True,
    wall_seconds: float | None = None,
) -> cp_model.CpSolver:
    """A solver whose answer depends only on the model, the seed and the worker count.

    A wall-clock limit would make the answer depend on the machine's load, so the limit is in
    CP-SAT's deterministic time; interleaved search makes several workers deterministic too.
    ``linearization`` 2 gives CP-SAT's linear relaxation every constraint, which stage 1's
    knapsack-like models prove about twice as fast with. Their presolve finds little and is
    charged so much deterministic time that, under a short limit, no plan may be found at
    all: ``presolve=False`` skips it. ``wall_seconds`` adds a wall-clock cap (the time limit's
    safety net, :mod:`.budget`): a search it stops is no longer repeatable.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_deterministic_time = max(0.01, deterministic_seconds)
    if wall_seconds is not None:
        params.max_time_in_seconds = max(0.01, wall_seconds)
    params.random_seed = seed
    params.num_workers = max(1, workers)
    if workers > 1:
        params.interleave_search = True
    params.cp_model_presolve = presolve
    if linearization is not None:
        params.linearization_level = linearization
    params.log_search_progress = False
    return solver
