"""Forms for the admin pages for people."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from tracker.boards.forms import strip
from tracker.people.admin_services import ACTIVE, DEACTIVATED, EVERYONE
from tracker.people.services import MIN_PASSWORD_LENGTH


class FilterForm(FlaskForm):
    """The people list's filter: read from the address, so a filtered list can be shared."""

    class Meta:
        csrf = False  # a GET that changes nothing

    q = StringField("Name, email or organisation", widget=GovTextInput())
    status = RadioField(
        "Show",
        choices=[
            SelectChoice(ACTIVE, "Active"),
            SelectChoice(DEACTIVATED, "Deactivated"),
            SelectChoice(EVERYONE, "Everyone"),
        ],
        default=ACTIVE,
        widget=GovRadioInput(),
        validate_choice=False,
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


def password_fields(required: bool):
    """A new password typed twice; optional where the person may never sign in."""
    first = [InputRequired("Enter the new password")] if required else [Optional()]
    return (
        PasswordField(
            "New password" if required else "Password (optional)",
            description=f"At least {MIN_PASSWORD_LENGTH} characters."
            + ("" if required else " Leave it empty for someone who will not sign in."),
            widget=GovPasswordInput(),
            validators=[*first, Length(max=1024)],
        ),
        PasswordField(
            "Type the password again",
            widget=GovPasswordInput(),
            validators=[EqualTo("password", "The two passwords do not match")],
        ),
    )


def name_field() -> StringField:
    return StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the person's full name"), Length(max=200)],
    )


def text_field(label: str) -> StringField:
    return StringField(label, widget=GovTextInput(), filters=[strip], validators=[Length(max=200)])


class DetailsForm(FlaskForm):
    """What an admin may change about a person."""

    name = name_field()
    organisation = text_field("Organisation")
    job_title = text_field("Job title")
    submit = SubmitField("Save details", widget=GovSubmitInput())


class PersonForm(FlaskForm):
    """A new person."""

    name = name_field()
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's email address"), Length(max=320)],
    )
    organisation = text_field("Organisation")
    job_title = text_field("Job title")
    is_admin = BooleanField(
        "Make them an admin",
        description="Admins manage people and every board.",
        widget=GovCheckboxInput(),
    )
    password, password_again = password_fields(required=False)
    submit = SubmitField("Add person", widget=GovSubmitInput())


class PasswordForm(FlaskForm):
    password, password_again = password_fields(required=True)
    submit = SubmitField("Set password", widget=GovSubmitInput())
