"""What the advice writes: ``advice.md``, ``advice.csv``, ``slot_values.csv``, the plot and
the revised model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from panelsched.advice.advise import Advice, Figures, Step
from panelsched.advice.capacity_changes import revised_model
from panelsched.advice.prices import SlotValue
from panelsched.exports.atomic import replace_text
from panelsched.exports.tables import write_csv

STEP_COLUMNS = [
    "order",
    "change",
    "panel",
    "date",
    "kind",
    "minutes",
    "cost",
    "cumulative_cost",
    "late",
    "late_saved",
    "unplaced",
    "misses",
    "waiting_days",
    "waiting_days_saved",
    "p95_wait_days",
]
SLOT_VALUE_COLUMNS = [
    "panel",
    "date",
    "weekday",
    "slot_minutes",
    "placed_per_slot",
    "late_saved_per_slot",
    "waiting_days_saved_per_slot",
]
# How many sittings advice.md lists by the worth of one more slot.
_SHOWN = 10


def _uk(day: object) -> str:
    return f"{day:%d/%m/%Y}"


def _cost(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def steps_frame(advice: Advice) -> pd.DataFrame:
    """The model as it is, then each change added in date order, with the plan's figures."""
    rows = [_step_row(0, None, 0.0, advice.today, advice.today, advice)]
    cumulative = 0.0
    before = advice.today
    for number, step in enumerate(advice.steps, start=1):
        cumulative += step.change.cost
        rows.append(_step_row(number, step, cumulative, step.figures, before, advice))
        before = step.figures
    return pd.DataFrame(rows, columns=STEP_COLUMNS)


def _step_row(
    number: int,
    step: Step | None,
    cumulative: float,
    now: Figures,
    before: Figures,
    advice: Advice,
) -> dict[str, object]:
    change = step.change if step is not None else None
    return {
        "order": number,
        "change": change.words(advice.authority) if change else "the model as it is",
        "panel": change.panel if change else "",
        "date": change.date.isoformat() if change else "",
        "kind": change.kind if change else "",
        "minutes": change.minutes if change else "",
        "cost": change.cost if change else 0.0,
        "cumulative_cost": round(cumulative, 6),
        "late": now.late,
        "late_saved": before.late - now.late,
        "unplaced": now.unplaced,
        "misses": now.misses,
        "waiting_days": now.waiting_days,
        "waiting_days_saved": before.waiting_days - now.waiting_days,
        "p95_wait_days": now.p95_wait,
    }


def slot_values_frame(advice: Advice) -> pd.DataFrame:
    """Each sitting of the model as it is with one more slot's worth."""
    rows = [
        {
            "panel": v.sitting.panel,
            "date": v.sitting.date.isoformat(),
            "weekday": f"{v.sitting.date:%A}",
            "slot_minutes": v.slot_minutes,
            "placed_per_slot": round(v.placed, 3),
            "late_saved_per_slot": round(v.late, 3),
            "waiting_days_saved_per_slot": round(v.waiting_days, 2),
        }
        for v in advice.slot_values
    ]
    return pd.DataFrame(rows, columns=SLOT_VALUE_COLUMNS)


def _figures_table(advice: Advice) -> list[str]:
    today, after = advice.today, advice.after
    miss = (
        "cases late or unplaced"
        if advice.target.kind == "late"
        else (f"cases waiting over {advice.target.days} days or unplaced")
    )
    rows = [
        (miss, today.misses, after.misses),
        ("heard after the due date", today.late, after.late),
        ("unplaced", today.unplaced, after.unplaced),
        ("waiting days (all cases)", f"{today.waiting_days:,}", f"{after.waiting_days:,}"),
        ("95th percentile wait (days)", f"{today.p95_wait:g}", f"{after.p95_wait:g}"),
    ]
    lines = ["| figure | as it is | with the changes |", "|---|---:|---:|"]
    lines += [f"| {name} | {a} | {b} |" for name, a, b in rows]
    return lines


def _verdict(advice: Advice) -> list[str]:
    target, n = advice.target, len(advice.chosen)
    considered = f"the {advice.candidates} changes considered"
    proof = (
        f"proven the cheapest among {considered}"
        if advice.gap <= 1e-9
        else f"at most {_cost(advice.gap)} above the cheapest possible among {considered} "
        f"(a proven lower bound of {_cost(advice.bound)})"
    )
    lines = []
    if not advice.reachable:
        lines.append(
            f"**The target ({target.words()}) cannot be reached** by any of {considered}: "
            f"at least {advice.floor} cases miss it whatever is added (the relaxation's floor: "
            "their due dates fall before any sitting they could reach, or someone they need is "
            "away on every one)."
        )
        lines.append("")
        aim = f"the best reachable figure, {advice.aimed}"
    else:
        aim = f"the target ({target.words()})"
    if n == 0:
        lines.append(f"No change is needed to reach {aim}: the panel as it is reaches it.")
    else:
        lines.append(
            f"The cheapest changes reaching {aim}: {n} change{'s' if n != 1 else ''} costing "
            f"{_cost(advice.cost)}, {proof}."
        )
    if advice.confirmed:
        lines.append(
            f"Re-planned with them by the planner: {advice.after.misses} missing the target "
            f"(today {advice.today.misses})."
        )
    else:
        lines.append(
            f"**Not confirmed**: re-planned with them, the planner has {advice.after.misses} "
            f"missing the target, not {advice.aimed} (after {advice.rounds} round(s)); the "
            "relaxation is optimistic here (people's other panels and part-day leave, whole "
            "slots). Treat the changes as a lower estimate."
        )
    return lines


