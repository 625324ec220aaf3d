"""iCalendar (.ics) files of sittings that import cleanly into Outlook and Google Calendar.

What the clients need, and why the file looks the way it does:

- Times are the authority's wall-clock times with ``TZID=<zone>`` and one VTIMEZONE for the zone,
  so a 13:00 sitting stays at 13:00 in summer and winter.
- The VTIMEZONE is written with one yearly RRULE per observance (``BYMONTH=3;BYDAY=-1SU``) and no
  RDATE lists: Outlook desktop is reported to misread VTIMEZONEs made of long RDATE lists, which
  is what a zone-database dump (e.g. icalendar's own generator) produces.
- UIDs name what an event is (the panel and date), so importing a fresh export updates the
  events instead of duplicating them, and DTSTAMP comes from the input, never the clock, so the
  same input gives the same bytes (RFC 5545 requires lines ending CRLF; icalendar writes them).

The builders (:class:`TimedEvent`, :func:`calendar_bytes`) are shared by every calendar export;
:func:`write_sittings_ics` is the sittings calendar of ``panelsched calendar``.
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from panelsched.calendar import Sitting
from panelsched.model import Authority

PRODID = "-//panelsched//EN"
UID_DOMAIN = "panelsched"
# A cut-off is a moment; clients draw zero-length events badly, so it gets a short block.
CUTOFF_MINUTES = 15
# The stamp of a calendar with no events: any fixed moment keeps the output reproducible.
_EMPTY_STAMP = datetime(2000, 1, 1, tzinfo=UTC)
# Observances start in 1970, as Google's and Apple's exports do; only the rule matters after.
_RULE_BASE_YEAR = 1970
# A zone's rule is read from at least this many consecutive years, so that a "last Sunday"
# (day 25-31) is told apart from a "4th Sunday" (day 22-28) in the same month.
_RULE_YEARS = 7
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """One timed calendar event in the authority's local time.

    Parameters
    ----------
    uid
        Stable identity, e.g. ``lam-crp-20270401@panelsched``; the same thing must always get
        the same UID so that re-importing updates it.
    summary
        The title shown in the calendar.
    start, end
        Naive local wall-clock times in the calendar's zone.
    description
        Free text; empty for none.
    busy
        False for reminders that should not block time (``TRANSP:TRANSPARENT``).
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    busy: bool = True

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("TimedEvent takes naive local times; the calendar adds the zone")
        if self.end < self.start:
            raise ValueError(f"event {self.uid} ends before it starts")


@dataclass(frozen=True, slots=True)
class _Transition:
    """One change of UTC offset, as the local clock reads it just before the change."""

    local: datetime
    before: timedelta
    after: timedelta
    name: str


def _offset_at(zone: ZoneInfo, moment: datetime) -> timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    """Every offset change in ``year``, found day by day then to the minute."""
    found = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    days = 366 if monthdays.isleap(year) else 365
    previous = _offset_at(zone, start)
    for day in range(1, days + 1):
        moment = start + timedelta(days=day)
        offset = _offset_at(zone, moment)
        if offset == previous:
            continue
        low, high = 0, 24 * 60  # minutes after the previous midnight UTC; low is still old
        base = moment - timedelta(days=1)
        while high - low > 1:
            middle = (low + high) // 2
            if _offset_at(zone, base + timedelta(minutes=middle)) == previous:
                low = middle
            else:
                high = middle
        utc = base + timedelta(minutes=high)
        name = utc.astimezone(zone).tzname() or ""
        found.append(_Transition((utc + previous).replace(tzinfo=None), previous, offset, name))
        previous = offset
    return found


