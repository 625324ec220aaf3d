"""Panel models: one YAML file per authority, loaded into frozen, validated data.

The file format is documented in the README; every key a user can write is a field here.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Mapping
from datetime import date, datetime
from datetime import time as Clock
from typing import Annotated, Any, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from panelsched.core.clocks import Clock as StatutoryClock
from panelsched.core.clocks import ClockCase, clocks_due, duplicate_ids
from panelsched.core.due import LEAD_KEYS, Due, DueCase, LeadTimes, earliest_due
from panelsched.core.offsets import Offset, parse_clock
from panelsched.core.workdays import SUBDIVISIONS, working_calendar

HolidayPolicy = Literal["skip", "next_working_day", "previous_working_day"]
Role = Literal["chair", "vice-chair", "member"]
# Roles that may chair a sitting (P3: "a chair or vice-chair chaired the sitting").
CHAIRING_ROLES = frozenset({"chair", "vice-chair"})

_RRULE_PARTS = {
    "FREQ",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYWEEKNO",
    "BYYEARDAY",
    "WKST",
    "COUNT",
    "UNTIL",
}
_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# The rule's start when a panel has no anchor; the calendar restarts it at each range.
_NO_ANCHOR = date(1900, 1, 1)
# Parts that name the day a rule sits; without one, dateutil takes the day from the rule's start.
_DAY_PARTS = {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"}


def _rrule_parts(cadence: str) -> dict[str, str]:
    """The NAME=VALUE parts of a checked cadence, names and values upper-cased."""
    parts = {}
    for part in cadence.split(";"):
        name, _, arg = part.partition("=")
        parts[name.strip().upper()] = arg.strip().upper()
    return parts


def _clock_range(text: object) -> tuple[Clock, Clock]:
    if not isinstance(text, str):
        raise ValueError(
            f"{text!r} is not a time range; expected a quoted range like '13:00-16:00'"
        )
    parts = text.replace("–", "-").split("-")
    if len(parts) != 2:
        raise ValueError(f"'{text}' is not a time range; expected one like '13:00-16:00'")
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if end <= start:
        raise ValueError(f"'{text}' ends before it starts; expected a range like '13:00-16:00'")
    return start, end


def _offset(value: object) -> Offset | None:
    if value is None or isinstance(value, Offset):
        return value
    return Offset.parse(value)  # type: ignore[arg-type]


def minutes_of(moment: Clock) -> int:
    """Minutes after midnight."""
    return moment.hour * 60 + moment.minute


class Member(BaseModel):
    """One member of a panel, by a pseudonymous id (``CH-01``) and role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, description="pseudonymous id, e.g. CH-01")
    role: Role = "member"


class Quorum(BaseModel):
    """What a sitting needs to go ahead: its chair (or a vice-chair) and enough members.

    ``members`` counts the people present besides whoever chairs, of any role.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    chair: bool = Field(default=True, description="the chair or a vice-chair must be present")
    members: int = Field(default=0, ge=0, description="others present besides the chair")


def _windows(value: object) -> object:
    """``{2027-01-14: "13:00-17:00"}``: a window per date, read like ``time``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("expected dates with windows, like {2027-01-14: '13:00-17:00'}")
    read = {}
    for key, window in value.items():
        day = key
        if isinstance(key, str):
            # A quoted date is read too: JSON and some YAML writers quote every key.
            with contextlib.suppress(ValueError):
                day = date.fromisoformat(key)
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"{key!r} is not a date; write dates as 2027-01-14")
        read[day] = window if isinstance(window, tuple) else _clock_range(window)
    return read


