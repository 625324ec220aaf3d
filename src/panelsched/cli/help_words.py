"""How ``--help`` names what each option takes: in words, and nothing for an on/off flag.

Typer 0.2x writes the Python type (``<str>``, ``<path>``, ``<float range>``) and gives every
flag, ``--help`` itself included, a ``<bool>`` it never takes. Commands and groups made with
:class:`WordedCommand` and :class:`WordedGroup` say TEXT, PATH, NUMBER... instead, and nothing
for a flag; a fixed set of words keeps its list (``<cpsat|greedy>``), and an option given its
own ``metavar`` keeps it.
"""

from __future__ import annotations

import functools
from typing import Any

import typer.core

# Typer's type names, as --help shows them to people who do not write Python.
WORDS = {
    "str": "TEXT",
    "list[str]": "TEXT",
    "int": "INTEGER",
    "int range": "INTEGER",
    "float": "NUMBER",
    "float range": "NUMBER",
    "path": "PATH",
    "datetime": "DATE",
}


def name_values(params: list[Any], ctx: Any) -> None:
    """Show each parameter's value in words (nothing for a flag) in the help being written.

    Typer asks each parameter for ``display_type_rich`` only when it writes ``--help``; the
    parameters are made afresh for every run, so replacing it here touches nothing else.
    """
    for param in params:
        shown = getattr(param, "display_type", None)
        if shown is None:
            continue  # an older typer, which writes TEXT and PATH and no type for a flag
        if getattr(param, "is_flag", False):
            words = None
        elif param.metavar is not None and param.param_type_name == "option":
            continue  # an option's own metavar names its value (an argument's names itself)
        else:
            words = WORDS.get(str(shown(ctx)).strip("<>"))
            if words is None:
                continue  # a fixed set of words, listed as they are: <cpsat|greedy>
        param.display_type_rich = functools.partial(_fixed, words)


def _fixed(words: str | None, ctx: Any = None) -> str | None:
    return words


class WordedCommand(typer.core.TyperCommand):
    """A command whose ``--help`` names option values in words."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        name_values(self.get_params(ctx), ctx)
        super().format_help(ctx, formatter)


class WordedGroup(typer.core.TyperGroup):
    """A group of commands whose ``--help`` names option values in words."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        name_values(self.get_params(ctx), ctx)
        super().format_help(ctx, formatter)
