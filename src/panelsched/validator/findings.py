"""What the validator says: findings, and a tally of each rule's verdicts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

FINDING_COLUMNS = ("rule", "severity", "panel", "referral_id", "sitting", "message", "source")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a plan or a panel's records did against a rule.

    Parameters
    ----------
    rule
        The rule's id in DOMAIN.md (``S6``, ``P4``), or ``PLAN`` for the plan's own integrity.
    severity
        ``error`` when the rule was broken, ``warning`` when it is advice or the plan only kept
        an earlier decision.
    panel
        The panel id, or empty.
    referral_id
        The case reference, or empty when the finding is about a sitting.
    sitting
        The sitting's id ``panel@YYYY-MM-DD``, or empty.
    message
        What happened, in plain words with the numbers.
    source
        The citation in DOMAIN.md, e.g. ``CBC 6``.
    """

    rule: str
    severity: Severity
    panel: str
    referral_id: str
    sitting: str
    message: str
    source: str

    def as_row(self) -> dict[str, str]:
        """The finding as one row of ``findings.csv``."""
        return {name: str(getattr(self, name)) for name in FINDING_COLUMNS}


def rule_order(rule: str) -> tuple[int, int, str]:
    """Sort key putting ``PLAN`` first, then ``S1``..``S14``, then ``P1``..``P19``, then the
    model's statutory clocks by id."""
    match = re.fullmatch(r"([SP])(\d+)", rule)
    if match is None:
        return (0 if rule == "PLAN" else 3, 0, rule)
    return (1 if match[1] == "S" else 2, int(match[2]), "")


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by rule, sitting, case, then message."""
    return sorted(
        findings,
        key=lambda f: (rule_order(f.rule), f.sitting, f.referral_id, f.panel, f.message),
    )


@dataclass
class Tally:
    """How one rule fared over the items (bookings, records) it looked at.

    An item is *checked* when the data the rule needs is there; it *failed* when the rule
    produced a finding about it; it is *not checked* when its data is absent. An item that
    was not checked never counts as passed.
    """

    rule: str
    checked: int = 0
    not_checked: int = 0
    failed_items: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Items with at least one finding."""
        return len(self.failed_items)

    @property
    def passed(self) -> int:
        """Items checked without a finding."""
        return self.checked - self.failed

    def add(self, item: str, finding: Finding) -> None:
        """Record ``finding`` against ``item`` (which must also be counted as checked)."""
        self.failed_items.add(item)
        self.findings.append(finding)

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts and findings (same rule, distinct items)."""
        self.checked += other.checked
        self.not_checked += other.not_checked
        self.failed_items |= other.failed_items
        self.findings.extend(other.findings)


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """One line of the summary: a rule and how many items passed, failed, were not checked."""

    rule: str
    title: str
    source: str
    checked: int
    passed: int
    failed: int
    not_checked: int

    @property
    def status(self) -> str:
        """``failed``, ``passed`` or ``not checked`` (nothing to check it against)."""
        if self.failed:
            return "failed"
        return "passed" if self.checked else "not checked"


__all__ = [
    "FINDING_COLUMNS",
    "Finding",
    "RuleSummary",
    "Severity",
    "Tally",
    "rule_order",
    "sort_findings",
]
