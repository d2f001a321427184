"""Form building blocks for the action pages: GOV.UK dates, and an error summary in page order.

Nothing here is specific to actions; other areas' forms may want them too (see the report of
issue 3: they could move to tracker/web/forms.py).
"""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import StopValidation

from tracker.common.time import london_today

DAY_OR_MONTH = re.compile(r"^\d{1,2}$")
YEAR = re.compile(r"^\d{4}$")
EXAMPLE_DATE = "31 3 2027"


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year) whose messages say what to fix.

    ``noun`` starts each message ("Due date must be a real date ..."); ``required`` asks for a
    date; ``not_in_past`` refuses dates before London's today.
    """

    widget = GovDateInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        noun: str = "Date",
        required: bool = False,
        not_in_past: bool = False,
        **kwargs,
    ):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        self.noun = noun
        self.required = required
        self.not_in_past = not_in_past

    def process_formdata(self, valuelist):
        # The widget reads raw_data back as exactly three boxes, whatever was posted, so that
        # what the person typed is shown again as they typed it.
        parts = [(value or "").strip() for value in valuelist]
        extra = parts[3:]
        day, month, year = (parts + ["", "", ""])[:3]
        self.raw_data = [day, month, year]
        self.data = None
        if not (day or month or year or any(extra)):
            return
        real = f"{self.noun} must be a real date, for example {EXAMPLE_DATE}"
        # Words ("tomorrow") or a date typed into one box are not a date at all: say so first.
        if extra or any(value and not value.isdigit() for value in (day, month, year)):
            raise ValueError(real)
        named = (("day", day), ("month", month), ("year", year))
        missing = [name for name, value in named if not value]
        if missing:
            raise ValueError(f"{self.noun} must include a {' and a '.join(missing)}")
        if not (DAY_OR_MONTH.match(day) and DAY_OR_MONTH.match(month)):
            raise ValueError(real)
        if not YEAR.match(year):
            raise ValueError(
                f"{self.noun} must be a real date, with a year of 4 numbers, "
                f"for example {EXAMPLE_DATE}"
            )
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(real) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            if self.required:
                raise StopValidation(f"Enter the {self.noun[:1].lower()}{self.noun[1:]}")
            return
        if self.not_in_past and self.data < london_today():
            raise StopValidation(f"{self.noun} must be today or in the future")


class PageForm(FlaskForm):
    """A form whose error summary lists its fields' messages in the order they appear."""

    def error_summary(self) -> dict:
        """govukErrorSummary options: each message links to the box where it is fixed."""
        items = []
        for field in self:
            if not field.errors:
                continue
            # A date's first box is where the fix starts; the other fields carry their own id.
            href = f"#{field.id}-day" if isinstance(field, GovDateField) else f"#{field.id}"
            items.append({"text": field.errors[0], "href": href})
        items += [{"text": message} for message in self.form_errors]
        return {"titleText": "There is a problem", "errorList": items}

    def int_or_none(self, field) -> int | None:
        """A hidden or select field's value as a number, None when blank or not a number."""
        value = (field.data or "").strip() if isinstance(field.data, str) else field.data
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None
