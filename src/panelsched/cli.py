"""The ``panelsched`` command: read inputs, call the library, write outputs. Nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from panelsched import __version__
from panelsched.calendar import generate_sittings
from panelsched.errors import InputError
from panelsched.exports.tables import sittings_frame, uk_moment, write_csv
from panelsched.model import load_model

# Locals are never shown: a traceback could otherwise print a case reference.
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Schedule children's-services decision-making panels.",
)
console = Console()
errors = Console(stderr=True)

T = TypeVar("T")


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; bad input becomes one message per problem and exit status 2."""
    try:
        return action()
    except InputError as exc:
        for problem in exc.problems:
            errors.print(
                f"[bold red]error:[/] {escape(str(problem))}", highlight=False, soft_wrap=True
            )
        raise typer.Exit(2) from None


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError.one(option, f"'{value}' is not a date like 2027-01-31") from None


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


ModelArg = Annotated[Path, typer.Argument(help="Panel model YAML, e.g. models/lambeth.yaml.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Folder to write the outputs into.")]


@app.command()
def calendar(
    model: ModelArg,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date, 2027-01-01 (default: today).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last date (default: a year after --from).")
    ] = None,
    panel: Annotated[
        list[str] | None, typer.Option("--panel", help="Panel id; repeat for several.")
    ] = None,
    out: OutOpt = None,
) -> None:
    """List a model's sittings with cut-offs and papers-out times; write CSV, ICS and XLSX."""

    def run() -> None:
        # Imported here: the writers load openpyxl and icalendar, which only this command needs.
        from dateutil.relativedelta import relativedelta
        from rich.text import Text

        from panelsched.exports.ics import write_sittings_ics
        from panelsched.exports.xlsx import write_sittings_xlsx

        authority = load_model(model)
        start = _parse_day(from_, "--from") or date.today()
        # relativedelta keeps 29 February valid: a year after it is 28 February.
        end = _parse_day(to, "--to") or start + relativedelta(years=1)
        if end < start:
            raise InputError.one("--to", f"{end} is before --from {start}")
        chosen = list(dict.fromkeys(panel or []))  # a repeated --panel is asked for once
        unknown = [p for p in chosen if p not in authority.panel_ids]
        if unknown:
            raise InputError.one(
                "--panel",
                f"unknown panel {', '.join(unknown)}; known: {', '.join(authority.panel_ids)}",
            )
        if out is not None and out.exists() and not out.is_dir():
            raise InputError.one("--out", f"{out} is a file; expected a folder")
        sittings = generate_sittings(authority, start, end, chosen or None)
        frame = sittings_frame(authority, sittings)
        table = Table(title=f"{authority.authority}: sittings {start:%d/%m/%Y} to {end:%d/%m/%Y}")
        for column in ("panel", "date", "time", "cut-off", "papers out", "note"):
            table.add_column(column, no_wrap=column != "note")
        for s in sittings:
            # Text, not str: a "[...]" in a model's text must print as written, not as markup.
            table.add_row(
                Text(s.panel),
                s.date.strftime("%a %d/%m/%Y"),
                f"{s.start:%H:%M}-{s.end:%H:%M}",
                uk_moment(s.cutoff),
                uk_moment(s.papers_out),
                Text(s.note),
            )
        if console.is_terminal:
            console.print(table)
        else:
            # A pipe or file has no width and rich would squeeze the table into 80 columns,
            # wrapping every note; print it as wide as it needs instead.
            needed = console.measure(table, options=console.options.update_width(10_000))
            Console(width=max(needed.maximum, 80), highlight=False).print(table)
        console.print(f"{len(sittings)} sittings.")
        if out is not None:
            try:
                out.mkdir(parents=True, exist_ok=True)
                write_csv(frame, out / "sittings.csv")
                write_sittings_ics(authority, sittings, out / "sittings.ics")
                write_sittings_xlsx(
                    authority, sittings, out / "sittings.xlsx", panels=chosen or None
                )
            except OSError as exc:
                raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
            console.print(
                f"Wrote sittings.csv, sittings.ics and sittings.xlsx to {out}/",
                highlight=False,
                soft_wrap=True,
            )

    _guard(run)


