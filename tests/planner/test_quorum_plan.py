"""A sitting that cannot be quorate is taken out of the plan, with its reason.

``crp`` sits on Thursdays 7, 14, 21 and 28 January 2027, 13:00-14:00 (four 15-minute slots),
cut-off the Monday before at 13:00. Here it has a chair CH-01, a vice-chair VC-01 and two
members, and needs the chair (or the vice-chair) plus one other; CH-01 and VC-01 are both on
leave on Thursday 7 January.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import yaml

from panelsched.core.availability import Unavailability
from panelsched.core.referrals import Referral
from panelsched.io.model_file import load_model
from panelsched.planner import SolveParams, solve
from panelsched.planner.explain import SITTING_INQUORATE, explain
from panelsched.planner.problem import INQUORATE, build_problem
from panelsched.validator import check_plan
from tests.helpers.builders import PANELS

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)
MEMBERS = [
    {"id": "CH-01", "role": "chair"},
    {"id": "VC-01", "role": "vice-chair"},
    {"id": "M-01"},
    {"id": "M-02"},
]
LEAVE = [
    Unavailability(p, datetime.combine(JAN7, time()), datetime.combine(JAN7, time()))
    for p in ("CH-01", "VC-01")
]


def problem(tmp_path: Path, referrals: list[Referral], **changes: Any):  # type: ignore[no-untyped-def]
    panel = PANELS["crp"] | {"members": MEMBERS, "quorum": {"members": 1}} | changes
    path = tmp_path / "model.yaml"
    document = {"authority": "Testshire", "panels": [panel]}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return build_problem(load_model(path), referrals, LEAVE, (), JAN7 - date.resolution * 3)


@pytest.mark.parametrize("method", ["cpsat", "greedy"])
def test_a_sitting_without_its_chair_is_taken_out_with_its_reason(
    tmp_path: Path,
    referral,
    assert_valid,
    method,  # type: ignore[no-untyped-def]
) -> None:
    # R1 must be heard by Thursday 7 January, whose chair and vice-chair are on leave: no
    # slot is offered there, so it goes to 14 January, 7 days late, and says why.
    case = referral("R1", deadline=JAN7)
    given = problem(tmp_path, [case])
    assert given.exclusion(0, 0) is not None and given.exclusion(0, 0).code == INQUORATE
    result = solve(given, params=SolveParams(method=method))
    assert_valid(given, result)
    assert [(b.referral_id, b.date) for b in result.plan.bookings] == [("R1", JAN14)]
    (why,) = explain(given, result.plan)
    assert why.code == SITTING_INQUORATE
    assert (
        "The Resource Panel sitting of 07/01/2027 has no chair: chair CH-01 and vice-chair"
        " VC-01 on leave." in why.reason
    )
    assert why.reason.startswith("Heard 14/01/2027, 7 days after 07/01/2027")


def test_inquorate_warn_keeps_the_sitting_open_and_the_validator_warns(
    tmp_path: Path,
    referral,  # type: ignore[no-untyped-def]
) -> None:
    # With inquorate: warn the 7 January sitting is offered; R1 is booked there in time, and
    # the validator's P3 warns (not an error) that it cannot be quorate.
    given = problem(tmp_path, [referral("R1", deadline=JAN7)], inquorate="warn")
    result = solve(given)
    assert [b.date for b in result.plan.bookings] == [JAN7]
    findings = [f for f in check_plan(given, result.plan) if f.rule == "P3"]
    assert [(f.severity, f.referral_id) for f in findings] == [("warning", "R1")]
    assert "has no chair" in findings[0].message
    # The re-check otherwise finds nothing: the one warning is the only finding.
    assert len(check_plan(given, result.plan)) == 1


def test_the_validator_refuses_a_plan_booked_at_an_inquorate_sitting(
    tmp_path: Path,
    referral,  # type: ignore[no-untyped-def]
) -> None:
    # The plan made with inquorate: warn, checked against the model that refuses: P3 error.
    warned = problem(tmp_path, [referral("R1", deadline=JAN7)], inquorate="warn")
    plan = solve(warned, params=SolveParams(method="greedy")).plan
    refused = problem(tmp_path, [referral("R1", deadline=JAN7)])
    errors = [(f.rule, f.severity) for f in check_plan(refused, plan) if f.rule == "P3"]
    assert errors == [("P3", "error")]
