"""Making room for a statutory follow-up booked after its due date.

A deferral (S10) or an emergency decision's ratification (S9) must come back by a date; when
every sitting before it is full of routine cases, the booking round puts it after its due
date. The result page then offers to make room: move the fewest routine cases (first hearings
of a case, no rule behind them) out of one sitting in time, each to another sitting still in
time for it, and book the follow-up in the room they leave.

:func:`room_plan` chooses the cases; :func:`make_room` frees them and the follow-up and runs
one booking round (the workflow's own, :func:`~panelsched.forward.commands.steps.book_round`),
so the planner places them, the audit trail names each move, and the report lists who must be
told. The browser tries it on a copy of the diary first and shows what would move; ``planner
make-room`` does it from the command line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from panelsched.core.panels import minutes_of
from panelsched.core.timeslots import minute_to_time
from panelsched.errors import InputError
from panelsched.forward.booking import Placement, Settings
from panelsched.forward.commands.report import FollowUpLine, Notice, Report
from panelsched.forward.commands.steps import book_round, command_report
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.forward.moves import booked_ahead
from panelsched.forward.store import Actor, Store
from panelsched.planner.problem import build_problem

# Why the moved bookings moved, in the audit trail and the notices.
REASON = "moved to make room for a follow-up due sooner"


@dataclass(frozen=True, slots=True)
class Into:
    """A follow-up put straight into the slot a routine case leaves."""

    hearing_id: int
    panel: str
    date: dt.date
    start: time
    end: time
    due: dt.date | None


@dataclass(frozen=True, slots=True)
class RoomPlan:
    """What making room would free.

    Attributes
    ----------
    follow_ups
        Follow-ups booked late for which room was found (hearing ids).
    routine
        Routine bookings to move out of the way (hearing ids), fewest first.
    stuck
        Follow-ups booked late with no sitting in time that room could be made at (keys).
    """

    follow_ups: tuple[int, ...] = ()
    routine: tuple[int, ...] = ()
    stuck: tuple[str, ...] = ()
    into: tuple[Into, ...] = ()

    @property
    def released(self) -> tuple[int, ...]:
        """Follow-ups the booking round places itself (there was free time in time)."""
        placed = {i.hearing_id for i in self.into}
        return tuple(h for h in self.follow_ups if h not in placed)


def room_plan(diary: Diary, now: datetime, keys: Collection[str] = ()) -> RoomPlan:
    """The fewest routine bookings to move so each follow-up booked late (those of ``keys``,
    or every one when empty) can be booked in time.

    A follow-up gets the earliest sitting in time that has room once routine cases leave it;
    a routine case leaves only when another sitting still in time for it has room for its
    slot, so nobody is made late to put somebody else on time. The longest routine slots go
    first (fewest cases moved), then those with most time to spare.
    """
    booked = booked_ahead(diary, now)
    if not booked:
        return RoomPlan()
    problem = build_problem(
        diary.authority,
        [diary.planner_referral(h) for h, _ in booked],
        diary.availability,
        start=now.date(),
        end=max(b.date for _, b in booked) + timedelta(weeks=8),
    )
    index = problem.referral_index()
    at = problem.sitting_index()
    used: dict[tuple[str, date], int] = defaultdict(int)
    for b in diary.in_force.values():
        used[(b.panel, b.date)] += minutes_of(b.end) - minutes_of(b.start)
    by_sitting: dict[tuple[str, date], list[tuple[Hearing, StoredBooking]]] = defaultdict(list)
    for hearing, booking in booked:
        by_sitting[(booking.panel, booking.date)].append((hearing, booking))

    def in_time_elsewhere(i: int, not_at: int, need: int) -> int | None:
        for s in problem.candidates[i]:
            sitting = problem.sittings[s]
            if s == not_at or sitting.opens <= now or problem.is_late(i, s):
                continue
            if sitting.capacity_minutes - used[(sitting.panel, sitting.date)] >= need:
                return s
        return None

    late = [
        (hearing, booking)
        for hearing, booking in booked
        if hearing.rule
        and (not keys or diary.keys[hearing.id] in keys)
        and booking.sitting_id in at
        and problem.is_late(index[diary.keys[hearing.id]], at[booking.sitting_id])
    ]
    late.sort(key=lambda hb: (problem.due_date(index[diary.keys[hb[0].id]]) or date.max, hb[0].id))
    chosen: list[int] = []
    moving: list[int] = []
    into: list[Into] = []
    stuck: list[str] = []
    for hearing, booking in late:
        i = index[diary.keys[hearing.id]]
        need = problem.slot_minutes[i]
        placed = False
        for s in problem.candidates[i]:
            sitting = problem.sittings[s]
            if sitting.opens <= now or problem.is_late(i, s) or sitting.date >= booking.date:
                continue
            key = (sitting.panel, sitting.date)
            free = sitting.capacity_minutes - used[key]
            leaving: list[tuple[int, int, int]] = []  # (hearing id, minutes, sitting it goes to)
            others = sorted(
                (
                    (h, b)
                    for h, b in by_sitting[key]
                    if not h.rule and h.id not in moving and h.id not in chosen
                ),
                key=lambda hb: (
                    -(minutes_of(hb[1].end) - minutes_of(hb[1].start)),
                    -(
                        (problem.due_date(index[diary.keys[hb[0].id]]) or date.max) - sitting.date
                    ).days,
                    hb[0].id,
                ),
            )
            for h, b in others:
                if free >= need:
                    break
                length = minutes_of(b.end) - minutes_of(b.start)
                if not leaving and length < need:
                    continue  # the follow-up goes into the first slot left: it must fit
                j = index[diary.keys[h.id]]
                to = in_time_elsewhere(j, s, problem.slot_minutes[j])
                if to is None:
                    continue
                target = problem.sittings[to]
                used[(target.panel, target.date)] += problem.slot_minutes[j]
                leaving.append((h.id, length, to))
                free += length
            if free >= need:
                if leaving:
                    # The follow-up takes the first slot left, so the planner cannot put the
                    # routine case straight back: the round then books only the routine ones.
                    first = next(b for h, b in others if h.id == leaving[0][0])
                    begin = minutes_of(first.start)
                    into.append(
                        Into(
                            hearing.id,
                            sitting.panel,
                            sitting.date,
                            first.start,
                            minute_to_time(begin + need),
                            problem.due_date(i),
                        )
                    )
                moving += [h for h, _, _ in leaving]
                used[key] += need - sum(length for _, length, _ in leaving)
                used[(booking.panel, booking.date)] -= need
                chosen.append(hearing.id)
                placed = True
                break
            for gone, _, to in leaving:  # not enough room here: give back what was reserved
                target = problem.sittings[to]
                used[(target.panel, target.date)] -= problem.slot_minutes[index[diary.keys[gone]]]
        if not placed:
            stuck.append(diary.keys[hearing.id])
    return RoomPlan(tuple(chosen), tuple(moving), tuple(stuck), tuple(into))


def make_room(
    store: Store,
    actor: Actor,
    keys: Collection[str],
    *,
    settings: Settings | None = None,
) -> Report:
    """Move the fewest routine cases so the follow-ups ``keys`` booked late are booked in time.

    Parameters
    ----------
    keys
        The follow-ups' keys (``R-7#2``), as the result page or ``planner show`` lists them.

    Raises
    ------
    InputError
        When no routine case can make room (nothing is changed).
    """
    settings = settings or Settings()
    with store.transaction(actor, "make room", ", ".join(sorted(keys))):
        diary = store.diary()
        plan = room_plan(diary, actor.now, keys)
        if not plan.follow_ups and not plan.stuck:
            raise InputError.one(
                "room",
                f"{', '.join(sorted(keys)) or 'No follow-up'} is no longer booked after its due "
                "date; nothing needs to move.",
            )
        if not plan.follow_ups:
            raise InputError.one(
                "room",
                "No sitting in time has routine cases that could move to another sitting in "
                "time for them; nothing was changed. An extra sitting before the due date "
                "would make room.",
            )
        names = {p.id: p.name for p in diary.authority.panels}
        direct_notices: list[Notice] = []
        direct_lines: list[FollowUpLine] = []
        for put in plan.into:
            hearing = diary.by_id[put.hearing_id]
            old = diary.in_force[put.hearing_id]
            key = diary.keys[put.hearing_id]
            store.end_booking(old.id, REASON)
            store.book(put.hearing_id, put.panel, put.date, put.start, put.end)
            store.audit(
                "booking moved",
                key,
                f"{put.panel} {put.date:%d/%m/%Y} {put.start:%H:%M}-{put.end:%H:%M} (was "
                f"{old.date:%d/%m/%Y} {old.start:%H:%M}; {REASON})",
            )
            change = f"moved from {old.date:%a %d/%m/%Y} {old.start:%H:%M}"
            direct_notices += [
                Notice(
                    person,
                    key,
                    hearing.kind_words,
                    put.panel,
                    names[put.panel],
                    put.date,
                    put.start,
                    put.end,
                    change,
                )
                for person in hearing.referral.people
            ]
            direct_lines.append(
                FollowUpLine(
                    rule=hearing.rule,
                    key=key,
                    kind=hearing.kind_words,
                    panel=hearing.panel,
                    due=put.due,
                    due_note=hearing.due_note,
                    booked=Placement(
                        put.hearing_id, put.panel, put.date, put.start, put.end, previous=old
                    ),
                )
            )
        round_, notices, moved, booked = book_round(
            store, actor, settings, release=(*plan.released, *plan.routine), release_reason=REASON
        )
        count = len(plan.routine)
        lines = [
            f"Moved {count} routine case{'s' if count != 1 else ''} to make room for "
            f"{len(plan.follow_ups)} follow-up{'s' if len(plan.follow_ups) != 1 else ''} "
            "due sooner."
        ]
        if plan.stuck:
            lines.append(f"No room could be made for {', '.join(plan.stuck)}.")
        report = command_report(
            "make room",
            store,
            round_,
            notices,
            moved,
            booked,
            actor,
            lines,
            follow_up_ids=plan.released,
        )
        every = sorted(
            (*report.notices, *direct_notices), key=lambda n: (n.person, n.date, n.start, n.key)
        )
        return replace(
            report,
            notices=tuple(every),
            follow_ups=(*direct_lines, *report.follow_ups),
            moved=report.moved + len(plan.into),
        )


__all__ = ["REASON", "RoomPlan", "make_room", "room_plan"]