@app.command()
def plan(
    model: ModelArg,
    referrals: Annotated[
        Path, typer.Option("--referrals", help="Referrals to book (CSV or XLSX).")
    ],
    availability: Annotated[
        Path | None, typer.Option("--availability", help="Who is away (CSV or XLSX).")
    ] = None,
    pinned: Annotated[
        Path | None,
        typer.Option("--pinned", help="Earlier bookings that keep their date and time."),
    ] = None,
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
            min=0.1,
            help="Solver budget per round in deterministic seconds (about seconds on one core).",
        ),
    ] = 20.0,
    method: Annotated[
        str, typer.Option("--method", help="cpsat (optimise) or greedy (first come, first served).")
    ] = "cpsat",
    seed: Annotated[int, typer.Option("--seed", help="Solver seed.")] = 0,
) -> None:
    """Book referrals into sittings and slots; explain any case not placed in time."""
    from panelsched.explain import explain
    from panelsched.exports.plan_files import write_plan_files
    from panelsched.inputs import load_availability, load_pinned, load_referrals
    from panelsched.planner import solve
    from panelsched.planning_report import summary_record, summary_table
    from panelsched.problem import build_problem

    def run() -> None:
        if method not in ("cpsat", "greedy"):
            raise InputError.one("--method", f"'{method}' is not cpsat or greedy")
        authority = load_model(model)
        start, end = _parse_day(from_, "--from"), _parse_day(to, "--to")
        if start and end and end < start:
            raise InputError.one("--to", f"{end} is before --from {start}")
        problem = build_problem(
            authority,
            load_referrals(referrals, authority),
            load_availability(availability) if availability else (),
            load_pinned(pinned) if pinned else (),
            start=start,
            end=end,
            pinned_file=str(pinned) if pinned else "pinned bookings",
        )
        with console.status("Planning...") as status:
            baseline = solve(problem, method="greedy")
            result = (
                baseline
                if method == "greedy"
                else solve(
                    problem,
                    method="cpsat",
                    time_limit=time_limit,
                    seed=seed,
                    progress=lambda message: status.update(f"Planning: {message}"),
                )
            )
        explanations = explain(problem, result.plan)
        summary = summary_record(problem, result, baseline)
        try:
            paths = write_plan_files(out, problem, result.plan, explanations, summary)
        except OSError as exc:
            raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
        console.print(summary_table(problem, result, baseline))
        for e in explanations[:10]:
            console.print(f"  {e.referral_id} ({e.status}): {escape(e.reason)}", highlight=False)
        if len(explanations) > 10:
            console.print(f"  ... and {len(explanations) - 10} more in unplaced.csv")
        console.print(
            f"Wrote {', '.join(p.name for p in paths)} to {out}/", highlight=False, soft_wrap=True
        )

    _guard(run)


@app.command()
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
    format_: Annotated[
        str, typer.Option("--format", help="How to print the findings: table or json.")
    ] = "table",
) -> None:
    """Check a plan or a panel's records against the rules; exit 1 when a rule was broken."""
    from panelsched.inputs import load_availability, load_referrals
    from panelsched.validator import load_bookings, load_records
    from panelsched.validator import validate as run_validation
    from panelsched.validator.report import to_json, write_findings

    def run() -> int:
        if format_ not in ("table", "json"):
            raise InputError.one("--format", f"'{format_}' is not table or json")
        if bookings is None and records is None:
            raise InputError.one(
                "panelsched validate", "give --bookings, --records or both to check"
            )
        authority = load_model(model)
        found = run_validation(
            authority,
            bookings=load_bookings(bookings) if bookings else None,
            referrals=load_referrals(referrals, authority) if referrals else None,
            availability=load_availability(availability) if availability else None,
            records=load_records(records, authority) if records else None,
        )
        if out is not None:
            try:
                write_findings(found, out)
            except OSError as exc:
                raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
        if format_ == "json":
            typer.echo(to_json(found), nl=False)
            return 1 if found.errors else 0
        table = Table(title=f"{authority.authority}: findings")
        for column in ("rule", "severity", "panel", "case", "sitting", "message", "source"):
            table.add_column(column, overflow="fold", no_wrap=column in ("rule", "severity"))
        for f in found.findings:
            table.add_row(
                *(escape(v) for v in (f.rule, f.severity, f.panel, f.referral_id, f.sitting)),
                escape(f.message),
                escape(f.source),
            )
        if found.findings:
            console.print(table)
        summary = Table(title="Summary per rule")
        for column in ("rule", "source", "status", "checked", "passed", "failed", "not checked"):
            summary.add_column(column, justify="right" if column[0] in "cpfn" else "left")
        for s in found.summary:
            summary.add_row(
                s.rule,
                escape(s.source),
                s.status,
                str(s.checked),
                str(s.passed),
                str(s.failed),
                str(s.not_checked),
            )
        console.print(summary)
        console.print(
            f"{found.errors} errors, {found.warnings} warnings."
            + (f" Wrote findings.csv and findings.json to {out}/" if out is not None else ""),
            highlight=False,
            soft_wrap=True,
        )
        return 1 if found.errors else 0

    status = _guard(run)
    if status:
        raise typer.Exit(status)


