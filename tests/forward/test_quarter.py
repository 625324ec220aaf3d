"""A quarter of a real-looking year, played week by week through add and decide.

Lambeth's model (with six safeguarding team managers listed for Court Tracking, S13), the
synthetic generator's referrals for January to March 2027 and everyone's leave. Each Monday
at 08:00 the administrator records last week's outcomes (``decide``, with deferrals,
approvals with review dates, first CLA reviews, young people still NEET and the odd weekend
emergency decision), then imports the referrals that arrived in the week (``add``). On the
way a sitting is cancelled, an extra one added, one week is replanned and one ``decide``
crashes half-way.

Checked after every command: no booking moved except by ``--replan``, a cancelled sitting,
or an extra sitting offered to the cases booked late (each then to an earlier date). Checked
at the end: every follow-up the rules ask for was booked by the command that created it, in
time by the rule, or else no sitting in time could have taken it (an independent check
against the bookings the command left); a crash left the file as it was; the validator finds
no broken scheduling rule in the bookings.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

import panelsched.forward.commands.steps as steps
from panelsched.core.panels import minutes_of
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.core.timeslots import Timeline
from panelsched.exports.input_files import availability_row, referral_row
from panelsched.forward import (
    Actor,
    Settings,
    Store,
    cancel,
    extra,
    init,
    validate_store,
)
from panelsched.forward.diary import Diary, Hearing, StoredBooking, effective_authority
from panelsched.forward.followups import REVIEW_WINDOW_DAYS, add_months
from panelsched.io.model_file import read_model_file
from panelsched.synthetic import generate_instance
from tests.helpers.forward import add_file, decide_file, write_rows

ROOT = Path(__file__).resolve().parents[2]
START = date(2027, 1, 4)  # a Monday
WEEKS = 13
TMS = [f"TM-{n:02d}" for n in range(1, 7)]
SETTINGS = Settings(time_limit=1.0)


@dataclass
class Play:
    """The store, and what each command was, by command id."""

    store: Store
    kinds: dict[int, str]

    def last_command(self) -> int:
        return self.store.commands()[-1][0]


def _model(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "models/lambeth.yaml").read_text(encoding="utf-8"))
    for panel in data["panels"]:
        if panel["id"] == "lam-ctp":
            panel["rules"]["safeguarding_team_managers"] = TMS
    path = tmp_path / "lambeth.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _monday(week: int) -> datetime:
    return datetime.combine(START + timedelta(weeks=week), time(8, 0))


def _in_force(diary: Diary) -> dict[int, tuple[str, date, time, time]]:
    return {h: b.slot for h, b in diary.in_force.items()}


def _step(play: Play, kind: str, command: object) -> None:
    before = _in_force(play.store.diary())
    command()  # type: ignore[operator]
    play.kinds[play.last_command()] = kind
    diary = play.store.diary()
    after = _in_force(diary)
    allowed = {
        "replan": {"replan"},
        "cancel": {"sitting cancelled"},
        "extra": {"moved: was booked late"},
    }.get(kind, set())
    ended = {b.hearing_id: b for b in diary.bookings if b.ended_command_id == play.last_command()}
    for hearing_id, slot in before.items():
        if after.get(hearing_id) == slot:
            continue
        # A booking changed: only a replan or a cancelled sitting may do that, and the old
        # booking stays in the history with the reason.
        assert hearing_id in ended, f"{diary.keys[hearing_id]} lost its booking in {kind}"
        assert ended[hearing_id].end_reason in allowed, (
            f"{diary.keys[hearing_id]} moved by {kind}: {ended[hearing_id].end_reason}"
        )
        if kind == "extra":
            # Offered an earlier date, a late case moves earlier or not at all.
            assert after[hearing_id][1] < slot[1], diary.keys[hearing_id]


def _records(diary: Diary, now: datetime, rng: random.Random, week: int) -> list[dict[str, str]]:
    rows = []
    people = sorted({(h.referral.social_worker, h.referral.team_manager) for h in diary.hearings})
    for hearing_id, booking in sorted(diary.in_force.items(), key=lambda i: (i[1].opens, i[0])):
        if hearing_id in diary.outcomes or booking.opens > now:
            continue
        hearing = diary.by_id[hearing_id]
        row = {
            "referral_id": hearing.referral_id,
            "panel": booking.panel,
            "date": booking.date.isoformat(),
        }
        draw = rng.random()
        if draw < 0.12 and hearing.rule != "S13":
            row["outcome"] = "defer"
            row["deferral_reason"] = "papers incomplete"
        elif draw < 0.25:
            row["outcome"] = "decline"
        else:
            row["outcome"] = "approve"
            if hearing.rule != "S13" and rng.random() < 0.6:
                review = booking.date + timedelta(weeks=6 + int(rng.random() * 10))
                row["review_date"] = review.isoformat()
                if rng.random() < 0.3:
                    row["approval_end"] = (review - timedelta(days=7)).isoformat()
        if booking.panel == "lam-neet":
            row["still_neet"] = "yes" if rng.random() < 0.5 else "no"
        if booking.panel == "lam-crp" and rng.random() < 0.1:
            first = booking.date + timedelta(days=3 + int(rng.random() * 18))
            row["first_cla_review"] = first.isoformat()
        rows.append(row)
    if rng.random() < 0.6 and people:
        # A weekend emergency decision for a new case, ratified at the next sitting (S9).
        sw, tm = people[int(rng.random() * len(people))]
        taken = now - timedelta(hours=15)
        rows.append(
            {
                "referral_id": f"E-{week:02d}",
                "panel": "lam-crp" if week % 2 else "lam-16plus",
                "date": taken.date().isoformat(),
                "outcome": "approve",
                "emergency_decision": taken.strftime("%Y-%m-%d %H:%M"),
                "social_worker": sw,
                "team_manager": tm,
            }
        )
    return rows


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Play, list[str]]]:
    tmp = tmp_path_factory.mktemp("quarter")
    model = _model(tmp)
    model_file = read_model_file(model)
    authority = model_file.authority
    panels = [p for p in authority.panel_ids if p != "lam-ctp"]  # CTP slots come from S13
    end = START + timedelta(weeks=WEEKS) - timedelta(days=3)
    referrals, leave = generate_instance(authority, START, end, load=0.6, seed=11, panels=panels)
    away = write_rows(tmp / "availability.csv", [availability_row(p) for p in leave])
    init(tmp / "planner.db", model_file, Actor(_monday(0), "admin"))
    store = Store.open(tmp / "planner.db")
    play = Play(store, {})
    rng = random.Random("quarter")
    crashes: list[str] = []
    for week in range(1, WEEKS + 1):
        now = _monday(week)
        diary = store.diary()
        rows = _records(diary, now, rng, week)
        if rows:
            records = write_rows(tmp / f"records-{week:02d}.csv", rows)
            if week == 4:
                # A crash half-way through decide, after outcomes and follow-ups are written
                # and while booking: the file must be exactly as before.
                before = store.dump()
                original = steps.book_waiting

                def crash(*args: object, **kwargs: object) -> object:
                    raise RuntimeError("power cut")

                steps.book_waiting = crash  # type: ignore[assignment]
                try:
                    with pytest.raises(RuntimeError, match="power cut"):
                        decide_file(store, Actor(now, "admin"), records, settings=SETTINGS)
                finally:
                    steps.book_waiting = original
                crashes.append("same" if store.dump() == before else "changed")
            _step(
                play,
                "decide",
                lambda r=records, n=now: decide_file(
                    store, Actor(n, "admin"), r, settings=SETTINGS
                ),
            )
        batch = [
            referral_row(r) for r in referrals if now - timedelta(weeks=1) <= r.submitted < now
        ]
        file = write_rows(tmp / f"referrals-{week:02d}.csv", batch)
        later = now + timedelta(minutes=30)
        replan = week == 9
        _step(
            play,
            "replan" if replan else "add",
            lambda f=file, n=later, w=week, rp=replan: add_file(
                store,
                Actor(n, "admin"),
                f,
                away if w == 1 else None,
                settings=SETTINGS,
                replan=rp,
            ),
        )
        if week == 6:
            thursday = (now + timedelta(days=3)).date()
            _step(
                play,
                "cancel",
                lambda n=later, d=thursday: cancel(
                    store,
                    Actor(n + timedelta(minutes=30), "admin"),
                    f"lam-crp@{d.isoformat()}",
                    "chair unwell",
                    agreed_by="vice-chair",
                    settings=SETTINGS,
                ),
            )
        if week == 8:
            tuesday = (now + timedelta(days=1)).date()
            _step(
                play,
                "extra",
                lambda n=later, d=tuesday: extra(
                    store,
                    Actor(n + timedelta(minutes=30), "admin"),
                    "lam-crp",
                    d,
                    reason="backlog",
                    settings=SETTINGS,
                ),
            )
    yield play, crashes
    store.close()


# --------------------------------------------------------------------------- the checks


def test_the_quarter_was_played(played: tuple[Play, list[str]]) -> None:
    play, _ = played
    diary = play.store.diary()
    kinds = sorted(set(play.kinds.values()))
    assert kinds == ["add", "cancel", "decide", "extra", "replan"]
    # Hundreds of referrals, a good share decided, follow-ups of every kind.
    assert len(diary.outcomes) > 150
    rules = {h.rule for h in diary.hearings}
    assert {"S7", "S9", "S10", "S11", "S12", "S13"} <= rules


def test_a_crash_mid_command_left_the_store_as_before(played: tuple[Play, list[str]]) -> None:
    _, crashes = played
    assert crashes == ["same"]


def test_only_replan_cancel_and_extra_ended_bookings(played: tuple[Play, list[str]]) -> None:
    play, _ = played
    diary = play.store.diary()
    ended = [b for b in diary.bookings if not b.in_force]
    assert ended, "the cancel and the replan should have moved something"
    for booking in ended:
        kind = play.kinds[booking.ended_command_id or 0]
        assert (kind, booking.end_reason) in {
            ("replan", "replan"),
            ("cancel", "sitting cancelled"),
            ("extra", "moved: was booked late"),
        }


def _calendar_at(diary: Diary, command_id: int) -> object:
    changes = [c for c in diary.changes if c.command_id <= command_id]
    return effective_authority(diary.base, changes)


def _sittings(diary: Diary, command_id: int, panel: str, first: date, last: date) -> list[Sitting]:
    authority = _calendar_at(diary, command_id)
    return [s for s in generate_sittings(authority, first, last) if s.panel == panel]  # type: ignore[arg-type]


def _due(diary: Diary, hearing: Hearing) -> tuple[date | None, date | None]:
    """The last date in time and the first date allowed, worked out from what was recorded,
    not from the follow-up's own fields."""
    origin = diary.outcomes.get(hearing.origin_id) if hearing.origin_id else None
    created = hearing.created_at
    if hearing.rule == "S10":
        assert origin is not None
        datetime.combine(origin.date, time(23, 59))
        ahead = _sittings(
            diary, hearing.command_id, hearing.panel, origin.date, origin.date + timedelta(days=60)
        )
        following = [s for s in ahead if s.date > origin.date]
        return following[0].date, None
    if hearing.rule == "S7":
        assert origin is not None
        ends = [
            date.fromisoformat(origin.record[k])
            for k in ("review_date", "approval_end")
            if k in origin.record
        ]
        due = min(ends)
        return due, due - timedelta(days=REVIEW_WINDOW_DAYS)
    if hearing.rule == "S11":
        assert origin is not None
        first = date.fromisoformat(origin.record["first_cla_review"])
        return first + timedelta(days=14), first
    if hearing.rule == "S12":
        assert origin is not None
        due = add_months(origin.date, 3)
        return due, due - timedelta(days=REVIEW_WINDOW_DAYS)
    if hearing.rule == "S9":
        assert hearing.emergency_decision is not None
        ahead = _sittings(
            diary,
            hearing.command_id,
            hearing.panel,
            hearing.emergency_decision.date(),
            hearing.emergency_decision.date() + timedelta(days=30),
        )
        first = next(s for s in ahead if s.opens > hearing.emergency_decision)
        return first.date, None
    if hearing.rule == "S13":
        month = date.fromisoformat(hearing.referral_id.removeprefix("CT-")[-7:] + "-01")
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return last, month
    raise AssertionError(f"unexpected rule {hearing.rule} ({created})")


