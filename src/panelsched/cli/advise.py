"""``panelsched advise``: what would it take? The cheapest changes that reach a target."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from panelsched.cli.common import AwayOpt, ModelArg, check_folder, console, date_range, writing


def advise(
    model: ModelArg,
    referrals: Annotated[
        Path, typer.Option("--referrals", help="The demand to plan for (CSV or XLSX).")
    ],
    availability: AwayOpt = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First sitting date to book into.")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last sitting date to book into.")] = None,
    target: Annotated[
        str,
        typer.Option(
            "--target", help="late=0 (no case heard late) or max-wait=42 (nobody waits longer)."
        ),
    ] = "late=0",
    settings: Annotated[
        Path | None,
        typer.Option("--settings", help="The advice file: costs and what may change (YAML)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the advice into.")] = Path(
        "out/advice"
    ),
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.5, help="The planner's deterministic time per plan."),
    ] = 5.0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Plans made at once for the step-by-step table (same result)."
        ),
    ] = 2,
) -> None:
    """Find the cheapest extra sittings, longer sittings or shorter slots that reach a target,
    confirmed by re-planning; write advice.md, advice.csv, a plot and the revised model."""
    from panelsched.advice import advise as run_advice
    from panelsched.advice import load_settings, parse_target
    from panelsched.advice.outputs import write_advice
    from panelsched.advice.settings import check_panels
    from panelsched.io.inputs import load_availability, load_referrals
    from panelsched.io.model_file import load_model

    aim = parse_target(target)
    authority = load_model(model)
    start, end = date_range(from_, to)
    chosen = load_settings(settings)
    check_panels(chosen, authority.panel_ids, str(settings))
    cases = load_referrals(referrals, authority)
    away = load_availability(availability) if availability else ()
    check_folder(out)
    with console.status("Advising...") as status:
        advice = run_advice(
            authority,
            cases,
            aim,
            away,
            chosen,
            start,
            end,
            time_limit=time_limit,
            workers=workers,
            progress=lambda message: status.update(f"Advising: {message}"),
        )
    with writing(out):
        paths = write_advice(advice, out, model)
    verdict = "reachable" if advice.reachable else f"not reachable (at best {advice.aimed})"
    console.print(
        f"Target {aim} {verdict}: {len(advice.chosen)} change(s) costing {advice.cost:g}"
        + (" (proven cheapest)" if advice.gap <= 1e-9 else f" (lower bound {advice.bound:g})")
        + f"; missing the target {advice.today.misses} as it is, {advice.after.misses} with "
        + ("them, confirmed by re-planning." if advice.confirmed else "them (not confirmed)."),
        highlight=False,
        soft_wrap=True,
    )
    for change in advice.chosen[:10]:
        console.print(
            f"  {change.words(authority)} (cost {change.cost:g})", highlight=False, soft_wrap=True
        )
    if len(advice.chosen) > 10:
        console.print(f"  ... and {len(advice.chosen) - 10} more in advice.csv")
    console.print(
        f"Wrote {', '.join(p.name for p in paths)} to {out}/", highlight=False, soft_wrap=True
    )
