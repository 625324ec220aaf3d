"""``planner decide``: what panels decided recorded, and the follow-ups the rules ask for
booked at once; an emergency decision taken between sittings books its ratification (S9)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from panelsched.core.referrals import Referral
from panelsched.core.sittings import decision_moment
from panelsched.errors import InputError, Problem
from panelsched.forward.booking import Settings
from panelsched.forward.commands.report import Report
from panelsched.forward.commands.steps import (
    book_round,
    command_report,
    count,
    court_tracking_follow_ups,
    create_follow_ups,
)
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.forward.followups import (
    Context,
    Decision,
    decision_follow_ups,
    ratification,
)
from panelsched.forward.store import Actor, Store
from panelsched.io.records import Record, Records

# Record cells kept with an outcome: every column but the ones that say which hearing it is.
_KEY_COLUMNS = ("referral_id", "panel", "date", "outcome", "locality")


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
    records: Records,
    *,
    settings: Settings | None = None,
) -> Report:
    """Record what panels decided and book the follow-ups the rules ask for, at once.

    Each row of ``records`` (the validator's records format, docs/validator.md, read by
    :mod:`panelsched.io.records` with the store's model; ``records.file`` names it) names a
    booked hearing by ``referral_id, panel, date`` and gives its ``outcome``; the cells the
    follow-ups read are ``review_date`` and ``approval_end`` (S7), ``first_cla_review``
    (S11), ``still_neet`` (S12), and ``social_worker`` / ``team_manager`` when they changed. A
    row that matches no booking but gives ``emergency_decision`` records an emergency decision
    taken between sittings (dated the day it was taken) and books its ratification (S9).

    Raises
    ------
    InputError
        A row matching no booking, a sitting that has not happened yet, an outcome already
        recorded or missing (file, row and column named).
    """
    settings = settings or Settings()
    loaded = records
    with store.transaction(actor, "decide", f"records {Path(records.file).name}"):
        diary = store.diary()
        decisions, emergencies, undecided = _match(diary, loaded, actor.now, records.file)
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
        created = create_follow_ups(store, follow_ups, "emergency decision")
        created += court_tracking_follow_ups(store, actor)
        round_, notices, moved, booked = book_round(store, actor, settings)
        counts = {
            o: sum(d.outcome == o for d in decisions) for o in ("approve", "decline", "defer")
        }
        lines = [
            f"Recorded {count(len(decisions), 'outcome')}: {counts['approve']} approved, "
            f"{counts['decline']} declined, {counts['defer']} deferred; "
            f"{count(len(emergencies), 'emergency decision')}.",
            f"Created {count(len(created), 'follow-up')}.",
        ]
        if undecided:
            keys = ", ".join(f"{r.referral_id} ({r.panel} {r.date:%d/%m/%Y})" for r in undecided)
            lines.append(
                f"Skipped {count(len(undecided), 'row')} with no outcome, not decided yet: {keys}."
            )
        report = command_report(
            "decide", store, round_, notices, moved, booked, actor, lines, created
        )
        warnings = _decision_warnings(decisions, undecided, loaded.columns)
        return replace(report, warnings=tuple(warnings))
