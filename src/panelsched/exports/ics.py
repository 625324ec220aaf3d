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
- Every event carries SEQUENCE (RFC 5545 3.8.7.4) and STATUS. A client keeps the copy with the
  higher SEQUENCE, so an event that changed (a case moved, a sitting cancelled) must come with a
  higher one; the caller works it out from its own history, never from the clock.
- Each sitting's cut-off and papers-out are short events of their own that do not make anyone
  busy; a cut-off has an alarm one working day before it.

The builders (:class:`TimedEvent`, :func:`calendar_bytes`) are shared by every calendar export;
:func:`write_sittings_ics` is the sittings calendar of ``panelsched calendar``.
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.core.workdays import working_calendar
from panelsched.exports.atomic import replace_bytes

PRODID = "-//panelsched//EN"
UID_DOMAIN = "panelsched"
# A cut-off or papers-out is a moment; clients draw zero-length events badly, so it gets a
# short block.
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
    sequence
        The revision (``SEQUENCE``): 0 when first written, higher each time the event changes,
        so that a client that has it already takes the new copy instead of keeping the old.
    location
        Where it happens; empty for none.
    cancelled
        ``STATUS:CANCELLED``: a client that imported the event drops or strikes it out.
    alarm_before
        A display alarm this long before the start; ``None`` for none.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    busy: bool = True
    sequence: int = 0
    location: str = ""
    cancelled: bool = False
    alarm_before: timedelta | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("TimedEvent takes naive local times; the calendar adds the zone")
        if self.end < self.start:
            raise ValueError(f"event {self.uid} ends before it starts")
        if self.sequence < 0:
            raise ValueError(f"event {self.uid} has a negative SEQUENCE")
        if self.alarm_before is not None and self.alarm_before < timedelta(0):
            raise ValueError(f"event {self.uid} has its alarm after it starts")


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
    event.add("sequence", spec.sequence)
    event.add("status", "CANCELLED" if spec.cancelled else "CONFIRMED")
    event.add("summary", spec.summary)
    if spec.location:
        event.add("location", spec.location)
    if spec.description:
        event.add("description", spec.description)
    event.add("transp", "OPAQUE" if spec.busy and not spec.cancelled else "TRANSPARENT")
    if spec.alarm_before is not None and not spec.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", spec.summary)
        alarm.add("trigger", -spec.alarm_before)
        event.add_component(alarm)
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
    # icalendar writes an X- property's value as given, so a line break in the name (a
    # person's id can hold one) would end the line early: a calendar's name is one line.
    cal.add("x-wr-calname", " ".join(title.split()))
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


def sitting_events(
    authority: Authority,
    sittings: Iterable[Sitting],
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Mapping[str, str] | None = None,
) -> list[TimedEvent]:
    """One event per sitting, each followed by its cut-off and its papers-out (where it has
    them).

    A cut-off has an alarm at the same time on the working day before, so that whoever
    subscribes hears of it while there is still a day to send papers; neither moment makes
    anyone look busy.

    Parameters
    ----------
    authority
        The model the sittings come from (panel names and locations, bank holidays).
    sittings
        The sittings, in the order to write them.
    sequences
        Each sitting's revision (``SEQUENCE``) by sitting id (``panel@YYYY-MM-DD``), 0 where
        absent; its cut-off and papers-out share it.
    cancelled
        The reason for each sitting cancelled, by sitting id: its events are written as
        cancelled, so calendars that imported them drop them.

    Returns
    -------
    list of TimedEvent
        In the order of ``sittings``.
    """
    panels = {panel.id: panel for panel in authority.panels}
    workdays = working_calendar(authority.holidays)
    revisions = sequences or {}
    reasons = cancelled or {}
    events = []
    for s in sittings:
        name = panels[s.panel].name
        sequence = revisions.get(s.id, 0)
        reason = reasons.get(s.id)
        gone = reason is not None
        mark = "CANCELLED: " if gone else ""
        lines = [f"Cancelled: {reason}"] if gone else []
        lines += [s.note] if s.note else []
        if s.cutoff is not None:
            lines.append(f"Cut-off: {s.cutoff:%a %d/%m/%Y %H:%M}")
        if s.papers_out is not None:
            lines.append(f"Papers out: {s.papers_out:%a %d/%m/%Y %H:%M}")
        events.append(
            TimedEvent(
                uid=f"{_uid_key(s)}@{UID_DOMAIN}",
                summary=f"{mark}{name} ({s.panel})",
                start=datetime.combine(s.date, s.start),
                end=datetime.combine(s.date, s.end),
                description="\n".join(lines),
                busy=not gone,
                sequence=sequence,
                location=panels[s.panel].location or "",
                cancelled=gone,
            )
        )
        sitting_words = f"the {name} ({s.panel}) sitting on {s.date:%a %d/%m/%Y} at {s.start:%H:%M}"
        # Each moment of the sitting: its kind (for the UID), title, when, words and alarm.
        moments: list[tuple[str, str, datetime, str, timedelta | None]] = []
        if s.cutoff is not None:
            day_before = workdays.previous_working_day(s.cutoff.date())
            alarm = s.cutoff - datetime.combine(day_before, s.cutoff.time())
            words = f"Last moment to submit referrals for {sitting_words}."
            moments.append(("cutoff", "Cut-off", s.cutoff, words, alarm))
        if s.papers_out is not None:
            words = f"The agenda and papers go to the members for {sitting_words}."
            moments.append(("papers", "Papers out", s.papers_out, words, None))
        events.extend(
            TimedEvent(
                uid=f"{kind}-{_uid_key(s)}@{UID_DOMAIN}",
                summary=f"{mark}{title}: {name} {s.date:%a %d/%m/%Y}",
                start=moment,
                end=moment + timedelta(minutes=CUTOFF_MINUTES),
                description=words,
                busy=False,
                sequence=sequence,
                cancelled=gone,
                alarm_before=alarm,
            )
            for kind, title, moment, words, alarm in moments
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
        The sittings, e.g. from :func:`panelsched.core.sittings.generate_sittings`.
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
    replace_bytes(path, calendar_bytes(events, authority.timezone, title, moment))


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