def _amount(value: float, one: str, many: str) -> str:
    shown = round(value, 2)
    return f"{shown:g} {one if shown == 1 else many}"


def _slot_words(value: SlotValue) -> str:
    """What one more slot does, in words ("" when it does nothing): "places 1 more case,
    saves 1 late case and 7 waiting days"."""
    saves = []
    if value.late >= 0.005:
        saves.append(_amount(value.late, "late case", "late cases"))
    if value.waiting_days >= 0.5:
        saves.append(f"{value.waiting_days:,.0f} waiting days")
    said = []
    if value.placed >= 0.005:
        said.append("places " + _amount(value.placed, "more case", "more cases"))
    if saves:
        said.append("saves " + " and ".join(saves))
    return ", ".join(said)


def advice_markdown(advice: Advice, files: Sequence[str]) -> str:
    """``advice.md``: the verdict, the figures, the changes in order, the slots worth most."""
    authority = advice.authority
    panels = sorted({s.sitting.panel for s in advice.slot_values})
    names = ", ".join(authority.panel(p).name for p in panels) if panels else authority.authority
    lines = [
        f"# Capacity advice: {authority.authority}, {names}",
        "",
        f"Planning range {_uk(advice.start)} to {_uk(advice.end)}; target `{advice.target}` "
        f"({advice.target.words()}).",
        "",
        *_verdict(advice),
        "",
        *_figures_table(advice),
        "",
    ]
    if advice.steps:
        lines += [
            "## The changes, in date order",
            "",
            "Each is added to those above it and the year re-planned; what it saves is against "
            "the plan before it.",
            "",
            "| # | change | cost | late after | late saved | waiting days saved | p95 wait |",
            "|---:|---|---:|---:|---:|---:|---:|",
        ]
        before = advice.today
        for number, step in enumerate(advice.steps, start=1):
            now = step.figures
            lines.append(
                f"| {number} | {step.change.words(authority)} | {_cost(step.change.cost)} | "
                f"{now.late} | {before.late - now.late} | "
                f"{before.waiting_days - now.waiting_days:,} | {now.p95_wait:g} |"
            )
            before = now
        lines.append("")
    # In the planner's order: a case placed first, then a late case saved, then waiting.
    worth = sorted(
        advice.slot_values,
        key=lambda v: (-v.placed, -v.late, -v.waiting_days, v.sitting.date, v.sitting.panel),
    )
    worth = [v for v in worth if _slot_words(v)][:_SHOWN]
    if worth:
        lines += [
            "## Where one more slot is worth most",
            "",
            "The shadow price of each sitting's minutes in the planner's linear relaxation of the "
            "model as it is: what one more standard slot there would do, each figure counted on "
            "its own with the ones before it held (more cases placed; then late cases saved; "
            "then waiting days saved). They are marginal: they hold for a slot or two, not for a "
            "whole sitting. Every sitting is in `slot_values.csv`.",
            "",
        ]
        for v in worth:
            lines.append(
                f"- one more {v.slot_minutes}-minute slot on {v.sitting.date:%A %d %B %Y} "
                f"({authority.panel(v.sitting.panel).name}) {_slot_words(v)}"
            )
        lines.append("")
    lines += [
        "## How this was worked out",
        "",
        "Every candidate change was made at once and a relaxation of the planner (each case "
        "booked fractionally at the sittings open to it, each sitting's minutes, the changes as "
        "0/1 choices at their cost) solved with HiGHS for the cheapest set reaching the target; "
        "its optimum is a lower bound on the cost of any set with which the planner reaches it. "
        "The planner then re-planned with the chosen set to confirm, and once more after each "
        "change in date order for the table above. Costs come from the advice file (defaults: "
        "docs/advice.md).",
        "",
        "Files: " + ", ".join(f"`{f}`" for f in files) + ".",
        "",
    ]
    return "\n".join(lines)


def write_advice(advice: Advice, out: Path, model_file: str | Path) -> list[Path]:
    """Write the advice's files into ``out`` and return them.

    ``advice.md``, ``advice.csv`` (each change in order with the figures), ``slot_values.csv``
    (one more slot's worth at each sitting), ``advice.png`` (late cases and the 95th
    percentile wait against cost) and ``<model>-advised.yaml`` (the model with the changes).
    """
    from panelsched.plots.advice import advice_curve
    from panelsched.plots.style import save_figure

    out.mkdir(parents=True, exist_ok=True)
    revised = f"{Path(model_file).stem}-advised.yaml"
    names = ["advice.md", "advice.csv", "slot_values.csv", "advice.png", revised]
    steps = steps_frame(advice)
    write_csv(steps, out / "advice.csv")
    write_csv(slot_values_frame(advice), out / "slot_values.csv")
    floor = advice.floor if advice.target.kind == "late" else None
    save_figure(advice_curve(steps, target=str(advice.target), floor=floor), out / "advice.png")
    replace_text(out / revised, revised_model(model_file, advice.authority, advice.chosen))
    replace_text(out / "advice.md", advice_markdown(advice, names))
    return [out / name for name in names]


__all__ = [
    "SLOT_VALUE_COLUMNS",
    "STEP_COLUMNS",
    "advice_markdown",
    "slot_values_frame",
    "steps_frame",
    "write_advice",
]
