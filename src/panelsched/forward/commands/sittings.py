"""``planner cancel``, ``planner extra`` and ``planner reinstate``: a sitting cancelled (its
cases booked elsewhere), an extra one added, or a cancelled one held after all (both offered to
waiting cases and to cases booked late)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from panelsched.core.panels import Authority
from panelsched.core.sittings import cancelled_sittings, sitting_for, sitting_id
from panelsched.core.workdays import WorkingCalendar, working_calendar
from panelsched.errors import InputError, Problem
from panelsched.forward.booking import Settings
from panelsched.forward.commands.report import Report
from panelsched.forward.commands.steps import (
    book_round,
    command_name,
    command_report,
    count,
    offer_lines,
    sitting_words,
    uk_day,
)
from panelsched.forward.diary import Diary
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


class NonWorkingDay(InputError):
    """A sitting asked for on a weekend day or a bank holiday.

    The message says only what the day is; the command line adds how to add it anyway and
    the web words it for its form.

    Attributes
    ----------
    day
        The date asked for.
    what
        What it is: ``a Saturday``, ``a bank holiday (Christmas Day, substitute day)``.
    note
        For a bank holiday falling on a weekend day, which day is the bank holiday for it
        (``Christmas Day; the bank holiday is Monday 27/12/2027``); empty otherwise.
    """

    def __init__(self, argument: str, day: date, what: str, note: str = "") -> None:
        self.day = day
        self.what = what
        self.note = note
        self.sentence = f"{day:%d/%m/%Y} is {what}, not a working day" + (
            f" ({note})" if note else ""
        )
        super().__init__([Problem(argument, self.sentence)])


def _holiday_words(name: str) -> str:
    # The holidays library names a bank holiday moved off a weekend "Christmas Day (observed)";
    # GOV.UK calls it a substitute day.
    return name.replace(" (observed)", ", substitute day")


def _observed_on(workdays: WorkingCalendar, day: date, name: str) -> date | None:
    """The weekday the bank holiday for ``name`` (falling on weekend ``day``) is taken."""
    for ahead in range(1, 4):
        later = day + timedelta(days=ahead)
        found = workdays.holiday_name(later)
        if found is not None and found.startswith(name) and found != name:
            return later
    return None


def not_working(authority: Authority, day: date, argument: str = "DATE") -> NonWorkingDay | None:
    """Why ``day`` is no working day, as the error to raise; ``None`` on a working day.

    A weekend day is a weekend day even when a holiday's date falls on it: the bank holiday
    is then the substitute weekday, which is named.
    """
    workdays = working_calendar(authority.holidays)
    holiday = workdays.holiday_name(day)
    if day.weekday() >= 5:
        note = ""
        if holiday is not None and "(observed)" not in holiday:
            observed = _observed_on(workdays, day, holiday)
            note = holiday + (f"; the bank holiday is {observed:%A %d/%m/%Y}" if observed else "")
        return NonWorkingDay(argument, day, f"a {day:%A}", note)
    if holiday is not None:
        return NonWorkingDay(argument, day, f"a bank holiday ({_holiday_words(holiday)})")
    return None


def _panel_name(diary: Diary, panel: str) -> str:
    return diary.authority.panel(panel).name or panel


def _cancellation(diary: Diary, panel: str, day: date) -> str | None:
    """Why ``panel``'s sitting on ``day`` is cancelled (its reason, possibly empty), or
    ``None`` when no sitting of it was cancelled that day."""
    latest = [c for c in diary.changes if c.panel == panel and c.date == day]
    if latest and latest[-1].kind == "cancelled":
        return latest[-1].reason
    if latest and latest[-1].kind in ("extra", "reinstated"):
        return None
    if any(s.panel == panel for s in cancelled_sittings(diary.authority, day, day)):
        return "in the model file"
    return None


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
        name = _panel_name(diary, panel)
        if found is None:
            gone = _cancellation(diary, panel, day)
            raise InputError.one(
                "SITTING",
                f"the {name} sitting of {day:%d/%m/%Y} is already cancelled"
                + (f" ({gone})" if gone else "")
                if gone is not None
                else f"the {name} does not sit on {day:%d/%m/%Y}",
            )
        if found.opens <= actor.now:
            raise InputError.one(
                "SITTING",
                f"the {name} sitting of {day:%d/%m/%Y} opened at {found.start:%H:%M}; only a "
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
        lines = [
            f"Cancelled {sitting_words(diary, panel, day)}: "
            + (
                f"{count(len(affected), 'booked case')} to move."
                if affected
                else "no case was booked there."
            )
        ]
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
        An unknown panel, a date already sitting, cancelled (:func:`reinstate` it instead) or
        already past; :class:`NonWorkingDay` for a weekend day or bank holiday without
        ``allow_non_working_day``.
    """
    settings = settings or Settings()
    moves = REPLAN if replan else moves
    with store.transaction(actor, command_name("extra", moves, LATE_ONLY), sitting_id(panel, day)):
        diary = store.diary()
        known_panel(diary.authority, panel, "PANEL")
        name = _panel_name(diary, panel)
        if diary.sitting(panel, day) is not None:
            raise InputError.one("DATE", f"the {name} already sits on {day:%d/%m/%Y}")
        model_panel = diary.authority.panel(panel)
        if datetime.combine(day, model_panel.start) <= actor.now:
            raise InputError.one(
                "DATE", f"{day:%d/%m/%Y} {model_panel.start:%H:%M} is not ahead of now"
            )
        gone = _cancellation(diary, panel, day)
        if gone is not None:
            # Adding it back as an extra sitting would hide that it was cancelled and held
            # after all: reinstating is its own action, shown wherever the sitting is.
            raise InputError.one(
                "DATE",
                f"the {name} sitting of {day:%d/%m/%Y} was cancelled"
                + (f" ({gone})" if gone else "")
                + "; reinstate it instead",
            )
        refused = not_working(diary.authority, day)
        closed = ""
        if refused is not None:
            # "Sat 06/03/2027, a Saturday" says nothing: a weekend day is called one.
            closed = "a weekend day" if day.weekday() >= 5 else refused.what
            closed += f" ({refused.note})" if refused.note else ""
        if refused is not None and not allow_non_working_day:
            raise refused
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
            f"Added an extra sitting of the {name} on {uk_day(day)}"
            + (f", {closed}." if closed else ".")
        ]
        lines += offer_lines(moves, offer, round_)
        return command_report("extra", store, round_, notices, moved, booked, actor, lines)


