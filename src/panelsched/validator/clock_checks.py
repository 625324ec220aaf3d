"""Statutory clocks as rules the model adopts: a case heard after its clock's last viable sitting.

A clock (:class:`panelsched.core.clocks.Clock`) is declared in the model with its citation,
so it is a rule of that model, not of DOMAIN.md: its findings carry the clock's id as their
rule (``ehc-assessment-decision``) and the model's citation as their source (``SEND
Regulations 2014, reg. 5``), and the summary lists it after DOMAIN.md's rules
(:func:`clock_rules`). Bookings (:func:`check_clocks`) and a records file's hearings
(:func:`check_record_clocks`) are judged alike. The date is the one every other part of
panelsched uses (:func:`panelsched.core.clocks.clock_due`, on the model's calendar), worked out
here from the referral and the model alone, never read from the planner.
"""

from __future__ import annotations

from panelsched.core.clocks import Clock, clock_due
from panelsched.core.panels import Authority
from panelsched.core.workdays import working_calendar
from panelsched.io.records import Records
from panelsched.validator.findings import Finding, RuleSummary, Tally
from panelsched.validator.plan_context import Booked, PlanContext


def clock_rules(authority: Authority) -> dict[str, Clock]:
    """Every clock of the model by id, the authority's first, then each panel's in file
    order (ids are unique across the model)."""
    return {clock.id: clock for clock in authority.every_clock}


def clock_summary(clock: Clock, tally: Tally) -> RuleSummary:
    """One line of the validator's summary for ``clock``."""
    return RuleSummary(
        rule=clock.id,
        title=f"heard in time for its {clock.title}",
        source=clock.source,
        checked=tally.checked,
        passed=tally.passed,
        failed=tally.failed,
        not_checked=tally.not_checked,
    )


def _late_words(heard_text: str, late: int, clock: Clock, last: str, end: str) -> str:
    days = f"{late} day{'s' if late != 1 else ''}"
    if clock.after_panel is None:
        return f"heard {heard_text}, {days} after its {clock.title} ended on {end}"
    return (
        f"heard {heard_text}, {days} after {last}, the last sitting date that leaves "
        f"{clock.after_panel} before its {clock.title} ends on {end}"
    )


def check_clocks(ctx: PlanContext, b: Booked) -> None:
    """Each clock that applies to the booking's referral (its panel's and the authority's):
    heard on or before the clock's last viable sitting, else an error citing the clock.

    A referral whose clock's start column is empty is not judged by that clock (its request
    date is unknown): not counted as checked.
    """
    authority = ctx.given.authority
    calendar = working_calendar(authority.holidays)
    heard = b.booking.date
    for clock in authority.clocks_of(b.panel.id):
        if not clock.applies(b.referral.request_type):
            continue
        ctx.tallies.setdefault(clock.id, Tally(clock.id))
        due = clock_due(clock, b.referral, calendar)
        if due is None:
            ctx.not_checked(clock.id)
            continue
        ctx.checked(clock.id)
        if heard <= due.date:
            continue
        assert due.from_date is not None
        ctx.report(
            clock.id,
            b.item,
            _late_words(
                f"{heard:%d/%m/%Y}",
                (heard - due.date).days,
                clock,
                f"{due.date:%d/%m/%Y}",
                f"{due.from_date:%d/%m/%Y}",
            ),
            panel=b.panel.id,
            referral_id=b.item,
            sitting=b.sitting.id,
        )


def check_record_clocks(authority: Authority, records: Records) -> dict[str, Tally]:
    """Each record of a hearing against the clocks that apply to its case: heard on or before
    the clock's last viable sitting, else an error citing the clock.

    Only a case's decision counts: a record deferred (``outcome`` defer) stopped no clock, so
    it is not judged; the record of the sitting that decided it is. A record whose clock's
    start column is blank is not checked.
    """
    calendar = working_calendar(authority.holidays)
    tallies: dict[str, Tally] = {}
    for record in records.rows:
        if record.outcome == "defer":
            continue
        for clock in authority.clocks_of(record.panel):
            if not clock.applies(record.request_type):
                continue
            tally = tallies.setdefault(clock.id, Tally(clock.id))
            due = clock_due(clock, record, calendar)
            if due is None:
                tally.not_checked += 1
                continue
            tally.checked += 1
            if record.date <= due.date:
                continue
            assert due.from_date is not None
            item = f"{record.referral_id}@{record.sitting_id}"
            tally.add(
                item,
                Finding(
                    rule=clock.id,
                    severity="error",
                    panel=record.panel,
                    referral_id=record.referral_id,
                    sitting=record.sitting_id,
                    message=_late_words(
                        f"{record.date:%d/%m/%Y}",
                        (record.date - due.date).days,
                        clock,
                        f"{due.date:%d/%m/%Y}",
                        f"{due.from_date:%d/%m/%Y}",
                    ),
                    source=clock.source,
                ),
            )
    return tallies


__all__ = ["check_clocks", "check_record_clocks", "clock_rules", "clock_summary"]