def _in_force_after(diary: Diary, command_id: int) -> list[StoredBooking]:
    return [
        b
        for b in diary.bookings
        if b.command_id <= command_id
        and (b.ended_command_id is None or b.ended_command_id > command_id)
    ]


def _no_room(diary: Diary, hearing: Hearing, sitting: Sitting) -> bool:
    """True when ``hearing`` could not have had a slot at ``sitting`` given every other
    booking its creating command left in force, its people's leave and the window."""
    panel = diary.authority.panel(sitting.panel)
    length = panel.slot_for(hearing.referral.complex)
    people = hearing.referral.people
    for away in diary.availability:
        if away.person in people and away.covers_day(sitting.date):
            return True
    busy: list[Timeline] = [Timeline()]
    for other in _in_force_after(diary, hearing.command_id):
        if other.hearing_id == hearing.id or other.date != sitting.date:
            continue
        span = (minutes_of(other.start), minutes_of(other.end))
        if other.panel == sitting.panel:
            busy[0].add(*span)
    for person in people:
        line = Timeline()
        for other in _in_force_after(diary, hearing.command_id):
            if other.hearing_id == hearing.id or other.date != sitting.date:
                continue
            if person in diary.by_id[other.hearing_id].referral.people:
                line.add(minutes_of(other.start), minutes_of(other.end))
        for away in diary.availability:
            if away.person == person and not away.whole_days:
                for day, first, last in away.blocks():
                    if day == sitting.date:
                        line.add(first, last)
        busy.append(line)
    opens, closes = sitting.window_minutes
    return Timeline.first_common_gap(busy, opens, closes, length) is None


