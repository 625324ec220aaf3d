"""Warnings about referrals that read cleanly but look wrong.

A referral submitted after now, or more than a year ago, a CLA or CP review before it was
submitted, a kind of request its panel does not fund or a cost under its panel's threshold
(rule P10, set in the model's ``rules``: ``threshold_pounds``, ``excluded_request_types``):
each may be right, so it is booked, but the person adding it is told, naming row and column,
before they confirm. What cannot be right is refused when the file is read
(:mod:`panelsched.io.inputs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.errors import Problem

# Older than this, a submission date is more likely a typing slip (2026 for 2027) than a
# referral that waited.
LONG_AGO = timedelta(days=365)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}".removesuffix(".00")


def _excluded(request_type: str, kinds: Iterable[str]) -> str | None:
    """The excluded kind ``request_type`` names as whole words (case aside), as rule P10 of
    the validator reads it."""
    text = " ".join(request_type.lower().split())
    for kind in kinds:
        if re.search(rf"(?<!\w){re.escape(str(kind).lower())}(?!\w)", text):
            return str(kind)
    return None


def referral_warnings(
    referrals: Sequence[Referral], authority: Authority, now: datetime, file: str
) -> tuple[Problem, ...]:
    """What is unusual about ``referrals``, one problem per cell, in row order.

    Parameters
    ----------
    referrals
        As read from ``file`` (their ``row`` names the row).
    authority
        The model: each panel's name and its P10 settings.
    now
        When they are added: a submission after it, or a year before it, is unusual.
    file
        The file's name for the messages.
    """
    panels = {p.id: p for p in authority.panels}
    found: list[Problem] = []

    def warn(referral: Referral, column: str, message: str) -> None:
        found.append(Problem(file, message, row=referral.row, column=column))

    for referral in sorted(referrals, key=lambda r: r.row):
        submitted = referral.submitted
        if submitted > now:
            warn(
                referral,
                "submitted",
                f"'{referral.referral_id}' was submitted {submitted:%d/%m/%Y %H:%M}, after now "
                f"({now:%d/%m/%Y %H:%M}); check the date: it cannot be heard at a sitting "
                "before it",
            )
        elif submitted < now - LONG_AGO:
            warn(
                referral,
                "submitted",
                f"'{referral.referral_id}' was submitted {submitted:%d/%m/%Y}, more than a year "
                "ago; check the date (the year may be a slip)",
            )
        for column, review, name in (
            ("cla_review", referral.cla_review, "CLA"),
            ("cp_review", referral.cp_review, "CP"),
        ):
            if review is not None and review < submitted.date():
                warn(
                    referral,
                    column,
                    f"the {name} review {review:%d/%m/%Y} is before the referral was submitted "
                    f"({submitted:%d/%m/%Y}); check the date: a review date is the next one "
                    "ahead",
                )
        panel = panels.get(referral.panel)
        if panel is None:
            continue
        kinds = panel.rules.get("excluded_request_types")
        if referral.request_type and kinds:
            kind = _excluded(referral.request_type, kinds)
            if kind is not None:
                warn(
                    referral,
                    "request_type",
                    f"'{referral.request_type}' is a kind of request the {panel.name} does not "
                    f"fund ({kind}, rule P10); check that it should come to panel",
                )
        threshold = panel.rules.get("threshold_pounds")
        if referral.cost is not None and threshold is not None:
            least = Decimal(str(threshold))
            if referral.cost < least:
                warn(
                    referral,
                    "cost",
                    f"a {_pounds(referral.cost)} request; the {panel.name} hears requests of "
                    f"{_pounds(least)} or more (rule P10); check that it should come to panel",
                )
    return tuple(found)


__all__ = ["LONG_AGO", "referral_warnings"]