class Panel(BaseModel):
    """One standing panel of an authority and how it sits.

    Times are local wall-clock times in the authority's timezone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9+-]*$", description="short id, e.g. lam-crp")
    name: str = Field(min_length=1)
    cadence: str = Field(description="an RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TH")
    anchor: date | None = Field(default=None, description="first date of the rule")
    time: tuple[Clock, Clock] = Field(description="the sitting window, '13:00-16:00'")
    slot_minutes: int = Field(gt=0, le=480)
    complex_slot_minutes: int | None = Field(default=None, gt=0, le=480)
    cutoff: Annotated[Offset | None, BeforeValidator(_offset)] = None
    papers: Annotated[Offset | None, BeforeValidator(_offset)] = None
    on_holiday: HolidayPolicy = "skip"
    cancelled: tuple[date, ...] = ()
    extra: tuple[date, ...] = ()
    breaks: tuple[tuple[Clock, Clock], ...] = ()
    locality: str | None = Field(default=None, description="for panels split by locality")
    location: str | None = Field(
        default=None, min_length=1, description="where it sits, for calendar files"
    )
    group: str | None = Field(default=None, description="id shared by a panel's localities")
    late_applications: bool = Field(
        default=True, description="false where the chair may not accept late papers (SWI 5)"
    )
    max_wait_days: int | None = Field(
        default=None, gt=0, description="days a case should wait at most (S14), e.g. 56"
    )
    times: Annotated[Mapping[date, tuple[Clock, Clock]], BeforeValidator(_windows)] = Field(
        default_factory=dict, description="a different window on some dates"
    )
    members: tuple[Member, ...] = Field(default=(), description="who sits, by role")
    quorum: Quorum | None = Field(default=None, description="what a sitting needs to go ahead")
    inquorate: Literal["refuse", "warn"] = Field(
        default="refuse", description="whether cases are booked at a sitting short of quorum"
    )
    rules: Mapping[str, Any] = Field(default_factory=dict, description="validator parameters")
    clocks: tuple[StatutoryClock, ...] = Field(
        default=(), description="statutory clocks its referrals run to"
    )
    assumed: str | None = None
    source: str | None = Field(default=None, description="citation tag, e.g. 'LAM'")

    @field_validator("rules")
    @classmethod
    def _read_lead_times(cls, value: Mapping[str, Any]) -> Mapping[str, Any]:
        # The planner reads these as well as the validator, so they are checked on reading.
        for key in LEAD_KEYS:
            given = value.get(key)
            if given is not None and (
                isinstance(given, bool) or not isinstance(given, int) or given < 0
            ):
                raise ValueError(f"{key}: {given!r}: expected a whole number like 3")
        return value

    @field_validator("time", mode="before")
    @classmethod
    def _read_window(cls, value: object) -> object:
        return _clock_range(value) if not isinstance(value, tuple) else value

    @field_validator("breaks", mode="before")
    @classmethod
    def _read_breaks(cls, value: object) -> object:
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            raise ValueError("expected a list of ranges like ['15:00-15:10']")
        return tuple(v if isinstance(v, tuple) else _clock_range(v) for v in value)

    @field_validator("cancelled", "extra", mode="before")
    @classmethod
    def _read_dates(cls, value: object) -> object:
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            raise ValueError("expected a list of dates like [2027-12-30]")
        for item in value:
            if not isinstance(item, date) or isinstance(item, datetime):
                raise ValueError(f"{item!r} is not a date; write dates as 2027-12-30")
        return value

    @field_validator("cadence")
    @classmethod
    def _check_cadence(cls, value: str) -> str:
        text = value.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        parts: dict[str, str] = {}
        # A trailing ';' or spaces around parts are harmless; dateutil accepts neither.
        for part in filter(str.strip, text.split(";")):
            name, sep, arg = part.partition("=")
            name = name.strip().upper()
            if not sep or not arg.strip():
                raise ValueError(f"'{part.strip()}' is not a NAME=VALUE part of an RRULE")
            if name not in _RRULE_PARTS:
                known = ", ".join(sorted(_RRULE_PARTS))
                raise ValueError(f"unknown RRULE part '{name}'; expected some of {known}")
            if name in parts:
                raise ValueError(f"the RRULE part '{name}' is given twice")
            parts[name] = arg.strip().upper()
        if parts.get("FREQ") not in _FREQS:
            raise ValueError(f"the RRULE needs FREQ= one of {', '.join(sorted(_FREQS))}")
        for name in ("INTERVAL", "COUNT"):
            # dateutil takes INTERVAL=0 and fails only when the sittings are generated.
            if name in parts and not (parts[name].isdigit() and int(parts[name]) >= 1):
                raise ValueError(f"{name}={parts[name]} is not a whole number of 1 or more")
        text = ";".join(f"{name}={arg}" for name, arg in parts.items())
        try:
            rrulestr(text, dtstart=datetime(2027, 1, 1))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"'{value}' is not a valid RRULE: {exc}") from None
        return text

    @model_validator(mode="after")
    def _check_panel(self) -> Panel:
        parts = _rrule_parts(self.cadence)
        if self.anchor is None:
            # Without an anchor the rule starts wherever the requested range starts, so any
            # part of it that depends on its start would make the sittings depend on the range.
            if int(parts.get("INTERVAL", "1")) > 1:
                raise ValueError(
                    "key 'anchor': a cadence with INTERVAL>1 needs an anchor date that fixes "
                    "which weeks or months it sits in"
                )
            if "COUNT" in parts:
                raise ValueError(
                    "key 'anchor': a cadence with COUNT needs an anchor date to count from"
                )
            if parts["FREQ"] != "DAILY" and not _DAY_PARTS & parts.keys():
                raise ValueError(
                    f"key 'anchor': FREQ={parts['FREQ']} without BYDAY or BYMONTHDAY takes its "
                    "day from the anchor; give an anchor date or name the day, e.g. BYDAY=TH"
                )
        if parts["FREQ"] in {"DAILY", "WEEKLY"} and re.search(r"[+-]?\d", parts.get("BYDAY", "")):
            raise ValueError(
                f"key 'cadence': an ordinal weekday like 2TU needs FREQ=MONTHLY or YEARLY, "
                f"not FREQ={parts['FREQ']}"
            )
        # A rule such as BYMONTH=2;BYMONTHDAY=30 is valid RFC 5545 but gives no sittings at all.
        rule = self.rule()
        if rule.after(datetime.combine(self.anchor or _NO_ANCHOR, Clock()), inc=True) is None:
            raise ValueError(f"key 'cadence': '{self.cadence}' never falls on any date")
        for key, offset in (("cutoff", self.cutoff), ("papers", self.papers)):
            # "0 days" names the sitting's own date; only a time before the window is before it.
            same_day = offset is not None and offset.kind != "weekday" and offset.value == 0
            if same_day and offset is not None and offset.at >= self.start:
                raise ValueError(
                    f"key '{key}': '{offset}' falls at or after the sitting starts at "
                    f"{self.start:%H:%M}; expected a moment before the sitting"
                )
        start, end = self.time
        for b_start, b_end in self.breaks:
            if b_start < start or b_end > end:
                raise ValueError("key 'breaks': each break must lie inside the sitting window")
        self._check_members()
        ordered = sorted(self.breaks)
        for (_, first_end), (second_start, _) in itertools.pairwise(ordered):
            if second_start < first_end:
                raise ValueError("key 'breaks': breaks overlap")
        for day in sorted(self.times):
            if self.longest_slot > self.capacity_on(day):
                raise ValueError(
                    f"key 'times': the {day.isoformat()} window holds no "
                    f"{self.longest_slot}-minute slot"
                )
        if self.longest_slot > self.capacity_minutes:
            longer = self.slot_minutes == self.longest_slot
            key = "slot_minutes" if longer else "complex_slot_minutes"
            raise ValueError(
                f"key '{key}': a slot of {self.longest_slot} minutes is longer than the sitting "
                f"window's {self.capacity_minutes} minutes"
            )
        return self

    def _check_members(self) -> None:
        twice_clocks = duplicate_ids(self.clocks)
        if twice_clocks:
            raise ValueError(
                f"key 'clocks': the clock id {', '.join(twice_clocks)} is listed twice; "
                "ids must be unique"
            )
        ids = [m.id for m in self.members]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"key 'members': {', '.join(twice)} is listed twice")
        if self.quorum is None:
            return
        if not self.members:
            raise ValueError("key 'quorum': a quorum needs the panel's 'members' listed")
        if self.quorum.chair and not any(m.role in CHAIRING_ROLES for m in self.members):
            raise ValueError(
                "key 'quorum': it needs a chair, but no member has role chair or vice-chair"
            )
        if self.quorum.chair + self.quorum.members > len(self.members):
            raise ValueError(
                f"key 'quorum': it needs {self.quorum.chair + self.quorum.members} people "
                f"but only {len(self.members)} members are listed"
            )

    def window_on(self, day: date) -> tuple[Clock, Clock]:
        """The window of a sitting on ``day``: its ``times`` entry, else ``time``."""
        return self.times.get(day, self.time)

    def capacity_on(self, day: date) -> int:
        """Minutes of ``day``'s window less the breaks inside it."""
        start, end = self.window_on(day)
        total = minutes_of(end) - minutes_of(start)
        inside = [(max(s, start), min(e, end)) for s, e in self.breaks]
        return total - sum(max(0, minutes_of(e) - minutes_of(s)) for s, e in inside)

    @property
    def start(self) -> Clock:
        """When a sitting opens."""
        return self.time[0]

    @property
    def end(self) -> Clock:
        """When a sitting must close."""
        return self.time[1]

    @property
    def capacity_minutes(self) -> int:
        """Minutes of the window less its breaks."""
        total = minutes_of(self.end) - minutes_of(self.start)
        return total - sum(minutes_of(e) - minutes_of(s) for s, e in self.breaks)

    @property
    def longest_slot(self) -> int:
        """The longer of the standard and complex slot."""
        return max(self.slot_minutes, self.complex_slot_minutes or 0)

    @property
    def lead_times(self) -> LeadTimes:
        """How far ahead of a review or a contract end its cases are heard (S6, S8)."""
        return LeadTimes.of(self.rules)

    def slot_for(self, complex_case: bool) -> int:
        """Slot minutes for a case: ``complex_slot_minutes`` for complex cases (S4)."""
        if complex_case and self.complex_slot_minutes is not None:
            return self.complex_slot_minutes
        return self.slot_minutes

    def rule(self) -> rrule:
        """The cadence as a dateutil rule starting at ``anchor`` (or 1 Jan 1900 if none)."""
        start = self.anchor or _NO_ANCHOR
        result = rrulestr(self.cadence, dtstart=datetime.combine(start, Clock()))
        assert isinstance(result, rrule)
        return result


