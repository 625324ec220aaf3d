"""The validator: check a plan or a panel's records against DOMAIN.md's rules, with citations.

It imports data and plans only, never the solver, so it is an independent re-check of every
plan the planner writes::

    from panelsched.validator import check_plan
    findings = check_plan(problem, plan)

and it checks what happened at the sittings (:func:`validate` with a records file) against
the process rules, reporting a rule whose data is absent as not checked.
"""

from panelsched.io.records import RECORD_COLUMNS, Record, Records, load_records
from panelsched.validator.bookings import BookingsFile, load_bookings
from panelsched.validator.catalogue import CATALOGUE, RecordRule
from panelsched.validator.findings import Finding, RuleSummary, Severity, Tally
from panelsched.validator.plan_checks import (
    LATENESS_RULES,
    audit_plan,
    check_plan,
    lateness_rules,
)
from panelsched.validator.rulebook import RULES, RuleInfo
from panelsched.validator.validation import Validation, validate

__all__ = [
    "CATALOGUE",
    "LATENESS_RULES",
    "RECORD_COLUMNS",
    "RULES",
    "BookingsFile",
    "Finding",
    "Record",
    "RecordRule",
    "Records",
    "RuleInfo",
    "RuleSummary",
    "Severity",
    "Tally",
    "Validation",
    "audit_plan",
    "check_plan",
    "lateness_rules",
    "load_bookings",
    "load_records",
    "validate",
]
