"""What the API reads: request bodies and query parameters, as marshmallow schemas.

Schemas check shapes and types and name every unknown field; the service functions check the
rules of the domain (who may, which states, which dates) and say what to fix in their words.
"""

from __future__ import annotations

from flask import current_app
from marshmallow import RAISE, Schema, ValidationError, fields, validates, validates_schema
from marshmallow.validate import Length, Range

from tracker.actions.queries import DEFAULT_SORT, SORTS
from tracker.actions.rag import RAGS
from tracker.actions.services import OWNER_RAGS
from tracker.api.fieldtypes import CommaList, Date, IdOrKey, described, one_of
from tracker.reviews.models import LEVELS
from tracker.workflow_registry import action_workflows

EMAIL_MESSAGE = "Enter an email address like name@example.org."


def not_blank(message: str):
    def validate(value: str) -> None:
        if not value.strip():
            raise ValidationError(message)

    return validate


def Text(max_length: int | None = None, *, blank: str | None = None, **kwargs) -> fields.String:
    """A string, at most ``max_length`` long, refused when blank if ``blank`` says why."""
    validators = []
    if blank:
        validators.append(not_blank(blank))
    if max_length:
        validators.append(Length(max=max_length, error="Use at most {max} characters."))
    return fields.String(validate=validators, **kwargs)


def Id(*, error_messages: dict | None = None, **kwargs) -> fields.Integer:
    """An id in a JSON body: a whole number, not a string of digits."""
    messages = {"invalid": "Give a whole number.", **(error_messages or {})}
    return fields.Integer(strict=True, error_messages=messages, **kwargs)


class BodySchema(Schema):
    """A JSON request body: an object whose every field the endpoint knows."""

    error_messages = {
        "unknown": "Unknown field: this request does not take it "
        "(/api/v1/openapi.json lists the fields it takes)."
    }

    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    error_messages = {
        "unknown": "Unknown query parameter (/api/v1/openapi.json lists those this URL takes)."
    }

    class Meta:
        unknown = RAISE


class _OwnerMixin:
    @validates_schema
    def one_owner(self, data, **kwargs):
        if data.get("owner_id") is not None and data.get("owner_email") is not None:
            raise ValidationError("Give owner_id or owner_email, not both.", "owner_email")


class ActionCreateSchema(_OwnerMixin, BodySchema):
    """A new action (board secretaries and admins). It starts in its workflow's first state."""

    board_id = Id(required=True, error_messages={"required": "Give the board's id."})
    title = Text(
        300,
        blank="Enter a short title that says what will be done.",
        required=True,
        error_messages={"required": "Enter a short title that says what will be done."},
    )
    recommendation_id = Id(
        allow_none=True, metadata=described("A recommendation the board adopted.")
    )
    ref = Text(
        40, allow_none=True, metadata=described("Unique on the board; made up when left out.")
    )
    description = Text()
    owner_id = Id(allow_none=True)
    owner_email = fields.Email(
        allow_none=True, validate=Length(max=320), error_messages={"invalid": EMAIL_MESSAGE}
    )
    lead_organisation = Text(200, allow_none=True, metadata=described("Organisation name."))
    due_on = Date(allow_none=True)
    success_measure = Text()


class ActionPatchSchema(_OwnerMixin, BodySchema):
    """Changes to an action; only the fields given change, all of them or none."""

    title = Text(300, blank="Enter a short title that says what will be done.")
    description = Text()
    lead_organisation = Text(
        200, allow_none=True, metadata=described("Organisation name, or null.")
    )
    success_measure = Text()
    recommendation_id = Id(allow_none=True)
    owner_id = Id(
        error_messages={"null": "An action keeps an owner once it has one; assign someone else."}
    )
    owner_email = fields.Email(
        validate=Length(max=320),
        error_messages={
            "invalid": EMAIL_MESSAGE,
            "null": "An action keeps an owner once it has one; assign someone else.",
        },
    )
    due_on = Date(
        error_messages={"null": "An action keeps a due date once it has one; give a new date."},
        metadata=described("A new due date; give due_date_reason with it."),
    )
    due_date_reason = Text(metadata=described("Why the due date is changing (the board sees it)."))

    @validates_schema
    def reason_with_due_date(self, data, **kwargs):
        if "due_on" in data and not data.get("due_date_reason", "").strip():
            raise ValidationError(
                "Say why the due date is changing; the board will see the reason.",
                "due_date_reason",
            )
        if "due_date_reason" in data and "due_on" not in data:
            raise ValidationError("Give due_on with due_date_reason.", "due_date_reason")