def _open_to(hearing: Hearing, sitting: Sitting, first_after: Sitting | None) -> bool:
    """The cut-off rule (S2) for a follow-up: met, or the first sitting with late permission."""
    submitted = hearing.referral.submitted
    if sitting.opens <= max(submitted, hearing.created_at):
        return False
    if sitting.cutoff is None or submitted <= sitting.cutoff:
        return True
    return hearing.referral.late_permission and sitting == first_after


def test_every_follow_up_was_booked_at_once_and_in_time(played: tuple[Play, list[str]]) -> None:
    play, _ = played
    diary = play.store.diary()
    follow_ups = [h for h in diary.hearings if h.rule]
    assert len(follow_ups) > 60
    late_but_justified = 0
    for hearing in follow_ups:
        key = diary.keys[hearing.id]
        first = [b for b in diary.bookings if b.hearing_id == hearing.id]
        assert first, f"{key} ({hearing.rule}) was never booked"
        booking = first[0]
        # Booked by the command that created it: "booked at once".
        assert booking.command_id == hearing.command_id, key
        due, not_before = _due(diary, hearing)
        assert due is not None
        if not_before is not None:
            assert booking.date >= not_before, f"{key} booked before {not_before}"
        if booking.date <= due:
            continue
        # Late: every sitting from the first allowed to the due date must have been closed to
        # it, or full, or a presenter away, given what the creating command left in force.
        ahead = _sittings(
            diary,
            hearing.command_id,
            hearing.panel,
            hearing.created_at.date(),
            due,
        )
        first_after = next((s for s in ahead if s.opens > hearing.referral.submitted), None)
        for sitting in ahead:
            if not_before is not None and sitting.date < not_before:
                continue
            if not _open_to(hearing, sitting, first_after):
                continue
            assert _no_room(diary, hearing, sitting), (
                f"{key} ({hearing.rule}, due {due}) booked {booking.date} but {sitting.id} had room"
            )
        late_but_justified += 1
    # Most follow-ups are in time; the rest are justified above.
    assert late_but_justified < len(follow_ups) / 4