class CaseWithClocks(DueCase, ClockCase, Protocol):
    """A case whose due date :meth:`Authority.due` works out: its own dates and its clocks'."""


class Authority(BaseModel):
    """One authority's panel model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    authority: str = Field(min_length=1)
    holidays: Literal["ENG", "WLS", "SCT", "NIR"] = "ENG"
    timezone: str = "Europe/London"
    panels: tuple[Panel, ...] = Field(min_length=1)
    clocks: tuple[StatutoryClock, ...] = Field(
        default=(), description="statutory clocks every panel's referrals run to"
    )
    source_file: str = Field(default="", exclude=True)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone '{value}'; expected one like Europe/London"
            ) from None
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Authority:
        seen: set[str] = set()
        for panel in self.panels:
            if panel.id in seen:
                raise ValueError(
                    f"panel '{panel.id}', key 'id': two panels have this id; ids must be unique"
                )
            seen.add(panel.id)
        twice = duplicate_ids(self.clocks)
        if twice:
            raise ValueError(
                f"key 'clocks': the clock id {', '.join(twice)} is listed twice; ids must be unique"
            )
        everywhere = {clock.id: "" for clock in self.clocks}
        for panel in self.panels:
            again = duplicate_ids(panel.clocks, everywhere)
            if again:
                raise ValueError(
                    f"panel '{panel.id}', key 'clocks': the clock id {', '.join(again)} is "
                    "also one of the authority's clocks; ids must be unique"
                )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The authority's timezone."""
        return ZoneInfo(self.timezone)

    def panel(self, panel_id: str) -> Panel:
        """The panel with ``panel_id``; :class:`KeyError` if none."""
        for panel in self.panels:
            if panel.id == panel_id:
                return panel
        raise KeyError(panel_id)

    @property
    def panel_ids(self) -> tuple[str, ...]:
        """Every panel id, in file order."""
        return tuple(p.id for p in self.panels)

    @property
    def every_clock(self) -> tuple[StatutoryClock, ...]:
        """Every statutory clock of the model: the authority's, then each panel's in file
        order (ids are unique across the model)."""
        return (*self.clocks, *(clock for panel in self.panels for clock in panel.clocks))

    def clocks_of(self, panel_id: str) -> tuple[StatutoryClock, ...]:
        """The statutory clocks ``panel_id``'s referrals run to: the authority's, then its own."""
        return (*self.clocks, *self.panel(panel_id).clocks)

    def due(self, referral: CaseWithClocks) -> Due | None:
        """``referral``'s last date in time: the earliest of its own dates, by its panel's
        lead times (S6-S8, S14), and the last viable sitting of each statutory clock that
        applies to it (:func:`panelsched.core.clocks.clock_due`, on the model's calendar).

        Every due date the planner, the validator, the forward planner and the exports use
        comes from here (the S9 ratification aside, which the calendar sets).
        """
        panel = self.panel(referral.panel)
        own = referral.due(panel.lead_times)
        clocks = self.clocks_of(panel.id)
        if not clocks:
            return own
        found = clocks_due(clocks, referral, working_calendar(self.holidays))
        return earliest_due([*([own] if own is not None else []), *found])

    def due_date(self, referral: CaseWithClocks) -> date | None:
        """The date of :meth:`due`, or ``None``."""
        due = self.due(referral)
        return due.date if due is not None else None

    def earliest(self, referral: DueCase) -> date | None:
        """The first date ``referral`` may be heard, by its panel's S8 notice."""
        return referral.earliest(self.panel(referral.panel).lead_times)


__all__ = [
    "CHAIRING_ROLES",
    "SUBDIVISIONS",
    "Authority",
    "CaseWithClocks",
    "HolidayPolicy",
    "Member",
    "Panel",
    "Quorum",
    "Role",
    "minutes_of",
]
