"""Due dates: each rule's date, the reason rendered from it, and the model's lead times."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from panelsched.core.due import Due, LeadTimes
from panelsched.core.panels import Authority
from panelsched.errors import InputError
from panelsched.io.model_file import load_model
from tests.helpers.builders import referral

FEB8 = date(2027, 2, 8)


def _model(rules: dict[str, object]) -> dict[str, object]:
    return {
        "authority": "Testshire",
        "panels": [
            {
                "id": "crp",
                "name": "Resource Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:00-14:00",
                "slot_minutes": 15,
                "rules": rules,
            }
        ],
    }


@pytest.mark.parametrize(
    ("lead", "due", "reason"),
    [
        # 8 Feb - 21 days = 18 Jan (the sources' three weeks).
        (LeadTimes(), date(2027, 1, 18), "3 weeks before the CLA review on 08/02/2027"),
        # 8 Feb - 28 days = 11 Jan.
        (
            LeadTimes(cla_review_days=28),
            date(2027, 1, 11),
            "4 weeks before the CLA review on 08/02/2027",
        ),
        # 8 Feb - 10 days = 29 Jan; not a whole number of weeks, so in days.
        (
            LeadTimes(cla_review_days=10),
            date(2027, 1, 29),
            "10 days before the CLA review on 08/02/2027",
        ),
        (
            LeadTimes(cla_review_days=7),
            date(2027, 2, 1),
            "1 week before the CLA review on 08/02/2027",
        ),
    ],
)
def test_a_cla_review_is_due_its_lead_before(lead: LeadTimes, due: date, reason: str) -> None:
    found = referral(cla_review=FEB8).due(lead)
    assert found == Due(due, "S6", "CLA review", FEB8, lead.cla_review_days)
    assert found.reason == reason


def test_the_cp_review_has_its_own_lead() -> None:
    # CLA 8 Feb - 21 = 18 Jan; CP 8 Feb - 35 = 4 Jan: the CP review binds.
    found = referral(cla_review=FEB8, cp_review=FEB8).due(LeadTimes(cp_review_days=35))
    assert found is not None
    assert (found.date, found.rule, found.basis) == (date(2027, 1, 4), "S6", "CP review")
    assert found.reason == "5 weeks before the CP review on 08/02/2027"


def test_the_contract_notice_follows_the_model() -> None:
    # Contract ends 8 Feb: heard by 7 Feb (S8); not before 8 Feb - 4 weeks = 11 Jan.
    case = referral(contract_end=FEB8)
    lead = LeadTimes(contract_end_weeks=4)
    assert case.due(lead) == Due(date(2027, 2, 7), "S8", "contract end", FEB8, 1)
    assert case.earliest(lead) == date(2027, 1, 11)
    # The sources' 8 weeks: 8 Feb - 56 days = 14 Dec 2026.
    assert case.earliest() == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"deadline": FEB8}, "S14"),
        ({"deadline": FEB8, "deadline_rule": "S11"}, "S11"),
        ({"deadline": FEB8, "deadline_rule": "S10"}, "S10"),
        ({"review_by": FEB8}, "S7"),
        ({"review_by": FEB8, "review_by_rule": "S12"}, "S12"),
    ],
)
def test_a_date_set_by_a_follow_up_keeps_its_rule(fields: dict[str, object], rule: str) -> None:
    found = referral(**fields).due()
    assert found is not None
    assert (found.date, found.rule) == (FEB8, rule)


def test_no_dates_no_due_date() -> None:
    assert referral().due() is None


def test_the_model_sets_the_lead_times_and_the_authority_applies_them() -> None:
    authority = Authority.model_validate(
        _model({"cla_review_lead_days": 28, "cp_review_lead_days": 14, "contract_end_weeks": 6})
    )
    assert authority.panel("crp").lead_times == LeadTimes(28, 14, 6)
    # 8 Feb - 28 days = 11 Jan.
    assert authority.due_date(referral(cla_review=FEB8)) == date(2027, 1, 11)
    # 8 Feb - 42 days = 28 Dec 2026.
    assert authority.earliest(referral(contract_end=FEB8)) == date(2026, 12, 28)


def test_a_model_without_lead_times_has_the_sources_values() -> None:
    assert Authority.model_validate(_model({})).panel("crp").lead_times == LeadTimes(21, 21, 8)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("four", "cla_review_lead_days: 'four': expected a whole number like 3"),
        (-1, "cla_review_lead_days: -1: expected a whole number like 3"),
        (2.5, "cla_review_lead_days: 2.5: expected a whole number like 3"),
        (True, "cla_review_lead_days: True: expected a whole number like 3"),
    ],
)
def test_a_bad_lead_time_is_refused_with_its_key(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Authority.model_validate(_model({"cla_review_lead_days": value}))
    assert message in str(caught.value)


def test_a_bad_lead_time_in_a_model_file_names_the_panel_and_key(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(_model({"contract_end_weeks": "eight"})), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(path)
    [problem] = caught.value.problems
    assert (problem.panel, problem.key) == ("crp", "rules")
    assert problem.message == "contract_end_weeks: 'eight': expected a whole number like 3"
