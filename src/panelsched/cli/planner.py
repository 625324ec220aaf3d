"""``panelsched planner ...``: the forward planner's commands, week by week."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from panelsched.model import Authority, load_model

if TYPE_CHECKING:
    from panelsched.forward import Actor, Diary, Report, Settings, Store

from panelsched.cli.common import (
    AwayOpt,
    FormatOpt,
    OutOpt,
    OutputFormat,
    PanelsOpt,
    check_folder,
    choose,
    chosen_panels,
    command,
    console,
    date_range,
    parse_required_day,
    print_wide,
    show_findings,
    writing,
)

planner_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="The forward planner: a lasting diary of sittings, bookings, decisions and reviews.",
)

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
# The options the planner commands share, with their defaults, in the order --help lists them
# (after each command's own).
_SHARED: dict[str, tuple[object, object]] = {
    "db": (DbOpt, Path("planner.db")),
    "by": (ByOpt, None),
    "now": (NowOpt, None),
    "time_limit": (PlannerLimitOpt, 5.0),
    "seed": (PlannerSeedOpt, 0),
}


def _print_report(report: Report) -> None:
    from panelsched.forward.report import report_renderables

    for item in report_renderables(report):
        console.print(item, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class _Planner:
    """A planner command's shared options, and the store they open."""

    db: Path
    now: str | None
    by: str | None = None
    time_limit: float = 5.0
    seed: int = 0

    @property
    def settings(self) -> Settings:
        """The solver's budget and seed (``--time-limit``, ``--seed``)."""
        from panelsched.forward import Settings

        return Settings(time_limit=self.time_limit, seed=self.seed)

    def actor(self, authority: Authority) -> Actor:
        """Who acts (``--by``, else the OS user) and when (``--now``, else the clock)."""
        from panelsched.forward.report import actor_for

        return actor_for(authority, self.by, self.now)

    def change(self, make: Callable[[Store, Actor], Report]) -> None:
        """Open the store, make the change as :meth:`actor` and print its report."""
        from panelsched.forward import Store

        with Store.open(self.db) as store:
            report = make(store, self.actor(store.model()))
        _print_report(report)

    def diary(self) -> tuple[Diary, datetime]:
        """The store's diary (the store closed again) and the moment it is read at."""
        from panelsched.forward import Store

        with Store.open(self.db) as store:
            diary = store.diary()
        return diary, self.actor(diary.authority).now


def _planner_command(
    name: str, *, changes: bool = False, books: bool = False
) -> Callable[[Callable[..., int | None]], Callable[..., None]]:
    """Register ``planner NAME``, a function of a :class:`_Planner` and its own options.

    Every command takes ``--db`` and ``--now``; one that ``changes`` the store also ``--by``,
    and one that ``books`` cases also ``--time-limit`` and ``--seed``.
    """
    shared = ["db", *(["by"] if changes else []), "now"]
    shared += ["time_limit", "seed"] if books else []

    def register(function: Callable[..., int | None]) -> Callable[..., None]:
        # Typer reads a command's options from its signature: its own, less the _Planner,
        # then the shared ones.
        own = list(inspect.signature(function, eval_str=True).parameters.values())[1:]
        keyword = inspect.Parameter.KEYWORD_ONLY
        for key in shared:
            kind, default = _SHARED[key]
            own.append(inspect.Parameter(key, keyword, annotation=kind, default=default))

        def run(**options: Any) -> int | None:
            planner = _Planner(**{key: options.pop(key) for key in shared})
            return function(planner, **options)

        run.__signature__ = inspect.Signature(own)  # type: ignore[attr-defined]
        run.__name__, run.__doc__ = function.__name__, function.__doc__
        return command(planner_app, name, store=True)(run)

    return register


@_planner_command("init", changes=True)
def planner_init(
    planner: _Planner,
    model: Annotated[Path, typer.Option("--model", help="Panel model YAML to put in force.")],
) -> None:
    """Start a planner database with a model in force."""
    from panelsched.forward import init

    _print_report(init(planner.db, model, planner.actor(load_model(model))))


@_planner_command("add", changes=True, books=True)
def planner_add(
    planner: _Planner,
    referrals: Annotated[
        Path, typer.Option("--referrals", help="New referrals to book (CSV or XLSX).")
    ],
    availability: AwayOpt = None,
    replan: ReplanOpt = False,
) -> None:
    """Import new referrals and book them; bookings already made stay where they are."""
    from panelsched.forward import add

    planner.change(
        lambda store, actor: add(
            store, actor, referrals, availability, settings=planner.settings, replan=replan
        )
    )


