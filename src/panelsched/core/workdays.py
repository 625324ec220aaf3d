"""Working days: weekends and UK bank holidays for a subdivision (ENG, WLS, SCT, NIR)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")


class WorkingCalendar:
    """Which dates are working days in one UK subdivision.

    Parameters
    ----------
    subdivision
        ``ENG``, ``WLS``, ``SCT`` or ``NIR``. ``holidays.GB()`` without a subdivision
        lacks Easter Monday and the August bank holiday, so one is always required.
    """

    def __init__(self, subdivision: str = "ENG") -> None:
        if subdivision not in SUBDIVISIONS:
            raise ValueError(f"unknown subdivision {subdivision!r}; expected one of {SUBDIVISIONS}")
        self.subdivision = subdivision
        # Dates only (never strings): holidays reads strings month-first.
        self._holidays = holidays.country_holidays("GB", subdiv=subdivision)

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday's name on ``day``, or ``None``."""
        name = self._holidays.get(day)
        return str(name) if name is not None else None

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is Monday to Friday and not a bank holiday."""
        return day.weekday() < 5 and day not in self._holidays

    def why_not_working(self, day: date) -> str | None:
        """A short reason ``day`` is not a working day ("Saturday", "Good Friday"), or ``None``."""
        name = self.holiday_name(day)
        if name is not None:
            return name
        if day.weekday() >= 5:
            return day.strftime("%A")
        return None

    def previous_working_day(self, day: date) -> date:
        """The latest working day strictly before ``day``."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """The earliest working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        """``day`` itself when it is a working day, else the previous working day."""
        return day if self.is_working_day(day) else self.previous_working_day(day)

    def working_days_before(self, day: date, count: int) -> date:
        """The date ``count`` working days before ``day`` (``day`` itself is not counted)."""
        for _ in range(count):
            day = self.previous_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``: how many working days ``end`` is after ``start``."""
        if end <= start:
            return 0
        return sum(
            1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(n))
        )


@lru_cache(maxsize=8)
def working_calendar(subdivision: str = "ENG") -> WorkingCalendar:
    """A shared :class:`WorkingCalendar` for ``subdivision``."""
    return WorkingCalendar(subdivision)
