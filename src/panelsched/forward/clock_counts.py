"""Statutory clocks counted: for each clock and month, how many cases started, were decided in
time or late (and by how many days), were paused, or are still open.

This is the figure a special educational needs service is judged on (the share of EHC plans
issued within 20 weeks, SEND Regulations 2014, reg. 13), for every clock the model declares
(:mod:`panelsched.core.clocks`). A case is counted in the month its clock **started** (the
date in the clock's ``starts`` column, usually ``requested``), under each clock that applies
to it:

- *decided in time*: its first outcome other than a deferral was recorded at a sitting on or
  before the clock's last viable sitting;
- *decided late*: at a sitting after it, late by the days from the last viable sitting to
  that sitting (as the validator counts "7 days after 30/06/2027");
- *paused*: a pause with a reason the clock lists is recorded for it (it is counted as
  decided or open besides);
- *open*: no such outcome recorded by ``now``; *in time* while ``now``'s date is on or before
  the last viable sitting, else *past the last sitting*.

A deferred case keeps its request date and pauses (S10), so its hearing again carries the
same clock: the case is decided when that hearing is. Reviews and other follow-ups start
afresh and are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from dateutil.relativedelta import relativedelta

from panelsched.core.clocks import Clock, clock_due, start_of
from panelsched.core.due import Due
from panelsched.core.workdays import working_calendar
from panelsched.forward.diary import Diary, Hearing, Outcome

# The hearings that carry the request's clock: the case itself and a deferral heard again.
CLOCK_KINDS = ("referral", "deferred")

# Columns of the table, the CSV and the workbook's Clocks sheet, in order.
CLOCK_COLUMNS = (
    "clock",
    "source",
    "month",
    "started",
    "decided_in_time",
    "decided_late",
    "median_days_late",
    "most_days_late",
    "share_in_time",
    "paused",
    "open_in_time",
    "open_past_last_sitting",
)


@dataclass(frozen=True, slots=True)
class ClockMonth:
    """One clock's cases that started in one month, counted.

    Attributes
    ----------
    clock, name, source
        The clock's id, its name in words and its citation.
    month
        The first day of the month the cases' clocks started in.
    started
        Cases whose clock started that month.
    in_time, late
        Cases decided at a sitting on or before / after the clock's last viable sitting.
    days_late
        For each case decided late, the days from the last viable sitting to its sitting,
        smallest first.
    paused
        Cases with a pause recorded for a reason the clock lists.
    open_in_time, open_past
        Cases with no outcome yet: the last viable sitting is still to come (today counts),
        or has gone by.
    """

    clock: str
    name: str
    source: str
    month: date
    started: int = 0
    in_time: int = 0
    late: int = 0
    days_late: tuple[int, ...] = ()
    paused: int = 0
    open_in_time: int = 0
    open_past: int = 0

    @property
    def decided(self) -> int:
        """Cases decided, in time or late."""
        return self.in_time + self.late

    @property
    def share_in_time(self) -> float | None:
        """The share of the cases decided that were decided in time, or ``None`` with none."""
        return self.in_time / self.decided if self.decided else None

    @property
    def median_days_late(self) -> float | None:
        """The median days late of the late cases, or ``None`` with none."""
        return float(median(self.days_late)) if self.days_late else None

    @property
    def most_days_late(self) -> int | None:
        """The most days late of a late case, or ``None`` with none."""
        return max(self.days_late) if self.days_late else None

    def row(self) -> tuple[str | int | float | date | None, ...]:
        """The row of :data:`CLOCK_COLUMNS`: ``month`` as its first day, numbers as numbers
        (``None`` where there is nothing to measure)."""
        return (
            self.name,
            self.source,
            self.month,
            self.started,
            self.in_time,
            self.late,
            self.median_days_late,
            self.most_days_late,
            self.share_in_time,
            self.paused,
            self.open_in_time,
            self.open_past,
        )


@dataclass(frozen=True, slots=True)
class _Case:
    """One case under one clock: its due date, its pauses, and its deciding outcome."""

    due: Due
    started: date
    paused: bool
    outcome: Outcome | None


# With no dates given, the counts cover this many months, ending with the current one.
DEFAULT_MONTHS = 12


def counted_span(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The days to count, as given; a missing end is ``today``, a missing start the first of
    the month :data:`DEFAULT_MONTHS` - 1 months before the end's.

    Examples
    --------
    >>> counted_span(None, None, date(2027, 3, 15))
    (datetime.date(2026, 4, 1), datetime.date(2027, 3, 15))
    """
    last = end or today
    first = start or last.replace(day=1) - relativedelta(months=DEFAULT_MONTHS - 1)
    return first, last


