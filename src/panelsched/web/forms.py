"""Reading what a browser sent: a form's text fields, its dates and times, and a date in an
address.

The routes check their own fields with these and put what is wrong, in words, against the
field's name, so the form comes back filled in with the problems beside the fields and in the
error summary at the top of the page (``templates/_fields.html``).

Dates are asked for as the GOV.UK date input asks: three boxes, day, month and year
(``review_date-day``, ``review_date-month``, ``review_date-year``), because a browser's own
date picker shows ``mm/dd/yyyy`` to a UK user whose browser is set to US English. Times are
two boxes, hour and minute, on the 24-hour clock for the same reason (``10:30 PM``). A form
that sends the date in one field (a script, an older page) is read too: ISO ``2027-06-30`` or
UK ``30/06/2027``.
"""

from __future__ import annotations

import re
from datetime import date, time

from starlette.datastructures import FormData

from panelsched.web.errors import bad_request

_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def text(form: FormData, name: str, limit: int = 500) -> str:
    """A form field's text, trimmed (an absent field or a file is empty)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_values(form: FormData) -> dict[str, str]:
    """The form's text fields, to fill the form in again when it comes back with problems."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _one_field_day(value: str) -> date | None:
    """``2027-06-30`` or ``30/06/2027`` as a date, else ``None``."""
    found = _UK.fullmatch(value)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(value)
    except ValueError:
        return None


def form_date(
    form: FormData, name: str, errors: dict[str, str], words: str, *, required: bool = False
) -> date | None:
    """The date of the day, month and year boxes ``name-day``, ``name-month``, ``name-year``.

    Parameters
    ----------
    form
        The posted form.
    name
        The field's name; a problem is put in ``errors[name]``.
    words
        What the date is, as the message names it: ``the review date``.
    required
        Blank boxes are a problem (else blank gives ``None``).

    Returns
    -------
    date or None
        ``None`` when blank or wrong (then ``errors[name]`` says why).
    """
    parts = [text(form, f"{name}-{part}", 10) for part in ("day", "month", "year")]
    if not any(parts):
        single = text(form, name, 40)
        if not single:
            if required:
                errors[name] = f"Enter {words}"
            return None
        found = _one_field_day(single)
        if found is None:
            errors[name] = f"Enter {words} as day, month and year, like 30 6 2027"
        return found
    day, month, year = parts
    if not all(p.isdigit() for p in parts) or len(year) != 4:
        errors[name] = f"Enter {words} as day, month and year, like 30 6 2027"
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        # GOV.UK's words for a date that does not exist: "Date of birth must be a real date".
        errors[name] = f"{words[0].upper()}{words[1:]} must be a real date"
        return None


def form_time(
    form: FormData, name: str, errors: dict[str, str], words: str, *, required: bool = True
) -> time | None:
    """The time of the hour and minute boxes ``name-hour`` and ``name-minute`` (24-hour).

    ``words`` names the time in the message (``the time the papers came``); a problem is put
    in ``errors[name]``. A single field ``name`` like ``14:30`` is read too.
    """
    hour, minute = text(form, f"{name}-hour", 10), text(form, f"{name}-minute", 10)
    if not hour and not minute:
        single = text(form, name, 10)
        hour, _, minute = single.partition(":")
        if not single:
            if required:
                errors[name] = f"Enter {words}"
            return None
    minute = minute or "0"
    if not (hour.isdigit() and minute.isdigit()):
        errors[name] = f"Enter {words} as hour and minute on the 24-hour clock, like 14 30"
        return None
    if int(hour) > 23 or int(minute) > 59:
        errors[name] = f"Enter a real time for {words}: hour 0 to 23, minute 0 to 59"
        return None
    return time(int(hour), int(minute))


def optional_day(value: str, field: str, errors: dict[str, str], words: str) -> date | None:
    """A form's single-field date (ISO or UK), or ``None`` when blank; a bad one is put in
    ``errors[field]``."""
    if not value:
        return None
    found = _one_field_day(value)
    if found is None:
        errors[field] = f"Enter {words} as day, month and year, like 30/06/2027"
    return found


def filter_day(text: str, what: str) -> date:
    """A date typed into a filter box, ``31/01/2027`` (as the pages print it) or
    ``2027-01-31`` (as links carry it).

    Raises
    ------
    Refused
        400, naming the box and the form expected.
    """
    found = _one_field_day(text.strip())
    if found is None:
        article = "an" if what[:1] in ("a", "e", "i", "o", "u") else "a"
        raise bad_request(f"'{text}' is not {article} {what} like 31/01/2027.")
    return found


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


__all__ = [
    "filter_day",
    "form_date",
    "form_time",
    "form_values",
    "optional_day",
    "parse_day",
    "text",
]
