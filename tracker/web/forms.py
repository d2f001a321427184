"""What every page with a form shares: GOV.UK date inputs, the error summary, and turning a
service's complaints into form errors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import StopValidation

from tracker.common.errors import ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db


def apply_errors(
    form: FlaskForm, error: ValidationFailed, field_names: Mapping[str, str] | None = None
) -> None:
    """Show each of the service's field messages on the matching form field.

    ``field_names`` maps a service field (``owner``) to the form's (``owner_email``) where they
    differ. A message for a field the form does not have goes to the top of the form, so that
    nothing the service said is lost.
    """
    field_names = field_names or {}
    for name, message in error.fields.items():
        field = getattr(form, field_names.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            form.form_errors.append(message)


def example_date() -> str:
    """An example date for messages and hints, always in the coming year: "27 3 2027"."""
    return f"27 3 {london_today().year + 1}"


def error_summary(form: FlaskForm) -> dict:
    """govukErrorSummary options: the fields' messages in page order, each linking to the box
    where it is fixed (a date's day box); messages about the whole form, without a link."""
    items = []
    for field in form:
        if not field.errors:
            continue
        href = f"#{field.id}-day" if isinstance(field, GovDateField) else f"#{field.id}"
        items.append({"text": field.errors[0], "href": href})
    items += [{"text": message} for message in form.form_errors]
    return {"titleText": "There is a problem", "errorList": items}


DAY_OR_MONTH = re.compile(r"^\d{1,2}$")
YEAR = re.compile(r"^\d{4}$")


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year) whose messages say what to fix.

    ``noun`` starts each message ("Due date must be a real date ..."; the label by default);
    ``required`` asks for a date; ``not_in_past`` refuses dates before London's today.
    """

    widget = GovDateInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        noun: str | None = None,
        required: bool = False,
        not_in_past: bool = False,
        **kwargs,
    ):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        self.noun = noun or (label if isinstance(label, str) else "Date")
        self.required = required
        self.not_in_past = not_in_past

    def process_formdata(self, valuelist):
        # The widget reads raw_data back as exactly three boxes, whatever was posted, so that
        # what the person typed is shown again as they typed it.
        parts = [(value or "").strip() for value in valuelist]
        if len(parts) == 1 and "-" in parts[0]:
            # One ISO date, as a bookmarked or linked URL gives it (?due_before=2027-03-31).
            try:
                self.data = date.fromisoformat(parts[0])
            except ValueError:
                self.raw_data = [parts[0], "", ""]
                raise ValueError(
                    f"{self.noun} must be a real date, for example {example_date()}"
                ) from None
            self.raw_data = [str(self.data.day), str(self.data.month), str(self.data.year)]
            return
        extra = parts[3:]
        day, month, year = (parts + ["", "", ""])[:3]
        self.raw_data = [day, month, year]
        self.data = None
        if not (day or month or year or any(extra)):
            return
        real = f"{self.noun} must be a real date, for example {example_date()}"
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
                f"for example {example_date()}"
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
    """A form with the helpers the pages share."""

    def error_summary(self) -> dict:
        return error_summary(self)

    def int_or_none(self, field) -> int | None:
        """A hidden or select field's value as a number, None when blank or not a number."""
        value = (field.data or "").strip() if isinstance(field.data, str) else field.data
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None


class Attempt:
    """Whether the change in a ``saving`` block was committed."""

    saved = False


@contextmanager
def saving(form: FlaskForm) -> Iterator[Attempt]:
    """Run a page's change at the request's boundary: commit it, or, when the service refuses
    it (ValidationFailed), roll back and show its messages on ``form``, keeping what was typed.

    with saving(form) as attempt:
        board = create_board(...)
    if attempt.saved:
        return redirect(...)
    """
    attempt = Attempt()
    try:
        yield attempt
    except ValidationFailed as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return
    db.session.commit()
    attempt.saved = True
