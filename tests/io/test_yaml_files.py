"""The YAML reader and pydantic-error translator shared by panel models and scenario files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from panelsched.errors import InputError
from panelsched.io.yaml_files import plain_message, problems_from, read_yaml_mapping

KEYS = ("model", "horizon")


def test_clock_times_and_impossible_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("time: 13:00\nday: 2027-02-30\nok: 2027-02-28\nn: 7\n", encoding="utf-8")
    raw = read_yaml_mapping(path, keys=KEYS)
    # YAML 1.1 would read 13:00 as 780 (13 * 60) and crash on 30 February.
    assert raw["time"] == "13:00"
    assert raw["day"] == "2027-02-30"
    assert (str(raw["ok"]), raw["n"]) == ("2027-02-28", 7)


@pytest.mark.parametrize(
    ("text", "folder", "message"),
    [
        ("- a\n", None, "expected a mapping with keys model, horizon"),
        ("a: [\n", None, "not valid YAML at line 2"),
        # Column 4: "  -" fills columns 1-3 and the tab is the fourth character.
        (
            "panels:\n  -\tid: x\n",
            None,
            "not valid YAML: line 2, column 4 is a tab character; YAML indents with spaces "
            "only, so replace it with spaces",
        ),
        (None, None, "cannot read the file (IsADirectoryError)"),
        (None, "a scenario YAML file", "is a folder; expected a scenario YAML file"),
    ],
)
def test_a_file_that_is_not_a_mapping_is_named(
    tmp_path: Path, text: str | None, folder: str | None, message: str
) -> None:
    path = tmp_path / "x.yaml"
    if text is None:
        path.mkdir()
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_yaml_mapping(path, keys=KEYS, folder=folder)
    assert [p.message for p in caught.value.problems] == [message]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_yaml_mapping(tmp_path / "nope.yaml", keys=KEYS)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    replications: int = Field(ge=1)


def test_a_check_that_names_its_key_is_reported_against_that_key() -> None:
    with pytest.raises(ValidationError) as caught:
        _Spec.model_validate({"replications": 0, "colour": "red"})
    errors = caught.value.errors()
    problems = problems_from(
        errors,
        "s.yaml",
        locate=lambda err: (None, str(err["loc"][0])),
        describe=lambda err: plain_message(err, ["replications"]),
        prefix="top",
    )
    assert [str(p) for p in problems] == [
        "s.yaml, key 'top.replications': expected a number of at least 1, got 0",
        "s.yaml, key 'top.colour': unknown key; expected one of replications",
    ]
    # Without a key from its location, a message "panel 'P', key 'K': ..." names both.
    named = problems_from(
        errors[:1],
        "m.yaml",
        locate=lambda err: (None, None),
        describe=lambda err: "panel 'lam-crp', key 'anchor': needs a date",
    )
    assert [(p.panel, p.key, p.message) for p in named] == [("lam-crp", "anchor", "needs a date")]
