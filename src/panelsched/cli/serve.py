"""``panelsched serve`` and ``panelsched users add|list|disable|enable|reset``.

They import FastAPI, uvicorn and argon2 (through :mod:`panelsched.web`) only when run, so the
rest of the command line works without the ``web`` extra, and these say what to install. A
password comes from a prompt (typed twice, not shown) or from a file (``--password-file``),
never from an argument, which other users of the machine can see.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from panelsched.cli.help_words import WordedCommand, WordedGroup
from panelsched.errors import InputError

if TYPE_CHECKING:
    from datetime import datetime

    from panelsched.forward.store import Store
    from panelsched.web.security import Passwords

P = ParamSpec("P")
R = TypeVar("R")

DbOpt = Annotated[Path, typer.Option("--db", help="The planner's database file.")]
PasswordFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from this file's first line (else it is asked for).",
        dir_okay=False,
    ),
]

users_app = typer.Typer(
    cls=WordedGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Who may sign in to `panelsched serve`: administrators, chairs and viewers.",
)


def _refusing(function: Callable[P, R]) -> Callable[P, R]:
    """Bad input (or a locked, damaged file) is one line per problem and exit status 2."""

    @functools.wraps(function)
    def command(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2) from None
        except sqlite3.Error as exc:
            typer.echo(f"error: cannot use the planner database: {exc}", err=True)
            raise typer.Exit(2) from None
        except ImportError as exc:
            typer.echo(
                f"error: the web application needs its extra ({exc.name} is missing): "
                'pip install "panelsched[web]"',
                err=True,
            )
            raise typer.Exit(2) from None

    return command


def _passwords() -> Passwords:
    from panelsched.web.security import Passwords

    return Passwords()


def _read_password(password_file: Path | None) -> str:
    from panelsched.web.security import check_password

    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise InputError.one(str(password_file), f"cannot read it: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise InputError.one(str(password_file), "not UTF-8 text") from None
        return check_password(lines[0] if lines else "", str(password_file))
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return check_password(password, "the password typed")


def _change(db: Path, command: str, name: str, make: Callable[[Store, datetime], str]) -> None:
    """Run a change to the users as one audited command of the store."""
    from datetime import UTC, datetime

    from panelsched.forward import Actor, Store, default_user, local_now

    with Store.open(db) as store:
        store.share()
        actor = Actor(local_now(store.model()), default_user())
        with store.transaction(actor, command, name):
            line = make(store, datetime.now(UTC))
    typer.echo(line)


@users_app.command("add", cls=WordedCommand)
@_refusing
def users_add(
    name: Annotated[str, typer.Argument(help="The user name they sign in with.")],
    role: Annotated[
        str, typer.Option("--role", help="administrator, chair or viewer.", show_default=False)
    ],
    db: DbOpt = Path("planner.db"),
    password_file: PasswordFileOpt = None,
) -> None:
    """Let someone sign in, with a role: administrators change the diary; chairs record
    outcomes (emergency ones too) and agree cancellations and late papers; viewers read and
    download."""
    from panelsched.web.security import check_name, check_role

    check_name(name)
    check_role(role)
    if not db.is_file():
        raise InputError.one(str(db), "no planner here; start one with `panelsched planner init`")
    password = _read_password(password_file)
    hashed = _passwords().hash(password)

    def make(store: Store, now: datetime) -> str:
        from panelsched.web.accounts import Accounts

        Accounts(store).add_user(name, role, hashed, now)
        store.audit("user added", name, f"role {role}")
        return f"Added {name} ({role})."

    _change(db, "users add", name, make)


@users_app.command("list", cls=WordedCommand)
@_refusing
def users_list(db: DbOpt = Path("planner.db")) -> None:
    """List the users: name, role, and whether they are disabled or locked out."""
    from datetime import UTC, datetime

    from panelsched.forward import Store
    from panelsched.web.accounts import Accounts

    now = datetime.now(UTC)
    with Store.open(db) as store:
        users = Accounts(store).users()
    if not users:
        typer.echo("No users yet; add one with `panelsched users add NAME --role ROLE`.")
    for user in users:
        state = "disabled" if user.disabled else "active"
        if user.locked_until is not None and user.locked_until > now:
            state += f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
        typer.echo(f"{user.name}\t{user.role}\t{state}")


def _existing(store: Store, name: str) -> None:
    from panelsched.web.accounts import Accounts

    if Accounts(store).user(name) is None:
        raise InputError.one("NAME", f"'{name}' is not a user; see `panelsched users list`")


@users_app.command("disable", cls=WordedCommand)
@_refusing
def users_disable(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: DbOpt = Path("planner.db"),
) -> None:
    """Stop someone signing in (their sessions end at once); their audit rows stay."""

    def make(store: Store, now: datetime) -> str:
        _existing(store, name)
        from panelsched.web.accounts import Accounts

        Accounts(store).disable_user(name, now)
        store.audit("user disabled", name)
        return f"Disabled {name}; their sessions have ended."

    _change(db, "users disable", name, make)


@users_app.command("enable", cls=WordedCommand)
@_refusing
def users_enable(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: DbOpt = Path("planner.db"),
) -> None:
    """Let someone sign in again: undo `users disable` and lift any hold the server placed
    after wrong passwords (their password stays the same)."""

    def make(store: Store, now: datetime) -> str:
        _existing(store, name)
        from panelsched.web.accounts import Accounts

        accounts = Accounts(store)
        before = accounts.user(name)
        accounts.enable_user(name, now)
        was = []
        if before is not None and before.disabled:
            was.append("disabled")
        if before is not None and before.locked_until is not None and before.locked_until > now:
            was.append("locked out")
        store.audit("user enabled", name, f"was {' and '.join(was)}" if was else "")
        if not was:
            # The running server's holds after wrong passwords live in its memory; it lifts
            # them when it sees the user changed, which ``enable_user`` has just recorded.
            return (
                f"{name} was not disabled; any hold the server placed after wrong passwords "
                "is lifted."
            )
        return f"Enabled {name} (was {' and '.join(was)}); they can sign in again."

    _change(db, "users enable", name, make)


@users_app.command("reset", cls=WordedCommand)
@_refusing
def users_reset(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: DbOpt = Path("planner.db"),
    password_file: PasswordFileOpt = None,
) -> None:
    """Give someone a new password; it also clears a lockout and ends their sessions."""
    from panelsched.forward import Store

    with Store.open(db) as store:
        _existing(store, name)
    password = _read_password(password_file)
    hashed = _passwords().hash(password)

    def make(store: Store, now: datetime) -> str:
        _existing(store, name)
        from panelsched.web.accounts import Accounts

        Accounts(store).set_password(name, hashed, now)
        store.audit("password reset", name)
        return f"Reset the password of {name}; any lockout is cleared."

    _change(db, "users reset", name, make)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@_refusing
def serve(
    db: DbOpt = Path("planner.db"),
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 127.0.0.1 is this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Show and change the diary as of this moment (for demos)."),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.1, help="Solver budget per round, deterministic s."),
    ] = 5.0,
    seed: Annotated[int, typer.Option("--seed", help="Solver seed.")] = 0,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            "--secret-file",
            help="Sign session cookies with the key in this file (else with the key kept "
            "beside the planner, PLANNER.session-key, made at the first start).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Serve the forward planner in the browser (sign in with `panelsched users add`)."""
    import uvicorn

    from panelsched.forward import Settings, Store
    from panelsched.forward.clock import parse_now
    from panelsched.web.accounts import Accounts
    from panelsched.web.config import WebConfig
    from panelsched.web.main import create_app
    from panelsched.web.security import session_key

    with Store.open(db) as store:
        store.share()
        if not Accounts(store).users():
            typer.echo(
                "warning: nobody can sign in yet; add someone with "
                "`panelsched users add NAME --role administrator`",
                err=True,
            )
    if secret_file is None:
        secret = session_key(db)
    else:
        try:
            secret = secret_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InputError.one(str(secret_file), f"cannot read it: {exc.strerror}") from None
        if len(secret) < 32:
            raise InputError.one(str(secret_file), "the key needs at least 32 characters")
    config = WebConfig(
        db=db,
        settings=Settings(time_limit=time_limit, seed=seed),
        now=parse_now(now),
        secret=secret,
    )
    app = create_app(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not _loopback(host):
        typer.echo(
            f"warning: listening on {host}, reachable from other machines; put it behind HTTPS",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Serving {db} on http://{shown}:{port}/ (Ctrl+C to stop)")
    # uvicorn's own access log prints each address, which can hold a case reference; the
    # application logs the route's template instead.
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False, log_level="info")


__all__ = ["serve", "users_app"]
