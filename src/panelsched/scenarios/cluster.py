"""Sending replications to a Dask distributed cluster (an existing engine, not ours).

The cluster's workers need panelsched installed, at the same version; they receive each
scenario already loaded (demand from a file travels with it), so they need no access to the
scenario's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from panelsched.errors import InputError

CONNECT_SECONDS = 10


@contextmanager
def dask_executor(address: str, timeout: float = CONNECT_SECONDS) -> Iterator[Executor]:
    """An executor whose tasks run on the Dask scheduler at ``address``.

    Parameters
    ----------
    address
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    timeout
        Seconds to wait for the scheduler to answer.

    Raises
    ------
    InputError
        When Dask is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError.one(
            "--executor",
            "dask is not installed; expected `pip install 'dask[distributed]'`",
        ) from None
    try:
        client: Any = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError.one(
            "--scheduler",
            f"cannot reach a Dask scheduler at {address} ({exc.__class__.__name__}); expected "
            "an address like tcp://host:8786",
        ) from None
    try:
        # pure=False: two tasks with equal arguments are still two replications to run.
        yield client.get_executor(pure=False)
    finally:
        client.close()


__all__ = ["dask_executor"]
