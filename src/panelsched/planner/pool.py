"""A pool of worker processes for plans that are independent of each other.

Scenarios plan each replication in one (:mod:`panelsched.scenarios.runner`) and the advice
measures its candidate plans in one (:mod:`panelsched.advice.advise`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def process_pool(workers: int) -> Iterator[Executor]:
    """A pool of ``workers`` processes, started cleanly.

    ``forkserver`` rather than ``fork``: forking a process that runs threads (a progress bar,
    a Dask client) can deadlock the child.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_leave_interrupts_to_the_command
    )
    try:
        yield pool
    except BaseException:
        # Ctrl-C or a failed task: the tasks still running are of no use, so their
        # processes stop now rather than finish (the pool has no public way to stop them).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _leave_interrupts_to_the_command() -> None:
    # Ctrl-C reaches every process of the terminal's group; the command stops the workers
    # itself, so a worker does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


__all__ = ["default_workers", "process_pool"]
