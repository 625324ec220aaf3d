"""exports/safety.py: text that a spreadsheet would run as a formula is made inert."""

from __future__ import annotations

import pytest

from panelsched.exports.safety import neutralise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OWASP's six triggers each get a leading apostrophe, the rest of the text unchanged.
        ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
        ("+44 20 7926 1000", "'+44 20 7926 1000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
    ],
)
def test_a_formula_trigger_at_the_start_gets_an_apostrophe(text: str, expected: str) -> None:
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",  # nothing to protect
        "Children's Resource Panel",
        "a=b",  # a trigger later in the text is not a formula
        " =1+1",  # a leading space makes spreadsheets read it as text
        "'=1+1",  # already neutralised: not prefixed twice
        "moved from 2027-12-28 (Boxing Day (observed))",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text
