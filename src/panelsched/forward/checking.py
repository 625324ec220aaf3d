"""``planner validate``: the validator run over the whole store.

Hearings already decided are checked as records of what happened (S1-S14, P1-P19, with every
cell ``decide`` kept); hearings still to be heard are checked as a plan (their bookings, S1-S9,
S14 and the plan's integrity), a waiting hearing counting as unplaced. A sitting cancelled in
the store gives, once its date has passed, a cancelled-sitting record per case that was booked
there (P14), with who agreed and when members were told (the moment of the ``cancel``
command).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from panelsched.core.referrals import Referral
from panelsched.forward.diary import Diary
from panelsched.io.records import RECORD_COLUMNS, Record, Records
from panelsched.validator import Validation, validate
from panelsched.validator.bookings import BookingRow, BookingsFile

_KINDS = {c.name: c.kind for c in RECORD_COLUMNS}
# What the store always knows about a hearing, so these columns are never "absent".
_KNOWN_COLUMNS = frozenset(
    {
        "referral_id",
        "panel",
        "date",
        "outcome",
        "start",
        "end",
        "complex",
        "social_worker",
        "team_manager",
        "submitted",
        "late_permission",
        "cla_review",
        "cp_review",
        "review_by",
        "contract_end",
        "emergency_decision",
        "deadline",
        "child_id",
        "request_type",
    }
)


def decode_cell(name: str, value: Any) -> Any:
    """A record cell kept as JSON, back in its type (by the records column's kind)."""
    kind = _KINDS.get(name, "text")
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "moment":
        return datetime.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "yes/no":
        return bool(value)
    if kind in ("pounds", "number"):
        return Decimal(str(value))
    if kind == "whole number":
        return int(value)
    if kind == "list":
        return tuple(value)
    return str(value)


def store_records(diary: Diary, now: datetime) -> Records:
    """Every decided hearing as a record, and a record per case of each sitting cancelled
    that should have sat by ``now`` (a sitting still ahead has not happened either way)."""
    rows: list[Record] = []
    columns = set(_KNOWN_COLUMNS)
    bookings = {b.hearing_id: b for b in diary.bookings if b.in_force}
    for number, (hearing_id, outcome) in enumerate(sorted(diary.outcomes.items()), start=2):
        hearing = diary.by_id[hearing_id]
        referral = hearing.referral
        booking = bookings.get(hearing_id)
        cells: dict[str, Any] = {
            "complex": referral.complex,
            "social_worker": referral.social_worker,
            "team_manager": referral.team_manager,
            "submitted": referral.submitted,
            "late_permission": referral.late_permission,
            "cla_review": referral.cla_review,
            "cp_review": referral.cp_review,
            "review_by": referral.review_by,
            "contract_end": referral.contract_end,
            "deadline": referral.deadline,
            "child_id": referral.child_id,
            "request_type": referral.request_type,
            "cost": referral.cost,
            # An emergency added as a referral (``planner add``) has no decision recorded
            # apart from its submission, which is the decision (S9); without it S2 would call
            # the planner's own ratification booking a late paper without permission.
            "emergency_decision": hearing.emergency_decision
            or (referral.submitted if referral.priority == "emergency" else None),
            "first_cla_review": hearing.first_cla_review,
        }
        if booking is not None:
            cells["start"], cells["end"] = booking.start, booking.end
        for name, value in outcome.record.items():
            if name in _KINDS:
                # The record's own cell wins, as when the validator joins a referrals file.
                cells[name] = decode_cell(name, value)
                columns.add(name)
        if hearing.first_cla_review is not None:
            columns.add("first_cla_review")
        if referral.cost is not None:
            columns.add("cost")
        rows.append(
            Record(
                referral_id=hearing.referral_id,
                panel=outcome.panel,
                date=outcome.date,
                row=number,
                outcome=outcome.outcome,
                **{k: v for k, v in cells.items() if v is not None},
            )
        )
    number = len(rows) + 2
    cancelled = {c.sitting_id: c for c in diary.changes if c.kind == "cancelled"}
    for booking in diary.bookings:
        change = cancelled.get(booking.sitting_id)
        if change is None or booking.end_reason != "sitting cancelled" or booking.opens > now:
            continue
        hearing = diary.by_id[booking.hearing_id]
        rows.append(
            Record(
                referral_id=hearing.referral_id,
                panel=booking.panel,
                date=booking.date,
                row=number,
                social_worker=hearing.referral.social_worker,
                team_manager=hearing.referral.team_manager,
                sitting_cancelled=True,
                cancellation_agreed_by=change.agreed_by,
                members_notified=change.at,
            )
        )
        number += 1
        columns |= {"sitting_cancelled", "cancellation_agreed_by", "members_notified"}
    return Records("the planner's records", tuple(rows), frozenset(columns))


def store_plan(diary: Diary) -> tuple[BookingsFile | None, list[Referral]]:
    """Hearings still to be heard: their bookings and their referrals (by hearing key)."""
    rows: list[BookingRow] = []
    referrals: list[Referral] = []
    for hearing in diary.hearings:
        if hearing.id in diary.outcomes:
            continue
        referral = diary.planner_referral(hearing)
        referrals.append(referral)
        booking = diary.in_force.get(hearing.id)
        if booking is None:
            continue
        rows.append(
            BookingRow(
                referral_id=referral.referral_id,
                date=booking.date,
                start=booking.start,
                panel=booking.panel,
                end=booking.end,
                social_worker=referral.social_worker,
                team_manager=referral.team_manager,
                submitted=referral.submitted,
                row=len(rows) + 2,
            )
        )
    if not referrals:
        return None, []
    columns = frozenset(
        {"referral_id", "date", "start", "panel", "end", "social_worker", "team_manager"}
        | {"submitted"}
    )
    return BookingsFile("the planner's bookings", tuple(rows), columns), referrals


def validate_store(diary: Diary, now: datetime) -> Validation:
    """Run the validator over everything in the store as of ``now`` (see the module's
    notes)."""
    bookings, referrals = store_plan(diary)
    records = store_records(diary, now)
    return validate(
        diary.authority,
        bookings=bookings,
        referrals=referrals if bookings is not None else None,
        availability=diary.availability,
        records=records if records.rows else None,
    )


__all__ = ["decode_cell", "store_plan", "store_records", "validate_store"]
