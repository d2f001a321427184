"""The filter form of the action lists: what it reads, checks, and turns into filters.

The form is read from the query string (a GET form, no CSRF: it changes nothing), so that a
filtered list can be bookmarked and shared. Its choices come from the actions the person can
see in the list's scope (tracker.actions.list_choices).
"""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Form,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional, Regexp, ValidationError

from tracker.actions import list_choices as choices
from tracker.actions.models import Action
from tracker.actions.queries import DEFAULT_SORT
from tracker.actions.rag import AMBER, BLUE, GREEN, RAG_LABELS, RED
from tracker.boards.models import Board
from tracker.people.models import Person
from tracker.permissions import visible_actions_clause
from tracker.reviews.models import LEVELS
from tracker.web.forms import GovDateField, example_date

SORT_CHOICES = [
    ("due_on", "Due date, soonest first"),
    ("-due_on", "Due date, latest first"),
    ("rag", "RAG rating, worst first"),
    ("-rag", "RAG rating, best first"),
    ("status", "Status, in workflow order"),
    ("-status", "Status, in reverse workflow order"),
    ("ref", "Reference, A to Z"),
    ("-ref", "Reference, Z to A"),
    ("-updated_at", "Last updated, most recent first"),
    ("updated_at", "Last updated, least recent first"),
]
# Fields that narrow the list (the others, sort and page, only order and slice it).
FILTER_FIELDS = (
    "q",
    "status",
    "rag",
    "overdue",
    "due_before",
    "owner",
    "owner_email",
    "lead_organisation",
    "theme",
    "recommendation",
    "level",
    "due_from",
    "completed_since",
    "awaiting_acceptance",
)
MORE_FILTERS = (
    "owner",
    "owner_email",
    "lead_organisation",
    "theme",
    "recommendation",
    "level",
    "due_from",
    "completed_since",
    "awaiting_acceptance",
)
ANY = ""  # the "Any ..." option of a select
DATE_FIELDS = ("due_before", "due_from", "completed_since")


