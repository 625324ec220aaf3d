"""The forward planner's commands: init, add, decide, cancel, extra, and the corrections amend
and remove-extra (which change the store).

Each changing command is one transaction (:meth:`Store.transaction`): it reads its input
files, records what they say, creates the follow-ups the rules ask for, books every waiting
hearing without moving a booking already made (unless ``replan``), writes the audit trail,
and returns a :class:`Report` saying who must be told of which date and time. Bad input
raises :class:`~panelsched.errors.InputError` before anything is committed.
"""

from __future__ import annotations

import getpass
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from panelsched.core.panels import Authority
from panelsched.core.quorum import inquorate_sittings
from panelsched.core.referrals import Referral
from panelsched.core.sittings import sitting_id
from panelsched.core.workdays import working_calendar
from panelsched.errors import InputError, Problem
from panelsched.forward.booking import BookingRound, Placement, Settings, book_waiting
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.forward.followups import (
    Context,
    Decision,
    FollowUp,
    court_tracking,
    decision_follow_ups,
    decision_moment,
    ratification,
)
from panelsched.forward.moves import KEEP, LATE_ONLY, REPLAN, Movable, Moves, movable
from panelsched.forward.store import Actor, Store
from panelsched.io.inputs import load_availability, load_referrals
from panelsched.io.tabular import argument_date
from panelsched.validator.records import Record, Records, load_records

# Record cells kept with an outcome: every column but the ones that say which hearing it is.
_KEY_COLUMNS = ("referral_id", "panel", "date", "outcome", "locality")


def local_now(authority: Authority) -> datetime:
    """The computer's clock as the authority's local wall-clock time, to the minute."""
    return datetime.now(authority.zone).replace(tzinfo=None, second=0, microsecond=0)


