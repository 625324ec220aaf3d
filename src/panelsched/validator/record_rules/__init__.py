"""The rule catalogue for a panel's records, in DOMAIN.md's order: one unit per rule.

Each unit names its rule id (citation in :mod:`panelsched.validator.rulebook`), the record
columns it reads and its parameters: a parameter with a default applies to every panel (the
source's value, which the model may change); one without switches the rule on only for panels
whose ``rules:`` set it. Each returns ``None`` when the record keeps the rule, a message with
the numbers when it breaks it (a :class:`~panelsched.validator.catalogue.Warn` for advice),
``NOT_CHECKED`` when a cell it needs is blank, and ``NOT_APPLICABLE`` when the rule does not
speak to the record.

A blank cell in a column that records a condition (``cla_review``, ``contract_end``,
``emergency_decision``) means the condition does not apply. A blank cell in a column that
records a task done after the sitting (``minutes_on_record``) counts as not done once the task
is overdue by the last date in the records, and as not checked before then.

The rules come in two families, each a module: :mod:`.scheduling` (S1-S14, when and where a
case was heard) and :mod:`.process` (P1-P19, what is done before, at and after the sitting).
Importing this package declares every unit in the catalogue
(:data:`~panelsched.validator.catalogue.CATALOGUE`).
"""

from panelsched.validator.record_rules import process, scheduling
from panelsched.validator.record_rules.scheduling import ratification_verdict

__all__ = ["process", "ratification_verdict", "scheduling"]
