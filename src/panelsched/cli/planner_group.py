"""The ``planner`` command group's frame: the options every planner command shares, the store
each opens, and how a command is registered (:func:`planner_command`). The commands are in
:mod:`panelsched.cli.forward_planner`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from panelsched.cli.common import command, console
from panelsched.cli.help_words import WordedGroup
from panelsched.core.panels import Authority
from panelsched.errors import InputError

if TYPE_CHECKING:
    from panelsched.forward import Actor, Diary, Report, Settings, Store
    from panelsched.forward.moves import Moves

planner_app = typer.Typer(
    cls=WordedGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="The forward planner: a lasting diary of sittings, bookings, decisions and reviews.",
)

_T = TypeVar("_T")

DbOpt = Annotated[Path, typer.Option("--db", help="The planner's database file.")]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change, for the audit trail (default: OS user)."),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Act as of this moment, 11/01/2027 08:00 (default: the clock); for replaying.",
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
MoveLateOnlyOpt = Annotated[
    bool,
    typer.Option(
        "--move-late-only",
        help="Offer an earlier date to cases booked after their due date; nobody else moves.",
    ),
]
MoveOpt = Annotated[
    int | None,
    typer.Option(
        "--move",
        min=0,
        metavar="N",
        help="As --move-late-only, and offer an earlier date to up to N other cases too.",
    ),
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


def chosen_moves(replan: bool, late_only: bool, move: int | None, default: Moves) -> Moves:
    """Which bookings already made may move: ``--replan``, ``--move-late-only`` or
    ``--move N`` (at most one of them), else ``default``."""
    from panelsched.forward.moves import LATE_ONLY, REPLAN, Moves

    asked = (("--replan", replan), ("--move-late-only", late_only), ("--move", move is not None))
    given = [name for name, on in asked if on]
    if len(given) > 1:
        raise InputError.one(given[1], f"give one of {' and '.join(given)}, not both")
    if replan:
        return REPLAN
    if move is not None:
        return Moves("late", others=move)
    return LATE_ONLY if late_only else default


def print_report(report: Report) -> None:
    from panelsched.cli.forward_tables import report_renderables

    for item in report_renderables(report):
        console.print(item, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class Planner:
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
        from panelsched.forward.clock import actor_for

        return actor_for(authority, self.by, self.now)

    def change(self, make: Callable[[Store, Actor], Report]) -> None:
        """Open the store, make the change as :meth:`actor` and print its report."""
        from panelsched.forward import Store

        with Store.open(self.db) as store:
            report = make(store, self.actor(store.model()))
        print_report(report)

    def read(self, look: Callable[[Store], _T]) -> _T:
        """Open the store, read from it with ``look`` and close it again."""
        from panelsched.forward import Store

        with Store.open(self.db) as store:
            return look(store)

    def diary(self) -> tuple[Diary, datetime]:
        """The store's diary (the store closed again) and the moment it is read at."""
        from panelsched.forward import Store

        with Store.open(self.db) as store:
            diary = store.diary()
        return diary, self.actor(diary.authority).now


def planner_command(
    name: str, *, changes: bool = False, books: bool = False
) -> Callable[[Callable[..., int | None]], Callable[..., None]]:
    """Register ``planner NAME``, a function of a :class:`Planner` and its own options.

    Every command takes ``--db`` and ``--now``; one that ``changes`` the store also ``--by``,
    and one that ``books`` cases also ``--time-limit`` and ``--seed``.
    """
    shared = ["db", *(["by"] if changes else []), "now"]
    shared += ["time_limit", "seed"] if books else []

    def register(function: Callable[..., int | None]) -> Callable[..., None]:
        # Typer reads a command's options from its signature: its own, less the Planner,
        # then the shared ones.
        own = list(inspect.signature(function, eval_str=True).parameters.values())[1:]
        keyword = inspect.Parameter.KEYWORD_ONLY
        for key in shared:
            kind, default = _SHARED[key]
            own.append(inspect.Parameter(key, keyword, annotation=kind, default=default))

        def run(**options: Any) -> int | None:
            planner = Planner(**{key: options.pop(key) for key in shared})
            return function(planner, **options)

        run.__signature__ = inspect.Signature(own)  # type: ignore[attr-defined]
        run.__name__, run.__doc__ = function.__name__, function.__doc__
        return command(planner_app, name, store=True)(run)

    return register


__all__ = [
    "ByOpt",
    "DbOpt",
    "MoveLateOnlyOpt",
    "MoveOpt",
    "NowOpt",
    "Planner",
    "ReplanOpt",
    "chosen_moves",
    "planner_app",
    "planner_command",
    "print_report",
]
