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


# --------------------------------------------------------------------------- planner
# `panelsched planner ...`: the forward planner (src/panelsched/forward/), a lasting diary.

planner_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="The forward planner: a lasting diary of sittings, bookings, decisions and reviews.",
)
app.add_typer(planner_app, name="planner")

DbOpt = Annotated[Path, typer.Option("--db", help="The planner's database file.")]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change, for the audit trail (default: OS user)."),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Act as of this moment, 2027-01-11 08:00 (default: the clock); for replaying.",
    ),
]
PlannerLimitOpt = Annotated[
    float,
    typer.Option("--time-limit", min=0.1, help="Solver budget per round in deterministic seconds."),
]
PlannerSeedOpt = Annotated[int, typer.Option("--seed", help="Solver seed.")]
ReplanOpt = Annotated[
    bool,
    typer.Option("--replan", help="Let bookings already made move too (people must be told)."),
]


def _planner_guard(db: Path, action: Callable[[], T]) -> T:
    """``_guard``, with SQLite's own errors (a locked or damaged file) as one message."""
    import sqlite3

    def run() -> T:
        try:
            return action()
        except sqlite3.Error as exc:
            raise InputError.one(str(db), f"cannot use the planner database: {exc}") from None

    return _guard(run)


def _print_report(report: object) -> None:
    from panelsched.forward.report import report_renderables
    from panelsched.forward.workflow import Report

    assert isinstance(report, Report)
    for item in report_renderables(report):
        console.print(item, highlight=False, soft_wrap=True)


