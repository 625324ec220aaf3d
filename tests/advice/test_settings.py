"""The advice file and the target: defaults, and bad input named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelsched.advice import load_settings, parse_target
from panelsched.errors import InputError


def test_the_defaults_are_documented_ones() -> None:
    costs = load_settings(None).costs
    assert (costs.extra_sitting, costs.weekly_sitting, costs.extend_30, costs.extend_60) == (
        4.0,
        3.5,
        0.5,
        1.0,
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [("late=0", "late=0"), ("LATE = 3", "late=3"), ("max-wait=42", "max-wait=42")],
)
def test_targets_read(text: str, shown: str) -> None:
    assert str(parse_target(text)) == shown


@pytest.mark.parametrize("text", ["late", "wait=4", "max-wait=0", "late=-1"])
def test_a_bad_target_names_the_option(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_target(text)
    assert str(caught.value).startswith("--target")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("costs:\n  extra_sitting: -1\n", "key 'costs.extra_sitting'"),
        ("costs:\n  extra_siting: 3\n", "key 'costs.extra_siting': unknown key"),
        ("extra_weekdays: [SA]\n", "SA: expected weekdays"),
        ("latest_end: '25:00'\n", "key 'latest_end'"),
    ],
)
def test_a_bad_advice_file_names_file_and_key(tmp_path: Path, body: str, where: str) -> None:
    path = tmp_path / "advice.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert str(path) in text and where in text, text
