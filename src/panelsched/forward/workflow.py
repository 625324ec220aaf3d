"""The forward planner's commands: init, add, decide, cancel, extra (which change the store)
and show, validate (which read it).

Each changing command is one transaction (:meth:`Store.transaction`): it reads its input
files, records what they say, creates the follow-ups the rules ask for, books every waiting
hearing without moving a booking already made (unless ``replan``), writes the audit trail,
and returns a :class:`Report` saying who must be told of which date and time. Bad input
raises :class:`~panelsched.errors.InputError` before anything is committed.
"""

from __future__ import annotations

import getpass
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from panelsched.calendar import sitting_id
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
from panelsched.forward.store import Actor, Store
from panelsched.inputs import load_availability, load_referrals
from panelsched.model import Authority
from panelsched.referrals import Referral
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
    moved: int = 0
    booked: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


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


def _book(
    store: Store,
    actor: Actor,
    settings: Settings,
    *,
    replan: bool = False,
    release: Collection[int] = (),
    release_reason: str = "",
) -> tuple[BookingRound, list[Notice], int, int]:
    """Book every waiting hearing and write the result; returns the notices, moved, booked."""
    diary = store.diary()
    round_ = book_waiting(diary, actor.now, settings, replan=replan, release=release)
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
        if previous is not None:
            reason = release_reason if hearing.id in release else "replan"
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
            + (f" (was {previous.sitting_id} {previous.start:%H:%M})" if previous else "")
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
        Let the planner move bookings still ahead, too.

    Raises
    ------
    InputError
        A bad file, or a case reference the store already has (file, row and column named).
    """
    settings = settings or Settings()
    detail = f"referrals {Path(referrals).name}" + (
        f", availability {Path(availability).name}" if availability else ""
    )
    with store.transaction(actor, "add --replan" if replan else "add", detail):
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
        tracking = _court_tracking(store, actor)
        round_, notices, moved, booked = _book(store, actor, settings, replan=replan)
        lines = [f"Added {len(loaded)} referral(s) and {new_periods} period(s) away."]
        if tracking:
            lines.append(f"Allocated {len(tracking)} court-tracking slot(s) (S13).")
        return _report("add", store, round_, notices, moved, booked, actor, lines, tracking)


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
) -> tuple[list[Decision], list[Record]]:
    """Each record row's booked hearing, or the row as an emergency decision."""
    booked: dict[tuple[str, str, date], tuple[Hearing, StoredBooking]] = {}
    for hearing_id, booking in diary.in_force.items():
        hearing = diary.by_id[hearing_id]
        booked[(hearing.referral_id, booking.panel, booking.date)] = (hearing, booking)
    known = {h.referral_id for h in diary.hearings}
    problems: list[Problem] = []
    decisions: list[Decision] = []
    emergencies: list[Record] = []

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
            if hearing.id in diary.outcomes:
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
            elif not record.outcome:
                bad(
                    record,
                    "outcome",
                    "the cell is empty; give the panel's decision: approve, decline or defer",
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
    return decisions, emergencies


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
        decisions, emergencies = _match(diary, loaded, actor.now, str(records))
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
        return _report("decide", store, round_, notices, moved, booked, actor, lines, created)


def parse_sitting_id(text: str) -> tuple[str, date]:
    """``lam-crp@2027-03-11`` as a panel id and a date.

    Raises
    ------
    InputError
        Naming the argument when it is not of that form.
    """
    panel, at, day = text.strip().partition("@")
    try:
        if not at or not panel:
            raise ValueError
        return panel, date.fromisoformat(day)
    except ValueError:
        raise InputError.one(
            "SITTING", f"'{text}' is not a sitting; expected one like lam-crp@2027-03-11"
        ) from None


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
    settings: Settings | None = None,
) -> Report:
    """Add an extra sitting and book waiting cases into it (with ``replan``, any case ahead
    may move to it).

    Raises
    ------
    InputError
        An unknown panel, a date already sitting, or a date already past.
    """
    settings = settings or Settings()
    with store.transaction(actor, "extra --replan" if replan else "extra", sitting_id(panel, day)):
        diary = store.diary()
        _known_panel(diary.authority, panel, "PANEL")
        if diary.sitting(panel, day) is not None:
            raise InputError.one("DATE", f"{panel} already sits on {day:%d/%m/%Y}")
        model_panel = diary.authority.panel(panel)
        if datetime.combine(day, model_panel.start) <= actor.now:
            raise InputError.one(
                "DATE", f"{day:%d/%m/%Y} {model_panel.start:%H:%M} is not ahead of now"
            )
        store.add_sitting_change(panel, day, "extra", reason.strip())
        store.audit("extra sitting", sitting_id(panel, day), reason.strip())
        round_, notices, moved, booked = _book(store, actor, settings, replan=replan)
        lines = [f"Added an extra {panel} sitting on {_uk(day)}."]
        return _report("extra", store, round_, notices, moved, booked, actor, lines)


__all__ = [
    "FollowUpLine",
    "Notice",
    "Report",
    "add",
    "cancel",
    "decide",
    "default_user",
    "extra",
    "init",
    "local_now",
    "parse_sitting_id",
]
