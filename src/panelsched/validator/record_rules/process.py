"""The process rules on a panel's records (P1-P19): what is done before, at and after the
sitting (approvals, papers, the chair, minutes, notices and agreements).

One unit per rule, in DOMAIN.md's order; :mod:`panelsched.validator.record_rules` says what a
unit returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

from panelsched.core.panels import CHAIRING_ROLES
from panelsched.io.records import Record
from panelsched.validator.catalogue import (
    NOT_APPLICABLE,
    NOT_CHECKED,
    Evidence,
    Param,
    Params,
    RecordRule,
    Verdict,
    Warn,
    across_records,
    clock,
    each_record,
    end_of,
    overdue,
)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _is_one_of(record: Record, kinds: tuple[str, ...]) -> bool:
    """True when the request type names one of ``kinds`` as whole words (case aside):
    ``s17`` matches ``s17 package``, not ``ss17``."""
    return bool(record.request_type) and _names(record.request_type, kinds)


@lru_cache(maxsize=4096)
def _names(request_type: str, kinds: tuple[str, ...]) -> bool:
    text = " ".join(request_type.lower().split())
    return any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text) for k in kinds)


@lru_cache(maxsize=1024)
def _normalised(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(" ".join(name.lower().split()) for name in names)


@each_record("P1", needs=("submission_approved",))
def approved_for_submission(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The request was approved for submission by the service manager (LAM) / agreed by SW
    and supervising manager (CBC) / agreed by the service manager (SWI)."""
    if r.submission_approved is None:
        return NOT_CHECKED
    return None if r.submission_approved else "not approved for submission by a manager"


