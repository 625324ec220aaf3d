"""The top-level ``panelsched`` commands (calendar, plan, validate) and the entry point.

The command groups are in :mod:`.plot`, :mod:`.forward_planner` (``panelsched planner``, the
forward planner's diary), :mod:`.scenario`, :mod:`.advise` and :mod:`.serve` (``serve`` and
``users``), what they share in :mod:`.common`. Every terminal table is built in ``cli/``: the
plan's summary in :mod:`.plan_tables`, findings in :mod:`.findings`, sittings in
:mod:`.tables`, the forward planner's in :mod:`.forward_tables`; the heavy libraries are
imported by the commands that need them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from panelsched import __version__
from panelsched.cli import IMPORTED
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
from panelsched.cli.forward_planner import planner_app
from panelsched.cli.help_words import WordedCommand, WordedGroup
from panelsched.cli.plot import plot_app
from panelsched.cli.scenario import scenario_app
from panelsched.cli.serve import serve, users_app

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
app.command("serve", cls=WordedCommand)(serve)
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

    from panelsched.cli.tables import sittings_table
    from panelsched.core.quorum import with_quorum_notes
    from panelsched.exports.atomic import output_set
    from panelsched.exports.ics import write_sittings_ics
    from panelsched.exports.tables import sittings_frame, write_csv
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
    from panelsched.cli.plan_tables import summary_table
    from panelsched.exports.plan_files import write_plan_files
    from panelsched.io.inputs import load_availability, load_pinned, load_referrals
    from panelsched.planner.budget import SecondsLimit, command_started
    from panelsched.planner.params import SolveParams
    from panelsched.planner.pipeline import plan_referrals

    # --time-limit counts the command's start-up too.
    started = command_started(IMPORTED)
    choose(method, "--method", Method)
    authority = load_model(model)
    start, end = date_range(from_, to)
    cases = load_referrals(referrals, authority)
    away = load_availability(availability) if availability else ()
    pins = load_pinned(pinned) if pinned else ()
    with console.status("Planning...") as status:
        outcome = plan_referrals(
            authority,
            cases,
            away,
            pins,
            start,
            end,
            pinned_file=str(pinned) if pinned else "pinned bookings",
            pins_may_move=pinned_may_move,
            limit=SecondsLimit(time_limit, started),
            params=SolveParams(method=method, seed=seed),
            progress=lambda message: status.update(f"Planning: {message}"),
        )
    explanations = outcome.explanations
    with writing(out):
        paths = write_plan_files(
            out, outcome.problem, outcome.result.plan, explanations, outcome.summary
        )
    console.print(summary_table(outcome))
    if outcome.result.capped:
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
    from panelsched.cli.findings import findings_table
    from panelsched.io.inputs import load_availability, load_referrals
    from panelsched.validator import load_bookings, load_records
    from panelsched.validator import validate as run_validation

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
