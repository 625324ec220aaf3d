"""Validate a plan (a bookings file) and a panel's records against the catalogue.

The flow reads in one line::

    validate(authority, bookings=..., referrals=..., availability=..., records=...)

and returns every finding and a summary per rule: checked, passed, failed, not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority, minutes_of
from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.core.referrals import Referral
from panelsched.core.sittings import generate_sittings
from panelsched.core.timeslots import minute_to_time
from panelsched.errors import InputError, Problem
from panelsched.io.records import Records
from panelsched.validator import record_rules  # noqa: F401  (declares the catalogue's units)
from panelsched.validator.bookings import BookingsFile
from panelsched.validator.catalogue import (
    CATALOGUE,
    Evidence,
    check_rule_params,
    run_catalogue,
)
from panelsched.validator.clock_checks import check_record_clocks, clock_rules, clock_summary
from panelsched.validator.findings import Finding, RuleSummary, Tally, sort_findings
from panelsched.validator.plan_checks import audit_plan
from panelsched.validator.plan_context import PlanInput
from panelsched.validator.records import join_referrals
from panelsched.validator.rulebook import RULES

# A submission moment that no cut-off precedes, for bookings read without their submission.
_LONG_AGO = datetime(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class Validation:
    """What the validator found.

    Attributes
    ----------
    findings
        Every finding, sorted by rule, sitting and case.
    summary
        One line per rule of DOMAIN.md (and PLAN), in order, then one per statutory clock
        the model declares.
    """

    findings: tuple[Finding, ...]
    summary: tuple[RuleSummary, ...]

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(f.severity == "warning" for f in self.findings)


def _unknowable(tally: Tally) -> None:
    """The data a rule needs was absent: its items were not checked, whatever it found."""
    tally.not_checked += tally.checked
    tally.checked = 0
    tally.failed_items.clear()
    tally.findings.clear()


def _synthetic_referrals(
    authority: Authority, bookings: BookingsFile
) -> tuple[list[Referral], list[Problem]]:
    """Referrals made from the bookings themselves, when no referrals file is given."""
    problems = []
    if "panel" not in bookings.columns:
        problems.append(
            Problem(
                bookings.file,
                "this column is needed when no referrals file is given",
                column="panel",
            )
        )
        return [], problems
    made: dict[str, Referral] = {}
    for row in bookings.rows:
        if not row.panel:
            problems.append(
                Problem(bookings.file, "the cell is empty; name the panel", row.row, "panel")
            )
            continue
        if row.panel not in authority.panel_ids:
            problems.append(
                Problem(
                    bookings.file,
                    f"unknown panel '{row.panel}'; known panels: {', '.join(authority.panel_ids)}",
                    row.row,
                    "panel",
                )
            )
            continue
        made.setdefault(
            row.referral_id,
            Referral(
                referral_id=row.referral_id,
                panel=row.panel,
                submitted=row.submitted or _LONG_AGO,
                # Unknown presenters get names nobody else has, so they never clash (S5 is
                # then reported as not checked).
                social_worker=row.social_worker or f"(SW of {row.referral_id})",
                team_manager=row.team_manager or f"(TM of {row.referral_id})",
                deadline=row.deadline,
            ),
        )
    return list(made.values()), problems


def _plan_input(
    authority: Authority,
    bookings: BookingsFile,
    referrals: Sequence[Referral],
    availability: Sequence[Unavailability],
) -> tuple[PlanInput, Plan]:
    by_id = {r.referral_id: r for r in referrals}
    days = [row.date for row in bookings.rows]
    submissions = [r.submitted.date() for r in referrals if r.submitted > _LONG_AGO]
    start = min([*days, *submissions]) if days or submissions else None
    end = max(days) if days else start
    # Pins are the rows marked pinned that name a real sitting of their referral's panel with
    # room for the slot; any other pinned row is checked as an ordinary booking.
    pins: list[PinnedBooking] = []
    pinned_ids: set[str] = set()
    for row in bookings.rows:
        referral = by_id.get(row.referral_id)
        if not row.pinned or referral is None or row.referral_id in pinned_ids:
            continue
        if row.panel and row.panel != referral.panel:
            continue
        panel = authority.panel(referral.panel)
        sittings = generate_sittings(authority, row.date, row.date, [panel.id])
        if not sittings:
            continue
        begin, finish = sittings[0].window_minutes
        if begin <= minutes_of(row.start) <= finish - panel.slot_for(referral.complex):
            pins.append(PinnedBooking(row.referral_id, row.date, row.start, row.row))
            pinned_ids.add(row.referral_id)
    assert start is not None and end is not None
    given = PlanInput(
        authority,
        tuple(sorted(referrals, key=lambda r: r.referral_id)),
        tuple(availability),
        start,
        end,
        tuple(pins),
    )
    plan_rows = []
    for row in bookings.rows:
        referral = by_id.get(row.referral_id)
        panel_id = row.panel or (referral.panel if referral else "")
        ends = row.end
        if ends is None:
            if referral is not None:
                length = authority.panel(referral.panel).slot_for(referral.complex)
            elif panel_id in authority.panel_ids:
                length = authority.panel(panel_id).slot_minutes
            else:
                length = 0  # an unknown case at an unknown panel: only PLAN speaks to it
            ends = minute_to_time(min(minutes_of(row.start) + length, 24 * 60 - 1))
        plan_rows.append(
            Booking(
                date=row.date,
                start=row.start,
                panel=panel_id,
                end=ends,
                referral_id=row.referral_id,
                pinned=row.pinned,
            )
        )
    booked = {row.referral_id for row in bookings.rows}
    return given, Plan.of(plan_rows, [r for r in by_id if r not in booked])


def validate(
    authority: Authority,
    *,
    bookings: BookingsFile | None = None,
    referrals: Sequence[Referral] | None = None,
    availability: Sequence[Unavailability] | None = None,
    records: Records | None = None,
) -> Validation:
    """Check a plan and a panel's records against every rule the data can speak to.

    Parameters
    ----------
    authority
        The model: which rules apply to which panel, with their parameters.
    bookings
        A plan to check against the scheduling rules (S1-S12, S14, PLAN) and the model's
        statutory clocks.
    referrals
        The referrals booked (their dates and people); also fills blank record cells.
    availability
        Who was away (S5).
    records
        What happened at the sittings, checked against S1-S14, P1-P19 and the model's
        statutory clocks.

    Returns
    -------
    Validation
        The findings and the summary per rule.

    Raises
    ------
    InputError
        When the model's rule parameters cannot be read, or bookings read without a
        referrals file lack their panel.
    """
    check_rule_params(authority, CATALOGUE)
    tallies: dict[str, Tally] = {rule: Tally(rule) for rule in RULES}
    if bookings is not None and bookings.rows:
        if referrals is None:
            made, problems = _synthetic_referrals(authority, bookings)
            if problems:
                raise InputError(problems)
        else:
            made = list(referrals)
        if made:
            given, plan = _plan_input(authority, bookings, made, availability or ())
            known_lengths = referrals is not None and "end" in bookings.columns
            plan_tallies = audit_plan(given, plan, slot_lengths_known=known_lengths)
            if referrals is None:
                # Without the referrals, late permission and emergencies are unknown: a paper
                # past its cut-off may have been allowed, so S2 cannot be judged.
                _unknowable(plan_tallies["S2"])
                if any(not (row.social_worker and row.team_manager) for row in bookings.rows):
                    _unknowable(plan_tallies["S5"])
            for rule, tally in plan_tallies.items():
                tallies.setdefault(rule, Tally(rule)).merge(tally)
    if records is not None:
        joined = join_referrals(records, referrals or ())
        evidence = Evidence(authority, joined, tuple(availability) if availability else None)
        for rule, tally in run_catalogue(evidence, CATALOGUE).items():
            tallies[rule].merge(tally)
        for rule, tally in check_record_clocks(authority, joined).items():
            tallies.setdefault(rule, Tally(rule)).merge(tally)
    summary = tuple(
        RuleSummary(
            rule=rule,
            title=info.title,
            source=info.source,
            checked=tallies[rule].checked,
            passed=tallies[rule].passed,
            failed=tallies[rule].failed,
            not_checked=tallies[rule].not_checked,
        )
        for rule, info in RULES.items()
    ) + tuple(
        # The model's statutory clocks are its own rules, listed after DOMAIN.md's.
        clock_summary(clock, tallies.get(clock.id) or Tally(clock.id))
        for clock in clock_rules(authority).values()
    )
    findings = sort_findings(f for t in tallies.values() for f in t.findings)
    return Validation(tuple(findings), summary)


__all__ = ["Validation", "validate"]