def reinstate(
    store: Store,
    actor: Actor,
    panel: str,
    day: date,
    *,
    reason: str,
    agreed_by: str = "",
    moves: Moves = LATE_ONLY,
    settings: Settings | None = None,
) -> Report:
    """Hold a cancelled sitting after all; book waiting cases into it and offer it to cases
    booked late, as :func:`extra` does.

    The sitting comes back as it was (a regular one with its usual cut-off, or the extra
    sitting that was cancelled), marked reinstated with ``reason`` wherever it is shown. The
    cases moved off it when it was cancelled keep their new bookings unless they are late.

    Parameters
    ----------
    store, actor
        The planner and who runs the command when.
    panel, day
        The panel and the date of the cancelled sitting.
    reason
        Why it is held after all: shown with the sitting and kept in the audit trail.
    agreed_by
        Who agreed (the chair, vice-chair or Head of Service), for the audit trail.
    moves
        Which bookings already made may move (:mod:`panelsched.forward.moves`).

    Raises
    ------
    InputError
        An unknown panel, no reason, a sitting that is not cancelled or is already past.
    """
    settings = settings or Settings()
    with store.transaction(
        actor, command_name("reinstate", moves, LATE_ONLY), sitting_id(panel, day)
    ):
        diary = store.diary()
        known_panel(diary.authority, panel, "PANEL")
        name = _panel_name(diary, panel)
        if not reason.strip():
            raise InputError.one("--reason", "give the reason the sitting is held after all")
        if diary.sitting(panel, day) is not None:
            raise InputError.one("DATE", f"the {name} sitting of {day:%d/%m/%Y} is not cancelled")
        if _cancellation(diary, panel, day) is None:
            raise InputError.one(
                "DATE",
                f"the {name} had no sitting on {day:%d/%m/%Y} to reinstate; add an extra "
                "sitting instead",
            )
        model_panel = diary.authority.panel(panel)
        workdays = working_calendar(diary.authority.holidays)
        opens = sitting_for(model_panel, day, "", workdays).opens
        if opens <= actor.now:
            raise InputError.one(
                "DATE",
                f"the {name} sitting of {day:%d/%m/%Y} would have opened at {opens:%H:%M}; only "
                "a sitting still ahead can be reinstated",
            )
        store.add_sitting_change(panel, day, "reinstated", reason.strip(), agreed_by.strip())
        store.audit(
            "sitting reinstated",
            sitting_id(panel, day),
            reason.strip() + (f" (agreed by {agreed_by.strip()})" if agreed_by.strip() else ""),
        )
        offer = movable(store.diary(), actor.now, moves)
        round_, notices, moved, booked = book_round(
            store, actor, settings, replan=moves.scope == "all", offer=offer
        )
        lines = [f"Reinstated {sitting_words(diary, panel, day)}: {reason.strip()}."]
        lines += offer_lines(moves, offer, round_)
        return command_report("reinstate", store, round_, notices, moved, booked, actor, lines)