@planner_app.command("init")
def planner_init(
    model: Annotated[Path, typer.Option("--model", help="Panel model YAML to put in force.")],
    db: DbOpt = Path("planner.db"),
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """Start a planner database with a model in force."""
    from panelsched.forward import init
    from panelsched.forward.report import actor_for

    def run() -> None:
        authority = load_model(model)
        _print_report(init(db, model, actor_for(authority, by, now)))

    _planner_guard(db, run)


@planner_app.command("add")
def planner_add(
    referrals: Annotated[
        Path, typer.Option("--referrals", help="New referrals to book (CSV or XLSX).")
    ],
    availability: Annotated[
        Path | None, typer.Option("--availability", help="Who is away (CSV or XLSX).")
    ] = None,
    replan: ReplanOpt = False,
    db: DbOpt = Path("planner.db"),
    by: ByOpt = None,
    now: NowOpt = None,
    time_limit: PlannerLimitOpt = 5.0,
    seed: PlannerSeedOpt = 0,
) -> None:
    """Import new referrals and book them; bookings already made stay where they are."""
    from panelsched.forward import Settings, Store, add
    from panelsched.forward.report import actor_for

    def run() -> None:
        with Store.open(db) as store:
            actor = actor_for(store.model(), by, now)
            report = add(
                store,
                actor,
                referrals,
                availability,
                settings=Settings(time_limit=time_limit, seed=seed),
                replan=replan,
            )
        _print_report(report)

    _planner_guard(db, run)


@planner_app.command("decide")
def planner_decide(
    records: Annotated[
        Path,
        typer.Option("--records", help="Outcomes: referral_id, panel, date, outcome, ..."),
    ],
    db: DbOpt = Path("planner.db"),
    by: ByOpt = None,
    now: NowOpt = None,
    time_limit: PlannerLimitOpt = 5.0,
    seed: PlannerSeedOpt = 0,
) -> None:
    """Record what panels decided and book the follow-ups the rules ask for, at once."""
    from panelsched.forward import Settings, Store, decide
    from panelsched.forward.report import actor_for

    def run() -> None:
        with Store.open(db) as store:
            actor = actor_for(store.model(), by, now)
            report = decide(
                store, actor, records, settings=Settings(time_limit=time_limit, seed=seed)
            )
        _print_report(report)

    _planner_guard(db, run)


@planner_app.command("cancel")
def planner_cancel(
    sitting: Annotated[str, typer.Argument(help="The sitting, e.g. lam-crp@2027-03-11.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is cancelled.")],
    agreed_by: Annotated[
        str, typer.Option("--agreed-by", help="Who agreed: chair, vice-chair, head of service.")
    ] = "",
    db: DbOpt = Path("planner.db"),
    by: ByOpt = None,
    now: NowOpt = None,
    time_limit: PlannerLimitOpt = 5.0,
    seed: PlannerSeedOpt = 0,
) -> None:
    """Cancel a sitting, book its cases elsewhere and list who moves."""
    from panelsched.forward import Settings, Store, cancel
    from panelsched.forward.report import actor_for

    def run() -> None:
        with Store.open(db) as store:
            actor = actor_for(store.model(), by, now)
            report = cancel(
                store,
                actor,
                sitting,
                reason,
                agreed_by=agreed_by,
                settings=Settings(time_limit=time_limit, seed=seed),
            )
        _print_report(report)

    _planner_guard(db, run)


@planner_app.command("extra")
def planner_extra(
    panel: Annotated[str, typer.Argument(help="The panel id, e.g. lam-crp.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The date, 2027-03-12.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is added.")] = "",
    replan: ReplanOpt = False,
    db: DbOpt = Path("planner.db"),
    by: ByOpt = None,
    now: NowOpt = None,
    time_limit: PlannerLimitOpt = 5.0,
    seed: PlannerSeedOpt = 0,
) -> None:
    """Add an extra sitting and book waiting cases into it (--replan: any case may move)."""
    from panelsched.forward import Settings, Store, extra
    from panelsched.forward.report import actor_for

    def run() -> None:
        sitting_day = _parse_day(day, "DATE")
        assert sitting_day is not None
        with Store.open(db) as store:
            actor = actor_for(store.model(), by, now)
            report = extra(
                store,
                actor,
                panel,
                sitting_day,
                reason=reason,
                replan=replan,
                settings=Settings(time_limit=time_limit, seed=seed),
            )
        _print_report(report)

    _planner_guard(db, run)


@planner_app.command("show")
def planner_show(
    panel: Annotated[
        list[str] | None, typer.Option("--panel", help="Panel id; repeat for several.")
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, help="How many weeks ahead.")] = 4,
    db: DbOpt = Path("planner.db"),
    now: NowOpt = None,
) -> None:
    """The coming sittings: booked cases, free minutes, cut-offs and papers-out times."""
    from datetime import timedelta

    from rich.text import Text

    from panelsched.forward import Store
    from panelsched.forward.report import actor_for
    from panelsched.forward.views import awaiting_outcome, sitting_views

    def run() -> None:
        with Store.open(db) as store:
            diary = store.diary()
        actor = actor_for(diary.authority, None, now)
        chosen = list(dict.fromkeys(panel or []))
        unknown = [p for p in chosen if p not in diary.authority.panel_ids]
        if unknown:
            known = ", ".join(diary.authority.panel_ids)
            raise InputError.one("--panel", f"unknown panel {', '.join(unknown)}; known: {known}")
        start = actor.now.date()
        views = [
            v
            for v in sitting_views(diary, start, start + timedelta(weeks=weeks), chosen or None)
            if v.sitting.opens > actor.now
        ]
        table = Table(
            title=f"{diary.authority.authority}: sittings from {actor.now:%d/%m/%Y %H:%M}, "
            f"{weeks} week(s)"
        )
        for column in ("sitting", "cut-off", "papers out", "free", "booked cases"):
            table.add_column(column, overflow="fold", no_wrap=column != "booked cases")
        for v in views:
            s = v.sitting
            cases = "\n".join(
                f"{c.booking.start:%H:%M} {c.key} ({c.hearing.kind}) "
                f"{c.hearing.referral.social_worker}/{c.hearing.referral.team_manager}"
                for c in v.slots
            )
            table.add_row(
                Text(f"{s.panel} {s.date:%a %d/%m/%Y} {s.start:%H:%M}-{s.end:%H:%M}"),
                uk_moment(s.cutoff),
                uk_moment(s.papers_out),
                "cancelled" if v.cancelled else f"{v.free_minutes} min ({v.band})",
                Text(f"cancelled: {v.cancelled}" if v.cancelled else cases or "-"),
            )
        if console.is_terminal:
            console.print(table)
        else:
            # A pipe has no width; print the table as wide as it needs (as `calendar` does).
            needed = console.measure(table, options=console.options.update_width(10_000))
            Console(width=max(needed.maximum, 80), highlight=False).print(table)
        waiting = diary.waiting()
        awaiting = awaiting_outcome(diary, actor.now)
        console.print(
            f"{sum(len(v.slots) for v in views)} booked in {len(views)} sittings; "
            f"{len(waiting)} hearing(s) waiting for a sitting; {len(awaiting)} heard without "
            "an outcome recorded.",
            highlight=False,
        )
        for hearing in waiting:
            due, _ = hearing.referral.due()
            console.print(
                f"  waiting: {diary.keys[hearing.id]} ({hearing.kind}) for {hearing.panel}"
                + (f", due by {due:%d/%m/%Y}" if due else ""),
                highlight=False,
                markup=False,
            )

    _planner_guard(db, run)


