"""Keep case data inert in spreadsheets: no cell may run as a formula.

OWASP's guidance on CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read as a formula by spreadsheet programs; prefixing a single quote makes
it text while keeping it readable.
"""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Return ``text`` prefixed with ``'`` when a spreadsheet would read it as a formula."""
    if text and text.startswith(_TRIGGERS):
        return "'" + text
    return text