# --------------------------------------------------------------------------- plot
# Plots of the calendar and of a plan (panelsched.plots); matplotlib is imported only here.
plot_app = typer.Typer(
    no_args_is_help=True,
    help="Draw the calendar, a plan or a scenario comparison as a PNG or SVG image.",
)
app.add_typer(plot_app, name="plot")

PlotOutOpt = Annotated[Path, typer.Option("--out", help="Image to write: a .png or .svg file.")]
BookingsOpt = Annotated[
    Path, typer.Option("--bookings", help="A plan's bookings.csv (from panelsched plan).")
]
PanelsOpt = Annotated[
    list[str] | None, typer.Option("--panel", help="Panel id; repeat for several.")
]


def _plot_target(out: Path) -> None:
    """Refuse an image name the plots cannot write before any work is done."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError.one("--out", f"'{out.name}' is not a .png or .svg file name")
    if out.is_dir():
        raise InputError.one("--out", f"{out} is a folder; expected a .png or .svg file name")


def _plot_panels(known: tuple[str, ...], panel: list[str] | None) -> list[str] | None:
    chosen = list(dict.fromkeys(panel or []))  # a repeated --panel is asked for once
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise InputError.one(
            "--panel", f"unknown panel {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return chosen or None


def _plot_write(save: Callable[[], Path], out: Path) -> None:
    """Run ``save`` (a plot's ``save_figure``); a disk that refuses it is bad input, not a crash."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        save()
    except OSError as exc:
        raise InputError.one("--out", f"cannot write {out}: {exc.strerror}") from None
    console.print(f"Wrote {out}", highlight=False, soft_wrap=True)


def _plot_range(
    from_: str | None, to: str | None, fallback: tuple[date, date]
) -> tuple[date, date]:
    start = _parse_day(from_, "--from") or fallback[0]
    end = _parse_day(to, "--to") or fallback[1]
    if end < start:
        raise InputError.one("--to", f"{end} is before --from {start}")
    return start, end


@plot_app.command("calendar")
def plot_calendar(
    model: ModelArg,
    out: PlotOutOpt,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date, 2027-01-01 (default: 1 January).")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Last date (default: a year after --from, less a day)."),
    ] = None,
    panel: PanelsOpt = None,
    bookings: Annotated[
        Path | None,
        typer.Option("--bookings", help="A plan's bookings.csv: colour sittings by how full."),
    ] = None,
) -> None:
    """A year of sittings as a calendar heatmap: holidays, cancelled and moved sittings marked."""

    def run() -> None:
        from dateutil.relativedelta import relativedelta

        from panelsched.plots import booked_minutes, calendar_heatmap, read_bookings, save_figure

        _plot_target(out)
        authority = load_model(model)
        chosen = _plot_panels(authority.panel_ids, panel)
        first = _parse_day(from_, "--from") or date(date.today().year, 1, 1)
        start, end = _plot_range(from_, to, (first, first + relativedelta(years=1, days=-1)))
        booked = booked_minutes(read_bookings(bookings)) if bookings else None
        sittings = generate_sittings(authority, start, end, chosen)
        figure = calendar_heatmap(
            authority, sittings, start=start, end=end, panels=chosen, booked=booked
        )
        _plot_write(lambda: save_figure(figure, out), out)

    _guard(run)


