"""Minutes of the day: busy stretches and the first free gap that fits a slot."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import time


def minute_to_time(minute: int) -> time:
    """Minutes after midnight as a clock time."""
    return time(minute // 60, minute % 60)


class Timeline:
    """Busy stretches ``[start, end)`` of one day, in minutes after midnight, kept sorted."""

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> None:
        """Mark ``[start, end)`` busy."""
        bisect.insort(self._spans, (start, end))

    def is_free(self, start: int, end: int) -> bool:
        """True when nothing busy overlaps ``[start, end)``."""
        return all(e <= start or end <= s for s, e in self._spans)

    def spans(self) -> tuple[tuple[int, int], ...]:
        """The busy stretches, sorted."""
        return tuple(self._spans)

    @staticmethod
    def first_common_gap(
        timelines: Sequence[Timeline], open_: int, close: int, length: int
    ) -> int | None:
        """The earliest start in ``[open_, close - length]`` free on every timeline."""
        # Only the window's opening and the end of some busy stretch can be the earliest start.
        starts = sorted(
            {open_} | {e for t in timelines for _, e in t._spans if open_ <= e <= close - length}
        )
        for start in starts:
            if start + length <= close and all(t.is_free(start, start + length) for t in timelines):
                return start
        return None
