"""The top-level ``panelsched`` commands (calendar, plan, validate) and the entry point.

The command groups are in :mod:`.plot`, :mod:`.planner` and :mod:`.scenario`, what they share
in :mod:`.common`. What a command prints is built beside the code that produces it (the plan's
summary in :mod:`panelsched.planner.summary`, findings in :mod:`panelsched.validator.outputs`,
the forward planner's tables in :mod:`panelsched.forward.report`); the heavy libraries are
imported by the commands that need them.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from panelsched import __version__
from panelsched.cli import IMPORTED
from panelsched.core.plan import PinnedBooking
from panelsched.core.sittings import generate_sittings
from panelsched.errors import InputError
from panelsched.io.model_file import load_model
from panelsched.planner.result import Method

if TYPE_CHECKING:
    pass

from panelsched.cli.advise import advise
from panelsched.cli.common import (
    AwayOpt,
    FormatOpt,
    ModelArg,
    OutOpt,
    OutputFormat,
    PanelsOpt,
    check_folder,
    choose,
    chosen_panels,
    command,
    console,
    date_range,
    in_order,
    parse_day,
    print_wide,
    show_findings,
    writing,
)
from panelsched.cli.help_words import WordedCommand, WordedGroup
from panelsched.cli.planner import planner_app
from panelsched.cli.plot import plot_app
from panelsched.cli.scenario import scenario_app
from panelsched.web.commands import serve, users_app

# Locals are never shown: a traceback could otherwise print a case reference.
app = typer.Typer(
    cls=WordedGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Schedule children's-services decision-making panels.",
)
app.add_typer(plot_app, name="plot")
app.add_typer(planner_app, name="planner")
app.add_typer(scenario_app, name="scenario")
command(app, "advise")(advise)
# The web commands are typer apps of their own (panelsched.web runs them too); here their
# --help is worded like every other command's.
app.command("serve", cls=WordedCommand)(serve)
users_app.info.cls = WordedGroup
for _registered in users_app.registered_commands:
    _registered.cls = WordedCommand
app.add_typer(users_app, name="users")


def _version(value: bool) -> None:
    if value:
        console.print(f"panelsched {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Schedule children's-services decision-making panels."""


