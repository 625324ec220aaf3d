"""``planner cancel`` and ``planner extra``: a sitting cancelled (its cases booked elsewhere)
or an extra one added (offered to waiting cases and to cases booked late)."""

from __future__ import annotations

from datetime import date, datetime

from panelsched.core.panels import Authority
from panelsched.core.sittings import sitting_id
from panelsched.core.workdays import working_calendar
from panelsched.errors import InputError
from panelsched.forward.booking import Settings
from panelsched.forward.commands.report import Report
from panelsched.forward.commands.steps import (
    book_round,
    command_name,
    command_report,
    offer_lines,
    uk_day,
)
from panelsched.forward.moves import LATE_ONLY, REPLAN, Moves, movable
from panelsched.forward.store import Actor, Store
from panelsched.io.cells import argument_date


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


def known_panel(authority: Authority, panel: str, argument: str) -> None:
    if panel not in authority.panel_ids:
        raise InputError.one(
            argument, f"unknown panel '{panel}'; known: {', '.join(authority.panel_ids)}"
        )


def _not_working(authority: Authority, day: date) -> str:
    """``a bank holiday (Spring Bank Holiday)`` or ``a weekend day``; empty on a working day."""
    workdays = working_calendar(authority.holidays)
    holiday = workdays.holiday_name(day)
    if holiday is not None:
        return f"a bank holiday ({holiday})"
    return "" if workdays.is_working_day(day) else "a weekend day"


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
        known_panel(diary.authority, panel, "SITTING")
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
        round_, notices, moved, booked = book_round(
            store, actor, settings, release=affected, release_reason="sitting cancelled"
        )
        lines = [f"Cancelled {found.id}: {len(affected)} booked case(s) to move."]
        return command_report("cancel", store, round_, notices, moved, booked, actor, lines)


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
        Which bookings already made may move (:mod:`panelsched.forward.moves`): by default
        the cases booked after their due date; ``Moves("late", others=N)`` offers it to N
        others too, ``KEEP`` to nobody already booked.
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
    with store.transaction(actor, command_name("extra", moves, LATE_ONLY), sitting_id(panel, day)):
        diary = store.diary()
        known_panel(diary.authority, panel, "PANEL")
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
        round_, notices, moved, booked = book_round(
            store, actor, settings, replan=moves.scope == "all", offer=offer
        )
        lines = [
            f"Added an extra {panel} sitting on {uk_day(day)}" + (f", {closed}." if closed else ".")
        ]
        lines += offer_lines(moves, offer, round_)
        return command_report("extra", store, round_, notices, moved, booked, actor, lines)
