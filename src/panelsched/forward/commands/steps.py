"""The steps every changing command shares: the follow-ups it creates, the booking round that
books every waiting hearing and writes what it did, and the report that says who to tell."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from panelsched.core.sittings import sitting_id
from panelsched.forward.booking import BookingRound, Settings, book_waiting
from panelsched.forward.commands.report import FollowUpLine, Notice, Report
from panelsched.forward.diary import Diary
from panelsched.forward.followups import (
    Context,
    FollowUp,
    court_tracking,
)
from panelsched.forward.moves import Movable, Moves
from panelsched.forward.store import Actor, Store

# Each outcome as a sentence says it ("amended from approved to deferred").
OUTCOME_WORDS = {"approve": "approved", "decline": "declined", "defer": "deferred"}

# A command that offers no booking already made an earlier date.
NO_OFFER = Movable()


# Why a booking offered an earlier date (--move-late-only, --move N) was moved, by
# (booked late, one of the others).
_OFFERED = {(True, False): "moved: was booked late", (False, True): "moved: heard sooner"}


def uk_day(day: date) -> str:
    return day.strftime("%a %d/%m/%Y")


def count(number: int, noun: str, plural: str = "") -> str:
    """``1 case``, ``3 cases``: a number with its noun, as a sentence says it."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def sitting_words(diary: Diary, panel: str, day: date) -> str:
    """``the Resource Panel sitting of Thu 04/03/2027``: a sitting as people name it (the id
    ``crp@2027-03-04`` is for files and the command line)."""
    names = {p.id: p.name for p in diary.base.panels}
    return f"the {names.get(panel, panel)} sitting of {uk_day(day)}"


def create_follow_ups(store: Store, follow_ups: Iterable[FollowUp], source: str) -> list[int]:
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


def court_tracking_follow_ups(store: Store, actor: Actor) -> list[int]:
    diary = store.diary()
    found = court_tracking(Context(diary, actor.now), store.known_referrals())
    return create_follow_ups(store, found, "court tracking allocation")


def clashes(diary: Diary, now: datetime) -> list[str]:
    """Bookings ahead that someone who must attend can no longer make (kept as they are).

    Each is a sentence the web shows as it is: the command line adds how to move them.
    """
    found = []
    for hearing_id, booking in sorted(diary.in_force.items(), key=lambda i: (i[1].opens, i[0])):
        if booking.opens <= now or hearing_id in diary.outcomes:
            continue
        for person in diary.by_id[hearing_id].referral.people:
            for away in diary.availability:
                if away.person == person and away.clashes(booking.date, booking.start, booking.end):
                    found.append(
                        f"{diary.keys[hearing_id]} at "
                        f"{sitting_words(diary, booking.panel, booking.date)} "
                        f"{booking.start:%H:%M}: {person} is away; kept as booked"
                    )
                    break
    return found


def book_round(
    store: Store,
    actor: Actor,
    settings: Settings,
    *,
    replan: bool = False,
    release: Collection[int] = (),
    release_reason: str = "",
    offer: Movable = NO_OFFER,
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
            change = f"moved from {uk_day(previous.date)} {previous.start:%H:%M}"
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
        for person in hearing.referral.people:
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
        for person in hearing.referral.people:
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


def command_report(
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
        due = diary.due(hearing)
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
        lines.append(f"Booked {count(booked, 'hearing')}; moved {moved}.")
    if waiting:
        lines.append(
            f"{count(len(waiting), 'hearing')} waiting for a sitting "
            f"({'it is' if len(waiting) == 1 else 'they are'} listed with the coming sittings)."
        )
    return Report(
        command=command,
        lines=tuple(lines),
        notices=tuple(notices),
        follow_ups=tuple(follow_ups),
        unplaced=tuple((diary.keys[h], reason) for h, reason in sorted(unplaced.items())),
        late=late,
        clashes=tuple(clashes(diary, actor.now)),
        moved=moved,
        booked=booked,
    )


def command_name(name: str, moves: Moves, default: Moves) -> str:
    """The command as the store records it: ``extra``, ``add --replan``, ``extra --move 2``."""
    if moves == default:
        return name
    if moves.scope == "all":
        return f"{name} --replan"
    if moves.scope == "none":
        return f"{name}, keeping every booking"
    return f"{name} --move {moves.others}" if moves.others else f"{name} --move-late-only"


def offer_lines(moves: Moves, offer: Movable, round_: BookingRound) -> list[str]:
    """What the cases offered an earlier date did: ``Offered an earlier date to 1 case booked
    late (1 moved); no other booking moved.``"""
    if moves.scope != "late":
        return []
    moved = {
        p.hearing_id for p in round_.placed if p.previous is not None and p.previous.slot != p.slot
    }
    if not offer.late and not moves.others:
        return ["No case was booked late, so no booking moved."]
    line = (
        f"Offered an earlier date to {count(len(offer.late), 'case')} booked late "
        f"({len(moved & set(offer.late))} moved)"
    )
    if moves.others:
        line += (
            f" and to {count(len(offer.others), 'other case')}, at most {moves.others} "
            f"({len(moved & set(offer.others))} moved)"
        )
    return [line + "; no other booking moved."]
