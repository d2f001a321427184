"""The reminder policy form: what a browser can get wrong; policy.check says the rest."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectChoice, StringField, SubmitField

from tracker.boards.forms import ChoiceRequired, DaysField, strip
from tracker.notify.reminders.policy import WEEKDAYS, Policy

NO_DIGEST = "none"


class PolicyForm(FlaskForm):
    days_before = StringField(
        "Remind the owner this many days before the due date",
        description="Whole numbers separated by commas, for example 14, 3.",
        widget=GovTextInput(),
        filters=[strip],
    )
    on_due_date = BooleanField("Remind the owner on the due date", widget=GovCheckboxInput())
    overdue_every_days = DaysField(
        "While overdue, remind the owner every", description="0 for no repeats."
    )
    escalate_secretary_days = DaysField(
        "Tell the secretary when an action is overdue by", description="0 for never."
    )
    escalate_chair_days = DaysField(
        "Tell the chair when an action is overdue by", description="0 for never."
    )
    blocked_days = DaysField(
        "Tell the secretary when an action has been blocked for", description="0 for never."
    )
    request_days_before = DaysField(
        "Ask owners for an update before each meeting's papers deadline, this many days before",
        description="Every owner of an open action on the board is asked. 0 for never.",
    )
    chaser_working_days = DaysField(
        "Chase owners who have not answered, this many working days before the deadline",
        description="One chaser. 0 for none.",
    )
    digest_weekday = RadioField(
        "Send the secretary a weekly digest on",
        choices=[SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)]
        + [SelectChoice(NO_DIGEST, "No digest")],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose a day for the weekly digest, or no digest")],
    )
    submit = SubmitField("Save reminders", widget=GovSubmitInput())

    NUMBERS = (
        "overdue_every_days",
        "escalate_secretary_days",
        "escalate_chair_days",
        "blocked_days",
        "request_days_before",
        "chaser_working_days",
    )

    @classmethod
    def data_of(cls, policy: Policy) -> dict:
        values = policy.column_values()
        values["days_before"] = ", ".join(values["days_before"].split(","))
        weekday = policy.digest_weekday
        values["digest_weekday"] = NO_DIGEST if weekday is None else str(weekday)
        return values

    def values(self) -> dict:
        """What save_policy takes."""
        weekday = self.digest_weekday.data
        return {
            "days_before": self.days_before.data or "",
            "on_due_date": bool(self.on_due_date.data),
            **{name: getattr(self, name).data for name in self.NUMBERS},
            "digest_weekday": None if weekday in (None, NO_DIGEST) else int(weekday),
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in self.NUMBERS:
            field = getattr(self, name)
            if field.data is None and not field.errors:
                field.errors.append(f"Enter a number of days for “{field.label.text}”, or 0")
                valid = False
        return valid
