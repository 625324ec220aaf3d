"""When people cannot attend: leave, training, court."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class Unavailability:
    """One period a person cannot attend panel.

    Parameters
    ----------
    person
        The name or role as written in the referrals file.
    start, end
        The period: whole days from ``start``'s date to ``end``'s date when ``whole_days``,
        else exactly from ``start`` to ``end``.
    reason
        Free text, never printed in logs.
    """

    person: str
    start: datetime
    end: datetime
    whole_days: bool = True
    reason: str = ""
    row: int = field(default=0, compare=False)

    def covers_day(self, day: date) -> bool:
        """True when the person is away for the whole of ``day``."""
        return self.whole_days and self.start.date() <= day <= self.end.date()

    def clashes(self, day: date, start: time, end: time) -> bool:
        """True when the person is away for any part of ``day`` from ``start`` to ``end``."""
        if self.whole_days:
            return self.covers_day(day)
        return self.start < datetime.combine(day, end) and datetime.combine(day, start) < self.end

    def blocks(self) -> Iterator[tuple[date, int, int]]:
        """Each day of a part-day period with its busy minutes ``[start, end)``."""
        day = self.start.date()
        while day <= self.end.date():
            begin = self.start.hour * 60 + self.start.minute if day == self.start.date() else 0
            finish = self.end.hour * 60 + self.end.minute if day == self.end.date() else 24 * 60
            if finish > begin:
                yield day, begin, finish
            day += timedelta(days=1)