class ActionFilterForm(Form):
    """The filters, sort order and search of an action list, all in the query string."""

    q = StringField(
        "Reference or title contains",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Search for at most 200 characters")],
    )
    status = SelectMultipleField(
        "Status",
        widget=GovCheckboxesInput(),
        default=[],
        invalid_choice_message="Choose statuses from the list",
    )
    rag = SelectMultipleField(
        "RAG rating",
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(rag, RAG_LABELS[rag]) for rag in (RED, AMBER, GREEN, BLUE)],
        default=[],
        invalid_choice_message="Choose RAG ratings from the list",
    )
    overdue = BooleanField("Overdue only", widget=GovCheckboxInput())
    due_before = GovDateField("Due before", description=f"For example, {example_date()}")
    owner = SelectField(
        "Owner",
        widget=GovSelect(),
        default=ANY,
        invalid_choice_message="Choose an owner from the list",
    )
    owner_email = StringField(
        "Or the owner’s email address",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=320, message="Enter an email address of at most 320 characters"),
            Regexp(r"^[^@\s]+@[^@\s]+$", message="Enter an email address like name@example.org"),
        ],
    )
    lead_organisation = SelectField(
        "Lead organisation",
        widget=GovSelect(),
        default=ANY,
        invalid_choice_message="Choose a lead organisation from the list",
    )
    theme = SelectField(
        "Theme",
        widget=GovSelect(),
        default=ANY,
        invalid_choice_message="Choose a theme from the list",
    )
    recommendation = SelectField(
        "Recommendation",
        widget=GovSelect(),
        default=ANY,
        invalid_choice_message="Choose a recommendation from the list",
    )
    level = SelectField(
        "Recommendation level",
        widget=GovSelect(),
        choices=[SelectChoice(ANY, "Any level")]
        + [SelectChoice(value, label) for value, label in LEVELS.items()],
        default=ANY,
        invalid_choice_message="Choose a level from the list",
    )
    due_from = GovDateField("Due on or after", description=f"For example, {example_date()}")
    completed_since = GovDateField(
        "Completed on or after", description=f"For example, {example_date()}"
    )
    awaiting_acceptance = BooleanField(
        "With an update awaiting acceptance", widget=GovCheckboxInput()
    )
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices=[SelectChoice(value, label) for value, label in SORT_CHOICES],
        default=DEFAULT_SORT,
        invalid_choice_message="Choose an order from the list",
    )

    def validate_owner_email(self, field) -> None:
        if field.data and self.owner.data:
            raise ValidationError("Choose an owner from the list or type their email, not both")

    @property
    def sort_label(self) -> str:
        return dict(SORT_CHOICES).get(self.sort.data, "")

    @property
    def is_filtered(self) -> bool:
        return any(getattr(self, name).data for name in FILTER_FIELDS)

    @property
    def more_filters_used(self) -> bool:
        """Whether to open "More filters": one of them is chosen, or wrong."""
        return any(getattr(self, n).data or getattr(self, n).errors for n in MORE_FILTERS)

    def summary(self) -> list[str]:
        """The filters in use in words ("Status: Open, Blocked"), for a printed list."""
        lines = []
        for field in self:
            if field.name not in FILTER_FIELDS or not field.data or field.errors:
                continue
            if field.name in DATE_FIELDS:
                value = f"{field.data.day} {field.data:%B %Y}"
            elif field.name in ("overdue", "awaiting_acceptance"):
                value = "yes"
            elif hasattr(field, "choices"):
                chosen = field.data if isinstance(field.data, list) else [field.data]
                # In the form's order, as the checkboxes and selects show them.
                value = ", ".join(c.label for c in field.choices if c.value in chosen)
            else:
                value = field.data
            lines.append(f"{field.label.text}: {value}")
        return lines

    def error_list(self) -> list[dict[str, str]]:
        """The error summary's items, each linking to the first input of its field."""
        first_input = {name: f"{name}-day" for name in DATE_FIELDS}
        return [
            {"text": field.errors[0], "href": f"#{first_input.get(field.id, field.id)}"}
            for field in self
            if field.errors
        ]

    def filters(self) -> dict[str, Any]:
        """The valid form as ``tracker.actions.queries`` filters."""
        number = {"owner", "lead_organisation", "theme", "recommendation"}
        values: dict[str, Any] = {name: int(getattr(self, name).data or 0) for name in number}
        values.update(
            q=(self.q.data or "").strip(),
            status=self.status.data,
            rag=self.rag.data,
            overdue=True if self.overdue.data else None,
            due_before=self.due_before.data,
            due_from=self.due_from.data,
            completed_since=self.completed_since.data,
            level=self.level.data,
            awaiting_acceptance=True if self.awaiting_acceptance.data else None,
        )
        if self.owner_email.data:
            values["owner"] = self.owner_email.data.strip()
        return {key: value for key, value in values.items() if value}


def filter_form(args, person: Person, board: Board | None) -> ActionFilterForm:
    """The form read from ``args`` (the query string), with choices for this person and list."""
    form = ActionFilterForm(formdata=args)
    scope = Action.board_id == board.id if board else visible_actions_clause(person, Action)
    form.status.choices = _choices(choices.status_choices(board))
    owners, organisations = choices.owners_and_organisations(
        scope, form.owner.data, form.lead_organisation.data
    )
    form.owner.choices = _choices([(ANY, "Any owner"), *owners])
    form.lead_organisation.choices = _choices([(ANY, "Any lead organisation"), *organisations])
    adopted = choices.adopted(person, board)
    form.theme.choices = _choices([(ANY, "Any theme"), *choices.themes(adopted, form.theme.data)])
    form.recommendation.choices = _choices(
        [(ANY, "Any recommendation"), *choices.recommendations(adopted, form.recommendation.data)]
    )
    return form


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
