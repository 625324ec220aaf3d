"""Offsets before a sitting: cut-offs and papers-out moments.

Three forms, each with an optional time (default 17:00):

- ``"MO 13:00"``: the latest Monday strictly before the sitting, at 13:00;
- ``"3 working days 17:00"``: the date 3 working days before the sitting;
- ``"2 days 12:00"``: 2 calendar days before the sitting.

A moment that lands on a weekend or bank holiday moves back to the previous working day,
keeping its time. Papers never go out before the cut-off (:func:`papers_out`): a paper that
met the cut-off is in the pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from panelsched.core.workdays import WorkingCalendar

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DEFAULT_TIME = time(17, 0)

_TIME = r"(?:\s+(?P<time>\d{1,2}:\d{2}))?"
_WEEKDAY_FORM = re.compile(rf"^(?P<weekday>MO|TU|WE|TH|FR|SA|SU){_TIME}$", re.IGNORECASE)
_DAYS_FORM = re.compile(
    rf"^(?P<count>\d{{1,3}})\s+(?P<working>working\s+)?days?{_TIME}$", re.IGNORECASE
)

OFFSET_HELP = (
    "expected a weekday and time like 'MO 13:00', a count of working days like "
    "'3 working days 17:00', or a count of calendar days like '2 days 12:00'"
)


def parse_clock(text: str) -> time:
    """Parse ``"13:00"`` (24-hour clock) into a :class:`~datetime.time`."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a time like 13:00")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text}' is not a time of day")
    return time(hour, minute)


@dataclass(frozen=True, slots=True)
class Offset:
    """A moment before a sitting, in one of three forms.

    Parameters
    ----------
    kind
        ``"weekday"``, ``"working_days"`` or ``"days"``.
    value
        The weekday index (Monday is 0) or the count of days.
    at
        The time of day.
    text
        The form as written in the model, for messages and notes.
    """

    kind: Literal["weekday", "working_days", "days"]
    value: int
    at: time
    text: str

    @classmethod
    def parse(cls, text: str) -> Offset:
        """Read an offset; raises :class:`ValueError` naming the forms it accepts."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not text; {OFFSET_HELP}")
        clean = " ".join(text.split())
        if match := _WEEKDAY_FORM.match(clean):
            at = parse_clock(match["time"]) if match["time"] else DEFAULT_TIME
            return cls("weekday", WEEKDAYS.index(match["weekday"].upper()), at, clean)
        if match := _DAYS_FORM.match(clean):
            at = parse_clock(match["time"]) if match["time"] else DEFAULT_TIME
            kind: Literal["working_days", "days"] = "working_days" if match["working"] else "days"
            return cls(kind, int(match["count"]), at, clean)
        raise ValueError(f"'{text}' is not an offset; {OFFSET_HELP}")

    def moment(self, sitting_date: date, workdays: WorkingCalendar) -> datetime:
        """The moment this offset names for a sitting on ``sitting_date``."""
        if self.kind == "weekday":
            back = (sitting_date.weekday() - self.value) % 7 or 7
            day = sitting_date - timedelta(days=back)
        elif self.kind == "working_days":
            day = workdays.working_days_before(sitting_date, self.value)
        else:
            day = sitting_date - timedelta(days=self.value)
        return datetime.combine(workdays.on_or_before(day), self.at)

    def __str__(self) -> str:
        return self.text


def papers_out(
    papers: Offset, cutoff: datetime | None, sitting_date: date, workdays: WorkingCalendar
) -> datetime:
    """When papers go to members for a sitting on ``sitting_date``: ``papers``' moment, but
    never before the cut-off.

    A weekday form counts back from the sitting's own date, so on a sitting off the panel's
    usual weekday (an extra Tuesday of a Thursday panel with cut-off ``"MO 13:00"`` and papers
    ``"TU 17:00"``) the papers' weekday can come a week before the cut-off; holidays can fold
    both moments onto one day in the wrong order too. The pack cannot go out before the last
    paper is in, so the papers then go out at the cut-off.

    Examples
    --------
    >>> from panelsched.core.workdays import working_calendar
    >>> eng = working_calendar("ENG")
    >>> cutoff = Offset.parse("MO 13:00").moment(date(2027, 1, 26), eng)
    >>> papers_out(Offset.parse("TU 17:00"), cutoff, date(2027, 1, 26), eng)
    datetime.datetime(2027, 1, 25, 13, 0)
    """
    moment = papers.moment(sitting_date, workdays)
    return max(moment, cutoff) if cutoff is not None else moment
