"""Records joined with the referrals file: a blank record cell is filled from the referral.

The records themselves are read by :mod:`panelsched.io.records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from panelsched.core.referrals import Referral
from panelsched.io.records import Records

# Record column -> the referral's attribute that fills it when the record's cell is blank.
_FROM_REFERRAL: Mapping[str, str] = {
    "submitted": "submitted",
    "late_permission": "late_permission",
    "social_worker": "social_worker",
    "team_manager": "team_manager",
    "complex": "complex",
    "cla_review": "cla_review",
    "cp_review": "cp_review",
    "review_by": "review_by",
    "contract_end": "contract_end",
    "deadline": "deadline",
    "cost": "cost",
    "request_type": "request_type",
    "child_id": "child_id",
    "requested": "requested",
    "clock_pauses": "clock_pauses",
}


def join_referrals(records: Records, referrals: Iterable[Referral]) -> Records:
    """Fill blank record cells from the referrals file, matching on ``referral_id``.

    A referral's dates, people, complexity, cost and request type then count as known for the
    rules that read them. A record's own cell always wins.
    """
    by_id = {r.referral_id: r for r in referrals}
    if not by_id:
        return records
    rows = []
    for record in records.rows:
        referral = by_id.get(record.referral_id)
        if referral is None:
            rows.append(record)
            continue
        filled: dict[str, Any] = {}
        for column, attribute in _FROM_REFERRAL.items():
            mine = getattr(record, column)
            if mine is None or mine == "" or mine == ():
                theirs = getattr(referral, attribute)
                if theirs is not None and theirs != "" and theirs != ():
                    filled[column] = theirs
        if referral.priority == "emergency" and record.emergency_decision is None:
            # An emergency referral's submission is the moment the decision was taken to it.
            filled["emergency_decision"] = referral.submitted
        rows.append(replace(record, **filled) if filled else record)
    return Records(records.file, tuple(rows), records.columns | frozenset(_FROM_REFERRAL))


__all__ = ["join_referrals"]
