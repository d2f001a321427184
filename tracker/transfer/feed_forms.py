"""The forms of the calendar feed pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectChoice, SelectField, SubmitField

from tracker.boards.forms import ChoiceRequired


class FeedForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""


class OwnerFeedForm(FlaskForm):
    """Choose an owner to email their own calendar feed to."""

    person = SelectField(
        "Owner",
        widget=GovSelect(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose the owner to send a calendar feed to")],
    )
    submit = SubmitField("Email them their calendar feed", widget=GovSubmitInput())

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, prefix="owner", **kwargs)
        self.person.choices = [SelectChoice("", "Choose an owner")] + [
            SelectChoice(str(p.id), f"{p.name} ({p.email})") for p in owners
        ]
