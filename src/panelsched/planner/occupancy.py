"""What is taken at a sitting, and by whom: the minutes first-fit slotting books around.

A sitting starts with its panel's breaks taken (S3); a person starts each day with their
part-day leave taken (S5; a whole day away closes the sitting to them before any slotting).
Each booking then takes its slot at its sitting and from everyone who must attend. The
first-come-first-served baseline (:mod:`panelsched.planner.greedy`), the planner's repair pass and
stage 2's list scheduling (:mod:`panelsched.planner.cpsat.sequencing`) all book this way.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from panelsched.core.panels import minutes_of
from panelsched.core.timeslots import Timeline
from panelsched.planner.problem import ProblemData


class Occupancy:
    """The minutes taken at each sitting and by each person on each day.

    Parameters
    ----------
    problem
        The planner's input: its sittings, the panels' breaks, who attends each referral and
        when people are away.

    Notes
    -----
    Sittings are indices into ``problem.sittings`` and referrals into ``problem.referrals``.
    A sitting's breaks and a person's part-day leave are taken when the sitting or the person's
    day is first looked at, so the same minutes are taken whichever is asked for first.
    """

    __slots__ = ("_leave", "_people", "_problem", "_sittings")

    def __init__(self, problem: ProblemData) -> None:
        self._problem = problem
        self._sittings: dict[int, Timeline] = {}
        self._people: dict[tuple[str, date], Timeline] = {}
        self._leave: dict[str, dict[date, list[tuple[int, int]]]] = {}

    def at_sitting(self, sitting: int) -> Timeline:
        """The minutes taken at ``sitting``: its panel's breaks and the slots booked there."""
        taken = self._sittings.get(sitting)
        if taken is None:
            taken = self._sittings[sitting] = Timeline()
            panel = self._problem.authority.panel(self._problem.sittings[sitting].panel)
            for start, end in panel.breaks:
                taken.add(minutes_of(start), minutes_of(end))
        return taken

    def by_person(self, person: str, day: date) -> Timeline:
        """The minutes ``person`` is taken on ``day``: part-day leave and their slots."""
        taken = self._people.get((person, day))
        if taken is None:
            taken = self._people[person, day] = Timeline()
            for first, last in self._part_days(person).get(day, ()):
                taken.add(first, last)
        return taken

    def take(self, referral: int, sitting: int, start: int) -> None:
        """Book ``referral``'s slot from ``start`` (minutes after midnight) at ``sitting``."""
        end = start + self._problem.slot_minutes[referral]
        day = self._problem.sittings[sitting].date
        self.at_sitting(sitting).add(start, end)
        for person in self._problem.referrals[referral].people:
            self.by_person(person, day).add(start, end)

    def first_free(self, referral: int, sitting: int) -> int | None:
        """The earliest start for ``referral``'s slot at ``sitting``, or ``None`` if none fits.

        The slot lies inside the sitting's window and is free at the sitting and for everyone
        who must attend.
        """
        each = self._problem.sittings[sitting]
        open_, close = each.window_minutes
        taken = [self.at_sitting(sitting)] + [
            self.by_person(person, each.date) for person in self._problem.referrals[referral].people
        ]
        return Timeline.first_common_gap(taken, open_, close, self._problem.slot_minutes[referral])

    def _part_days(self, person: str) -> dict[date, list[tuple[int, int]]]:
        """``person``'s part-day leave, day by day (read once per person)."""
        leave = self._leave.get(person)
        if leave is None:
            leave = self._leave[person] = defaultdict(list)
            for period in self._problem.away(person):
                if not period.whole_days:
                    for day, first, last in period.blocks():
                        leave[day].append((first, last))
        return leave


__all__ = ["Occupancy"]
