"""What every ``panelsched`` command shares: how bad input is refused, the date and
folder options, and printing."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn, ParamSpec, get_args

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from panelsched.cli.help_words import WordedCommand
from panelsched.errors import InputError
from panelsched.exports.atomic import sets_put_in_place
from panelsched.io.cells import argument_date, first_problems, more_problems

if TYPE_CHECKING:
    from panelsched.validator.validation import Validation


console = Console()
errors = Console(stderr=True)

P = ParamSpec("P")
OutputFormat = Literal["table", "json"]
ExecutorName = Literal["local", "dask"]


# Exit status after Ctrl-C: 128 + SIGINT, as shells report a command that Ctrl-C stopped.
INTERRUPTED = 130


def refuse(exc: InputError) -> NoReturn:
    """Print each problem on its own line (the first 20, then how many more) and leave with
    exit status 2."""
    shown, more = first_problems(exc.problems)
    for problem in shown:
        errors.print(f"[bold red]error:[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
    if more:
        errors.print(
            f"[bold red]error:[/] {more_problems(more)}; correct these and run it again to see "
            "them",
            highlight=False,
            soft_wrap=True,
        )
    raise typer.Exit(2) from None


def command(
    group: typer.Typer, name: str | None = None, *, store: bool = False
) -> Callable[[Callable[P, int | None]], Callable[P, None]]:
    """Register a command of ``group``: its bad input is one line per problem and exit status
    2, and a status it returns (1: a rule was broken) is its exit status.

    With ``store``, SQLite's own errors (a locked or damaged file) are bad input too, naming
    the command's ``--db``. Ctrl-C is one line and exit status 130: the command's changes
    to the store were rolled back and its output files were never put in place.
    """

    def register(function: Callable[P, int | None]) -> Callable[P, None]:
        @functools.wraps(function)
        def command(*args: P.args, **kwargs: P.kwargs) -> None:
            written = sets_put_in_place()
            try:
                status = function(*args, **kwargs)
            except InputError as exc:
                refuse(exc)
            except sqlite3.Error as exc:
                if not store:
                    raise
                refuse(InputError.one(str(kwargs["db"]), _store_trouble(exc)))
            except KeyboardInterrupt as exc:
                from panelsched.exports.atomic import StoppedPartWay

                # A command that keeps its work as it goes says what it did (notify: how
                # many messages went, how many wait).
                if isinstance(exc, StoppedPartWay):
                    said = exc.said
                elif sets_put_in_place() == written:
                    said = (
                        "interrupted: stopped before finishing; no files were written and "
                        "nothing was changed"
                    )
                else:
                    said = "interrupted: stopped after its files were written in full"
                errors.print(said, highlight=False, soft_wrap=True, markup=False)
                raise typer.Exit(INTERRUPTED) from None
            if status:
                raise typer.Exit(status)

        group.command(name, cls=WordedCommand)(command)
        return command

    return register


def _store_trouble(exc: sqlite3.Error) -> str:
    """What a refusal by SQLite means to the person running the command; in every case the
    command's change was rolled back."""
    from panelsched.forward.store import BUSY_SECONDS, DAMAGED, is_busy

    text = str(exc)
    if is_busy(exc):
        return (
            f"the diary is busy, try again: another command (or the web application) was "
            f"saving a change for more than {BUSY_SECONDS:g} s; nothing was changed"
        )
    if "readonly" in text or "read-only" in text:
        return (
            "the planner cannot be changed: the file or its folder is read-only; "
            "nothing was changed"
        )
    if "full" in text:
        return "the disk is full; nothing was changed: free some space and run it again"
    if "malformed" in text or "not a database" in text:
        return DAMAGED
    return f"cannot use the planner database: {text}; nothing was changed"


def choose(value: str, option: str, words: object) -> None:
    """Refuse a word outside the ``Literal`` ``words``.

    Typer lists the words in ``--help`` (the option is declared with that ``Literal``) but
    passes any word through (``parser=str``): the command refuses it here, in one line with
    exit status 2 like all bad input.
    """
    allowed = get_args(words)
    if value not in allowed:
        raise InputError.one(option, f"'{value}' is not {' or '.join(allowed)}")


def parse_day(value: str | None, option: str) -> date | None:
    return None if value is None else parse_required_day(value, option)


def parse_required_day(value: str, option: str) -> date:
    """A date option or argument, ISO or UK day first, as every table reads dates."""
    return argument_date(value, option)


def in_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InputError.one("--to", f"{end:%d/%m/%Y} is before --from {start:%d/%m/%Y}")


def date_range(from_: str | None, to: str | None) -> tuple[date | None, date | None]:
    """``--from`` and ``--to``, either left out, the second not before the first."""
    start, end = parse_day(from_, "--from"), parse_day(to, "--to")
    in_order(start, end)
    return start, end


def chosen_panels(known: tuple[str, ...], panel: list[str] | None) -> list[str] | None:
    """The panels asked for with ``--panel`` (``None``: every one); each must be known."""
    chosen = list(dict.fromkeys(panel or []))  # a repeated --panel is asked for once
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise InputError.one(
            "--panel", f"unknown panel {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return chosen or None


def check_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError.one("--out", f"{out} is a file; expected a folder")


@contextmanager
def writing(out: Path, *, into: bool = True) -> Iterator[None]:
    """Write into the folder (or, ``into=False``, the file) ``out``: a disk that refuses is
    bad input naming ``--out``, not a crash."""
    try:
        yield
    except OSError as exc:
        where = f"into {out}" if into else str(out)
        raise InputError.one("--out", f"cannot write {where}: {exc.strerror}") from None


def print_wide(table: Table) -> None:
    if console.is_terminal:
        console.print(table)
    else:
        # A pipe or file has no width and rich would squeeze the table into 80 columns,
        # wrapping every note; print it as wide as it needs instead.
        needed = console.measure(table, options=console.options.update_width(10_000))
        Console(width=max(needed.maximum, 80), highlight=False).print(table)


def show_findings(
    found: Validation, out: Path | None, format_: str, table: Table, *, summary: bool
) -> int:
    """Write ``findings.*`` into ``out``, print the findings; 1 when a rule was broken."""
    from panelsched.cli.findings import summary_table
    from panelsched.validator.outputs import to_json, verdict, write_findings

    if out is not None:
        with writing(out):
            write_findings(found, out)
    if format_ == "json":
        typer.echo(to_json(found), nl=False)
    else:
        if found.findings:
            console.print(table)
        if summary:
            console.print(summary_table(found))
        console.print(verdict(found, out), highlight=False, soft_wrap=True)
    return 1 if found.errors else 0


ModelArg = Annotated[Path, typer.Argument(help="Panel model YAML, e.g. models/lambeth.yaml.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Folder to write the outputs into.")]
PanelsOpt = Annotated[
    list[str] | None, typer.Option("--panel", help="Panel id; repeat for several.")
]
AwayOpt = Annotated[Path | None, typer.Option("--availability", help="Who is away (CSV or XLSX).")]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", parser=str, help="How to print the findings: table or json."),
]
