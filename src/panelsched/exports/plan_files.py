"""The planner's files: bookings.csv, unplaced.csv, agendas.md and summary.json."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from panelsched.core.plan import Plan
from panelsched.exports.atomic import output_set, replace_text
from panelsched.exports.safety import markdown_cell
from panelsched.exports.tables import moment_text, write_csv
from panelsched.io.bookings_file import BOOKING_COLUMNS, is_late
from panelsched.planner.explain import Explanation
from panelsched.planner.problem import ProblemData

# The plan's files; summary.json last, so a folder holding it holds the whole plan.
PLAN_FILES = ("bookings.csv", "unplaced.csv", "agendas.md", "summary.json")

UNPLACED_COLUMNS = [
    "referral_id",
    "panel",
    "status",
    "submitted",
    "deadline",
    "date",
    "reason_code",
    "reason",
]


def bookings_frame(problem: ProblemData, plan: Plan) -> pd.DataFrame:
    """One row per booking, in date and time order, with the columns of ``bookings.csv``."""
    index = problem.referral_index()
    rows = []
    for b in plan.bookings:
        r = index[b.referral_id]
        referral = problem.referrals[r]
        due = problem.due_date(r)
        rows.append(
            {
                "referral_id": b.referral_id,
                "panel": b.panel,
                "date": b.date.isoformat(),
                "start": b.start.strftime("%H:%M"),
                "end": b.end.strftime("%H:%M"),
                "social_worker": referral.social_worker,
                "team_manager": referral.team_manager,
                "submitted": moment_text(referral.submitted),
                "deadline": due.isoformat() if due else "",
                "wait_days": (b.date - referral.submitted.date()).days,
                "late": "yes" if is_late(b.date, due) else "no",
                "pinned": "yes" if b.pinned else "no",
            }
        )
    return pd.DataFrame(rows, columns=list(BOOKING_COLUMNS))


def unplaced_frame(
    problem: ProblemData, plan: Plan, explanations: Sequence[Explanation]
) -> pd.DataFrame:
    """One row per referral unplaced or late, with its reason."""
    index = problem.referral_index()
    booked = plan.by_referral()
    rows = []
    for e in explanations:
        r = index[e.referral_id]
        due = problem.due_date(r)
        booking = booked.get(e.referral_id)
        rows.append(
            {
                "referral_id": e.referral_id,
                "panel": problem.referrals[r].panel,
                "status": e.status,
                "submitted": moment_text(problem.referrals[r].submitted),
                "deadline": due.isoformat() if due else "",
                "date": booking.date.isoformat() if booking else "",
                "reason_code": e.code,
                "reason": e.reason,
            }
        )
    return pd.DataFrame(rows, columns=UNPLACED_COLUMNS)


def agendas_markdown(problem: ProblemData, plan: Plan) -> str:
    """One agenda per sitting with bookings: slot by slot, who attends, papers-out time."""
    index = problem.referral_index()
    sittings = {s.id: s for s in problem.sittings}
    grouped: dict[str, list[Any]] = defaultdict(list)
    for booking in plan.bookings:
        grouped[booking.sitting_id].append(booking)
    lines = [f"# Agendas: {problem.authority.authority}", ""]
    ordered = sorted(grouped, key=lambda sid: (sittings[sid].date, sittings[sid].start, sid))
    for sitting_id in ordered:
        sitting = sittings[sitting_id]
        panel = problem.authority.panel(sitting.panel)
        lines.append(
            f"## {panel.name} ({panel.id}), {sitting.date:%A %d %B %Y}, "
            f"{sitting.start:%H:%M}-{sitting.end:%H:%M}"
        )
        lines.append("")
        if sitting.papers_out is not None:
            lines.append(f"Papers out: {sitting.papers_out:%a %d/%m/%Y %H:%M}  ")
        if sitting.cutoff is not None:
            lines.append(f"Cut-off: {sitting.cutoff:%a %d/%m/%Y %H:%M}  ")
        used = sum(b.minutes[1] - b.minutes[0] for b in grouped[sitting_id])
        lines.append(f"Booked: {used} of {sitting.capacity_minutes} minutes")
        lines.append("")
        lines.append("| Time | Case | Presenting | Also attending | Note |")
        lines.append("|---|---|---|---|---|")
        for b in sorted(grouped[sitting_id]):
            referral = problem.referrals[index[b.referral_id]]
            notes = []
            if referral.complex:
                notes.append("complex")
            if referral.priority != "routine":
                notes.append(referral.priority)
            if b.pinned:
                notes.append("booked earlier")
            presenting = f"{referral.social_worker}, {referral.team_manager}"
            lines.append(
                f"| {b.start:%H:%M}-{b.end:%H:%M} | {markdown_cell(b.referral_id)} | "
                f"{markdown_cell(presenting)} | "
                f"{markdown_cell(', '.join(referral.attendees))} | {', '.join(notes)} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_plan_files(
    out: Path,
    problem: ProblemData,
    plan: Plan,
    explanations: Sequence[Explanation],
    summary: Mapping[str, Any],
) -> list[Path]:
    """Write the four planner files into ``out`` as one set (:func:`output_set`): an
    earlier plan's four are replaced together, ``summary.json`` last; returns their paths."""
    with output_set(out, PLAN_FILES) as staging:
        paths = [staging / name for name in PLAN_FILES]
        write_csv(bookings_frame(problem, plan), paths[0])
        write_csv(unplaced_frame(problem, plan, explanations), paths[1])
        replace_text(paths[2], agendas_markdown(problem, plan))
        replace_text(paths[3], json.dumps(summary, indent=2, sort_keys=False) + "\n")
    return [out / name for name in PLAN_FILES]