@command(app)
def calendar(
    model: ModelArg,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date, 01/01/2027 (default: today).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last date (default: a year after --from).")
    ] = None,
    panel: PanelsOpt = None,
    availability: AwayOpt = None,
    out: OutOpt = None,
) -> None:
    """List a model's sittings with cut-offs and papers-out times; write CSV, ICS and XLSX.

    With --availability, a sitting of a panel with a quorum that cannot be quorate is noted.
    """
    # Imported here: the writers load openpyxl and icalendar, which only this command needs.
    from dateutil.relativedelta import relativedelta

    from panelsched.core.quorum import with_quorum_notes
    from panelsched.exports.atomic import output_set
    from panelsched.exports.ics import write_sittings_ics
    from panelsched.exports.tables import sittings_frame, sittings_table, write_csv
    from panelsched.exports.xlsx import write_sittings_xlsx
    from panelsched.io.inputs import load_availability

    authority = load_model(model)
    start = parse_day(from_, "--from") or date.today()
    # relativedelta keeps 29 February valid: a year after it is 28 February.
    end = parse_day(to, "--to") or start + relativedelta(years=1)
    in_order(start, end)
    chosen = chosen_panels(authority.panel_ids, panel)
    if out is not None:
        check_folder(out)
    sittings = generate_sittings(authority, start, end, chosen)
    if availability is not None:
        sittings = with_quorum_notes(authority, sittings, load_availability(availability))
    frame = sittings_frame(authority, sittings)
    print_wide(sittings_table(authority, sittings, start, end))
    console.print(f"{len(sittings)} sittings.")
    if out is not None:
        names = ("sittings.csv", "sittings.ics", "sittings.xlsx")
        with writing(out), output_set(out, names) as staging:
            write_csv(frame, staging / names[0])
            write_sittings_ics(authority, sittings, staging / names[1])
            write_sittings_xlsx(authority, sittings, staging / names[2], panels=chosen)
        console.print(
            f"Wrote sittings.csv, sittings.ics and sittings.xlsx to {out}/",
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print(
            "Wrote no files (add --out FOLDER to write sittings.csv, sittings.ics and "
            "sittings.xlsx).",
            highlight=False,
            soft_wrap=True,
        )


def _command_started() -> float:
    """When this command started, on ``time.perf_counter``'s clock: ``--time-limit`` counts
    start-up too. That is when the process started (from ``/proc`` on Linux, else when the
    commands began to import), but no earlier than the calibrated start-up before now, so a
    command run inside a long-lived process (a test, a notebook) gets its seconds too."""
    from panelsched.planner.budget import STARTUP_SECONDS

    now = time.perf_counter()
    try:
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        began = now - max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        began = IMPORTED
    return max(min(began, IMPORTED), now - STARTUP_SECONDS)


@command(app)
def plan(
    model: ModelArg,
    referrals: Annotated[
        Path, typer.Option("--referrals", help="Referrals to book (CSV or XLSX).")
    ],
    availability: AwayOpt = None,
    pinned: Annotated[
        Path | None,
        typer.Option("--pinned", help="Earlier bookings that keep their date and time."),
    ] = None,
    pinned_may_move: Annotated[
        bool,
        typer.Option(
            "--pinned-may-move",
            help="Let --pinned bookings in the range move where that books more cases in "
            "time: fewest moved, then fewest days.",
        ),
    ] = False,
    from_: Annotated[
        str | None, typer.Option("--from", help="First sitting date to book into.")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last sitting date to book into.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the plan into.")] = Path(
        "out/plan"
    ),
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.5,
            help="Seconds for the whole command on a 2-core machine; the same input still "
            "gives the same plan.",
        ),
    ] = 20.0,
    method: Annotated[
        Method,
        typer.Option(
            "--method", parser=str, help="cpsat (optimise) or greedy (first come, first served)."
        ),
    ] = "cpsat",
    seed: Annotated[int, typer.Option("--seed", help="Solver seed.")] = 0,
) -> None:
    """Book referrals into sittings and slots; explain any case not placed in time."""
    from panelsched.exports.plan_files import write_plan_files
    from panelsched.io.inputs import load_availability, load_pinned, load_referrals
    from panelsched.planner import solve
    from panelsched.planner.explain import explain
    from panelsched.planner.problem import build_problem
    from panelsched.planner.summary import summary_record, summary_table

    started = _command_started()
    choose(method, "--method", Method)
    authority = load_model(model)
    start, end = date_range(from_, to)
    cases = load_referrals(referrals, authority)
    away = load_availability(availability) if availability else ()
    pins = load_pinned(pinned) if pinned else ()
    pinned_file = str(pinned) if pinned else "pinned bookings"
    problem = build_problem(authority, cases, away, pins, start, end, pinned_file)
    told: tuple[PinnedBooking, ...] = ()
    if pinned_may_move and pins:
        # Checked above as pins; those in the range become bookings that may move.
        told = tuple(p for p in pins if problem.start <= p.date <= problem.end)
        kept = [p for p in pins if p not in told]
        problem = build_problem(authority, cases, away, kept, start, end, pinned_file)
    with console.status("Planning...") as status:
        baseline = solve(problem, method="greedy")
        result = (
            baseline
            if method == "greedy"
            else solve(
                problem,
                method="cpsat",
                seed=seed,
                progress=lambda message: status.update(f"Planning: {message}"),
                seconds=time_limit,
                started=started,
                preferred=told,
                baseline=baseline,
            )
        )
    explanations = explain(problem, result.plan)
    limit = time_limit if method == "cpsat" else None
    summary = summary_record(problem, result, baseline, limit, told)
    with writing(out):
        paths = write_plan_files(out, problem, result.plan, explanations, summary)
    console.print(summary_table(problem, result, baseline, told))
    if result.capped:
        console.print(
            f"The {time_limit:g} s limit was reached before the planned work was done (a "
            "busy or slow machine): another run may give another plan.",
            highlight=False,
        )
    for e in explanations[:10]:
        console.print(f"  {e.referral_id} ({e.status}): {escape(e.reason)}", highlight=False)
    if len(explanations) > 10:
        console.print(f"  ... and {len(explanations) - 10} more in unplaced.csv")
    console.print(
        f"Wrote {', '.join(p.name for p in paths)} to {out}/", highlight=False, soft_wrap=True
    )


@command(app)
def validate(
    model: ModelArg,
    bookings: Annotated[
        Path | None, typer.Option("--bookings", help="A plan's bookings.csv, or a hand-made one.")
    ] = None,
    referrals: Annotated[
        Path | None, typer.Option("--referrals", help="The referrals (CSV or XLSX).")
    ] = None,
    availability: Annotated[
        Path | None, typer.Option("--availability", help="Who was away (CSV or XLSX).")
    ] = None,
    records: Annotated[
        Path | None, typer.Option("--records", help="What happened: one row per case heard.")
    ] = None,
    out: OutOpt = None,
    format_: FormatOpt = "table",
) -> int:
    """Check a plan or a panel's records against the rules; exit 1 when a rule was broken."""
    from panelsched.io.inputs import load_availability, load_referrals
    from panelsched.validator import load_bookings, load_records
    from panelsched.validator import validate as run_validation
    from panelsched.validator.outputs import findings_table

    choose(format_, "--format", OutputFormat)
    if bookings is None and records is None:
        raise InputError.one("panelsched validate", "give --bookings, --records or both to check")
    authority = load_model(model)
    found = run_validation(
        authority,
        bookings=load_bookings(bookings) if bookings else None,
        referrals=load_referrals(referrals, authority) if referrals else None,
        availability=load_availability(availability) if availability else None,
        records=load_records(records, authority) if records else None,
    )
    table = findings_table(found, f"{authority.authority}: findings")
    return show_findings(found, out, format_, table, summary=True)


# --------------------------------------------------------------------------- plot
# Plots of the calendar and of a plan (panelsched.plots); matplotlib is imported only here.


def main() -> None:
    """Console entry point."""
    app(prog_name="panelsched")


if __name__ == "__main__":  # pragma: no cover
    main()
