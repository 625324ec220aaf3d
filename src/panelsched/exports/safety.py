"""Keep case data inert in spreadsheets and Markdown: no cell may run as a formula, and no
text may split a table.

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


def markdown_cell(text: str) -> str:
    """``text`` for a cell of a Markdown table: a pipe is escaped (``\\|``, shown as ``|``)
    and a line break becomes a space, either of which would otherwise end the cell or the
    row."""
    return " ".join(text.replace("|", "\\|").splitlines())
