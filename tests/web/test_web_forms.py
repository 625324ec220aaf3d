"""The form readers of panelsched.web.forms: day/month/year boxes and hour/minute boxes, each
wrong entry with the message the error summary shows (named after the field)."""

from __future__ import annotations

from datetime import date, time

import pytest
from starlette.datastructures import FormData

from panelsched.web.forms import form_date, form_time, optional_day


def _date(**boxes: str) -> FormData:
    return FormData([(f"review_date-{k}", v) for k, v in boxes.items()])


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        ({"day": "30", "month": "6", "year": "2027"}, date(2027, 6, 30)),
        ({"day": "01", "month": "02", "year": "2027"}, date(2027, 2, 1)),  # day first, UK
        ({"day": " 9 ", "month": "12", "year": "2027"}, date(2027, 12, 9)),
    ],
)
def test_day_month_and_year_make_a_date(boxes: dict[str, str], expected: date) -> None:
    errors: dict[str, str] = {}
    assert form_date(_date(**boxes), "review_date", errors, "the review date") == expected
    assert errors == {}


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        ({"day": "30", "month": "6"}, "Enter the review date as day, month and year"),
        ({"day": "30", "month": "June", "year": "2027"}, "Enter the review date as day, month"),
        ({"day": "30", "month": "6", "year": "27"}, "Enter the review date as day, month"),
        ({"day": "31", "month": "4", "year": "2027"}, "The review date must be a real date"),
        ({"day": "29", "month": "2", "year": "2027"}, "The review date must be a real date"),
        ({"day": "1", "month": "13", "year": "2027"}, "The review date must be a real date"),
    ],
)
def test_a_date_that_is_not_one_is_named(boxes: dict[str, str], message: str) -> None:
    errors: dict[str, str] = {}
    assert form_date(_date(**boxes), "review_date", errors, "the review date") is None
    assert errors["review_date"].startswith(message)


def test_blank_boxes_are_no_date_unless_one_is_required() -> None:
    errors: dict[str, str] = {}
    assert form_date(_date(day="", month="", year=""), "review_date", errors, "x") is None
    assert errors == {}
    form_date(FormData(), "review_date", errors, "the review date", required=True)
    assert errors == {"review_date": "Enter the review date"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-06-30", date(2027, 6, 30)),
        ("30/06/2027", date(2027, 6, 30)),
        ("1/2/2027", date(2027, 2, 1)),
    ],
)
def test_one_field_dates_are_read_iso_or_uk(value: str, expected: date) -> None:
    errors: dict[str, str] = {}
    assert form_date(FormData([("d", value)]), "d", errors, "the date") == expected
    assert optional_day(value, "d", errors, "the date") == expected
    assert errors == {}


@pytest.mark.parametrize(
    ("boxes", "expected", "message"),
    [
        ({"hour": "14", "minute": "30"}, time(14, 30), ""),
        ({"hour": "8", "minute": ""}, time(8, 0), ""),
        ({"hour": "0", "minute": "0"}, time(0, 0), ""),
        ({"hour": "24", "minute": "00"}, None, "Enter a real time for the time: hour 0 to 23"),
        ({"hour": "10", "minute": "60"}, None, "Enter a real time for the time: hour 0 to 23"),
        ({"hour": "10pm", "minute": "30"}, None, "Enter the time as hour and minute on the 24"),
        ({"hour": "", "minute": ""}, None, "Enter the time"),
    ],
)
def test_hour_and_minute_make_a_24_hour_time(
    boxes: dict[str, str], expected: time | None, message: str
) -> None:
    errors: dict[str, str] = {}
    form = FormData([(f"at-{k}", v) for k, v in boxes.items()])
    assert form_time(form, "at", errors, "the time") == expected
    assert errors.get("at", "").startswith(message) and bool(message) == ("at" in errors)
