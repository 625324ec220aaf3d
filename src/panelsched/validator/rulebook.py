"""The rules the validator knows, as DOMAIN.md states them: id, what it asks, the citation.

This is the catalogue's table of contents. The checks themselves live next to the data they
read: :mod:`panelsched.validator.plan_checks` for a plan (bookings), and
:mod:`panelsched.validator.record_rules` for a panel's records. Each rule there names its id
here, so a finding always carries the same citation as DOMAIN.md; :func:`cite` says which
part of it applies to a panel of the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from panelsched.core.panels import Panel


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One rule of DOMAIN.md.

    Parameters
    ----------
    id
        ``S1``..``S14`` (scheduling), ``P1``..``P19`` (process) or ``PLAN`` (integrity).
    title
        The rule in a few plain words.
    source
        The citation tag(s) in DOMAIN.md.
    """

    id: str
    title: str
    source: str


_TABLE = (
    RuleInfo("PLAN", "each referral booked once or listed unplaced; pins kept", "plan integrity"),
    RuleInfo("S1", "heard only at a sitting of its own panel (and locality)", "PBO, LAM"),
    RuleInfo(
        "S2",
        "submitted by the sitting's cut-off, or late with the chair's permission",
        "LAM, CBC 9, CPR 3.6-3.7, SWI 5",
    ),
    RuleInfo(
        "S3",
        "a whole slot inside the window, clear of breaks, not overlapping another",
        "CBC 10, CPR 3.2-3.3, SWI 5",
    ),
    RuleInfo("S4", "complex cases get the longer slot", "CPR 3.3, SWI 5"),
    RuleInfo(
        "S5",
        "the SW and TM attend; nobody in two places at once or booked while away",
        "CPR 2.6-2.7, SWI 7",
    ),
    RuleInfo("S6", "heard at least 3 weeks before the CLA or CP review", "CBC 6"),
    RuleInfo(
        "S7",
        "review heard by the review-by date, before the approval runs out",
        "CBC 9, CPR 4.6, SWI 8",
    ),
    RuleInfo("S8", "a placement heard within 8 weeks before its contract ends", "CBC 2, 10"),
    RuleInfo(
        "S9", "an emergency decision ratified at the next sitting", "CBC 5, LAM 16+, SWI 5, 9"
    ),
    RuleInfo("S10", "a deferred case goes to the next available sitting", "CBC 9"),
    RuleInfo("S11", "permanency tracking within two weeks of the first CLA review", "LAM PTP"),
    RuleInfo("S12", "a young person still NEET reviewed again within three months", "LAM NEET"),
    RuleInfo("S13", "each safeguarding TM allocated one slot a month", "LAM CTP"),
    RuleInfo(
        "S14", "heard by the deadline set for it, without avoidable delay", "SWI 11, LAM objectives"
    ),
    RuleInfo(
        "P1", "the request was approved for submission by a manager", "LAM CRP, LPP; CBC 9; SWI 5"
    ),
    RuleInfo("P2", "the required paperwork is attached", "LAM"),
    RuleInfo("P3", "a chair or vice-chair chaired the sitting", "CPR 2.1, CBC 13, LAM"),
    RuleInfo("P4", "minutes on the child's record within 3 days of the sitting", "LAM governance"),
    RuleInfo(
        "P5", "decision notice approved within 6 and circulated within 10 working days", "PBO"
    ),
    RuleInfo("P6", "the family told within 48 hours where possible", "PBO"),
    RuleInfo("P7", "draft record, chair's return and uploads within 48/48/24 hours", "CPR 5.2-5.4"),
    RuleInfo("P8", "decision on the child's record by the Wednesday after the sitting", "SWI 8"),
    RuleInfo("P9", "an approval carries a review date", "CBC 9, CPR 4.6, SWI 8"),
    RuleInfo(
        "P10", "only requests above the threshold, and no excluded kinds, come to panel", "SWI 6"
    ),
    RuleInfo(
        "P11", "section 17 packages above the threshold need the panel's agreement", "LAM CRP"
    ),
    RuleInfo("P12", "distant or out-of-area placements need the Director's agreement", "SWI 13"),
    RuleInfo("P13", "the child's age is within the panel's range", "PBO, LAM"),
    RuleInfo(
        "P14",
        "a sitting is cancelled only with the chair's agreement and 24 hours' notice",
        "CBC 8, SWI 5",
    ),
    RuleInfo("P15", "papers reach members in time", "CBC 9, CPR 4.5, LAM NEET"),
    RuleInfo("P16", "a deferral records its reason", "SWI flow chart"),
    RuleInfo("P17", "SGO, child arrangements and adoption support come before court", "SWI 7"),
    RuleInfo("P18", "Staying Put presented when the young person finishes year 11", "CBC 6"),
    RuleInfo(
        "P19", "the IRO notified and copied in at a transition or significant change", "CBC 6"
    ),
)

RULES: dict[str, RuleInfo] = {rule.id: rule for rule in _TABLE}

# The source documents' tags in DOMAIN.md; a citation's part starting with one opens a group
# ("LAM CRP, LPP" is one group, "SWI 5, 9" another).
SOURCE_TAGS = ("PBO", "LAM", "CBC", "CPR", "SWI")


def source_of(rule: str) -> str:
    """The citation of ``rule``."""
    return RULES[rule].source


def _groups(citation: str) -> list[str]:
    """``"CBC 5, LAM 16+, SWI 5, 9"`` as ``["CBC 5", "LAM 16+", "SWI 5, 9"]``."""
    groups: list[list[str]] = []
    for part in (p.strip() for p in citation.replace(";", ",").split(",")):
        if part.split(" ")[0] in SOURCE_TAGS or not groups:
            groups.append([part])
        else:
            groups[-1].append(part)
    return [", ".join(g) for g in groups]


def cite(rule: str, panel: Panel | None, params: Iterable[str] = ()) -> str:
    """What a finding on ``panel`` cites for ``rule``: the model's own source where the model
    adopts the rule, else the rule's source marked as a general rule.

    The model adopts a rule for a panel when the rule's citation names the panel's own
    document (the tag its ``source:`` starts with: ``LAM`` for Lambeth) or when the panel's
    ``rules:`` set one of the rule's ``params``. A Lambeth finding on the three-weeks rule,
    cited only by Central Bedfordshire, reads ``general rule (CBC 6)``, never ``CBC 6``.

    Examples
    --------
    >>> from panelsched.core.panels import Panel
    >>> crp = Panel.model_validate({"id": "lam-crp", "name": "CRP", "source": "LAM CRP",
    ...     "cadence": "FREQ=WEEKLY;BYDAY=TH", "time": "13:00-16:00", "slot_minutes": 15})
    >>> cite("S6", crp), cite("S9", crp), cite("S1", None)
    ('general rule (CBC 6)', 'LAM 16+', 'PBO, LAM')
    """
    general = source_of(rule)
    if panel is None or rule not in RULES or rule == "PLAN":
        return general
    tag = (panel.source or "").split(" ")[0]
    own = [group for group in _groups(general) if tag in SOURCE_TAGS and group.startswith(tag)]
    if own:
        return "; ".join(own)
    if any(name in panel.rules for name in params):
        return panel.source or f"the model's rules for {panel.id}"
    return f"general rule ({general})"


__all__ = ["RULES", "SOURCE_TAGS", "RuleInfo", "cite", "source_of"]