def months(start: date, end: date) -> list[date]:
    """The first day of each month from ``start``'s to ``end``'s, both included."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _cases(diary: Diary, clock: Clock, now: datetime) -> Iterator[_Case]:
    """Each case ``clock`` applies to, with the outcome that decided it by ``now``."""
    calendar = working_calendar(diary.authority.holidays)
    carrying: dict[str, list[Hearing]] = {}
    for hearing in diary.hearings:
        if hearing.kind not in CLOCK_KINDS:
            continue
        if clock.id not in {c.id for c in diary.authority.clocks_of(hearing.panel)}:
            continue
        carrying.setdefault(hearing.referral_id, []).append(hearing)
    for hearings in carrying.values():
        first = min(hearings, key=lambda h: h.number)
        due = clock_due(clock, first.referral, calendar)
        started = start_of(first.referral, clock.starts)
        if due is None or started is None:
            continue
        outcomes = [
            found
            for h in hearings
            if (found := diary.outcomes.get(h.id)) is not None
            and found.outcome != "defer"
            and found.decided_at <= now
        ]
        paused = any(p.reason in clock.pauses for p in first.referral.clock_pauses)
        yield _Case(due, started, paused, min(outcomes, key=lambda o: o.date, default=None))


def clock_counts(diary: Diary, start: date, end: date, now: datetime) -> tuple[ClockMonth, ...]:
    """Count each clock's cases month by month, by the month the clock started.

    Parameters
    ----------
    diary
        The store's diary.
    start, end
        The months counted are ``start``'s to ``end``'s, both whole.
    now
        Outcomes recorded after it are not counted yet; an open case's last viable sitting is
        compared with its date.

    Returns
    -------
    tuple of ClockMonth
        For each clock of the model in order
        (:attr:`~panelsched.core.panels.Authority.every_clock`), one row per month in order,
        months without cases included (with zeros).
    """
    counted = months(start, end)
    rows: list[ClockMonth] = []
    for clock in diary.authority.every_clock:
        tally: dict[date, dict[str, int]] = {m: dict.fromkeys(_FIELDS, 0) for m in counted}
        late: dict[date, list[int]] = {m: [] for m in counted}
        for case in _cases(diary, clock, now):
            month = case.started.replace(day=1)
            if month not in tally:
                continue
            counts = tally[month]
            counts["started"] += 1
            counts["paused"] += case.paused
            if case.outcome is None:
                counts["open_in_time" if now.date() <= case.due.date else "open_past"] += 1
            elif case.outcome.date <= case.due.date:
                counts["in_time"] += 1
            else:
                counts["late"] += 1
                late[month].append((case.outcome.date - case.due.date).days)
        rows.extend(
            ClockMonth(
                clock.id,
                clock.title,
                clock.source,
                m,
                days_late=tuple(sorted(late[m])),
                **tally[m],
            )
            for m in counted
        )
    return tuple(rows)


_FIELDS = ("started", "in_time", "late", "paused", "open_in_time", "open_past")


__all__ = [
    "CLOCK_COLUMNS",
    "CLOCK_KINDS",
    "DEFAULT_MONTHS",
    "ClockMonth",
    "clock_counts",
    "counted_span",
    "months",
]