class TransitionRequestSchema(BodySchema):
    """A step through the action's workflow, with the fields that step requires."""

    transition = Text(
        60,
        required=True,
        error_messages={"required": "Name the step, e.g. start; GET the action's transitions."},
    )
    comment = Text(metadata=described("The reason, where the step asks for one."))
    evidence = Text(metadata=described("Evidence that the work is done, for complete."))


class UpdateSubmitSchema(BodySchema):
    """A progress report by the action's owner or the board's secretary."""

    narrative = Text(
        blank="Describe what has happened since the last update.",
        required=True,
        error_messages={"required": "Describe what has happened since the last update."},
    )
    progress = fields.Integer(
        strict=True,
        allow_none=True,
        validate=Range(0, 100, error="Enter progress as a whole number from 0 to 100."),
        error_messages={"invalid": "Enter progress as a whole number from 0 to 100."},
    )
    rag = fields.String(allow_none=True, validate=one_of(OWNER_RAGS, "RAG"))
    transition = Text(60, allow_none=True, metadata=described("A status change to ask for."))
    comment = Text(load_default="", metadata=described("Reason for the status change or new date."))
    evidence = Text(load_default="")
    proposed_due_on = Date(allow_none=True, metadata=described("A new due date to ask for."))


class UpdateAcceptSchema(BodySchema):
    comment = Text(load_default="")


class UpdateRejectSchema(BodySchema):
    reason = Text(
        blank="Say why the update is rejected; the owner will see it.",
        required=True,
        error_messages={"required": "Say why the update is rejected; the owner will see it."},
    )


class ActionFiltersSchema(QuerySchema):
    """Filters, order and page for the list of actions."""

    board = IdOrKey("a board's reference", metadata=described("A board's id or reference."))
    status = CommaList(
        fields.String(), metadata=described("States; repeat the parameter or separate with commas.")
    )
    owner = IdOrKey("an email address", metadata=described("The owner's id or email."))
    rag = CommaList(
        fields.String(validate=one_of(RAGS, "RAG")),
        metadata=described("Colours; repeat the parameter or separate with commas."),
    )
    overdue = fields.Boolean(error_messages={"invalid": "Use true or false."})
    due_before = Date(metadata=described("Due strictly before this date."))
    due_from = Date(metadata=described("Due on or after this date."))
    completed_since = Date(
        metadata=described("Completed on or after this date (London), and completed or closed now.")
    )
    awaiting_acceptance = fields.Boolean(
        error_messages={"invalid": "Use true or false."},
        metadata=described("Has (true) or has not (false) an owner's update awaiting acceptance."),
    )
    level = CommaList(
        fields.String(validate=one_of(LEVELS, "level")),
        metadata=described("Recommendation levels; repeat the parameter or separate with commas."),
    )
    lead_organisation = IdOrKey(
        "an organisation's name", metadata=described("The lead organisation's id or name.")
    )
    theme = IdOrKey("a theme's name", metadata=described("A theme's id or name."))
    recommendation = fields.Integer(
        error_messages={"invalid": "Give a recommendation's id."}, validate=Range(min=1)
    )
    q = Text(200, metadata=described("Text to find in the reference or title, any case."))
    sort = fields.String(
        load_default=DEFAULT_SORT,
        validate=one_of(SORTS, "sort"),
        metadata=described("Order; '-' first for descending. rag sorts the worst first."),
    )
    page = fields.Integer(
        load_default=1,
        validate=Range(min=1, error="Pages start at 1."),
        error_messages={"invalid": "Give a page number."},
    )
    per_page = fields.Integer(
        validate=Range(min=1, error="Ask for at least 1 per page."),
        error_messages={"invalid": "Give a whole number."},
        metadata=described(
            "Actions per page: API_PAGE_SIZE by default, at most API_MAX_PAGE_SIZE."
        ),
    )

    @validates("status")
    def known_states(self, value, data_key):
        known = list(dict.fromkeys(s for w in action_workflows().values() for s in w.states))
        unknown = [s for s in value if s not in known]
        if unknown:
            raise ValidationError(
                f"Unknown status {', '.join(unknown)}; use one of {', '.join(known)}."
            )

    @validates("per_page")
    def at_most_max(self, value, data_key):
        most = current_app.config["API_MAX_PAGE_SIZE"]
        if value > most:
            raise ValidationError(f"Ask for at most {most} per page.")
