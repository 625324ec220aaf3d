"""The sitting calendar: a panel's cadence turned into dated sittings with cut-offs.

Order of operations, pinned down by tests:

1. the cadence's occurrences from ``anchor`` (or from the range's start when there is none);
2. an occurrence on a weekend or bank holiday is skipped or moved (``on_holiday``);
3. dates in ``cancelled`` are removed, dates in ``extra`` added;
4. the requested range selects sittings by their actual date, after moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from panelsched.core.due import Due
from panelsched.core.offsets import papers_out
from panelsched.core.panels import Authority, Panel, minutes_of
from panelsched.core.workdays import WorkingCalendar, working_calendar

# A sitting can move at most a few days (Christmas and New Year together are four days);
# occurrences this far outside the range are generated so moves into the range are seen.
_MOVE_MARGIN = timedelta(days=14)


def sitting_id(panel: str, day: date) -> str:
    """A sitting's stable identifier, ``panel@YYYY-MM-DD``.

    Examples
    --------
    >>> sitting_id("lam-crp", date(2027, 1, 7))
    'lam-crp@2027-01-07'
    """
    return f"{panel}@{day.isoformat()}"


@dataclass(frozen=True, slots=True, order=True)
class Sitting:
    """One meeting of a panel on one date.

    Parameters
    ----------
    date, start, end
        When it sits (local time).
    panel
        The panel id.
    cutoff
        The latest moment a referral can be submitted for it, or ``None`` when the panel has
        no cut-off.
    papers_out
        When papers go to members, or ``None``.
    capacity_minutes
        The window's minutes less breaks.
    note
        Why it moved, or that it is an extra sitting; empty otherwise.
    """

    date: date
    start: time
    panel: str
    end: time
    cutoff: datetime | None
    papers_out: datetime | None
    capacity_minutes: int
    note: str = ""

    @property
    def id(self) -> str:
        """A stable identifier, ``panel@YYYY-MM-DD`` (:func:`sitting_id`)."""
        return sitting_id(self.panel, self.date)

    @property
    def opens(self) -> datetime:
        """The moment the sitting starts."""
        return datetime.combine(self.date, self.start)

    @property
    def window_minutes(self) -> tuple[int, int]:
        """Start and end as minutes after midnight."""
        return minutes_of(self.start), minutes_of(self.end)

    def overlaps(self, other: Sitting) -> bool:
        """True when both sit on the same date with windows that overlap in time."""
        return self.date == other.date and self.start < other.end and other.start < self.end


def _occurrences(panel: Panel, start: date, end: date) -> list[date]:
    rule = panel.rule()
    first = start - _MOVE_MARGIN
    if panel.anchor is None:
        # Without an anchor the rule starts at the range (less the margin); INTERVAL>1 is
        # refused without an anchor, so the phase cannot depend on where the range starts.
        rule = rule.replace(dtstart=datetime.combine(first, time()))
    found = rule.between(
        datetime.combine(first, time()), datetime.combine(end + _MOVE_MARGIN, time()), inc=True
    )
    return [moment.date() for moment in found]


def _place(panel: Panel, day: date, workdays: WorkingCalendar) -> tuple[date | None, str]:
    reason = workdays.why_not_working(day)
    if reason is None:
        return day, ""
    if panel.on_holiday == "skip":
        return None, ""
    moved = (
        workdays.next_working_day(day)
        if panel.on_holiday == "next_working_day"
        else workdays.previous_working_day(day)
    )
    return moved, f"moved from {day.isoformat()} ({reason})"


def panel_dates(
    panel: Panel, start: date, end: date, workdays: WorkingCalendar
) -> list[tuple[date, str]]:
    """A panel's sitting dates in ``[start, end]`` with a note for each moved or extra one."""
    dates: dict[date, str] = {}
    for day in _occurrences(panel, start, end):
        placed, note = _place(panel, day, workdays)
        if placed is None:
            continue
        if placed in dates:
            # Two occurrences moved onto one date meet once.
            dates[placed] = "; ".join(n for n in (dates[placed], note) if n)
        else:
            dates[placed] = note
    for day in panel.cancelled:
        dates.pop(day, None)
    for day in panel.extra:
        reason = workdays.why_not_working(day)
        dates.setdefault(day, "extra sitting" + (f" ({reason})" if reason else ""))
    return sorted((day, note) for day, note in dates.items() if start <= day <= end)


def sitting_for(panel: Panel, day: date, note: str, workdays: WorkingCalendar) -> Sitting:
    """The :class:`Sitting` of ``panel`` on ``day`` with its cut-off and papers-out moments
    (computed for ``day`` itself, so an extra sitting off the usual weekday gets its own) and
    its window (the panel's ``times`` entry for ``day``, else its ``time``)."""
    cutoff = panel.cutoff.moment(day, workdays) if panel.cutoff else None
    start, end = panel.window_on(day)
    return Sitting(
        date=day,
        start=start,
        panel=panel.id,
        end=end,
        cutoff=cutoff,
        papers_out=papers_out(panel.papers, cutoff, day, workdays) if panel.papers else None,
        capacity_minutes=panel.capacity_on(day),
        note=note,
    )


