"""Statutory clocks: deadlines the law sets, counted from a date of the referral.

A clock (:class:`Clock`) is declared in the model, on a panel or for the whole authority, e.g.
the SEND Regulations 2014, reg. 5: the decision whether to assess is made within 6 weeks of
the request. Its end is its start (a date column of the referral, such as ``requested``) plus
its :class:`Length`, extended by any pause recorded for the referral (:class:`ClockPause`,
with a reason the clock lists). The last sitting that can hear the case in time is the end
less ``after_panel``, the time the decision still needs after the sitting (a letter to the
family): :func:`clock_due` gives it as a :class:`~panelsched.core.due.Due` citing the clock,
so it joins the referral's other due dates (:meth:`panelsched.core.panels.Authority.due`).

How the days are counted
------------------------
- ``"N weeks"`` and ``"N days"`` are calendar days, counted from the day after the start:
  6 weeks from a request on Friday 02/07/2027 end on Friday 13/08/2027. SEND clocks are
  written this way, in calendar weeks from the request.
- ``"N working days"`` count only working days of the model's calendar (its ``holidays``
  subdivision: weekends and bank holidays are not counted).
- A pause stops the clock for every day from its start (or the clock's start, if later) to
  its end, both included, when it begins on or before the day the clock would end: the clock
  ends that many calendar days later (for a clock in weeks or days) or that many working days
  later (for a clock in working days, counting the working days the pause covers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from panelsched.core.due import Due
from panelsched.core.workdays import WorkingCalendar

LengthUnit = Literal["weeks", "days", "working days"]

# The referral's date columns a clock may start from.
CLOCK_STARTS = (
    "requested",
    "submitted",
    "cla_review",
    "cp_review",
    "contract_end",
    "review_by",
    "not_before",
    "deadline",
)

LENGTH_HELP = "expected a length like '6 weeks', '20 days' or '7 working days'"
_LENGTH = re.compile(r"^(?P<count>\d{1,4})\s+(?P<working>working\s+)?(?P<unit>weeks?|days?)$")
# Clock ids share the findings' rule column with S1-S14 and P1-P19: lower case keeps them apart.
_CLOCK_ID = r"^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True, slots=True)
class Length:
    """A length of time: a count of weeks, calendar days or working days.

    Parameters
    ----------
    count
        How many.
    unit
        ``weeks``, ``days`` (calendar days) or ``working days`` (of the model's calendar).

    Examples
    --------
    >>> from panelsched.core.workdays import WorkingCalendar
    >>> six = Length.parse("6 weeks")
    >>> six.after(date(2027, 7, 2), WorkingCalendar("ENG")), str(six)
    (datetime.date(2027, 8, 13), '6 weeks')
    """

    count: int
    unit: LengthUnit

    @classmethod
    def parse(cls, text: object) -> Length:
        """``"6 weeks"``, ``"20 days"``, ``"7 working days"`` (``"1 week"``, ``"1 day"``).

        Raises
        ------
        ValueError
            Saying what was expected, when ``text`` is not such a length.
        """
        if isinstance(text, Length):
            return text
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a length; {LENGTH_HELP}")
        match = _LENGTH.match(" ".join(text.lower().split()))
        if match is None:
            raise ValueError(f"'{text}' is not a length; {LENGTH_HELP}")
        if match["working"] and match["unit"].startswith("week"):
            raise ValueError(f"'{text}' is not a length; {LENGTH_HELP}")
        unit: LengthUnit = (
            "working days"
            if match["working"]
            else ("weeks" if match["unit"].startswith("week") else "days")
        )
        return cls(int(match["count"]), unit)

    def __str__(self) -> str:
        singular = {"weeks": "week", "days": "day", "working days": "working day"}
        return f"{self.count} {self.unit if self.count != 1 else singular[self.unit]}"

    @property
    def working(self) -> bool:
        """True when it counts working days only."""
        return self.unit == "working days"

    @property
    def nominal_days(self) -> float:
        """Calendar days it spans in an ordinary week (5 working days to 7 calendar days):
        how the model check compares ``after_panel`` with a clock of another unit."""
        if self.unit == "weeks":
            return self.count * 7.0
        if self.unit == "days":
            return float(self.count)
        return self.count * 7 / 5

    def after(self, start: date, calendar: WorkingCalendar) -> date:
        """The day this length after ``start`` (``start`` itself is not counted)."""
        if self.unit == "weeks":
            return start + timedelta(weeks=self.count)
        if self.unit == "days":
            return start + timedelta(days=self.count)
        day = start
        for _ in range(self.count):
            day = calendar.next_working_day(day)
        return day


@dataclass(frozen=True, slots=True)
class ClockPause:
    """A period a referral's clocks stand still, for a reason a clock allows.

    Parameters
    ----------
    start, end
        The first and last day paused, both included.
    reason
        Why (``school-closure-4-weeks``): one of the ``pauses`` of a clock that applies.
    """

    start: date
    end: date
    reason: str

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()} {self.reason}"


class AppliesTo(BaseModel):
    """Which referrals of its panel a clock runs for (all of them when it is not given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    request_type: tuple[str, ...] = Field(
        default=(), description="the request types it runs for, e.g. [ehc-needs-assessment]"
    )

    @field_validator("request_type", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


def _length(value: object) -> Length:
    return Length.parse(value)


class Clock(BaseModel):
    """A deadline the law (or the council) sets, counted from a date of the referral.

    See the module's notes for how the days are counted.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: str = Field(pattern=_CLOCK_ID, description="short id, e.g. ehc-assessment-decision")
    name: str = Field(default="", description="words for sentences, e.g. 6-week assessment")
    applies_to: AppliesTo | None = None
    starts: str = Field(description="the referral's date column it counts from")
    length: Length
    after_panel: Length | None = None
    pauses: tuple[str, ...] = ()
    source: str = Field(min_length=1, description="the citation, e.g. SEND Regulations 2014")
    assumed: str | None = None

    @field_validator("length", "after_panel", mode="before")
    @classmethod
    def _read_length(cls, value: object) -> object:
        return None if value is None else _length(value)

    @field_serializer("length", "after_panel")
    def _write_length(self, value: Length | None) -> str | None:
        # As the model file writes it, so a dumped clock reads back the same.
        return None if value is None else str(value)

    @field_validator("starts")
    @classmethod
    def _known_start(cls, value: str) -> str:
        if value not in CLOCK_STARTS:
            raise ValueError(
                f"'{value}' is not a date column of the referrals; expected one of "
                f"{', '.join(CLOCK_STARTS)}"
            )
        return value

    @field_validator("pauses", mode="before")
    @classmethod
    def _read_pauses(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and v.strip() and " " not in v.strip() for v in value
        ):
            raise ValueError(
                "expected a list of reasons without spaces, like "
                "[school-closure-4-weeks, family-away-4-weeks]"
            )
        return tuple(v.strip() for v in value)

    @model_validator(mode="after")
    def _fits(self) -> Clock:
        if self.length.count == 0:
            raise ValueError(f"key 'length': '{self.length}' never runs; {LENGTH_HELP}")
        after = self.after_panel
        if after is not None and after.nominal_days >= self.length.nominal_days:
            raise ValueError(
                f"key 'after_panel': '{after}' is as long as the clock's '{self.length}' or "
                "longer, so no sitting could ever be in time; expected a shorter time"
            )
        return self

    @property
    def title(self) -> str:
        """The clock in words: its ``name``, else its id with spaces."""
        return self.name or self.id.replace("-", " ")

    def applies(self, request_type: str) -> bool:
        """True when it runs for a referral of ``request_type``."""
        if self.applies_to is None or not self.applies_to.request_type:
            return True
        return request_type in self.applies_to.request_type


class ClockCase(Protocol):
    """What a clock reads of a referral: its request type, its dated columns and pauses."""

    @property
    def request_type(self) -> str:
        """The kind of request."""
        ...

    @property
    def clock_pauses(self) -> tuple[ClockPause, ...]:
        """Periods its clocks stand still."""
        ...


def start_of(case: object, column: str) -> date | None:
    """The date in ``case``'s ``column`` (a moment counts as its day), or ``None``."""
    value = getattr(case, column, None)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def clock_end(
    length: Length, start: date, pauses: Iterable[ClockPause], calendar: WorkingCalendar
) -> date:
    """The day a clock of ``length`` started on ``start`` ends, its pauses included.

    A pause counts when it begins on or before the day the clock would end by then (pauses
    in date order, each moving the end before the next is looked at); its days from the later
    of its start and the day after the clock's start, to its end, are added: as calendar
    days for a clock in weeks or days, as the working days among them for a clock in working
    days.

    Examples
    --------
    A request on Friday 02/07/2027 and a 6-week clock: 02/07 + 42 days = Friday 13/08/2027.
    The school is closed 22/07/2027..01/09/2027 (42 days, all within the clock's run), so it
    ends 42 days later, on Friday 24/09/2027.

    >>> from panelsched.core.workdays import WorkingCalendar
    >>> cal, six = WorkingCalendar("ENG"), Length(6, "weeks")
    >>> clock_end(six, date(2027, 7, 2), [], cal)
    datetime.date(2027, 8, 13)
    >>> closed = ClockPause(date(2027, 7, 22), date(2027, 9, 1), "school-closure-4-weeks")
    >>> clock_end(six, date(2027, 7, 2), [closed], cal)
    datetime.date(2027, 9, 24)
    """
    end = length.after(start, calendar)
    first_counted = start + timedelta(days=1)
    for pause in sorted(pauses, key=lambda p: (p.start, p.end)):
        if pause.start > end or pause.end < first_counted:
            continue
        days = [pause.start + timedelta(days=n) for n in range((pause.end - pause.start).days + 1)]
        counted = [d for d in days if d >= first_counted]
        if length.working:
            end = Length(sum(map(calendar.is_working_day, counted)), "working days").after(
                end, calendar
            )
        else:
            end += timedelta(days=len(counted))
    return end


def last_viable_sitting(end: date, after_panel: Length | None, calendar: WorkingCalendar) -> date:
    """The last sitting date that leaves ``after_panel`` before a clock's ``end``.

    For ``"N working days"``: the last working day ``S`` with ``N`` whole working days after it
    up to and including ``end`` (working days in ``(S, end]``). For ``"N days"`` or weeks:
    ``end`` less that many calendar days. With none, ``end`` itself.

    Examples
    --------
    A clock ending Friday 13/08/2027 with 2 working days after the panel: Thursday 12/08 and
    Friday 13/08 are the two, so the last sitting is Wednesday 11/08/2027.

    A clock ending Tuesday 31/08/2027: Tuesday 31/08 is one working day, Monday 30/08/2027 is
    the late-August bank holiday and the weekend before it is not counted, so the second is
    Friday 27/08, and the last sitting is Thursday 26/08/2027.

    >>> from panelsched.core.workdays import WorkingCalendar
    >>> cal, two = WorkingCalendar("ENG"), Length(2, "working days")
    >>> last_viable_sitting(date(2027, 8, 13), two, cal)
    datetime.date(2027, 8, 11)
    >>> last_viable_sitting(date(2027, 8, 31), two, cal)
    datetime.date(2027, 8, 26)
    """
    if after_panel is None:
        return end
    if after_panel.working:
        # A clock ending on a weekend has its last working day as its last day to use.
        return calendar.working_days_before(calendar.on_or_before(end), after_panel.count)
    days = after_panel.count * (7 if after_panel.unit == "weeks" else 1)
    return end - timedelta(days=days)


def clock_due(clock: Clock, case: ClockCase, calendar: WorkingCalendar) -> Due | None:
    """The last sitting date ``case`` is in time for under ``clock``, citing the clock.

    ``None`` when the clock does not apply to the case's request type or the column it starts
    from is empty for the case.
    """
    if not clock.applies(case.request_type):
        return None
    start = start_of(case, clock.starts)
    if start is None:
        return None
    end = clock_end(clock.length, start, case.clock_pauses, calendar)
    return Due(
        last_viable_sitting(end, clock.after_panel, calendar),
        clock.id,
        "clock",
        end,
        name=clock.title,
        source=clock.source,
        after=str(clock.after_panel) if clock.after_panel is not None else "",
    )


def clocks_due(clocks: Sequence[Clock], case: ClockCase, calendar: WorkingCalendar) -> list[Due]:
    """Every clock's due date for ``case`` (those that do not apply left out)."""
    return [due for clock in clocks if (due := clock_due(clock, case, calendar)) is not None]


def pause_reasons(clocks: Sequence[Clock], request_type: str) -> tuple[str, ...]:
    """The pause reasons of the clocks that apply to a referral of ``request_type``."""
    reasons: dict[str, None] = {}
    for clock in clocks:
        if clock.applies(request_type):
            reasons.update(dict.fromkeys(clock.pauses))
    return tuple(reasons)


def duplicate_ids(clocks: Sequence[Clock], taken: Mapping[str, str] | None = None) -> list[str]:
    """Clock ids listed twice in ``clocks`` or already in ``taken``, in order."""
    seen: dict[str, str] = dict(taken or {})
    twice = []
    for clock in clocks:
        if clock.id in seen and clock.id not in twice:
            twice.append(clock.id)
        seen.setdefault(clock.id, "")
    return twice


__all__ = [
    "CLOCK_STARTS",
    "LENGTH_HELP",
    "AppliesTo",
    "Clock",
    "ClockCase",
    "ClockPause",
    "Length",
    "LengthUnit",
    "clock_due",
    "clock_end",
    "clocks_due",
    "duplicate_ids",
    "last_viable_sitting",
    "pause_reasons",
    "start_of",
]
