"""What ``panelsched plan`` prints: the plan beside the first-come-first-served baseline."""

from __future__ import annotations

from rich.table import Table

from panelsched.planner.pipeline import PlanOutcome


def summary_table(outcome: PlanOutcome) -> Table:
    """Plan against the first-come-first-served baseline, side by side.

    Drawn from the summary record (``summary.json``), so the two always agree.
    """
    problem, result, baseline = outcome.problem, outcome.result, outcome.baseline
    plan, base = outcome.summary, outcome.summary["baseline"]
    table = Table(title=f"{problem.authority.authority}: plan ({result.method}, {result.status})")
    table.add_column("")
    table.add_column("this plan", justify="right")
    if result is not baseline:
        table.add_column("first come, first served", justify="right")
    rows = [
        ("referrals", "referrals"),
        ("placed", "placed"),
        ("unplaced", "unplaced"),
        ("heard after their due date", "late"),
        ("mean wait (days)", "mean_wait_days"),
        ("95th percentile wait (days)", "p95_wait_days"),
        ("weighted waiting days", "weighted_wait_days"),
        ("utilisation", "utilisation"),
    ]
    if any(p.max_wait_days is not None for p in problem.authority.panels):
        rows.insert(6, ("waiting beyond their panel's ceiling", "over_wait_ceiling"))
    if outcome.told:
        rows.insert(4, ("bookings moved (people to tell)", "moved"))
    for label, key in rows:
        cells = [_show(plan[key])]
        if result is not baseline:
            cells.append(_show(base[key]))
        table.add_row(label, *cells)
    if result.bound is not None:
        gap = result.gap or 0.0
        table.caption = (
            f"Lower bound on weighted waiting days: {result.bound} (gap {gap:.2%}); "
            f"{result.runtime:.1f} s"
        )
    first = _first_level(plan)
    if first:
        table.caption = (
            f"{table.caption}; {first}" if table.caption else first[:1].upper() + first[1:]
        )
    if result.capped:
        # Only then may the same input give another plan: say so where it is read.
        table.caption = (table.caption or "") + (
            "; the wall-clock cap stopped the search, so another run may give another plan"
        )
    return table


def _first_level(plan: dict[str, object]) -> str:
    """The first level against its proven bound, in words ("" when no bound was proven)."""
    most, referrals = plan.get("placed_bound"), plan["referrals"]
    if most is None:
        return ""
    placed = plan["placed"]
    noun = "referral" if referrals == 1 else "referrals"
    if placed == referrals:
        return "it places the 1 referral" if referrals == 1 else f"it places all {referrals} {noun}"
    if plan.get("first_level_met"):
        return f"it places {placed} of {referrals} {noun}, as many as any plan can"
    missed = plan.get("first_level_missed")
    said = "; ".join(
        str(m["sentence"])
        for m in (missed if isinstance(missed, list) else [])
        if isinstance(m, dict)
    )
    return (
        f"it places {placed} of {referrals} {noun}, below the proven limit of {most} (a plan "
        f"placing more may exist)" + (f": {said}" if said else "")
    )


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


__all__ = ["summary_table"]
