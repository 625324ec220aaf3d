"""Under a wall-clock cap: how long each panel's searches in a round may run."""

from __future__ import annotations

import threading
import time as clock

# A panel may take this many times its fair part of the time left (see slice_end).
SLICE_FACTOR = 2.0


class RoundQueue:
    """How much of a round's stage-1 work (choices) has not started yet; thread-safe."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._lock = threading.Lock()

    def take(self, size: int) -> float:
        """Start ``size`` of the work: its share of what had not started."""
        with self._lock:
            share = size / max(1, self._left)
            self._left -= size
            return share


def slice_end(deadline: float | None, size: int, queue: RoundQueue, threads: int) -> float | None:
    """When a panel's searches must stop: at the cap, or sooner if the round is behind.

    A panel may use :data:`SLICE_FACTOR` times its fair part of the wall clock left (its share
    of the work not started, with ``threads`` panels at once), so that on a busy machine the
    last panels still get a search rather than none. On time, the slice is far beyond what a
    panel needs, so it changes nothing.
    """
    share = queue.take(size)
    if deadline is None:
        return None
    now = clock.perf_counter()
    return min(deadline, now + SLICE_FACTOR * max(0.0, deadline - now) * threads * share)


__all__ = ["SLICE_FACTOR", "RoundQueue", "slice_end"]
