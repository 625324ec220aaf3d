"""``panelsched plot ...``: pictures of the calendar, a plan or a scenario comparison."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from panelsched.core.panels import Authority
from panelsched.core.sittings import generate_sittings
from panelsched.errors import InputError
from panelsched.io.model_file import load_model

if TYPE_CHECKING:
    pass

from panelsched.cli.common import (
    ModelArg,
    PanelsOpt,
    chosen_panels,
    command,
    console,
    in_order,
    parse_day,
    parse_required_day,
    writing,
)
from panelsched.cli.help_words import WordedGroup

plot_app = typer.Typer(
    cls=WordedGroup,
    no_args_is_help=True,
    help="Draw the calendar, a plan or a scenario comparison as a PNG or SVG image.",
)

PlotOutOpt = Annotated[Path, typer.Option("--out", help="Image to write: a .png or .svg file.")]
BookingsOpt = Annotated[
    Path, typer.Option("--bookings", help="A plan's bookings.csv (from panelsched plan).")
]


def _plot_target(out: Path) -> None:
    """Refuse an image name the plots cannot write before any work is done."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError.one("--out", f"'{out.name}' is not a .png or .svg file name")
    if out.is_dir():
        raise InputError.one("--out", f"{out} is a folder; expected a .png or .svg file name")


def _plot_inputs(
    out: Path, model: Path, panel: list[str] | None
) -> tuple[Authority, list[str] | None]:
    """Check the image's name, then read the model and the panels asked for."""
    _plot_target(out)
    authority = load_model(model)
    return authority, chosen_panels(authority.panel_ids, panel)


def _plot_write(save: Callable[[], Path], out: Path) -> None:
    """Run ``save`` (a plot's ``save_figure``) and say so."""
    with writing(out, into=False):
        out.parent.mkdir(parents=True, exist_ok=True)
        save()
    console.print(f"Wrote {out}", highlight=False, soft_wrap=True)


def _plot_range(
    from_: str | None, to: str | None, fallback: tuple[date, date]
) -> tuple[date, date]:
    start = parse_day(from_, "--from") or fallback[0]
    end = parse_day(to, "--to") or fallback[1]
    in_order(start, end)
    return start, end


@command(plot_app, "calendar")
def plot_calendar(
    model: ModelArg,
    out: PlotOutOpt,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date, 01/01/2027 (default: 1 January).")
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
    from dateutil.relativedelta import relativedelta

    from panelsched.plots import booked_minutes, calendar_heatmap, read_bookings, save_figure

    authority, chosen = _plot_inputs(out, model, panel)
    first = parse_day(from_, "--from") or date(date.today().year, 1, 1)
    start, end = _plot_range(from_, to, (first, first + relativedelta(years=1, days=-1)))
    booked = booked_minutes(read_bookings(bookings)) if bookings else None
    sittings = generate_sittings(authority, start, end, chosen)
    figure = calendar_heatmap(
        authority, sittings, start=start, end=end, panels=chosen, booked=booked
    )
    _plot_write(lambda: save_figure(figure, out), out)


@command(plot_app, "agenda")
def plot_agenda(
    model: ModelArg,
    bookings: BookingsOpt,
    day: Annotated[
        str, typer.Option("--date", help="The sitting's date, or a day of the week, 10/03/2027.")
    ],
    out: PlotOutOpt,
    week: Annotated[
        bool, typer.Option("--week", help="Show the Monday-to-Sunday week of --date.")
    ] = False,
    panel: Annotated[str | None, typer.Option("--panel", help="Only this panel.")] = None,
) -> None:
    """A sitting or a week as a timeline of slots, coloured by team manager."""
    from datetime import timedelta

    from panelsched.plots import agenda, read_bookings, save_figure

    authority, chosen = _plot_inputs(out, model, [panel] if panel else None)
    when = parse_required_day(day, "--date")
    table = read_bookings(bookings)
    first = when - timedelta(days=when.weekday()) if week else when
    last = first + timedelta(days=6) if week else when
    sittings = generate_sittings(authority, first, last, chosen)
    try:
        figure = agenda(table, when, week=week, panel=panel, sittings=sittings, authority=authority)
    except ValueError as exc:
        raise InputError.one("--date", str(exc)) from None
    _plot_write(lambda: save_figure(figure, out), out)


@command(plot_app, "waits")
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
    from panelsched.plots import read_bookings, save_figure, waits

    authority, chosen = _plot_inputs(out, model, panel)
    plan_table = read_bookings(bookings)
    base_table = read_bookings(baseline) if baseline else None
    try:
        figure = waits(plan_table, base_table, authority=authority, panels=chosen)
    except ValueError as exc:
        raise InputError.one(str(bookings), str(exc)) from None
    _plot_write(lambda: save_figure(figure, out), out)


@command(plot_app, "utilisation")
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
    from panelsched.plots import read_bookings, save_figure, utilisation

    authority, chosen = _plot_inputs(out, model, panel)
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
        raise InputError.one("--from", f"{exc} from {start:%d/%m/%Y} to {end:%d/%m/%Y}") from None
    _plot_write(lambda: save_figure(figure, out), out)


@command(plot_app, "clocks")
def plot_clocks(
    db: Annotated[Path, typer.Option("--db", help="The planner's database file.")],
    out: PlotOutOpt,
    from_: Annotated[
        str | None,
        typer.Option("--from", help="First month of requests, 01/04/2027 (default: a year back)."),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last month of requests (default: this month).")
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Count outcomes recorded by this moment (default: the clock)."),
    ] = None,
) -> None:
    """Statutory clocks per month the clock started: cases decided in time, late and still
    open, stacked, one panel per clock, with the share decided in time."""
    import sqlite3

    from panelsched.forward.clock import actor_for
    from panelsched.forward.clock_counts import clock_counts, counted_span
    from panelsched.forward.store import Store
    from panelsched.plots import save_figure
    from panelsched.plots.clocks import clocks

    _plot_target(out)
    try:
        with Store.open(db) as store:
            diary = store.diary()
    except sqlite3.Error as exc:
        raise InputError.one("--db", f"cannot read the planner database: {exc}") from None
    moment = actor_for(diary.authority, None, now).now
    start, end = counted_span(parse_day(from_, "--from"), parse_day(to, "--to"), moment.date())
    in_order(start, end)
    counts = clock_counts(diary, start, end, moment)
    try:
        figure = clocks(counts)
    except ValueError as exc:
        raise InputError.one("--db", str(exc)) from None
    _plot_write(lambda: save_figure(figure, out), out)


@command(plot_app, "scenario")
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
    from panelsched.plots import save_figure
    from panelsched.plots.scenario import read_comparison, scenario

    _plot_target(out)
    frame = read_comparison(table)
    try:
        figure = scenario(frame, figures=figure_name or None)
    except ValueError as exc:
        raise InputError.one("--figure", str(exc)) from None
    _plot_write(lambda: save_figure(figure, out), out)


# --------------------------------------------------------------------------- planner
# `panelsched planner ...`: the forward planner (src/panelsched/forward/), a lasting diary.