@each_record("P2", needs=("documents",), params=(Param("required_documents", "words"),))
def paperwork(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Every paper in the panel's ``required_documents`` was attached (LAM CRP: request
    form, case summary, genogram and chronology, assessment, child's plan)."""
    attached = _normalised(r.documents or ())
    missing = [d for d in p["required_documents"] if d not in attached]
    return f"missing papers: {', '.join(missing)}" if missing else None


@each_record("P3", any_of=("chair_present", "chaired_by"))
def chaired(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A chair or vice-chair chaired the sitting: `chair_present` says so, or `chaired_by`
    names a member the model's `members` list as chair or vice-chair (and who was not away
    by the availability file)."""
    panel = ev.authority.panel(r.panel)
    if r.chaired_by and panel.members:
        role = {m.id: m.role for m in panel.members}.get(r.chaired_by)
        if role is None:
            return f"chaired by {r.chaired_by}, who is not among the panel's members"
        if role not in CHAIRING_ROLES:
            return f"chaired by {r.chaired_by}, a {role}, not the chair or a vice-chair"
        away = [u for u in ev.unavailability or () if u.person == r.chaired_by]
        if any(u.covers_day(r.date) for u in away):
            return Warn(f"chaired by {r.chaired_by}, who the availability file has away that day")
        return None
    if r.chair_present is None:
        return NOT_CHECKED
    return None if r.chair_present else "no chair or vice-chair chaired the sitting"


@each_record("P4", needs=("minutes_on_record",), params=(Param("minutes_on_record_days", "count"),))
def minutes_on_record(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Minutes were on the child's record within ``minutes_on_record_days`` (LAM: 3) days
    of the sitting."""
    days = p["minutes_on_record_days"]
    due = r.date + timedelta(days=days)
    if r.minutes_on_record is None:
        if overdue(ev, due):
            return f"no date the minutes reached the child's record; due by {due:%d/%m/%Y}"
        return NOT_CHECKED
    took = (r.minutes_on_record.date() - r.date).days
    if took > days:
        return (
            f"minutes on the record {r.minutes_on_record.date():%d/%m/%Y}, {took} days after "
            f"the sitting; within {days}"
        )
    return None


@each_record(
    "P5",
    any_of=("notice_approved", "notice_circulated"),
    params=(
        Param("decision_notice_approved_working_days", "count"),
        Param("decision_notice_circulated_working_days", "count"),
    ),
)
def decision_notice(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The decision notice was approved by the chair within
    ``decision_notice_approved_working_days`` (PBO: 6) and circulated within
    ``decision_notice_circulated_working_days`` (PBO: 10) working days."""
    problems = []
    judged = False
    for done, key, what in (
        (r.notice_approved, "decision_notice_approved_working_days", "approved"),
        (r.notice_circulated, "decision_notice_circulated_working_days", "circulated"),
    ):
        limit = p.get(key)
        if limit is None or not ev.records.has(f"notice_{what}"):
            continue
        if done is None:
            due = r.date
            for _ in range(limit):
                due = ev.workdays.next_working_day(due)
            if overdue(ev, due):
                judged = True
                problems.append(f"no date the decision notice was {what}; due by {due:%d/%m/%Y}")
            continue
        judged = True
        took = ev.workdays.working_days_between(r.date, done)
        if took > limit:
            problems.append(
                f"decision notice {what} {done:%d/%m/%Y}, {took} working days after the "
                f"sitting; within {limit}"
            )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record(
    "P6",
    needs=("family_told",),
    params=(Param("family_told_within_hours", "count"),),
    severity="warning",
)
def family_told(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The family was told the decision within ``family_told_within_hours`` (PBO SEN: 48)
    hours of the sitting "where possible": a warning, never an error."""
    if r.family_told is None:
        return NOT_CHECKED
    hours = p["family_told_within_hours"]
    ended = end_of(r, ev.sitting(r.panel, r.date))
    took = (r.family_told - ended).total_seconds() / 3600
    if took > hours:
        return Warn(
            f"family told {clock(r.family_told)}, {took:.0f} hours after the sitting; aim "
            f"within {hours} where possible"
        )
    return None


@each_record(
    "P7",
    any_of=("draft_to_chair", "chair_returned", "record_uploaded"),
    params=(
        Param("draft_record_to_chair_hours", "count"),
        Param("chair_returns_record_hours", "count", 48),
        Param("records_uploaded_hours", "count", 24),
        Param("records_before_next_sitting", "flag", False),
    ),
)
def record_timings(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The draft record reached the chair within ``draft_record_to_chair_hours`` (CPR: 48)
    of the sitting, the chair returned it within ``chair_returns_record_hours`` (48), the
    child's record was uploaded within ``records_uploaded_hours`` (24) of that and, where
    ``records_before_next_sitting``, before the next sitting."""
    sitting = ev.sitting(r.panel, r.date)
    steps = (
        (
            "draft record to the chair",
            r.draft_to_chair,
            end_of(r, sitting),
            p["draft_record_to_chair_hours"],
            "the sitting",
        ),
        (
            "chair's return",
            r.chair_returned,
            r.draft_to_chair,
            p["chair_returns_record_hours"],
            "the draft",
        ),
        (
            "upload to the child's record",
            r.record_uploaded,
            r.chair_returned,
            p["records_uploaded_hours"],
            "the chair's return",
        ),
    )
    problems = []
    judged = False
    for what, done, since, hours, since_what in steps:
        if done is None or since is None:
            continue
        judged = True
        took = (done - since).total_seconds() / 3600
        if took > hours:
            problems.append(
                f"{what} {clock(done)}, {took:.0f} hours after {since_what}; within {hours}"
            )
    following = ev.next_sitting(r.panel, end_of(r, sitting))
    if (
        p["records_before_next_sitting"]
        and r.record_uploaded is not None
        and following is not None
        and r.record_uploaded > following.opens
    ):
        problems.append(
            f"uploaded {clock(r.record_uploaded)}, after the next sitting on "
            f"{following.date:%d/%m/%Y}"
        )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record(
    "P8", needs=("minutes_on_record",), params=(Param("decision_recorded_by_weekday", "weekday"),)
)
def decision_recorded(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The decision was on the child's record no later than the ``decision_recorded_by_weekday``
    (SWI: WE) after the sitting."""
    weekday = p["decision_recorded_by_weekday"]
    due = r.date + timedelta(days=(weekday - r.date.weekday() - 1) % 7 + 1)
    if r.minutes_on_record is None:
        if overdue(ev, due):
            return f"no date the decision reached the child's record; due by {due:%d/%m/%Y}"
        return NOT_CHECKED
    done = r.minutes_on_record.date()
    if done > due:
        return (
            f"decision on the record {done:%d/%m/%Y}, after {due:%A} {due:%d/%m/%Y} "
            "following the sitting"
        )
    return None


@each_record(
    "P9",
    needs=("outcome",),
    any_of=("review_date", "approval_end"),
    params=(Param("review_date_required", "flag"),),
)
def approval_review_date(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Where ``review_date_required`` (CBC, CPR, SWI), an approval carries a review date
    (``review_date`` or ``approval_end``)."""
    if r.outcome != "approve":
        return NOT_APPLICABLE
    if r.review_date is None and r.approval_end is None:
        return "approved without a review date"
    return None


@each_record(
    "P10",
    any_of=("cost", "request_type"),
    params=(
        Param("threshold_pounds", "pounds"),
        Param("excluded_request_types", "words", ("holiday", "holidays", "low-level home support")),
    ),
)
def swi_thresholds(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Only requests of ``threshold_pounds`` (SWI: £500) or more came to panel, and none of
    the ``excluded_request_types`` the panel does not fund (SWI 6: holidays, low-level home
    support)."""
    problems = []
    judged = False
    threshold = p.get("threshold_pounds")
    if threshold is not None and r.cost is not None:
        judged = True
        if r.cost < threshold:
            problems.append(
                f"a {_pounds(r.cost)} request; the panel hears requests of {_pounds(threshold)} "
                "or more"
            )
    excluded = p.get("excluded_request_types")
    if excluded is not None and r.request_type:
        judged = True
        if _is_one_of(r, excluded):
            problems.append(f"'{r.request_type}' is a kind of request the panel does not fund")
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@across_records(
    "P11",
    needs=("request_type", "cost"),
    params=(
        Param("s17_threshold_pounds", "pounds"),
        Param("s17_request_types", "words", ("section 17", "s17")),
    ),
    scope="authority",
)
def section_17_agreement(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """A section 17 package above ``s17_threshold_pounds`` (LAM: £2,000) was decided at a
    panel that sets that threshold (LAM CRP)."""
    deciders = [p for p in ev.authority.panels if rule.applies_to(p)]
    rules = {p.id: ev.params(rule, p.id) for p in deciders}
    first = rules[deciders[0].id]
    threshold, kinds = first["s17_threshold_pounds"], first["s17_request_types"]
    names = ", ".join(p.id for p in deciders)
    for r in records:
        if not _is_one_of(r, kinds):
            yield r, NOT_APPLICABLE
        elif r.cost is None:
            yield r, NOT_CHECKED
        elif r.cost <= threshold or r.panel in rules:
            yield r, None
        else:
            yield (
                r,
                (
                    f"a section 17 package of {_pounds(r.cost)} (over {_pounds(threshold)}) "
                    f"decided at {r.panel}; it needs {names}'s agreement"
                ),
            )


@each_record(
    "P12",
    any_of=("distance_miles", "out_of_area"),
    params=(
        Param("director_permission_over_miles", "number"),
        Param("out_of_area_needs_director", "flag"),
    ),
)
def director_agreement(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A placement more than ``director_permission_over_miles`` (SWI: 20) from home, or out of area
    where ``out_of_area_needs_director``, had the Director's agreement
    (``director_agreed``)."""
    reasons = []
    miles = p.get("director_permission_over_miles")
    if miles is not None and r.distance_miles is not None and r.distance_miles > miles:
        reasons.append(f"{r.distance_miles} miles from home (over {miles})")
    if p.get("out_of_area_needs_director") and r.out_of_area:
        reasons.append("out of area")
    if not reasons:
        known = r.distance_miles is not None or r.out_of_area is not None
        return None if known else NOT_APPLICABLE
    if r.director_agreed is None and not ev.records.has("director_agreed"):
        return NOT_CHECKED
    if r.director_agreed:
        return None
    return f"a placement {' and '.join(reasons)} without the Director's agreement"


@each_record("P13", needs=("age",), params=(Param("min_age", "count"), Param("max_age", "count")))
def age_range(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The child's age is in the panel's range (``min_age``, ``max_age``: Early Support
    0-5, Transitions 14+, 16+ Panel 16+, NEET 16-25)."""
    if r.age is None:
        return NOT_CHECKED
    low, high = p.get("min_age"), p.get("max_age")
    if (low is not None and r.age < low) or (high is not None and r.age > high):
        hears = (
            f"ages {low} to {high}"
            if low is not None and high is not None
            else f"ages {low} and over"
            if low is not None
            else f"ages up to {high}"
        )
        return f"aged {r.age}; {p.panel.id} hears {hears}"
    return None


@each_record(
    "P14",
    any_of=("cancellation_agreed_by", "members_notified"),
    params=(
        Param("change_notice_hours", "count"),
        Param("cancellation_agreed_by", "words", ("chair", "vice-chair", "head of service")),
    ),
    rows="cancelled",
)
def cancellation(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A cancelled sitting was cancelled with the agreement of someone in
    ``cancellation_agreed_by`` (chair, vice-chair, Head of Service) and members were told at
    least ``change_notice_hours`` (SWI: 24) hours before."""
    problems = []
    judged = False
    if ev.records.has("cancellation_agreed_by") and r.cancellation_agreed_by:
        judged = True
        who = " ".join(r.cancellation_agreed_by.lower().split())
        if who not in p["cancellation_agreed_by"]:
            problems.append(
                f"cancelled with the agreement of '{r.cancellation_agreed_by}', not of the "
                "chair or Head of Service"
            )
    sitting = ev.sitting(r.panel, r.date)
    if r.members_notified is not None and sitting is not None:
        judged = True
        hours = p["change_notice_hours"]
        notice = (sitting.opens - r.members_notified).total_seconds() / 3600
        if notice < hours:
            problems.append(
                f"members told {clock(r.members_notified)}, {notice:.0f} hours before the "
                f"sitting; needs {hours}"
            )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record("P15", needs=("papers_sent",), params=(Param("papers_days_before", "count"),))
def papers_in_time(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Papers reached members by the panel's papers-out moment in the model, or
    ``papers_days_before`` days before the sitting when the model gives none (CBC 2,
    LAM NEET 3)."""
    sitting = ev.sitting(r.panel, r.date)
    if r.papers_sent is None or sitting is None:
        return NOT_CHECKED
    due = sitting.papers_out or sitting.opens - timedelta(days=p["papers_days_before"])
    if r.papers_sent > due:
        return f"papers sent {clock(r.papers_sent)}, after the papers-out time {clock(due)}"
    return None


@each_record(
    "P16",
    needs=("outcome", "deferral_reason"),
    params=(Param("deferral_reason_required", "flag"),),
)
def deferral_reason(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Where ``deferral_reason_required`` (SWI), a deferral records its reason."""
    if r.outcome != "defer":
        return NOT_APPLICABLE
    return None if r.deferral_reason else "deferred without a recorded reason"


@each_record(
    "P17",
    needs=("request_type", "court_date"),
    params=(Param("before_court_request_types", "words"),),
)
def before_court(r: Record, p: Params, ev: Evidence) -> Verdict:
    """An SGO, child arrangements or adoption support package (``before_court_request_types``)
    came to panel before the plan went to court."""
    if not _is_one_of(r, p["before_court_request_types"]):
        return NOT_APPLICABLE
    if r.court_date is None:
        return NOT_CHECKED
    if r.date >= r.court_date:
        return (
            f"a {r.request_type} package heard {r.date:%d/%m/%Y}, not before the plan went "
            f"to court on {r.court_date:%d/%m/%Y}"
        )
    return None


@each_record(
    "P18",
    needs=("request_type", "year_11_ends"),
    params=(Param("staying_put_request_types", "words"),),
)
def staying_put(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Staying Put (``staying_put_request_types``) was presented by the time the young
    person finished year 11."""
    if not _is_one_of(r, p["staying_put_request_types"]):
        return NOT_APPLICABLE
    if r.year_11_ends is None:
        return NOT_CHECKED
    if r.date > r.year_11_ends:
        late = (r.date - r.year_11_ends).days
        return (
            f"Staying Put heard {r.date:%d/%m/%Y}, {late} days after year 11 ended on "
            f"{r.year_11_ends:%d/%m/%Y}"
        )
    return None


@each_record(
    "P19",
    needs=("significant_change", "iro_notified"),
    params=(Param("iro_copied_on_change", "flag"),),
)
def iro_copied(r: Record, p: Params, ev: Evidence) -> Verdict:
    """At a transition or significant change the IRO was notified and copied into the
    referral."""
    if not p["iro_copied_on_change"] or not r.significant_change:
        return NOT_APPLICABLE if r.significant_change is not None else NOT_CHECKED
    if r.iro_notified is None:
        return NOT_CHECKED
    return None if r.iro_notified else "a significant change without the IRO notified"