def test_each_safeguarding_tm_has_one_court_tracking_slot_a_month(
    played: tuple[Play, list[str]],
) -> None:
    play, _ = played
    diary = play.store.diary()
    slots: dict[tuple[str, int], list[date]] = {}
    for hearing in diary.hearings:
        if hearing.rule != "S13":
            continue
        booking = next(b for b in diary.bookings if b.hearing_id == hearing.id)
        month = int(hearing.referral_id[-2:])
        slots.setdefault((hearing.referral.team_manager, month), []).append(booking.date)
    # January to March fully played; each manager exactly one slot a month, in that month.
    for tm in TMS:
        for month in (1, 2, 3):
            days = slots.get((tm, month))
            assert days is not None and len(days) == 1, (tm, month, days)
            assert days[0].month == month


def test_the_validator_finds_no_broken_scheduling_rule(played: tuple[Play, list[str]]) -> None:
    play, _ = played
    diary = play.store.diary()
    found = validate_store(diary, _monday(WEEKS) + timedelta(hours=2))
    broken = [
        f
        for f in found.findings
        if f.severity == "error" and f.rule in {"PLAN", "S1", "S2", "S3", "S4", "S5"}
    ]
    assert broken == []
    checked = {s.rule: s.checked for s in found.summary}
    assert checked["S3"] > 150 and checked["S9"] > 0 and checked["S11"] > 0
