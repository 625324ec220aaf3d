"""``python -m panelsched.web serve|users ...``: the web commands on their own (``make serve``
uses it; ``panelsched serve`` and ``panelsched users`` are the same commands)."""

from __future__ import annotations

import typer

from panelsched.web.commands import serve, users_app

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False)
app.command("serve")(serve)
app.add_typer(users_app, name="users")

if __name__ == "__main__":
    app()