@plot_app.command("agenda")
def plot_agenda(
    model: ModelArg,
    bookings: BookingsOpt,
    day: Annotated[
        str, typer.Option("--date", help="The sitting's date, or a day of the week, 2027-03-10.")
    ],
    out: PlotOutOpt,
    week: Annotated[
        bool, typer.Option("--week", help="Show the Monday-to-Sunday week of --date.")
    ] = False,
    panel: Annotated[str | None, typer.Option("--panel", help="Only this panel.")] = None,
) -> None:
    """A sitting or a week as a timeline of slots, coloured by team manager."""

    def run() -> None:
        from datetime import timedelta

        from panelsched.plots import agenda, read_bookings, save_figure

        _plot_target(out)
        authority = load_model(model)
        chosen = _plot_panels(authority.panel_ids, [panel] if panel else None)
        when = _parse_day(day, "--date")
        assert when is not None  # --date is required
        table = read_bookings(bookings)
        first = when - timedelta(days=when.weekday()) if week else when
        last = first + timedelta(days=6) if week else when
        sittings = generate_sittings(authority, first, last, chosen)
        try:
            figure = agenda(
                table, when, week=week, panel=panel, sittings=sittings, authority=authority
            )
        except ValueError as exc:
            raise InputError.one("--date", str(exc)) from None
        _plot_write(lambda: save_figure(figure, out), out)

    _guard(run)


@plot_app.command("waits")
def plot_waits(
    model: ModelArg,
    bookings: BookingsOpt,
    out: PlotOutOpt,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="The greedy baseline's bookings.csv (panelsched plan --method greedy).",
        ),
    ] = None,
    panel: PanelsOpt = None,
) -> None:
    """Waiting days per panel, deadline cases highlighted, the greedy baseline beside the plan."""

    def run() -> None:
        from panelsched.plots import read_bookings, save_figure, waits

        _plot_target(out)
        authority = load_model(model)
        chosen = _plot_panels(authority.panel_ids, panel)
        plan_table = read_bookings(bookings)
        base_table = read_bookings(baseline) if baseline else None
        try:
            figure = waits(plan_table, base_table, authority=authority, panels=chosen)
        except ValueError as exc:
            raise InputError.one(str(bookings), str(exc)) from None
        _plot_write(lambda: save_figure(figure, out), out)

    _guard(run)


@plot_app.command("utilisation")
def plot_utilisation(
    model: ModelArg,
    bookings: BookingsOpt,
    out: PlotOutOpt,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date (default: the first booking's).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last date (default: the last booking's).")
    ] = None,
    panel: PanelsOpt = None,
) -> None:
    """Minutes booked against each sitting's capacity over the horizon, one row per panel."""

    def run() -> None:
        from panelsched.plots import read_bookings, save_figure, utilisation

        _plot_target(out)
        authority = load_model(model)
        chosen = _plot_panels(authority.panel_ids, panel)
        table = read_bookings(bookings)
        if table.empty and (from_ is None or to is None):
            raise InputError.one(str(bookings), "no bookings; give --from and --to")
        dates = (min(table["date"]), max(table["date"])) if not table.empty else (date.min,) * 2
        start, end = _plot_range(from_, to, dates)
        sittings = generate_sittings(authority, start, end, chosen)
        try:
            figure = utilisation(
                sittings, table, authority=authority, panels=chosen, start=start, end=end
            )
        except ValueError as exc:
            raise InputError.one("--from", f"{exc} from {start} to {end}") from None
        _plot_write(lambda: save_figure(figure, out), out)

    _guard(run)


@plot_app.command("scenario")
def plot_scenario(
    table: Annotated[
        Path,
        typer.Argument(
            help="Scenario comparison (CSV or XLSX): scenario, figure, mean, ci_low, ci_high."
        ),
    ],
    out: PlotOutOpt,
    figure_name: Annotated[
        list[str] | None,
        typer.Option("--figure", help="A figure to show (e.g. mean_wait_days); repeat."),
    ] = None,
) -> None:
    """Scenarios compared: each figure's mean with its confidence interval."""

    def run() -> None:
        from panelsched.plots import save_figure
        from panelsched.plots.scenario import read_comparison, scenario

        _plot_target(out)
        frame = read_comparison(table)
        try:
            figure = scenario(frame, figures=figure_name or None)
        except ValueError as exc:
            raise InputError.one("--figure", str(exc)) from None
        _plot_write(lambda: save_figure(figure, out), out)

    _guard(run)


def main() -> None:
    """Console entry point."""
    app(prog_name="panelsched")


if __name__ == "__main__":  # pragma: no cover
    main()
