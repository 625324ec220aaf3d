"""The referrals and leave of one replication of a scenario.

Demand depends only on the scenario's demand section, its base model, its horizon and the
replication's seed, never on its changes: two scenarios with the same seed and the same
demand face the same referrals replication by replication (common random numbers), so their
difference is measured with much less noise than either figure alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from panelsched.core.availability import Unavailability
from panelsched.core.referrals import Referral
from panelsched.scenarios.spec import FileDemand, Scenario
from panelsched.synthetic import generate_availability, generate_referrals, people_of


def scale_referrals(referrals: Iterable[Referral], scale: float, seed: int) -> tuple[Referral, ...]:
    """Referrals taken ``floor(scale)`` times each, and once more with the remaining chance.

    ``scale=1.2`` keeps every referral and adds a copy of about one in five; ``scale=0.5``
    keeps about half. A copy keeps the original's dates and people (the same kind of case,
    arriving again) under the id ``<id>~2``, ``<id>~3``...

    Parameters
    ----------
    referrals
        The referrals as read.
    scale
        How much demand to plan, relative to the file; greater than 0.
    seed
        Which referrals are copied or dropped; the same seed, the same choice.

    Returns
    -------
    tuple of Referral
        Sorted by ``referral_id``.
    """
    if scale <= 0:
        raise ValueError("scale must be greater than 0")
    rng = random.Random(f"{seed}:scale")
    whole = int(scale)
    part = scale - whole
    result: list[Referral] = []
    for referral in sorted(referrals, key=lambda r: r.referral_id):
        copies = whole + (1 if part > 0 and rng.random() < part else 0)
        for number in range(1, copies + 1):
            copy_id = referral.referral_id if number == 1 else f"{referral.referral_id}~{number}"
            result.append(referral if number == 1 else replace(referral, referral_id=copy_id))
    return tuple(sorted(result, key=lambda r: r.referral_id))


def _repoint(scenario: Scenario, referrals: Iterable[Referral]) -> tuple[Referral, ...]:
    """Send referrals of merged panels to the panel they merged into, with its locality."""
    into = dict(scenario.merged)
    result = []
    for referral in referrals:
        panel = scenario.authority.panel(into.get(referral.panel, referral.panel))
        before = scenario.base.panel(referral.panel).locality
        if panel.id != referral.panel or panel.locality != before:
            referral = replace(referral, panel=panel.id, locality=panel.locality or "")
        result.append(referral)
    return tuple(result)


def scenario_demand(
    scenario: Scenario, seed: int
) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...]]:
    """The referrals and unavailability of one replication.

    Generated demand is drawn against the scenario's base model (before its changes), with
    leave covering the whole planning range; demand from a file is scaled. Referrals to a
    merged panel then go to the panel it merged into.

    Parameters
    ----------
    scenario
        A loaded scenario.
    seed
        The replication's seed (see :func:`panelsched.scenarios.runner.replication_seed`).

    Returns
    -------
    tuple
        ``(referrals, unavailability)``.
    """
    demand = scenario.demand
    if isinstance(demand, FileDemand):
        referrals = scale_referrals(demand.referrals, demand.scale, seed)
        return _repoint(scenario, referrals), demand.availability
    drawn = generate_referrals(
        scenario.base,
        scenario.start,
        scenario.end,
        load=demand.load,
        profile=demand.profile,
        seed=seed,
    )
    # Leave runs to the end of the planning range, so the run-out weeks are not all present.
    away = generate_availability(
        people_of(drawn),
        scenario.start,
        max(scenario.plan_end, scenario.start + timedelta(days=1)),
        seed,
        demand.profile.leave,
        scenario.base.holidays,
    )
    return _repoint(scenario, drawn), away


__all__ = ["scale_referrals", "scenario_demand"]