@_planner_command("decide", changes=True, books=True)
def planner_decide(
    planner: _Planner,
    records: Annotated[
        Path,
        typer.Option("--records", help="Outcomes: referral_id, panel, date, outcome, ..."),
    ],
) -> None:
    """Record what panels decided and book the follow-ups the rules ask for, at once."""
    from panelsched.forward import decide

    planner.change(lambda store, actor: decide(store, actor, records, settings=planner.settings))


@_planner_command("cancel", changes=True, books=True)
def planner_cancel(
    planner: _Planner,
    sitting: Annotated[str, typer.Argument(help="The sitting, e.g. lam-crp@2027-03-11.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is cancelled.")],
    agreed_by: Annotated[
        str, typer.Option("--agreed-by", help="Who agreed: chair, vice-chair, head of service.")
    ] = "",
) -> None:
    """Cancel a sitting, book its cases elsewhere and list who moves."""
    from panelsched.forward import cancel

    planner.change(
        lambda store, actor: cancel(
            store, actor, sitting, reason, agreed_by=agreed_by, settings=planner.settings
        )
    )


@_planner_command("extra", changes=True, books=True)
def planner_extra(
    planner: _Planner,
    panel: Annotated[str, typer.Argument(help="The panel id, e.g. lam-crp.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The date, 2027-03-12.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is added.")] = "",
    replan: ReplanOpt = False,
) -> None:
    """Add an extra sitting and book waiting cases into it (--replan: any case may move)."""
    from panelsched.forward import extra

    when = parse_required_day(day, "DATE")
    planner.change(
        lambda store, actor: extra(
            store, actor, panel, when, reason=reason, replan=replan, settings=planner.settings
        )
    )


@_planner_command("show")
def planner_show(
    planner: _Planner,
    panel: PanelsOpt = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, help="How many weeks ahead.")] = 4,
) -> None:
    """The coming sittings: booked cases, free minutes, cut-offs and papers-out times."""
    from datetime import timedelta

    from panelsched.forward.report import coming_counts, coming_table, waiting_lines
    from panelsched.forward.views import awaiting_outcome, sitting_views

    diary, moment = planner.diary()
    chosen = chosen_panels(diary.authority.panel_ids, panel)
    start = moment.date()
    views = [
        v
        for v in sitting_views(diary, start, start + timedelta(weeks=weeks), chosen)
        if v.sitting.opens > moment
    ]
    print_wide(coming_table(diary, views, moment, weeks))
    waiting = diary.waiting()
    awaiting = awaiting_outcome(diary, moment)
    console.print(coming_counts(views, waiting, awaiting), highlight=False)
    for line in waiting_lines(diary, waiting):
        console.print(line, highlight=False, markup=False)


@_planner_command("export")
def planner_export(
    planner: _Planner,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="First date (default: this month's 1st).")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Last date (default: the last booking or 13 weeks ahead)."),
    ] = None,
) -> None:
    """Write planner.xlsx, planner.ics and planner.html (a self-contained page)."""
    from panelsched.forward.diary_files import default_range, export

    diary, moment = planner.diary()
    start, end = date_range(from_, to)
    check_folder(out)
    span = default_range(diary, moment, start, end)
    with writing(out):
        paths = export(diary, span, out)
    console.print(
        f"Wrote {', '.join(p.name for p in paths)} to {out}/ "
        f"(sittings {span.start:%d/%m/%Y} to {span.end:%d/%m/%Y}).",
        highlight=False,
        soft_wrap=True,
    )


@_planner_command("validate")
def planner_validate(planner: _Planner, out: OutOpt = None, format_: FormatOpt = "table") -> int:
    """Run the validator over the whole store; exit 1 when a rule was broken."""
    from panelsched.forward import validate_store
    from panelsched.validator.report import findings_table

    choose(format_, "--format", OutputFormat)
    diary, moment = planner.diary()
    found = validate_store(diary, moment)
    title = f"{diary.authority.authority}: findings in the planner"
    table = findings_table(found, title, panels=False)
    return show_findings(found, out, format_, table, summary=False)


# --------------------------------------------------------------------------- scenario
# `panelsched scenario ...`: capacity scenarios (src/panelsched/scenarios/), many replications.