@planner_app.command("export")
def planner_export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="First date (default: this month's 1st).")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Last date (default: the last booking or 13 weeks ahead)."),
    ] = None,
    db: DbOpt = Path("planner.db"),
    now: NowOpt = None,
) -> None:
    """Write planner.xlsx, planner.ics and planner.html (a self-contained page)."""
    from panelsched.forward import Store
    from panelsched.forward.exports import default_range, export
    from panelsched.forward.report import actor_for

    def run() -> None:
        with Store.open(db) as store:
            diary = store.diary()
        actor = actor_for(diary.authority, None, now)
        start, end = _parse_day(from_, "--from"), _parse_day(to, "--to")
        if start and end and end < start:
            raise InputError.one("--to", f"{end} is before --from {start}")
        if out.exists() and not out.is_dir():
            raise InputError.one("--out", f"{out} is a file; expected a folder")
        span = default_range(diary, actor.now, start, end)
        try:
            paths = export(diary, span, out)
        except OSError as exc:
            raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
        console.print(
            f"Wrote {', '.join(p.name for p in paths)} to {out}/ "
            f"(sittings {span.start:%d/%m/%Y} to {span.end:%d/%m/%Y}).",
            highlight=False,
            soft_wrap=True,
        )

    _planner_guard(db, run)


@planner_app.command("validate")
def planner_validate(
    out: OutOpt = None,
    format_: Annotated[
        str, typer.Option("--format", help="How to print the findings: table or json.")
    ] = "table",
    db: DbOpt = Path("planner.db"),
    now: NowOpt = None,
) -> None:
    """Run the validator over the whole store; exit 1 when a rule was broken."""
    from panelsched.forward import Store, validate_store
    from panelsched.forward.report import actor_for
    from panelsched.validator.report import to_json, write_findings

    def run() -> int:
        if format_ not in ("table", "json"):
            raise InputError.one("--format", f"'{format_}' is not table or json")
        with Store.open(db) as store:
            diary = store.diary()
        found = validate_store(diary, actor_for(diary.authority, None, now).now)
        if out is not None:
            try:
                write_findings(found, out)
            except OSError as exc:
                raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
        if format_ == "json":
            typer.echo(to_json(found), nl=False)
            return 1 if found.errors else 0
        if found.findings:
            table = Table(title=f"{diary.authority.authority}: findings in the planner")
            for column in ("rule", "severity", "case", "sitting", "message", "source"):
                table.add_column(column, overflow="fold", no_wrap=column in ("rule", "severity"))
            for f in found.findings:
                table.add_row(
                    *(escape(v) for v in (f.rule, f.severity, f.referral_id, f.sitting)),
                    escape(f.message),
                    escape(f.source),
                )
            console.print(table)
        console.print(
            f"{found.errors} errors, {found.warnings} warnings."
            + (f" Wrote findings.csv and findings.json to {out}/" if out is not None else ""),
            highlight=False,
            soft_wrap=True,
        )
        return 1 if found.errors else 0

    status = _planner_guard(db, run)
    if status:
        raise typer.Exit(status)


# --------------------------------------------------------------------------- scenario
# `panelsched scenario ...`: capacity scenarios (src/panelsched/scenarios/), many replications.

scenario_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Capacity scenarios: what if a panel sat fortnightly, ran longer, or demand rose?",
)
app.add_typer(scenario_app, name="scenario")

ScenarioWorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers", help="Replications run at once (default: every core; the cluster's size)."
    ),
]
ExecutorOpt = Annotated[
    str,
    typer.Option("--executor", help="local (a process per core) or dask (a Dask cluster)."),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="The Dask scheduler's address, tcp://host:8786."),
]


def _scenario_run(
    files: list[Path], out: Path, workers: int | None, executor: str, scheduler: str | None
) -> None:
    """Load the scenarios, run every replication with a progress bar, write and show."""
    from concurrent.futures import Executor
    from contextlib import AbstractContextManager, nullcontext

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from panelsched.scenarios import load_scenarios, run_scenarios
    from panelsched.scenarios.cluster import dask_executor
    from panelsched.scenarios.report import compare, write_outputs
    from panelsched.scenarios.runner import default_workers

    if executor not in ("local", "dask"):
        raise InputError.one("--executor", f"'{executor}' is not local or dask")
    if executor == "dask" and not scheduler:
        raise InputError.one("--scheduler", "--executor dask needs the scheduler's address")
    if executor == "local" and scheduler:
        raise InputError.one("--scheduler", "only with --executor dask")
    if workers is not None and workers < 1:
        raise InputError.one("--workers", f"{workers} is not a number of workers of 1 or more")
    if out.exists() and not out.is_dir():
        raise InputError.one("--out", f"{out} is a file; expected a folder")
    scenarios = load_scenarios(files)
    total = sum(s.replications for s in scenarios)
    console.print(
        f"{len(scenarios)} scenario(s), {total} replications, each planned by the solver and "
        "by first come, first served.",
        highlight=False,
    )
    pool: AbstractContextManager[Executor | None] = (
        dask_executor(scheduler) if executor == "dask" and scheduler else nullcontext(None)
    )
    count = workers or default_workers()
    with (
        pool as chosen,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar,
    ):
        task = bar.add_task("Replications", total=total)
        run = run_scenarios(
            scenarios,
            executor=chosen,
            workers=count,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    try:
        paths = write_outputs(run, out)
    except OSError as exc:
        raise InputError.one("--out", f"cannot write into {out}: {exc.strerror}") from None
    table = Table(title="Solver: mean [95% confidence interval]")
    table.add_column("figure")
    for scenario in scenarios:
        table.add_column(escape(scenario.name), justify="right")
    shown = ("mean_wait_days", "p95_wait_days", "late", "unplaced", "utilisation")
    by = {(c.scenario, c.figure): c for c in compare(run) if c.method == "cpsat"}
    for key in shown:
        cells = []
        for s in scenarios:
            i = by[(s.name, key)].interval
            fmt = "{:.1%}" if key == "utilisation" else "{:.1f}"
            bounds = "" if i.n < 2 else f" [{fmt.format(i.low)}, {fmt.format(i.high)}]"
            cells.append(fmt.format(i.mean) + bounds)
        table.add_row(key, *cells)
    console.print(table)
    console.print(
        f"{total} replications in {run.seconds:.1f} s. Wrote "
        f"{', '.join(p.name for p in paths)} to {out}/",
        highlight=False,
        soft_wrap=True,
    )


@scenario_app.command("run")
def scenario_run(
    file: Annotated[Path, typer.Argument(help="A scenario YAML file, e.g. scenarios/x.yaml.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the outputs (default: out/scenarios/NAME)."),
    ] = None,
    workers: ScenarioWorkersOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Run every replication of a scenario; write kpis.csv, comparison.csv and report.md."""
    _guard(
        lambda: _scenario_run(
            [file], out or Path("out/scenarios") / file.stem, workers, executor, scheduler
        )
    )


@scenario_app.command("compare")
def scenario_compare(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario YAML files; the first is the reference.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path(
        "out/scenarios/compare"
    ),
    workers: ScenarioWorkersOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Run several scenarios and compare them side by side, with 95% confidence intervals."""
    _guard(lambda: _scenario_run(files, out, workers, executor, scheduler))


def main() -> None:
    """Console entry point."""
    app(prog_name="panelsched")


if __name__ == "__main__":  # pragma: no cover
    main()