def _ordinals(day: date) -> set[int]:
    """Which BYDAY ordinals name ``day``: its week of the month, and -1 if it is the last."""
    ordinals = {(day.day - 1) // 7 + 1}
    if day.day + 7 > monthdays.monthrange(day.year, day.month)[1]:
        ordinals.add(-1)
    return ordinals


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    weeks = monthdays.Calendar().monthdatescalendar(year, month)
    days = [d for week in weeks for d in week if d.month == month and d.weekday() == weekday]
    return days[ordinal - 1] if ordinal > 0 else days[ordinal]


def _observance(
    daylight: bool, start: datetime, before: timedelta, after: timedelta, name: str
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if daylight else TimezoneStandard()
    part.add("dtstart", start)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    if name:
        part.add("tzname", name)
    return part


def _yearly_rule(zone: ZoneInfo, first: int, last: int) -> list[tuple[_Transition, int]] | None:
    """The zone's transitions as yearly rules valid from ``first`` to ``last``, or ``None``.

    ``None`` when the years disagree (the zone changed its rules) or a change is not on an
    nth or last weekday of a month.
    """
    years = range(first, max(last, first + _RULE_YEARS - 1) + 1)
    pattern: list[tuple[_Transition, set[int]]] = []
    for year in years:
        changes = _transitions(zone, year)
        if year == first:
            pattern = [(change, _ordinals(change.local.date())) for change in changes]
            continue
        if len(changes) != len(pattern):
            return None
        for index, change in enumerate(changes):
            seen, ordinals = pattern[index]
            same = (
                change.local.month == seen.local.month
                and change.local.weekday() == seen.local.weekday()
                and change.local.time() == seen.local.time()
                and (change.before, change.after, change.name)
                == (seen.before, seen.after, seen.name)
            )
            common = ordinals & _ordinals(change.local.date())
            if not same or not common:
                return None
            pattern[index] = (seen, common)
    # "Last Sunday" is what zones with a change late in the month mean.
    return [(change, -1 if -1 in ordinals else min(ordinals)) for change, ordinals in pattern]


def vtimezone(zone_name: str, years: Iterable[int]) -> Timezone:
    """A compact VTIMEZONE for ``zone_name`` covering events in ``years``.

    Each observance is one yearly RRULE starting in 1970 (for Europe/London: BST from the last
    Sunday of March at 01:00, GMT from the last Sunday of October at 02:00 local). A zone whose
    rules change within the years gets one dated observance per change instead, still without
    RDATE lists.

    Parameters
    ----------
    zone_name
        An IANA zone, e.g. ``Europe/London``.
    years
        The years the events fall in; at least one.

    Returns
    -------
    icalendar.Timezone
        The VTIMEZONE component.
    """
    zone = ZoneInfo(zone_name)
    chosen = sorted(set(years))
    if not chosen:
        raise ValueError("vtimezone needs at least one year")
    first, last = chosen[0], chosen[-1]
    component = Timezone()
    component.add("tzid", zone_name)
    rules = _yearly_rule(zone, first, last)
    if rules == []:
        # A zone without changes: one observance that never ends.
        offset = _offset_at(zone, datetime(first, 1, 1, tzinfo=UTC))
        name = datetime(first, 1, 1, tzinfo=UTC).astimezone(zone).tzname() or ""
        start = datetime(_RULE_BASE_YEAR, 1, 1)
        component.add_component(_observance(False, start, offset, offset, name))
        return component
    if rules is not None:
        for change, ordinal in rules:
            month, weekday = change.local.month, change.local.weekday()
            day = _nth_weekday(_RULE_BASE_YEAR, month, weekday, ordinal)
            start = datetime.combine(day, change.local.time())
            part = _observance(
                change.after > change.before, start, change.before, change.after, change.name
            )
            byday = f"{ordinal}{_WEEKDAYS[weekday]}"
            part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": byday})
            component.add_component(part)
        return component
    # The rules changed within the years: the offset in force at the start, then each change.
    opening = datetime(first, 1, 1, tzinfo=UTC)
    offset = _offset_at(zone, opening)
    name = opening.astimezone(zone).tzname() or ""
    dst = opening.astimezone(zone).dst()
    component.add_component(_observance(bool(dst), datetime(first, 1, 1), offset, offset, name))
    for year in range(first, last + 1):
        for change in _transitions(zone, year):
            component.add_component(
                _observance(
                    change.after > change.before,
                    change.local,
                    change.before,
                    change.after,
                    change.name,
                )
            )
    return component


def _event(spec: TimedEvent, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", spec.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", spec.start.replace(tzinfo=zone))
    event.add("dtend", spec.end.replace(tzinfo=zone))
    event.add("summary", spec.summary)
    if spec.description:
        event.add("description", spec.description)
    event.add("transp", "OPAQUE" if spec.busy else "TRANSPARENT")
    return event


def build_calendar(
    events: Sequence[TimedEvent], zone_name: str, title: str, stamp: datetime
) -> Calendar:
    """A VCALENDAR with a compact VTIMEZONE and ``events`` in the order given.

    Parameters
    ----------
    events
        The events; their UIDs must be unique.
    zone_name
        The IANA zone of the events' local times, e.g. ``Europe/London``.
    title
        The calendar's name as clients show it (``X-WR-CALNAME``).
    stamp
        An aware moment for every DTSTAMP; pass one derived from the input, not the clock.

    Returns
    -------
    icalendar.Calendar
        Ready for ``to_ical()``.
    """
    if stamp.tzinfo is None:
        raise ValueError("the stamp must be an aware datetime")
    uids = [e.uid for e in events]
    if len(set(uids)) != len(uids):
        raise ValueError("two events share a UID")
    zone = ZoneInfo(zone_name)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", zone_name)
    years = {moment.year for e in events for moment in (e.start, e.end)}
    # RFC 5545 wants at least one component, so an empty calendar still carries the zone.
    cal.add_component(vtimezone(zone_name, years or {stamp.year}))
    utc_stamp = stamp.astimezone(UTC)
    for spec in events:
        cal.add_component(_event(spec, zone, utc_stamp))
    return cal


def calendar_bytes(
    events: Sequence[TimedEvent], zone_name: str, title: str, stamp: datetime
) -> bytes:
    """The ``.ics`` bytes of :func:`build_calendar` (UTF-8, CRLF line ends, folded lines)."""
    data: bytes = build_calendar(events, zone_name, title, stamp).to_ical()
    return data


def sittings_stamp(authority: Authority, sittings: Iterable[Sitting]) -> datetime:
    """A reproducible "written at" moment: when the latest sitting ends, in UTC.

    Exports of the same sittings get the same stamp; an export reaching further ahead gets a
    later one, so clients that compare DTSTAMPs take it as the newer copy.
    """
    ends = [datetime.combine(s.date, s.end) for s in sittings]
    if not ends:
        return _EMPTY_STAMP
    return max(ends).replace(tzinfo=authority.zone).astimezone(UTC)


def _uid_key(sitting: Sitting) -> str:
    return f"{sitting.panel}-{sitting.date:%Y%m%d}"


def sitting_events(authority: Authority, sittings: Iterable[Sitting]) -> list[TimedEvent]:
    """One event per sitting, each followed by a reminder at its cut-off (if it has one)."""
    names = {panel.id: panel.name for panel in authority.panels}
    events = []
    for s in sittings:
        name = names[s.panel]
        lines = [s.note] if s.note else []
        if s.cutoff is not None:
            lines.append(f"Cut-off: {s.cutoff:%a %d/%m/%Y %H:%M}")
        if s.papers_out is not None:
            lines.append(f"Papers out: {s.papers_out:%a %d/%m/%Y %H:%M}")
        events.append(
            TimedEvent(
                uid=f"{_uid_key(s)}@{UID_DOMAIN}",
                summary=f"{name} ({s.panel})",
                start=datetime.combine(s.date, s.start),
                end=datetime.combine(s.date, s.end),
                description="\n".join(lines),
            )
        )
        if s.cutoff is not None:
            events.append(
                TimedEvent(
                    uid=f"cutoff-{_uid_key(s)}@{UID_DOMAIN}",
                    summary=f"Cut-off: {name} {s.date:%a %d/%m/%Y}",
                    start=s.cutoff,
                    end=s.cutoff + timedelta(minutes=CUTOFF_MINUTES),
                    description=(
                        f"Last moment to submit referrals for the {name} ({s.panel}) sitting on "
                        f"{s.date:%a %d/%m/%Y} at {s.start:%H:%M}."
                    ),
                    busy=False,
                )
            )
    return events


def write_sittings_ics(
    authority: Authority,
    sittings: Iterable[Sitting],
    path: Path,
    *,
    stamp: datetime | None = None,
) -> None:
    """Write the sittings and their cut-offs as an iCalendar file.

    Parameters
    ----------
    authority
        The model the sittings come from (panel names and timezone).
    sittings
        The sittings, e.g. from :func:`panelsched.calendar.generate_sittings`.
    path
        The ``.ics`` file to write.
    stamp
        The DTSTAMP of every event; by default :func:`sittings_stamp`, so the same sittings
        always give the same bytes.
    """
    chosen = list(sittings)
    events = sitting_events(authority, chosen)
    moment = stamp if stamp is not None else sittings_stamp(authority, chosen)
    title = f"{authority.authority} panel sittings"
    Path(path).write_bytes(calendar_bytes(events, authority.timezone, title, moment))


__all__ = [
    "CUTOFF_MINUTES",
    "PRODID",
    "TimedEvent",
    "build_calendar",
    "calendar_bytes",
    "sitting_events",
    "sittings_stamp",
    "vtimezone",
    "write_sittings_ics",
]
