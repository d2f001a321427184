"""The GOV.UK date field's messages and its example date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from werkzeug.datastructures import MultiDict
from wtforms import Form

from tracker.web.forms import GovDateField
from tracker.web.forms import example_date as real_example_date  # before any test pins it


class DueForm(Form):
    due_on = GovDateField("Due date", required=True)


def submit(*values):
    form = DueForm(MultiDict([("due_on", v) for v in values]))
    form.validate()
    return form


def test_the_example_date_is_always_in_the_coming_year():
    with time_machine.travel(datetime(2031, 12, 31, 23, 0, tzinfo=UTC), tick=False):
        assert real_example_date() == "27 3 2032"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((), "Enter the due date"),
        (("31", "2", "2027"), "Due date must be a real date"),
        (("tomorrow", "", ""), "Due date must be a real date"),
        (("1", "", "2027"), "Due date must include a month"),
        (("", "", "2027"), "Due date must include a day and a month"),
        (("1", "2", "27"), "Due date must be a real date, with a year of 4 numbers"),
        (("2027-02-31",), "Due date must be a real date"),
    ],
)
def test_messages_say_what_to_fix(values, message):
    form = submit(*values)
    assert form.due_on.errors and form.due_on.errors[0].startswith(message)
    assert form.due_on.data is None


def test_day_month_year_and_iso_both_read():
    assert submit("7", "3", "2027").due_on.data == date(2027, 3, 7)
    form = submit("2027-03-07")
    assert form.due_on.data == date(2027, 3, 7)
    assert form.due_on.raw_data == ["7", "3", "2027"]  # shown back as three boxes
