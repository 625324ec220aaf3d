"""cite: a finding cites the model's own source where the model adopts the rule, else the
rule's source as a general rule. Each case is worked out from DOMAIN.md's citations and the
shipped models' ``source:`` lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from panelsched.io.model_file import load_model
from panelsched.io.records import Record, Records
from panelsched.validator import RULES
from panelsched.validator.rulebook import cite
from panelsched.validator.validation import validate

MODELS = Path(__file__).resolve().parents[2] / "models"
LAMBETH = load_model(MODELS / "lambeth.yaml")
CBC = load_model(MODELS / "central-bedfordshire.yaml")
SWINDON = load_model(MODELS / "swindon.yaml")


@pytest.mark.parametrize(
    ("authority", "panel", "rule", "params", "expected"),
    [
        # S6 is cited to CBC 6 alone: on a Lambeth case it is a general rule ...
        (LAMBETH, "lam-crp", "S6", (), "general rule (CBC 6)"),
        # ... on Central Bedfordshire's own panel (source "CBC 2, 5, 6, ...") its own words.
        (CBC, "cbc-arp", "S6", (), "CBC 6"),
        # S9 "CBC 5, LAM 16+, SWI 5, 9": each council's part of the citation.
        (LAMBETH, "lam-16plus", "S9", (), "LAM 16+"),
        (SWINDON, "swi-care", "S9", (), "SWI 5, 9"),
        (CBC, "cbc-arp", "S9", (), "CBC 5"),
        # P1 "LAM CRP, LPP; CBC 9; SWI 5": LPP belongs to the Lambeth group.
        (LAMBETH, "lam-lpp", "P1", (), "LAM CRP, LPP"),
        # S13 is Lambeth's (LAM CTP) and nobody else's.
        (SWINDON, "swi-care", "S13", (), "general rule (LAM CTP)"),
        # A Lambeth panel whose rules: set the rule's parameter adopts it: its own source.
        (LAMBETH, "lam-crp", "P4", ("minutes_on_record_days",), "LAM governance"),
        (LAMBETH, "lam-16plus", "P13", ("min_age",), "LAM"),
        (LAMBETH, "lam-neet", "P15", ("papers_days_before",), "LAM NEET"),
        # Swindon's rules do not set Lambeth's s17 threshold: not adopted, a general rule.
        (SWINDON, "swi-care", "P11", ("s17_threshold_pounds",), "general rule (LAM CRP)"),
        # The integrity of a plan is no council's rule.
        (LAMBETH, "lam-crp", "PLAN", (), "plan integrity"),
    ],
)
def test_cite(authority, panel, rule, params, expected) -> None:
    assert cite(rule, authority.panel(panel), params) == expected


def test_a_panel_adopting_a_rule_by_its_rules_cites_its_own_source() -> None:
    # lam-crp with cla_review_lead_days set: Lambeth adopts the three-weeks rule itself.
    panel = LAMBETH.panel("lam-crp")
    adopted = panel.model_copy(update={"rules": {**panel.rules, "cla_review_lead_days": 28}})
    assert cite("S6", adopted, ("cla_review_lead_days",)) == "LAM CRP"
    nameless = adopted.model_copy(update={"source": None})
    assert cite("S6", nameless, ("cla_review_lead_days",)) == "the model's rules for lam-crp"
    assert cite("S6", None) == RULES["S6"].source


def test_a_lambeth_finding_never_cites_another_councils_document_as_its_own() -> None:
    # Heard Thu 11 March 2027, CLA review 23 March: 12 days before it, 21 needed (S6).
    record = Record("C-1", "lam-crp", date(2027, 3, 11), row=2, cla_review=date(2027, 3, 23))
    columns = frozenset({"referral_id", "panel", "date", "cla_review"})
    found = validate(LAMBETH, records=Records("records.csv", (record,), columns))
    [finding] = [f for f in found.findings if f.rule == "S6"]
    assert finding.source == "general rule (CBC 6)"
