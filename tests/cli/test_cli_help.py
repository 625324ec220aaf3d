"""cli/help_words.py: --help names what each option takes in words, and no type for a flag."""

from __future__ import annotations

import re

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from panelsched.cli import app


def command_paths() -> list[list[str]]:
    """Every command and group, as the words typed after ``panelsched``."""
    found: list[list[str]] = [[]]

    def walk(group: typer.core.TyperGroup, path: list[str]) -> None:
        for name, sub in sorted(group.commands.items()):
            found.append([*path, name])
            if isinstance(sub, typer.core.TyperGroup):
                walk(sub, [*path, name])

    top = typer.main.get_command(app)
    assert isinstance(top, typer.core.TyperGroup)
    walk(top, [])
    return found


def help_of(path: list[str]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "panelsched")
def test_no_help_shows_a_python_type(path: list[str]) -> None:
    text = help_of(path)
    # Typer's own names for types (<bool> on every flag, --help included) mean nothing to an
    # administrator; fixed sets of words such as <cpsat|greedy> stay.
    assert not re.findall(r"<(?:bool|str|int|float|path|list\[str\])[^>]*>", text)


def option_row(text: str, option: str) -> str:
    """The words on ``option``'s row of a help table, without the box drawing."""
    (row,) = [line for line in text.splitlines() if re.search(rf"\s{option}\s", line)]
    return " ".join(row.strip("│ ").split())


def test_flags_show_no_value_and_values_are_named_in_words() -> None:
    text = help_of(["planner", "add"])
    # A flag takes no value: the option is followed straight by its help.
    assert option_row(text, "--replan").startswith("--replan Let bookings")
    assert option_row(text, "--help") == "--help Show this message and exit."
    assert option_row(text, "--referrals").startswith("* --referrals PATH New referrals")
    assert option_row(text, "--by").startswith("--by TEXT Who makes the change")
    assert option_row(text, "--seed").startswith("--seed INTEGER Solver seed.")
    # A number with a lower bound says both.
    assert option_row(text, "--time-limit").startswith("--time-limit NUMBER [x>=0.1] Solver")
    # The top level's --version is a flag too.
    assert option_row(help_of([]), "--version") == "--version Print the version."
