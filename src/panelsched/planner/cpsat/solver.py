"""A CP-SAT solver whose runs are repeatable and that Ctrl-C stops."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from ortools.sat.python import cp_model

# The searches running now, on any thread, so that Ctrl-C can stop them all; once it is
# set, a search about to start on a worker thread is interrupted instead.
_RUNNING: weakref.WeakSet[InterruptibleSolver] = weakref.WeakSet()
_RUNNING_LOCK = threading.Lock()
_STOPPED = threading.Event()


@contextmanager
def stopped_with(pool: Executor) -> Iterator[None]:
    """Searches on ``pool``'s threads stop when Ctrl-C ends the block: work not started
    never starts, a search running returns at once, and one about to start is interrupted,
    rather than the pool waiting for them all.

    Use it inside the pool's own ``with``, so it acts before the pool waits for its threads.
    """
    _STOPPED.clear()
    try:
        yield
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        _STOPPED.set()
        with _RUNNING_LOCK:
            running = list(_RUNNING)
        for solver in running:
            solver.stop_search()
        raise


class InterruptibleSolver(cp_model.CpSolver):  # type: ignore[misc]  # ortools is untyped
    """CP-SAT that Ctrl-C stops at once, with Python's own ``KeyboardInterrupt``.

    CP-SAT's own Ctrl-C handler is off (``catch_sigint_signal``): it would end the search
    as if the time ran out, so an interrupted plan would be written as a finished one, and
    it leaves Ctrl-C unhandled after the solve (or crashes when the signal reaches another
    thread). Python runs signal handlers only between its own instructions, never inside a
    C++ solve, so on the main thread the search runs on a second thread while the first
    waits: Ctrl-C there stops the search and is raised as usual.
    """

    def solve(
        self,
        model: cp_model.CpModel,
        solution_callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> cp_model.cmh.CpSolverStatus:
        """Solve ``model`` as :meth:`cp_model.CpSolver.solve` does; Ctrl-C stops it."""
        with _RUNNING_LOCK:
            _RUNNING.add(self)
        try:
            return self._solve(model, solution_callback)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(self)

    def _solve(
        self,
        model: cp_model.CpModel,
        solution_callback: cp_model.CpSolverSolutionCallback | None,
    ) -> cp_model.cmh.CpSolverStatus:
        if threading.current_thread() is not threading.main_thread():
            if _STOPPED.is_set():
                raise KeyboardInterrupt
            return super().solve(model, solution_callback)
        outcome: list[cp_model.cmh.CpSolverStatus] = []
        failure: list[BaseException] = []

        def search() -> None:
            try:
                outcome.append(cp_model.CpSolver.solve(self, model, solution_callback))
            except BaseException as exc:  # handed to the waiting thread
                failure.append(exc)

        worker = threading.Thread(target=search, name="cp-sat", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
        except BaseException:
            self.stop_search()
            worker.join()
            raise
        if failure:
            raise failure[0]
        return outcome[0]


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
    safety net, :mod:`panelsched.planner.budget`): a search it stops is no longer repeatable.
    """
    solver = InterruptibleSolver()
    params = solver.parameters
    params.catch_sigint_signal = False
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