def generate_sittings(
    authority: Authority,
    start: date,
    end: date,
    panels: Sequence[str] | None = None,
) -> tuple[Sitting, ...]:
    """Every sitting of ``authority``'s panels dated ``start`` to ``end`` inclusive.

    Parameters
    ----------
    authority
        The loaded model.
    start, end
        The range, by the sittings' actual dates after holiday moves.
    panels
        Panel ids to include; all panels when ``None``.

    Returns
    -------
    tuple of Sitting
        Sorted by date, start time and panel id.

    Raises
    ------
    KeyError
        When ``panels`` names an id the model does not have.
    """
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    chosen: Iterable[Panel]
    if panels is None:
        chosen = authority.panels
    else:
        chosen = [authority.panel(panel_id) for panel_id in panels]
    workdays = working_calendar(authority.holidays)
    sittings = [
        sitting_for(panel, day, note, workdays)
        for panel in chosen
        for day, note in panel_dates(panel, start, end, workdays)
    ]
    return tuple(sorted(sittings))


def cancelled_sittings(authority: Authority, start: date, end: date) -> tuple[Sitting, ...]:
    """The sittings dated ``start`` to ``end`` that the calendar would hold but for a
    cancellation (a panel's ``cancelled`` dates), each with the cut-off it had.

    Explanations use them: a case that met a cancelled sitting's cut-off is told the sitting
    was cancelled, not that it met no cut-off.
    """
    if end < start:
        return ()
    workdays = working_calendar(authority.holidays)
    found: list[Sitting] = []
    for panel in authority.panels:
        gone = set(panel.cancelled) - set(panel.extra)
        if not gone or not any(start <= day <= end for day in gone):
            continue
        uncancelled = panel.model_copy(update={"cancelled": ()})
        found.extend(
            sitting_for(panel, day, "cancelled", workdays)
            for day, _ in panel_dates(uncancelled, start, end, workdays)
            if day in gone
        )
    return tuple(sorted(found))


def decision_moment(moment: datetime) -> datetime:
    """When an emergency decision counts as taken (S9): ``moment``, where a date alone
    (00:00) counts as after that day's sittings.

    The validator reads a decision with a date only so, and the planner and the forward
    planner book by the same reading, so a ratification they book is one the validator accepts.

    Examples
    --------
    >>> decision_moment(datetime(2027, 1, 7))
    datetime.datetime(2027, 1, 7, 23, 59)
    >>> decision_moment(datetime(2027, 1, 7, 9, 30))
    datetime.datetime(2027, 1, 7, 9, 30)
    """
    if moment.time() == time(0):
        return datetime.combine(moment.date(), time(23, 59))
    return moment


def ratification_sitting(
    sittings: Iterable[Sitting], decided: datetime, late_papers: bool
) -> Sitting | None:
    """S9: the sitting where an emergency decision taken at ``decided`` must be ratified.

    A decision taken between sittings lasts "only until the date of the next panel" (CBC 5,
    LAM 16+), "ratified by the panel at the first opportunity" (SWI 5, 9): the panel's first
    sitting after the decision, by its calendar (cancelled sittings gone, extra ones in). An
    emergency counts as having the chair's permission for a late paper (S2), so where the
    panel takes late papers that is simply the next sitting; where it takes none (SWI), the
    first one whose cut-off the decision met. Who can attend, and when the case reached the
    planner, do not move it: the decision lapses then whatever happens.

    Parameters
    ----------
    sittings
        The panel's sittings in date order, from before the decision.
    decided
        When the decision was taken.
    late_papers
        Whether the panel accepts late papers (``Panel.late_applications``).

    Returns
    -------
    Sitting or None
        ``None`` when none of ``sittings`` comes after the decision.

    Examples
    --------
    A decision on Tuesday 5 January 2027 at 09:00, after the Monday cut-off of Thursday's
    sitting: ratified that Thursday where late papers are taken, else the week after.

    >>> from datetime import time
    >>> def thursday(day: int) -> Sitting:
    ...     return Sitting(date(2027, 1, day), time(13), "crp", time(16),
    ...                    datetime(2027, 1, day - 3, 13), None, 180)
    >>> weeks = [thursday(7), thursday(14)]
    >>> ratification_sitting(weeks, datetime(2027, 1, 5, 9), True).date
    datetime.date(2027, 1, 7)
    >>> ratification_sitting(weeks, datetime(2027, 1, 5, 9), False).date
    datetime.date(2027, 1, 14)
    """
    for sitting in sittings:
        if sitting.opens <= decided:
            continue
        if late_papers or sitting.cutoff is None or decided <= sitting.cutoff:
            return sitting
    return None


def ratification_due(sitting: Sitting, decided: datetime) -> Due:
    """The S9 due date: the sitting :func:`ratification_sitting` found."""
    return Due(sitting.date, "S9", "emergency", decided.date())


__all__ = [
    "Sitting",
    "cancelled_sittings",
    "decision_moment",
    "generate_sittings",
    "panel_dates",
    "ratification_due",
    "ratification_sitting",
    "sitting_for",
    "sitting_id",
]
