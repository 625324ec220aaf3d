"""The corrections: ``planner amend`` puts right a recorded outcome and re-derives its
follow-ups; ``planner remove-extra`` removes an extra sitting added by mistake, as if it had
never been added."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from panelsched.core.referrals import Referral
from panelsched.core.sittings import sitting_id
from panelsched.errors import InputError
from panelsched.forward.booking import Settings
from panelsched.forward.commands.report import Notice, Report
from panelsched.forward.commands.sittings import known_panel, parse_sitting_id
from panelsched.forward.commands.steps import (
    OUTCOME_WORDS,
    book_round,
    command_report,
    count,
    create_follow_ups,
    sitting_words,
    uk_day,
)
from panelsched.forward.diary import Diary, Hearing
from panelsched.forward.followups import (
    Context,
    Decision,
    decision_follow_ups,
)
from panelsched.forward.store import Actor, Store
from panelsched.io.records import OUTCOMES, Record

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
            for person in hearing.referral.people
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
        created = create_follow_ups(store, still.values(), "amended outcome")
        round_, booked_notices, moved, booked = book_round(store, actor, settings)
        notices = sorted(notices + booked_notices, key=lambda n: (n.person, n.date, n.start, n.key))
        withdrawn = len(pending) - (len(asked) - len(still))
        lines = [
            f"Amended {key} at {sitting_words(diary, old.panel, old.date)} from "
            f"{OUTCOME_WORDS.get(old.outcome, old.outcome)} to "
            f"{OUTCOME_WORDS.get(outcome, outcome)}.",
            f"Withdrew {count(withdrawn, 'follow-up')} not yet heard; kept "
            f"{len(pending) - withdrawn}; created {len(created)}.",
        ]
        lines += [
            f"{diary.keys[h.id]} ({h.rule}) was already heard: left as it is."
            for h in followers
            if h.id not in hidden
        ]
        return command_report("amend", store, round_, notices, moved, booked, actor, lines, created)


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
        known_panel(diary.authority, panel, "SITTING")
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
        round_, notices, moved, booked = book_round(
            store, actor, settings, release=affected, release_reason="extra sitting removed"
        )
        lines = [
            f"Removed the extra sitting of the {diary.authority.panel(panel).name or panel} on "
            f"{uk_day(day)}: "
            + (
                f"{count(len(affected), 'booked case')} to move."
                if affected
                else "no case was booked there."
            )
        ]
        return command_report("remove-extra", store, round_, notices, moved, booked, actor, lines)
