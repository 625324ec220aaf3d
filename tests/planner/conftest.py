"""Tiny panel models, referrals and the plan re-check shared by the planner's tests.

January 2027 (1 January, a Friday, is a bank holiday):

======  ======================  ==========================================
week    Monday (cut-off 13:00)  Thursday sitting
======  ======================  ==========================================
1       4 Jan                   7 Jan
2       11 Jan                  14 Jan
3       18 Jan                  21 Jan
4       25 Jan                  28 Jan
5       1 Feb                   4 Feb
======  ======================  ==========================================

Each test builds a model from one or two of :data:`tests.helpers.builders.PANELS`, written to a
YAML file and read back with :func:`panelsched.core.panels.load_model`, as a user's model would
be; the ``referral`` fixture is the root conftest's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from pathlib import Path

import pytest
import yaml

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.plan import PinnedBooking
from panelsched.core.referrals import Referral
from panelsched.io.model_file import load_model
from panelsched.planner.metrics import lateness
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.planner.result import Result
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import PANELS

Modeller = Callable[..., Authority]
Problemer = Callable[..., ProblemData]


@pytest.fixture
def model_of(tmp_path: Path) -> Modeller:
    """``model_of("crp", "lpp")``: an authority with those panels, loaded from a YAML file."""

    def build(*panel_ids: str) -> Authority:
        path = tmp_path / f"model-{'-'.join(panel_ids)}.yaml"
        document = {"authority": "Testshire", "panels": [PANELS[p] for p in panel_ids]}
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return load_model(path)

    return build


@pytest.fixture
def away() -> Callable[..., Unavailability]:
    """``away(person, first, last=first)``: whole days away."""

    def build(person: str, first: date, last: date | None = None) -> Unavailability:
        return Unavailability(
            person, datetime.combine(first, time()), datetime.combine(last or first, time())
        )

    return build


@pytest.fixture
def away_part() -> Callable[..., Unavailability]:
    """``away_part(person, day, "13:00", "13:30")``: away for part of a day (training)."""

    def build(person: str, day: date, start: str, end: str) -> Unavailability:
        return Unavailability(
            person,
            datetime.combine(day, time.fromisoformat(start)),
            datetime.combine(day, time.fromisoformat(end)),
            whole_days=False,
            reason="training",
        )

    return build


@pytest.fixture
def pin() -> Callable[..., PinnedBooking]:
    """``pin(rid, day, "13:15", row=2)``: an earlier booking that keeps its date and time."""

    def build(rid: str, day: date, start: str, row: int = 0) -> PinnedBooking:
        return PinnedBooking(rid, day, time.fromisoformat(start), row=row)

    return build


@pytest.fixture
def problem_of(model_of: Modeller) -> Problemer:
    """Build the problem from referrals over 4 Jan to 28 Feb 2027 (unless told otherwise)."""

    def build(
        *referrals: Referral,
        panels: Iterable[str] = ("crp",),
        unavailable: Iterable[Unavailability] = (),
        pinned: Iterable[PinnedBooking] = (),
        start: date = date(2027, 1, 4),
        end: date = date(2027, 2, 28),
    ) -> ProblemData:
        authority = model_of(*panels)
        return build_problem(authority, referrals, unavailable, pinned, start, end)

    return build


def _assert_valid(problem: ProblemData, result: Result, pinned_warnings: bool = False) -> None:
    plan = result.plan
    findings = check_plan(problem, plan)
    pinned = {
        r.referral_id
        for r, at in zip(problem.referrals, problem.pinned_start, strict=True)
        if at is not None
    }
    if pinned_warnings:
        # An earlier booking kept as it was may break a rule: the validator warns, no more.
        findings = [
            f for f in findings if not (f.severity == "warning" and f.referral_id in pinned)
        ]
    defects = [f for f in findings if f.rule not in LATENESS_RULES]
    assert defects == [], defects
    late = lateness(problem, plan)
    assert sorted(f.referral_id for f in findings if f.rule in LATENESS_RULES) == sorted(late)
    assert result.late == len(late)
    assert result.unplaced == len(plan.unplaced)
    ids = sorted([b.referral_id for b in plan.bookings] + list(plan.unplaced))
    assert ids == sorted(r.referral_id for r in problem.referrals)


@pytest.fixture
def assert_valid() -> Callable[..., None]:
    """``assert_valid(problem, result)``: re-check the plan with the validator (no ortools).

    The only findings allowed are lateness (S6-S9, S14), naming exactly the bookings after
    their due date; the result's counts agree with its plan, and every referral is either
    booked or unplaced. ``pinned_warnings=True`` also allows the validator's warnings about
    pinned bookings (an earlier decision the plan was told to keep).
    """
    return _assert_valid
