"""``planner add``: new referrals (and who is away) recorded and booked without moving a
booking already made, unless the command allows it (:mod:`panelsched.forward.moves`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from panelsched.core.availability import Unavailability
from panelsched.core.quorum import inquorate_sittings
from panelsched.core.referrals import Referral
from panelsched.errors import InputError, Problem
from panelsched.forward.booking import Settings
from panelsched.forward.commands.report import Report
from panelsched.forward.commands.steps import (
    book_round,
    command_name,
    command_report,
    court_tracking_follow_ups,
    offer_lines,
    sitting_words,
)
from panelsched.forward.diary import Diary
from panelsched.forward.moves import KEEP, REPLAN, Moves, movable
from panelsched.forward.store import Actor, Store
from panelsched.io.identifiers import known_problem
from panelsched.io.plausible import referral_warnings


def refuse_known(store: Store, referrals: Iterable[Referral], file: str) -> None:
    """Refuse referrals whose case reference the planner already has.

    :func:`add` checks it too; an edge calls it before reading the availability file, so a
    clash is reported before any problem in that file, as when ``add`` read both.

    Case references are compared as a person reads them, capitals aside: ``r-1`` is the
    planner's ``R-1``.

    Raises
    ------
    InputError
        Naming ``file``, the row and the ``referral_id`` column of each clash.
    """
    known = {reference.casefold(): reference for reference in store.known_referrals()}
    clashing = [
        Problem(
            file,
            known_problem(r.referral_id, known[r.referral_id.casefold()]),
            row=r.row,
            column="referral_id",
        )
        for r in referrals
        if r.referral_id.casefold() in known
    ]
    if clashing:
        raise InputError(clashing)


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
    lines = []
    for sitting, why in inquorate_sittings(after.authority, ahead, periods).items():
        if sitting in was:
            continue
        # Named as people name it: the id (crp@2027-03-11) is for files and the command line.
        panel, _, day = sitting.partition("@")
        words = sitting_words(after, panel, date.fromisoformat(day))
        kept = _kept(booked[sitting]) if booked.get(sitting) else ""
        lines.append(f"At risk: {words} {why}{kept}.")
    return lines


def _kept(count: int) -> str:
    # Read on the command line and in the browser alike: no option names, no "case(s)".
    cases = "1 case booked there stays" if count == 1 else f"{count} cases booked there stay"
    return f"; {cases} unless bookings already made are let move"


def add(
    store: Store,
    actor: Actor,
    referrals: Sequence[Referral],
    availability: Sequence[Unavailability] = (),
    *,
    referrals_file: str,
    availability_file: str = "",
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
        The referrals, read from ``referrals_file`` (:func:`~panelsched.io.inputs.load_referrals`
        with the store's model); every case reference must be new.
    availability
        Periods people are away, added to those already known.
    referrals_file, availability_file
        The files they were read from, as given, for messages and the audit trail (no
        ``availability_file``: none was given).
    settings
        How the planner is run.
    replan
        Let the planner move bookings still ahead, too (the same as ``moves=REPLAN``).
    moves
        Which bookings already made may move (:mod:`panelsched.forward.moves`): by default
        none; ``LATE_ONLY`` offers earlier dates to cases booked late, ``Moves("late",
        others=N)`` to N others too.

    Raises
    ------
    InputError
        A case reference the store already has (file, row and column named).
    """
    settings = settings or Settings()
    moves = REPLAN if replan else moves
    loaded, periods = referrals, availability
    detail = f"referrals {Path(referrals_file).name}" + (
        f", availability {Path(availability_file).name}" if availability_file else ""
    )
    with store.transaction(actor, command_name("add", moves, KEEP), detail):
        diary = store.diary()
        refuse_known(store, loaded, referrals_file)
        for referral in loaded:
            store.add_referral(
                referral.referral_id, f"referrals file {Path(referrals_file).name}", referral.row
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
        tracking = court_tracking_follow_ups(store, actor)
        offer = movable(store.diary(), actor.now, moves)
        round_, notices, moved, booked = book_round(
            store, actor, settings, replan=moves.scope == "all", offer=offer
        )
        added = f"{len(loaded)} referral{'' if len(loaded) == 1 else 's'}"
        away = f"{new_periods} period{'' if new_periods == 1 else 's'} away"
        lines = [f"Added {added} and {away}.", *at_risk]
        if tracking:
            slots = f"{len(tracking)} court-tracking slot{'' if len(tracking) == 1 else 's'}"
            lines.append(f"Allocated {slots} (S13).")
        lines += offer_lines(moves, offer, round_)
        report = command_report(
            "add", store, round_, notices, moved, booked, actor, lines, tracking
        )
        unusual = referral_warnings(loaded, diary.authority, actor.now, referrals_file)
        # The counts and the warnings as found, for a page that words them itself (a
        # preview says what "will" be added).
        counts = {"referrals": len(loaded), "away": new_periods, "warnings": unusual}
        return replace(
            report, warnings=tuple(str(w) for w in unusual), extra={**report.extra, **counts}
        )
