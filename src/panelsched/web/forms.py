"""Reading what a browser sent: a form's text fields, its dates, and a date in an address.

The routes check their own fields with these and put what is wrong, in words, against the
field's name, so the form comes back filled in with the problems beside the fields.
"""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from panelsched.web.errors import bad_request


def text(form: FormData, name: str, limit: int = 500) -> str:
    """A form field's text, trimmed (an absent field or a file is empty)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_values(form: FormData) -> dict[str, str]:
    """The form's text fields, to fill the form in again when it comes back with problems."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def optional_day(value: str, field: str, errors: dict[str, str], words: str) -> date | None:
    """A form's ISO date, or ``None`` when blank; a bad one is put in ``errors[field]``."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = f"'{value}' is not a date; give {words} like 2027-06-30."
        return None


def parse_day(text: str, what: str = "date") -> date:
    """An ISO date from an address or a form.

    Raises
    ------
    Refused
        400, naming what was expected.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise bad_request(f"'{text}' is not a {what} like 2027-01-31.") from None


__all__ = ["form_values", "optional_day", "parse_day", "text"]