def default_user() -> str:
    """The operating-system user, for the audit trail's *who*."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True, slots=True)
class Notice:
    """Someone to tell: a case they present or attend is booked, moved, or off an agenda."""

    person: str
    key: str
    kind: str
    panel: str
    panel_name: str
    date: date
    start: time
    end: time
    change: str


@dataclass(frozen=True, slots=True)
class FollowUpLine:
    """A follow-up created by this command, and where it was booked."""

    rule: str
    key: str
    kind: str
    panel: str
    due: date | None
    due_note: str
    booked: Placement | None
    late_reason: str = ""
    unplaced_reason: str = ""


@dataclass(frozen=True)
class Report:
    """What a command did."""

    command: str
    lines: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    follow_ups: tuple[FollowUpLine, ...] = ()
    unplaced: tuple[tuple[str, str], ...] = ()
    late: tuple[tuple[str, str], ...] = ()
    clashes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    moved: int = 0
    booked: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# A command that offers no booking already made an earlier date.
_NO_OFFER = Movable()
# Why a booking offered an earlier date (--move-late-only, --move N) was moved, by
# (booked late, one of the others).
_OFFERED = {(True, False): "moved: was booked late", (False, True): "moved: heard sooner"}

# --------------------------------------------------------------------------- shared steps


def _uk(day: date) -> str:
    return day.strftime("%a %d/%m/%Y")


def _people(referral: Referral) -> tuple[str, ...]:
    return referral.people


def _create_follow_ups(store: Store, follow_ups: Iterable[FollowUp], source: str) -> list[int]:
    """Write each follow-up as a hearing (and a referral when the case is new)."""
    known = store.known_referrals()
    created = []
    for follow_up in follow_ups:
        if follow_up.referral_id not in known:
            store.add_referral(follow_up.referral_id, source, None)
            known[follow_up.referral_id] = store.command_id
        hearing_id = store.add_hearing(
            follow_up.referral,
            referral_id=follow_up.referral_id,
            kind=follow_up.kind,
            rule=follow_up.rule,
            origin_id=follow_up.origin_id,
            first_cla_review=follow_up.first_cla_review,
            emergency_decision=follow_up.emergency_decision,
            due_note=follow_up.due_note,
        )
        created.append(hearing_id)
        due = f"; due {follow_up.due.isoformat()}" if follow_up.due else ""
        store.audit(
            "follow-up created",
            follow_up.referral_id,
            f"{follow_up.rule} {follow_up.kind} at {follow_up.referral.panel}: "
            f"{follow_up.due_note}{due}",
        )
    return created


def _court_tracking(store: Store, actor: Actor) -> list[int]:
    diary = store.diary()
    found = court_tracking(Context(diary, actor.now), store.known_referrals())
    return _create_follow_ups(store, found, "court tracking allocation")


def _clashes(diary: Diary, now: datetime) -> list[str]:
    """Bookings ahead that someone who must attend can no longer make (kept as they are)."""
    found = []
    for hearing_id, booking in sorted(diary.in_force.items(), key=lambda i: (i[1].opens, i[0])):
        if booking.opens <= now or hearing_id in diary.outcomes:
            continue
        for person in diary.by_id[hearing_id].referral.people:
            for away in diary.availability:
                if away.person == person and away.clashes(booking.date, booking.start, booking.end):
                    found.append(
                        f"{diary.keys[hearing_id]} at {booking.sitting_id} "
                        f"{booking.start:%H:%M}: {person} is away; kept as booked "
                        "(use --replan to move it)"
                    )
                    break
    return found


def _at_risk(before: Diary, after: Diary, now: datetime) -> list[str]:
    """Sittings ahead that were quorate before the leave just added and are not now."""
    periods = after.availability
    if not periods or all(p.quorum is None for p in after.authority.panels):
        return []
    last = max(p.end.date() for p in periods)
    if last < now.date():
        return []
    ahead = [s for s in after.sittings(now.date(), last) if s.opens > now]
    was = inquorate_sittings(before.authority, ahead, before.availability)
    booked: dict[str, int] = {}
    for hearing_id, booking in after.in_force.items():
        if hearing_id not in after.outcomes:
            booked[booking.sitting_id] = booked.get(booking.sitting_id, 0) + 1
    return [
        f"At risk: {sitting} {why}"
        + (
            f"; its {booked[sitting]} booked case(s) are kept (use --replan to move them)"
            if booked.get(sitting)
            else ""
        )
        + "."
        for sitting, why in inquorate_sittings(after.authority, ahead, periods).items()
        if sitting not in was
    ]


def _book(
    store: Store,
    actor: Actor,
    settings: Settings,
    *,
    replan: bool = False,
    release: Collection[int] = (),
    release_reason: str = "",
    offer: Movable = _NO_OFFER,
) -> tuple[BookingRound, list[Notice], int, int]:
    """Book every waiting hearing and write the result; returns the notices, moved, booked.

    ``offer`` names bookings offered an earlier date (:func:`~panelsched.forward.moves.movable`).
    """
    diary = store.diary()
    round_ = book_waiting(
        diary, actor.now, settings, replan=replan, release=release, movable=offer.hearing_ids
    )
    names = {p.id: p.name for p in diary.authority.panels}
    notices: list[Notice] = []
    moved = booked = 0
    placed_ids = set()
    for placement in round_.placed:
        placed_ids.add(placement.hearing_id)
        previous = placement.previous
        if previous is not None and previous.slot == placement.slot:
            continue  # freed by --replan and put back where it was: nothing changes
        hearing = diary.by_id[placement.hearing_id]
        key = diary.keys[hearing.id]
        reason = ""
        if previous is not None:
            reason = (
                release_reason
                if hearing.id in release
                else _OFFERED.get((hearing.id in offer.late, hearing.id in offer.others), "replan")
            )
            store.end_booking(previous.id, reason)
            change = f"moved from {_uk(previous.date)} {previous.start:%H:%M}"
            moved += 1
        else:
            change = "booked"
            booked += 1
        store.book(hearing.id, placement.panel, placement.date, placement.start, placement.end)
        late = f"; late: {placement.late_reason}" if placement.late_reason else ""
        store.audit(
            "booking moved" if previous is not None else "booked",
            key,
            f"{sitting_id(placement.panel, placement.date)} "
            f"{placement.start:%H:%M}-{placement.end:%H:%M}"
            + (f" (was {previous.sitting_id} {previous.start:%H:%M}; {reason})" if previous else "")
            + late,
        )
        for person in _people(hearing.referral):
            notices.append(
                Notice(
                    person,
                    key,
                    hearing.kind_words,
                    placement.panel,
                    names[placement.panel],
                    placement.date,
                    placement.start,
                    placement.end,
                    change,
                )
            )
    for hearing_id in release:
        previous = diary.in_force.get(hearing_id)
        if hearing_id in placed_ids or previous is None:
            continue
        hearing = diary.by_id[hearing_id]
        store.end_booking(previous.id, release_reason)
        store.audit(
            "booking cancelled",
            diary.keys[hearing_id],
            f"{previous.sitting_id} {previous.start:%H:%M}: {release_reason}; waiting for a "
            "sitting",
        )
        for person in _people(hearing.referral):
            notices.append(
                Notice(
                    person,
                    diary.keys[hearing_id],
                    hearing.kind_words,
                    previous.panel,
                    names.get(previous.panel, previous.panel),
                    previous.date,
                    previous.start,
                    previous.end,
                    f"{release_reason}; not booked again yet",
                )
            )
    notices.sort(key=lambda n: (n.person, n.date, n.start, n.key))
    return round_, notices, moved, booked


def _report(
    command: str,
    store: Store,
    round_: BookingRound,
    notices: list[Notice],
    moved: int,
    booked: int,
    actor: Actor,
    lines: list[str],
    follow_up_ids: Sequence[int] = (),
) -> Report:
    diary = store.diary()
    placed = {p.hearing_id: p for p in round_.placed}
    unplaced = {u.hearing_id: u.reason for u in round_.unplaced}
    follow_ups = []
    for hearing_id in follow_up_ids:
        hearing = diary.by_id[hearing_id]
        due = diary.authority.due(hearing.referral)
        placement = placed.get(hearing_id)
        follow_ups.append(
            FollowUpLine(
                rule=hearing.rule,
                key=diary.keys[hearing_id],
                kind=hearing.kind_words,
                panel=hearing.panel,
                due=due.date if due is not None else None,
                due_note=hearing.due_note,
                booked=placement,
                late_reason=placement.late_reason if placement else "",
                unplaced_reason=unplaced.get(hearing_id, ""),
            )
        )
    late = tuple((diary.keys[p.hearing_id], p.late_reason) for p in round_.placed if p.late_reason)
    waiting = diary.waiting()
    if booked or moved:
        lines.append(f"Booked {booked} hearing(s); moved {moved}.")
    if waiting:
        lines.append(f"{len(waiting)} hearing(s) waiting for a sitting (see `planner show`).")
    return Report(
        command=command,
        lines=tuple(lines),
        notices=tuple(notices),
        follow_ups=tuple(follow_ups),
        unplaced=tuple((diary.keys[h], reason) for h, reason in sorted(unplaced.items())),
        late=late,
        clashes=tuple(_clashes(diary, actor.now)),
        moved=moved,
        booked=booked,
    )


def _command(name: str, moves: Moves, default: Moves) -> str:
    """The command as the store records it: ``extra``, ``add --replan``, ``extra --move 2``."""
    if moves == default:
        return name
    if moves.scope == "all":
        return f"{name} --replan"
    if moves.scope == "none":
        return f"{name}, keeping every booking"
    return f"{name} --move {moves.others}" if moves.others else f"{name} --move-late-only"


def _offer_lines(moves: Moves, offer: Movable, round_: BookingRound) -> list[str]:
    """What the cases offered an earlier date did: ``Offered an earlier date to 1 case booked
    late (1 moved); no other booking moved.``"""
    if moves.scope != "late":
        return []
    moved = {
        p.hearing_id for p in round_.placed if p.previous is not None and p.previous.slot != p.slot
    }
    line = (
        f"Offered an earlier date to {len(offer.late)} case(s) booked late "
        f"({len(moved & set(offer.late))} moved)"
    )
    if moves.others:
        line += (
            f" and to {len(offer.others)} other(s), at most {moves.others} "
            f"({len(moved & set(offer.others))} moved)"
        )
    return [line + "; no other booking moved."]


def _not_working(authority: Authority, day: date) -> str:
    """``a bank holiday (Spring Bank Holiday)`` or ``a weekend day``; empty on a working day."""
    workdays = working_calendar(authority.holidays)
    holiday = workdays.holiday_name(day)
    if holiday is not None:
        return f"a bank holiday ({holiday})"
    return "" if workdays.is_working_day(day) else "a weekend day"


# --------------------------------------------------------------------------- commands


def init(path: str | Path, model: str | Path, actor: Actor) -> Report:
    """Start a planner at ``path`` with ``model`` in force.

    Raises
    ------
    InputError
        When ``path`` exists or the model cannot be read.
    """
    with Store.create(path, model, actor) as store:
        authority = store.model()
        return Report(
            "init",
            lines=(
                f"Started a forward planner for {authority.authority} in {path} "
                f"({len(authority.panels)} panels).",
            ),
        )


def add(
    store: Store,
    actor: Actor,
    referrals: str | Path,
    availability: str | Path | None = None,
    *,
    settings: Settings | None = None,
    replan: bool = False,
    moves: Moves = KEEP,
) -> Report:
    """Import new referrals (and who is away) and book them without moving earlier bookings.

    Parameters
    ----------
    store, actor
        The planner and who runs the command when.
    referrals
        The referrals file (the planner's format); every case reference must be new.
    availability
        Periods people are away, added to those already known.
    settings
        How the planner is run.
    replan
        Let the planner move bookings still ahead, too (the same as ``moves=REPLAN``).
    moves
        Which bookings already made may move (:mod:`.moves`): by default none; ``LATE_ONLY``
        offers earlier dates to cases booked late, ``Moves("late", others=N)`` to N others
        too.

    Raises
    ------
    InputError
        A bad file, or a case reference the store already has (file, row and column named).
    """
    settings = settings or Settings()
    moves = REPLAN if replan else moves
    detail = f"referrals {Path(referrals).name}" + (
        f", availability {Path(availability).name}" if availability else ""
    )
    with store.transaction(actor, _command("add", moves, KEEP), detail):
        diary = store.diary()
        loaded = load_referrals(referrals, diary.authority)
        known = store.known_referrals()
        clashing = [
            Problem(
                str(referrals),
                f"'{r.referral_id}' is already in the planner; give each new referral a new "
                "case reference",
                row=r.row,
                column="referral_id",
            )
            for r in loaded
            if r.referral_id in known
        ]
        if clashing:
            raise InputError(clashing)
        periods = load_availability(availability) if availability else ()
        for referral in loaded:
            store.add_referral(
                referral.referral_id, f"referrals file {Path(referrals).name}", referral.row
            )
            store.add_hearing(
                referral,
                referral_id=referral.referral_id,
                kind="referral",
                due_note=due.reason if (due := diary.authority.due(referral)) else "",
            )
            store.audit(
                "referral added",
                referral.referral_id,
                f"for {referral.panel}, submitted {referral.submitted:%Y-%m-%d %H:%M}",
            )
        new_periods = 0
        for period in periods:
            if store.add_availability(period):
                new_periods += 1
                store.audit(
                    "away",
                    period.person,
                    f"{period.start:%Y-%m-%d %H:%M} to {period.end:%Y-%m-%d %H:%M}"
                    + (" (whole days)" if period.whole_days else ""),
                )
        at_risk = _at_risk(diary, store.diary(), actor.now)
        tracking = _court_tracking(store, actor)
        offer = movable(store.diary(), actor.now, moves)
        round_, notices, moved, booked = _book(
            store, actor, settings, replan=moves.scope == "all", offer=offer
        )
        lines = [f"Added {len(loaded)} referral(s) and {new_periods} period(s) away.", *at_risk]
        if tracking:
            lines.append(f"Allocated {len(tracking)} court-tracking slot(s) (S13).")
        lines += _offer_lines(moves, offer, round_)
        report = _report("add", store, round_, notices, moved, booked, actor, lines, tracking)
        ahead = [
            f"{referrals}, row {r.row}: '{r.referral_id}' was submitted "
            f"{r.submitted:%d/%m/%Y %H:%M}, after now ({actor.now:%d/%m/%Y %H:%M}); check the "
            "date: it cannot be heard at a sitting before it"
            for r in loaded
            if r.submitted > actor.now
        ]
        return replace(report, warnings=tuple(ahead))


def _record_cells(record: Record, columns: Collection[str]) -> dict[str, Any]:
    """The record's cells worth keeping: present, not blank, not the hearing's key."""
    kept = {}
    for name in sorted(columns):
        if name in _KEY_COLUMNS or not hasattr(record, name):
            continue
        value = getattr(record, name)
        if value is None or value == "" or value == ():
            continue
        kept[name] = value
    return kept


def _match(
    diary: Diary, records: Records, now: datetime, file: str
) -> tuple[list[Decision], list[Record], list[Record]]:
    """Each record row's booked hearing, or the row as an emergency decision; and the rows of
    booked hearings whose outcome is blank (not decided yet), which are skipped."""
    booked: dict[tuple[str, str, date], tuple[Hearing, StoredBooking]] = {}
    for hearing_id, booking in diary.in_force.items():
        hearing = diary.by_id[hearing_id]
        booked[(hearing.referral_id, booking.panel, booking.date)] = (hearing, booking)
    known = {h.referral_id for h in diary.hearings}
    problems: list[Problem] = []
    decisions: list[Decision] = []
    emergencies: list[Record] = []
    undecided: list[Record] = []

    def bad(record: Record, column: str, message: str) -> None:
        problems.append(Problem(file, message, row=record.row, column=column))

    for record in records.rows:
        where = f"{record.panel} on {record.date:%d/%m/%Y}"
        if record.sitting_cancelled:
            bad(
                record,
                "sitting_cancelled",
                "record a cancelled sitting with `panelsched planner cancel`, not here",
            )
            continue
        found = booked.get((record.referral_id, record.panel, record.date))
        if found is not None:
            hearing, booking = found
            opens = datetime.combine(booking.date, booking.start)
            if not record.outcome:
                # A row left blank is a case not decided yet: it waits for a later file.
                undecided.append(record)
            elif hearing.id in diary.outcomes:
                done = diary.outcomes[hearing.id]
                bad(
                    record,
                    "referral_id",
                    f"'{record.referral_id}' at {where} was already recorded "
                    f"({done.outcome}) on {done.decided_at:%d/%m/%Y %H:%M} by {done.decided_by}",
                )
            elif opens > now:
                bad(
                    record,
                    "date",
                    f"'{record.referral_id}' is booked at {where} {booking.start:%H:%M}, which "
                    f"has not happened yet (now {now:%d/%m/%Y %H:%M})",
                )
            else:
                decisions.append(Decision(hearing, record.outcome, record))
            continue
        if record.emergency_decision is not None:
            taken = record.emergency_decision
            if taken.date() != record.date:
                bad(
                    record,
                    "date",
                    f"an emergency decision's row is dated the day it was taken, "
                    f"{taken:%d/%m/%Y}, not {record.date:%d/%m/%Y}",
                )
            elif taken > now:
                bad(
                    record,
                    "emergency_decision",
                    f"{taken:%d/%m/%Y %H:%M} is after now ({now:%d/%m/%Y %H:%M})",
                )
            elif record.referral_id not in known and not (
                record.social_worker and record.team_manager
            ):
                missing = "social_worker" if not record.social_worker else "team_manager"
                bad(
                    record,
                    missing,
                    f"'{record.referral_id}' is new to the planner: name who presents the "
                    "ratification (social_worker and team_manager)",
                )
            else:
                emergencies.append(record)
            continue
        if record.referral_id not in known:
            bad(record, "referral_id", f"'{record.referral_id}' is not in the planner")
            continue
        elsewhere = sorted(
            f"{b.panel} on {b.date:%d/%m/%Y}"
            for (ref, _, _), (_, b) in booked.items()
            if ref == record.referral_id
        )
        hint = f"; it is booked at {', '.join(elsewhere)}" if elsewhere else "; it has no booking"
        bad(record, "date", f"'{record.referral_id}' was not booked at {where}{hint}")
    if problems:
        raise InputError(problems)
    return decisions, emergencies, undecided


def _decision_warnings(
    decisions: Iterable[Decision], undecided: Iterable[Record], columns: Collection[str]
) -> list[str]:
    """What ``decide`` accepted but a person should look at: an approval with no review date
    books no review (S7), a deferral with no reason breaks P16, and a row with other cells but
    no outcome was skipped whole."""
    found = []
    for decision in decisions:
        record = decision.record
        where = f"{record.referral_id} at {record.panel} on {record.date:%d/%m/%Y}"
        undated = record.review_date is None and record.approval_end is None
        if decision.outcome == "approve" and undated:
            found.append(f"{where}: approved with no review date, so no review is booked (S7)")
        if decision.outcome == "defer" and not record.deferral_reason:
            found.append(f"{where}: deferred with no reason recorded (P16)")
    for record in undecided:
        if _record_cells(record, columns):
            found.append(
                f"{record.referral_id} at {record.panel} on {record.date:%d/%m/%Y}: no "
                "outcome, so the row was skipped as not decided yet, its other cells too"
            )
    return found


def _emergency_referral(diary: Diary, record: Record) -> Referral:
    """Who presents a ratification: the record's SW and TM, else the case's latest hearing."""
    earlier = [h for h in diary.hearings if h.referral_id == record.referral_id]
    if earlier:
        base = earlier[-1].referral
        return Referral(
            referral_id=record.referral_id,
            panel=record.panel,
            submitted=base.submitted,
            social_worker=record.social_worker or base.social_worker,
            team_manager=record.team_manager or base.team_manager,
            child_id=record.child_id or base.child_id,
            request_type=record.request_type or base.request_type,
            complex=bool(record.complex) if record.complex is not None else base.complex,
            attendees=base.attendees,
            cost=record.cost if record.cost is not None else base.cost,
        )
    return Referral(
        referral_id=record.referral_id,
        panel=record.panel,
        submitted=datetime.combine(record.date, time()),
        social_worker=record.social_worker,
        team_manager=record.team_manager,
        child_id=record.child_id,
        request_type=record.request_type,
        complex=bool(record.complex),
        cost=record.cost,
    )


def decide(
    store: Store,
    actor: Actor,
    records: str | Path,
    *,
    settings: Settings | None = None,
) -> Report:
    """Record what panels decided and book the follow-ups the rules ask for, at once.

    Each row of ``records`` (the validator's records format, docs/validator.md) names a
    booked hearing by ``referral_id, panel, date`` and gives its ``outcome``; the cells the
    follow-ups read are ``review_date`` and ``approval_end`` (S7), ``first_cla_review``
    (S11), ``still_neet`` (S12), and ``social_worker`` / ``team_manager`` when they changed. A
    row that matches no booking but gives ``emergency_decision`` records an emergency decision
    taken between sittings (dated the day it was taken) and books its ratification (S9).

    Raises
    ------
    InputError
        A bad file, a row matching no booking, a sitting that has not happened yet, an outcome
        already recorded or missing (file, row and column named).
    """
    settings = settings or Settings()
    with store.transaction(actor, "decide", f"records {Path(records).name}"):
        diary = store.diary()
        loaded = load_records(records, diary.authority)
        decisions, emergencies, undecided = _match(diary, loaded, actor.now, str(records))
        for decision in decisions:
            record = decision.record
            store.add_outcome(
                decision.hearing.id,
                record.panel,
                record.date,
                decision.outcome,
                _record_cells(record, loaded.columns),
            )
            store.audit(
                "outcome recorded",
                diary.keys[decision.hearing.id],
                f"{decision.outcome} at {record.sitting_id}",
            )
        ctx = Context(store.diary(), actor.now)
        follow_ups = decision_follow_ups(decisions, ctx)
        for record in emergencies:
            assert record.emergency_decision is not None
            follow_ups.append(ratification(record, _emergency_referral(diary, record), ctx))
            store.audit(
                "emergency decision",
                record.referral_id,
                f"{record.outcome or 'decision'} at {record.panel} "
                f"{decision_moment(record.emergency_decision):%Y-%m-%d %H:%M}",
            )
        created = _create_follow_ups(store, follow_ups, "emergency decision")
        created += _court_tracking(store, actor)
        round_, notices, moved, booked = _book(store, actor, settings)
        counts = {
            o: sum(d.outcome == o for d in decisions) for o in ("approve", "decline", "defer")
        }
        lines = [
            f"Recorded {len(decisions)} outcome(s): {counts['approve']} approved, "
            f"{counts['decline']} declined, {counts['defer']} deferred; "
            f"{len(emergencies)} emergency decision(s).",
            f"Created {len(created)} follow-up(s).",
        ]
        if undecided:
            keys = ", ".join(f"{r.referral_id} ({r.panel} {r.date:%d/%m/%Y})" for r in undecided)
            lines.append(
                f"Skipped {len(undecided)} row(s) with no outcome, not decided yet: {keys}."
            )
        report = _report("decide", store, round_, notices, moved, booked, actor, lines, created)
        warnings = _decision_warnings(decisions, undecided, loaded.columns)
        return replace(report, warnings=tuple(warnings))


def parse_sitting_id(text: str) -> tuple[str, date]:
    """``lam-crp@2027-03-11`` or ``lam-crp@11/03/2027`` as a panel id and a date.

    Raises
    ------
    InputError
        Naming the argument when it is not of that form or its date is not a date.
    """
    panel, at, day = text.strip().partition("@")
    expected = f"'{text}' is not a sitting; expected one like lam-crp@11/03/2027"
    if not at or not panel.strip() or not day.strip():
        raise InputError.one("SITTING", expected)
    try:
        return panel.strip(), argument_date(day, "SITTING")
    except InputError as exc:
        raise InputError.one("SITTING", f"{expected} ({exc.problems[0].message})") from None


def _known_panel(authority: Authority, panel: str, argument: str) -> None:
    if panel not in authority.panel_ids:
        raise InputError.one(
            argument, f"unknown panel '{panel}'; known: {', '.join(authority.panel_ids)}"
        )


def cancel(
    store: Store,
    actor: Actor,
    sitting: str,
    reason: str,
    *,
    agreed_by: str = "",
    settings: Settings | None = None,
) -> Report:
    """Cancel a sitting still ahead and book its cases elsewhere; list who moves.

    ``agreed_by`` (the chair, vice-chair or Head of Service, P14) is kept for the validator.

    Raises
    ------
    InputError
        A sitting that is not in the calendar or has already opened, or no reason.
    """
    settings = settings or Settings()
    panel, day = parse_sitting_id(sitting)
    if not reason.strip():
        raise InputError.one("--reason", "give the reason the sitting is cancelled")
    with store.transaction(actor, "cancel", sitting_id(panel, day)):
        diary = store.diary()
        _known_panel(diary.authority, panel, "SITTING")
        found = diary.sitting(panel, day)
        if found is None:
            raise InputError.one("SITTING", f"{panel} does not sit on {day:%d/%m/%Y}")
        if found.opens <= actor.now:
            raise InputError.one(
                "SITTING",
                f"the {panel} sitting on {day:%d/%m/%Y} opened at {found.start:%H:%M}; only a "
                "sitting still ahead can be cancelled",
            )
        affected = [h for h, b in diary.in_force.items() if b.panel == panel and b.date == day]
        store.add_sitting_change(panel, day, "cancelled", reason.strip(), agreed_by.strip())
        store.audit(
            "sitting cancelled",
            found.id,
            reason.strip() + (f" (agreed by {agreed_by.strip()})" if agreed_by.strip() else ""),
        )
        round_, notices, moved, booked = _book(
            store, actor, settings, release=affected, release_reason="sitting cancelled"
        )
        lines = [f"Cancelled {found.id}: {len(affected)} booked case(s) to move."]
        return _report("cancel", store, round_, notices, moved, booked, actor, lines)


def extra(
    store: Store,
    actor: Actor,
    panel: str,
    day: date,
    *,
    reason: str = "",
    replan: bool = False,
    moves: Moves = LATE_ONLY,
    allow_non_working_day: bool = False,
    settings: Settings | None = None,
) -> Report:
    """Add an extra sitting, book waiting cases into it and offer it to cases booked late.

    Parameters
    ----------
    store, actor
        The planner and who runs the command when.
    panel, day
        The panel and the date it sits extra.
    reason
        Why, for the audit trail.
    replan
        Any booking ahead may move (the same as ``moves=REPLAN``).
    moves
        Which bookings already made may move (:mod:`.moves`): by default the cases booked
        after their due date; ``Moves("late", others=N)`` offers it to N others too, ``KEEP``
        to nobody already booked.
    allow_non_working_day
        Accept a weekend day or a bank holiday (refused otherwise, naming the holiday).

    Raises
    ------
    InputError
        An unknown panel, a date already sitting or already past, or a weekend day or bank
        holiday without ``allow_non_working_day``.
    """
    settings = settings or Settings()
    moves = REPLAN if replan else moves
    with store.transaction(actor, _command("extra", moves, LATE_ONLY), sitting_id(panel, day)):
        diary = store.diary()
        _known_panel(diary.authority, panel, "PANEL")
        if diary.sitting(panel, day) is not None:
            raise InputError.one("DATE", f"{panel} already sits on {day:%d/%m/%Y}")
        model_panel = diary.authority.panel(panel)
        if datetime.combine(day, model_panel.start) <= actor.now:
            raise InputError.one(
                "DATE", f"{day:%d/%m/%Y} {model_panel.start:%H:%M} is not ahead of now"
            )
        closed = _not_working(diary.authority, day)
        if closed and not allow_non_working_day:
            raise InputError.one(
                "DATE",
                f"{day:%A %d/%m/%Y} is {closed}; give --allow-non-working-day to add a sitting "
                "on it anyway",
            )
        store.add_sitting_change(panel, day, "extra", reason.strip())
        store.audit(
            "extra sitting",
            sitting_id(panel, day),
            "; ".join(t for t in (reason.strip(), closed and f"on {closed}") if t),
        )
        offer = movable(store.diary(), actor.now, moves)
        round_, notices, moved, booked = _book(
            store, actor, settings, replan=moves.scope == "all", offer=offer
        )
        lines = [
            f"Added an extra {panel} sitting on {_uk(day)}" + (f", {closed}." if closed else ".")
        ]
        lines += _offer_lines(moves, offer, round_)
        return _report("extra", store, round_, notices, moved, booked, actor, lines)


# --------------------------------------------------------------------------- corrections

# Follow-ups compared by what they ask for: the same rule, panel and dates is the same hearing.
_SAME_FIELDS = ("panel", "deadline", "review_by", "not_before", "social_worker", "team_manager")


def _asks(rule: str, kind: str, referral: Referral) -> tuple[object, ...]:
    return (rule, kind, *(getattr(referral, name) for name in _SAME_FIELDS))


def _heard(diary: Diary, hearing: Hearing, now: datetime) -> bool:
    """Decided, or booked at a slot that has started."""
    booking = diary.in_force.get(hearing.id)
    return hearing.id in diary.outcomes or (booking is not None and booking.opens <= now)


def _withdraw(
    store: Store, diary: Diary, hearing: Hearing, why: str, names: dict[str, str]
) -> list[Notice]:
    """Withdraw a follow-up not yet heard: its booking ends, its people are told."""
    key = diary.keys[hearing.id]
    notices = []
    booking = diary.in_force.get(hearing.id)
    if booking is not None:
        store.end_booking(booking.id, "follow-up withdrawn")
        notices = [
            Notice(
                person,
                key,
                hearing.kind_words,
                booking.panel,
                names.get(booking.panel, booking.panel),
                booking.date,
                booking.start,
                booking.end,
                f"off the agenda: {why}",
            )
            for person in _people(hearing.referral)
        ]
    store.withdraw_hearing(hearing.id, why)
    where = f" (was booked at {booking.sitting_id} {booking.start:%H:%M})" if booking else ""
    store.audit("follow-up withdrawn", key, f"{hearing.rule} {hearing.kind}: {why}{where}")
    return notices


def amend(
    store: Store,
    actor: Actor,
    hearing_key: str,
    outcome: str,
    *,
    reason: str,
    cells: dict[str, date | str] | None = None,
    settings: Settings | None = None,
) -> Report:
    """Correct a recorded outcome and re-derive its follow-ups.

    The follow-ups the old outcome asked for that have not been heard yet are withdrawn (their
    people told), unless the new outcome asks for the same hearing, which then stays as
    booked; the new outcome's other follow-ups are made and booked at once. A follow-up
    already heard stays as it is.

    Parameters
    ----------
    store, actor
        The planner and who corrects it when.
    hearing_key
        The hearing as outputs name it: ``R-1`` or ``R-1#2``.
    outcome
        ``approve``, ``decline`` or ``defer``.
    reason
        Why the record was wrong, for the audit trail.
    cells
        Record cells to set with it (``review_date``, ``approval_end`` as dates,
        ``deferral_reason`` as text); the other cells recorded stay.
    settings
        How the planner is run.

    Raises
    ------
    InputError
        An unknown hearing, one with no outcome yet, an outcome not one of the three, no
        reason, or nothing to change.
    """
    from panelsched.forward.checking import decode_cell
    from panelsched.validator.records import OUTCOMES

    settings = settings or Settings()
    key = hearing_key.strip()
    if outcome not in OUTCOMES:
        raise InputError.one("--outcome", f"'{outcome}' is not {', '.join(OUTCOMES)}")
    if not reason.strip():
        raise InputError.one("--reason", "give the reason the recorded outcome was wrong")
    with store.transaction(actor, "amend", f"{key} to {outcome}"):
        diary = store.diary()
        hearing = diary.by_key.get(key)
        if hearing is None:
            raise InputError.one("HEARING", f"'{key}' is not a hearing in the planner")
        old = diary.outcomes.get(hearing.id)
        if old is None:
            raise InputError.one(
                "HEARING", f"'{key}' has no outcome recorded; record it with `planner decide`"
            )
        given = {k: v.isoformat() if isinstance(v, date) else v for k, v in (cells or {}).items()}
        kept = {**old.record, **given}
        if outcome == old.outcome and kept == old.record:
            raise InputError.one(
                "--outcome", f"'{key}' is already recorded as {outcome}, with the same details"
            )
        record = Record(
            referral_id=hearing.referral_id,
            panel=old.panel,
            date=old.date,
            outcome=outcome,
            **{name: decode_cell(name, value) for name, value in kept.items()},
        )
        names = {p.id: p.name for p in diary.authority.panels}
        followers = [h for h in diary.hearings if h.origin_id == hearing.id]
        pending = [h for h in followers if not _heard(diary, h, actor.now)]
        # The follow-ups as if the old outcome had asked for none still to be heard.
        hidden = {h.id for h in pending}
        view = replace(diary, hearings=tuple(h for h in diary.hearings if h.id not in hidden))
        asked = decision_follow_ups([Decision(hearing, outcome, record)], Context(view, actor.now))
        still = {_asks(f.rule, f.kind, f.referral): f for f in asked}
        notices: list[Notice] = []
        why = f"the outcome of {key} was corrected to {outcome}"
        for follower in pending:
            if still.pop(_asks(follower.rule, follower.kind, follower.referral), None) is None:
                notices += _withdraw(store, diary, follower, why, names)
        store.amend_outcome(hearing.id, outcome, kept)
        changed = ", ".join(f"{k} {v}" for k, v in sorted(given.items()) if old.record.get(k) != v)
        store.audit(
            "outcome amended",
            key,
            f"{old.outcome} to {outcome} at {sitting_id(old.panel, old.date)}"
            + (f" ({changed})" if changed else "")
            + f": {reason.strip()}",
        )
        created = _create_follow_ups(store, still.values(), "amended outcome")
        round_, booked_notices, moved, booked = _book(store, actor, settings)
        notices = sorted(notices + booked_notices, key=lambda n: (n.person, n.date, n.start, n.key))
        withdrawn = len(pending) - (len(asked) - len(still))
        lines = [
            f"Amended {key} at {sitting_id(old.panel, old.date)} from {old.outcome} to {outcome}.",
            f"Withdrew {withdrawn} follow-up(s) not yet heard; kept "
            f"{len(pending) - withdrawn}; created {len(created)}.",
        ]
        lines += [
            f"{diary.keys[h.id]} ({h.rule}) was already heard: left as it is."
            for h in followers
            if h.id not in hidden
        ]
        return _report("amend", store, round_, notices, moved, booked, actor, lines, created)


def remove_extra(
    store: Store,
    actor: Actor,
    sitting: str,
    *,
    reason: str = "added by mistake",
    settings: Settings | None = None,
) -> Report:
    """Remove an extra sitting added by mistake, as if it had never been added: it is not
    shown as cancelled anywhere. Its cases are booked elsewhere and their people told.

    Raises
    ------
    InputError
        A sitting that is not an extra one added in the planner, or one that has opened.
    """
    settings = settings or Settings()
    panel, day = parse_sitting_id(sitting)
    with store.transaction(actor, "remove-extra", sitting_id(panel, day)):
        diary = store.diary()
        _known_panel(diary.authority, panel, "SITTING")
        changes = [c for c in diary.changes if c.panel == panel and c.date == day]
        if not changes or changes[-1].kind != "extra":
            if day in diary.base.panel(panel).extra:
                hint = "the model adds it (its `extra:` list): edit the model instead"
            elif diary.sitting(panel, day) is not None:
                hint = "it is a regular sitting: use `planner cancel` instead"
            else:
                hint = "there is no such sitting"
            raise InputError.one(
                "SITTING",
                f"{panel} on {day:%d/%m/%Y} is not an extra sitting added in the planner; {hint}",
            )
        found = diary.sitting(panel, day)
        if found is not None and found.opens <= actor.now:
            raise InputError.one(
                "SITTING",
                f"the {panel} sitting on {day:%d/%m/%Y} opened at {found.start:%H:%M}; record "
                "what it decided instead",
            )
        affected = [h for h, b in diary.in_force.items() if b.panel == panel and b.date == day]
        store.remove_extra_sitting(panel, day)
        store.audit("extra sitting removed", sitting_id(panel, day), reason.strip())
        round_, notices, moved, booked = _book(
            store, actor, settings, release=affected, release_reason="extra sitting removed"
        )
        lines = [
            f"Removed the extra {panel} sitting on {_uk(day)}: {len(affected)} booked case(s) "
            "to move."
        ]
        return _report("remove-extra", store, round_, notices, moved, booked, actor, lines)


__all__ = [
    "FollowUpLine",
    "Notice",
    "Report",
    "add",
    "amend",
    "cancel",
    "decide",
    "default_user",
    "extra",
    "init",
    "local_now",
    "parse_sitting_id",
    "remove_extra",
]
