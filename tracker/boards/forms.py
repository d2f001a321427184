"""Forms for boards, their members and meetings, and the fields other forms share.

The forms check what a browser can get wrong (a missing answer, a date that is not a date, a
number that is not a number); the service functions check the rest (a reference already taken,
a window out of range) and the routes show their messages on the same fields.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)

from tracker.boards.models import BOARD_KINDS
from tracker.web.forms import GovDateField, example_date

# /boards/new is the page that creates boards: a board called "new" could never be opened.
RESERVED_REFS = frozenset({"new"})
ROLE_CHOICES = [
    SelectChoice("secretary", "Secretary"),
    SelectChoice("chair", "Chair"),
    SelectChoice("member", "Member"),
]
ROLE_HINTS = [
    "Manages the board: its actions, members, meetings and settings.",
    "Oversees the plan and signs off completed actions.",
    "Sees the board's actions.",
]


def strip(value):
    """A filter: what was typed, without the spaces around it."""
    return value.strip() if isinstance(value, str) else value


class ChoiceRequired:
    """The answer must be one of the field's choices; says what to do otherwise."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        # The empty choice ("Choose a person") is a prompt, not an answer.
        if not field.data or field.data not in {str(choice.value) for choice in field.choices}:
            raise StopValidation(self.message)


class DaysField(IntegerField):
    """A whole number of days, typed in a short text box."""

    widget = GovTextInput()

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not text.isdigit():
            raise ValueError(f"{self.label.text} must be a whole number of days, like 14")
        self.data = int(text)


def role_field(label: str) -> RadioField:
    return RadioField(
        label,
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose the person's role on the board")],
    )


def role_params(legend_classes: str = "govuk-fieldset__legend--s") -> dict:
    """The role radios' legend size and each role's hint, for the template."""
    return {
        "fieldset": {"legend": {"text": "Role", "classes": legend_classes}},
        "items": [{"hint": {"text": hint}} for hint in ROLE_HINTS],
    }


class BoardForm(FlaskForm):
    """A new board; BoardSettingsForm is the same without the reference."""

    ref = StringField(
        "Short reference",
        description="Used in web addresses and commands, for example tscp. "
        "2 to 40 lower-case letters, digits or hyphens. It cannot be changed later.",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a short reference for the board"), Length(max=40)],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the board's name"), Length(max=200)],
    )
    kind = RadioField(
        "Kind of board",
        choices=[SelectChoice(value, label) for value, label in BOARD_KINDS.items()],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose the kind of board")],
    )
    locality = SelectField("Locality", widget=GovSelect(), validate_choice=False)
    workflow = RadioField(
        "Workflow for its actions",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose the workflow the board's actions follow")],
    )
    amber_window_days = DaysField(
        "Amber window",
        description="An action due within this many days, with progress under 75%, is at risk.",
    )
    stale_window_days = DaysField(
        "Stale window",
        description="An action with no accepted update for this many days is at risk.",
    )
    updates_need_acceptance = BooleanField(
        "Owners' updates need a secretary to accept them before they count",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Create board", widget=GovSubmitInput())

    def __init__(self, *args, localities=(), workflows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality.choices = [SelectChoice("", "Not set")] + [
            SelectChoice(name) for name in localities
        ]
        # The standard workflow first: most boards keep it.
        ordered = sorted((workflows or {}).items(), key=lambda kv: (kv[0] != "standard", kv[0]))
        self.workflow.choices = [SelectChoice(key, workflow.title) for key, workflow in ordered]
        # Each workflow's description as its radio's hint (govuk-frontend-wtf merges by index).
        self.workflow_hints = [{"hint": {"text": workflow.description}} for _, workflow in ordered]

    def validate_ref(self, field) -> None:
        if (field.data or "").strip().lower() in RESERVED_REFS:
            raise ValidationError(f"{field.data.strip()!r} is kept for Assure's own pages")

    def validate_locality(self, field) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a locality from the list")

    def settings(self) -> dict:
        """The values for create_board and update_board."""
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "locality": self.locality.data or "",
            "workflow": self.workflow.data,
            "amber_window_days": self.amber_window_days.data,
            "stale_window_days": self.stale_window_days.data,
            "updates_need_acceptance": bool(self.updates_need_acceptance.data),
        }


class BoardSettingsForm(BoardForm):
    ref = None  # fixed once the board exists
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class AddMemberForm(FlaskForm):
    """Add someone Assure already knows."""

    person = SelectField(
        "Person",
        widget=GovSelect(),
        validate_choice=False,
        validators=[ChoiceRequired("Choose a person from the list")],
    )
    role = role_field("Role")
    submit = SubmitField("Add member", widget=GovSubmitInput())

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, prefix="existing", **kwargs)
        self.person.choices = [SelectChoice("", "Choose a person")] + [
            SelectChoice(str(p.id), f"{p.name} ({p.email})") for p in people
        ]


class NewMemberForm(FlaskForm):
    """Add someone Assure does not know yet: they are created and added together."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the person's full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's email address"), Length(max=320)],
    )
    organisation = StringField("Organisation", widget=GovTextInput(), validators=[Length(max=200)])
    role = role_field("Role")
    submit = SubmitField("Add new person as member", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)


class RoleForm(FlaskForm):
    role = role_field("Role")
    submit = SubmitField("Change role", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""


class MeetingForm(FlaskForm):
    held_on = GovDateField(
        "Meeting date",
        noun="Meeting date",
        required=True,
        description=f"For example, {example_date()}",
    )
    papers_due_on = GovDateField(
        "Papers deadline",
        description="The date papers must reach the secretary. "
        "Leave it empty for a week before the meeting.",
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Keep the notes under 2,000 characters")],
    )
    submit = SubmitField("Add meeting", widget=GovSubmitInput())
