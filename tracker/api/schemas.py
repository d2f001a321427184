"""Representations: what the API answers with, one marshmallow schema per resource.

These are dump-only; ``inputs`` holds what the API reads. ``openapi`` turns both into the
document's component schemas, so field descriptions here are the API's documentation.
"""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf

from tracker.actions.models import CHANNELS, UPDATE_STATES
from tracker.actions.rag import RAG_LABELS, RAGS
from tracker.actions.services import OWNER_RAGS
from tracker.api.fieldtypes import Date, Links, described
from tracker.boards.models import BOARD_KINDS
from tracker.reviews.models import LEVELS
from workflows import FIELD_LABELS


class PersonSummarySchema(Schema):
    """A person, as named on an action or an update."""

    id = fields.Integer()
    name = fields.String()
    email = fields.String(metadata={"format": "email"})


class ActorSchema(Schema):
    """Who did something; null in an event means the command line or Assure itself."""

    id = fields.Integer()
    name = fields.String()


class NameSchema(Schema):
    """Something known by its name (an organisation, a locality, a theme)."""

    name = fields.String()


class BoardSchema(Schema):
    """A board that oversees actions: a partnership, a board or a panel."""

    id = fields.Integer()
    ref = fields.String(metadata=described("Short reference used in URLs and commands, e.g. tscp."))
    name = fields.String()
    kind = fields.String(validate=OneOf(list(BOARD_KINDS)))
    kind_label = fields.String()
    locality = fields.Pluck(NameSchema, "name", allow_none=True)
    workflow = fields.String(metadata=described("The workflow the board's actions follow."))
    amber_window_days = fields.Integer()
    stale_window_days = fields.Integer()
    updates_need_acceptance = fields.Boolean()
    roles = fields.List(
        fields.String(validate=OneOf(["admin", "secretary", "chair", "member"])),
        metadata=described("Your roles on this board."),
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    links = Links(
        {
            "self": ("api.get_board", {"board_id": "id"}),
            "oversight": ("api.board_oversight", {"board_id": "id"}),
            "actions": ("api.list_actions", {"board": "id"}),
        }
    )


class ReviewSchema(Schema):
    """A published review whose recommendations boards act on."""

    id = fields.Integer()
    title = fields.String()
    publisher = fields.String()
    published_on = Date(allow_none=True)
    summary = fields.String()
    source_ref = fields.String(metadata=described("Where the review can be found."))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    links = Links(
        {
            "self": ("api.get_review", {"review_id": "id"}),
            "recommendations": ("api.list_recommendations", {"review_id": "id"}),
        }
    )


class RecommendationSchema(Schema):
    """One recommendation of a review."""

    id = fields.Integer()
    review_id = fields.Integer()
    ref = fields.String(metadata=described("The review's own reference, e.g. R7."))
    position = fields.Integer(metadata=described("Order within the review."))
    text = fields.String()
    level = fields.String(validate=OneOf(list(LEVELS)))
    level_label = fields.String()
    status = fields.String(metadata=described("State in the recommendation workflow."))
    status_label = fields.String()
    themes = fields.Pluck(NameSchema, "name", many=True)
    board_ids = fields.List(
        fields.Integer(), metadata=described("The boards it is for, among those you can see.")
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    links = Links(
        {
            "review": ("api.get_review", {"review_id": "review_id"}),
            "actions": ("api.list_actions", {"recommendation": "id"}),
        }
    )


class ActionSchema(Schema):
    """An owned, dated piece of work that answers a recommendation for one board."""

    id = fields.Integer()
    ref = fields.String(metadata=described("Reference, unique within the board, e.g. TSCP-07."))
    board_id = fields.Integer()
    board_ref = fields.String()
    recommendation_id = fields.Integer(allow_none=True)
    title = fields.String()
    description = fields.String()
    owner = fields.Nested(PersonSummarySchema, allow_none=True)
    lead_organisation = fields.Pluck(NameSchema, "name", allow_none=True)
    due_on = Date(allow_none=True)
    original_due_on = Date(allow_none=True, metadata=described("The first due date agreed."))
    status = fields.String(metadata=described("State in the board's action workflow."))
    status_label = fields.String()
    status_reason = fields.String(metadata=described("Why it is blocked or cancelled, when it is."))
    rag = fields.String(
        validate=OneOf(RAGS),
        metadata=described(
            "blue: complete; red: overdue, blocked or owner says red; amber: due soon with "
            "progress under 75%, no accepted update for a while, or owner says amber; "
            "green: otherwise."
        ),
    )
    rag_label = fields.String(validate=OneOf(list(RAG_LABELS.values())))
    is_overdue = fields.Boolean(metadata=described("Due before today (London) and not finished."))
    progress = fields.Integer(metadata=described("Percent complete, 0 to 100."))
    owner_rag = fields.String(
        allow_none=True, validate=OneOf(OWNER_RAGS), metadata=described("The owner's own RAG.")
    )
    success_measure = fields.String()
    version = fields.Integer(metadata=described("Changes with every stored change; also the ETag."))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    links = Links(
        {
            "self": ("api.get_action", {"action_id": "id"}),
            "board": ("api.get_board", {"board_id": "board_id"}),
            "transitions": ("api.list_transitions", {"action_id": "id"}),
            "updates": ("api.list_updates", {"action_id": "id"}),
            "history": ("api.action_history", {"action_id": "id"}),
        }
    )


class UpdateSchema(Schema):
    """A progress report on an action: submitted, then accepted or rejected."""

    id = fields.Integer()
    action_id = fields.Integer()
    author = fields.Nested(PersonSummarySchema)
    channel = fields.String(validate=OneOf(list(CHANNELS)))
    narrative = fields.String()
    progress = fields.Integer(allow_none=True)
    rag = fields.String(allow_none=True, validate=OneOf(OWNER_RAGS))
    transition = fields.String(allow_none=True, metadata=described("A status change asked for."))
    comment = fields.String()
    evidence = fields.String()
    proposed_due_on = Date(allow_none=True)
    state = fields.String(validate=OneOf(UPDATE_STATES))
    decided_by = fields.Nested(PersonSummarySchema, allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String()
    created_at = fields.DateTime()
    links = Links(
        {
            "self": ("api.get_update", {"update_id": "id"}),
            "action": ("api.get_action", {"action_id": "action_id"}),
        }
    )


class EventSchema(Schema):
    """One entry in an action's history."""

    id = fields.Integer()
    occurred_at = fields.DateTime()
    actor = fields.Nested(ActorSchema, allow_none=True)
    channel = fields.String(validate=OneOf(list(CHANNELS)))
    verb = fields.String(metadata=described("What happened, e.g. created, transition:start."))
    subject_type = fields.String(metadata=described("action or update"))
    subject_id = fields.Integer()
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw()),
        metadata=described("Each changed field as [from, to]."),
    )
    comment = fields.String()


class TransitionSchema(Schema):
    """A step of the workflow that you may take from the action's current state."""

    name = fields.String(metadata=described("What to POST as 'transition'."))
    label = fields.String()
    target = fields.String(metadata=described("The state it leads to."))
    target_label = fields.String()
    requires = fields.List(
        fields.String(validate=OneOf(list(FIELD_LABELS))),
        metadata=described("Fields that must be given: comment (a reason), evidence."),
    )
    description = fields.String()


class BoardRefSchema(Schema):
    id = fields.Integer()
    ref = fields.String()
    name = fields.String()


class PageLinksSchema(Schema):
    next = fields.String(allow_none=True, metadata={"format": "uri"})
    prev = fields.String(allow_none=True, metadata={"format": "uri"})


class ActionPageSchema(Schema):
    """One page of actions, with links to the pages either side."""

    items = fields.List(fields.Nested(ActionSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata=described("How many actions match, on all pages."))
    links = fields.Nested(PageLinksSchema)


class ErrorDetailSchema(Schema):
    code = fields.String(metadata=described("Stable, for programs: e.g. not_found, invalid."))
    message = fields.String(metadata=described("For people: says what to fix."))
    # "fields" would hide marshmallow's Schema.fields: the attribute has another name.
    field_messages = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        data_key="fields",
        metadata={**described("What is wrong with each field or parameter."), "optional": True},
    )
    current_version = fields.Integer(
        metadata={**described("With 412: the action's current version."), "optional": True}
    )


class ErrorSchema(Schema):
    """Every error answer."""

    error = fields.Nested(ErrorDetailSchema)


def item_list(schema: type[Schema], name: str) -> type[Schema]:
    """A ``{"items": [...]}`` schema for a short list that needs no pages."""
    return Schema.from_dict({"items": fields.List(fields.Nested(schema))}, name=name)


BoardListSchema = item_list(BoardSchema, "BoardListSchema")
ReviewListSchema = item_list(ReviewSchema, "ReviewListSchema")
RecommendationListSchema = item_list(RecommendationSchema, "RecommendationListSchema")
UpdateListSchema = item_list(UpdateSchema, "UpdateListSchema")
EventListSchema = item_list(EventSchema, "EventListSchema")
TransitionListSchema = item_list(TransitionSchema, "TransitionListSchema")
