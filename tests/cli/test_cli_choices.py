"""Fixed sets of words on the command line: listed by --help, anything else refused in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from panelsched.cli import app


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["plan"], "<cpsat|greedy>"),
        (["validate"], "<table|json>"),
        (["planner", "validate"], "<table|json>"),
        (["scenario", "run"], "<local|dask>"),
        (["scenario", "compare"], "<local|dask>"),
    ],
)
def test_help_lists_the_words(command: list[str], words: str) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert words in result.output


def test_another_word_is_refused_by_the_command_in_one_line() -> None:
    result = CliRunner().invoke(
        app, ["plan", "models/lambeth.yaml", "--referrals", "x.csv", "--method", "fast"]
    )
    assert result.exit_code == 2
    # Refused before any file is read, in the command's own words (not click's usage box).
    assert result.output.strip() == "error: --method: 'fast' is not cpsat or greedy"
