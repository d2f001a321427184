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
from tracker.api.fieldtypes import Date, Links
from tracker.boards.models import BOARD_KINDS
from tracker.reviews.models import LEVELS
from workflows import FIELD_LABELS


def _d(text: str) -> dict:
    return {"description": text}


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
    ref = fields.String(metadata=_d("Short reference used in URLs and commands, e.g. tscp."))
    name = fields.String()
    kind = fields.String(validate=OneOf(list(BOARD_KINDS)))
    kind_label = fields.String()
    locality = fields.Pluck(NameSchema, "name", allow_none=True)
    workflow = fields.String(metadata=_d("The workflow the board's actions follow."))
    amber_window_days = fields.Integer()
    stale_window_days = fields.Integer()
    updates_need_acceptance = fields.Boolean()
    roles = fields.List(
        fields.String(validate=OneOf(["admin", "secretary", "chair", "member"])),
        metadata=_d("Your roles on this board."),
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
    source_ref = fields.String(metadata=_d("Where the review can be found."))
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
    ref = fields.String(metadata=_d("The review's own reference, e.g. R7."))
    position = fields.Integer(metadata=_d("Order within the review."))
    text = fields.String()
    level = fields.String(validate=OneOf(list(LEVELS)))
    level_label = fields.String()
    status = fields.String(metadata=_d("State in the recommendation workflow."))
    status_label = fields.String()
    themes = fields.Pluck(NameSchema, "name", many=True)
    board_ids = fields.List(
        fields.Integer(), metadata=_d("The boards it is for, among those you can see.")
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
    ref = fields.String(metadata=_d("Reference, unique within the board, e.g. TSCP-07."))
    board_id = fields.Integer()
    board_ref = fields.String()
    recommendation_id = fields.Integer(allow_none=True)
    title = fields.String()
    description = fields.String()
    owner = fields.Nested(PersonSummarySchema, allow_none=True)
    lead_organisation = fields.Pluck(NameSchema, "name", allow_none=True)
    due_on = Date(allow_none=True)
    original_due_on = Date(allow_none=True, metadata=_d("The first due date agreed."))
    status = fields.String(metadata=_d("State in the board's action workflow."))
    status_label = fields.String()
    status_reason = fields.String(metadata=_d("Why it is blocked or cancelled, when it is."))
    rag = fields.String(
        validate=OneOf(RAGS),
        metadata=_d(
            "blue: complete; red: overdue, blocked or owner says red; amber: due soon with "
            "progress under 75%, no accepted update for a while, or owner says amber; "
            "green: otherwise."
        ),
    )
    rag_label = fields.String(validate=OneOf(list(RAG_LABELS.values())))
    is_overdue = fields.Boolean(metadata=_d("Due before today (London) and not finished."))
    progress = fields.Integer(metadata=_d("Percent complete, 0 to 100."))
    owner_rag = fields.String(
        allow_none=True, validate=OneOf(OWNER_RAGS), metadata=_d("The owner's own RAG.")
    )
    success_measure = fields.String()
    version = fields.Integer(metadata=_d("Changes with every stored change; also the ETag."))
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
    transition = fields.String(allow_none=True, metadata=_d("A status change asked for."))
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
    verb = fields.String(metadata=_d("What happened, e.g. created, transition:start."))
    subject_type = fields.String(metadata=_d("action or update"))
    subject_id = fields.Integer()
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw()),
        metadata=_d("Each changed field as [from, to]."),
    )
    comment = fields.String()


class TransitionSchema(Schema):
    """A step of the workflow that you may take from the action's current state."""

    name = fields.String(metadata=_d("What to POST as 'transition'."))
    label = fields.String()
    target = fields.String(metadata=_d("The state it leads to."))
    target_label = fields.String()
    requires = fields.List(
        fields.String(validate=OneOf(list(FIELD_LABELS))),
        metadata=_d("Fields that must be given: comment (a reason), evidence."),
    )
    description = fields.String()


class StatusCountSchema(Schema):
    status = fields.String()
    label = fields.String()
    count = fields.Integer()


class RagCountSchema(Schema):
    rag = fields.String(validate=OneOf(RAGS))
    label = fields.String()
    count = fields.Integer()


class BoardRefSchema(Schema):
    id = fields.Integer()
    ref = fields.String()
    name = fields.String()


class RagCountsSchema(Schema):
    """Actions by RAG colour."""

    blue = fields.Integer()
    green = fields.Integer()
    amber = fields.Integer()
    red = fields.Integer()


class ProgressGroupSchema(Schema):
    """One group of a breakdown: a recommendation, theme, level or lead organisation."""

    id = fields.Raw(
        allow_none=True,
        metadata=_d(
            "The recommendation's, theme's or organisation's id, or the level's name; "
            "null for the actions with none."
        ),
    )
    label = fields.String()
    detail = fields.String(metadata=_d("The recommendation's text; empty for other groups."))
    total = fields.Integer()
    completed = fields.Integer(metadata=_d("Completed or closed."))
    percent_complete = fields.Integer()
    by_rag = fields.Nested(RagCountsSchema)
    actions = fields.String(
        allow_none=True,
        metadata={
            **_d("The list of the group's actions; null when no filter selects them."),
            "format": "uri",
        },
    )


class LastUpdateSchema(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    author = fields.Nested(PersonSummarySchema)
    state = fields.String(validate=OneOf(UPDATE_STATES))
    narrative = fields.String()


class AttentionActionSchema(Schema):
    """An overdue or blocked action, with why and its latest update."""

    id = fields.Integer()
    ref = fields.String()
    title = fields.String()
    owner = fields.Nested(PersonSummarySchema, allow_none=True)
    due_on = Date(allow_none=True)
    days_overdue = fields.Integer(allow_none=True, metadata=_d("Null when not overdue."))
    status = fields.String()
    status_reason = fields.String(metadata=_d("Why it is blocked, when it is."))
    last_update = fields.Nested(LastUpdateSchema, allow_none=True)


class ChangeCountSchema(Schema):
    verb = fields.String(metadata=_d("The audit event's verb, e.g. transition:complete."))
    label = fields.String()
    count = fields.Integer()


class ChangeSchema(Schema):
    occurred_at = fields.DateTime()
    verb = fields.String()
    label = fields.String()
    action_id = fields.Integer()
    action_ref = fields.String()
    actor = fields.Nested(ActorSchema, allow_none=True)


class ChangesSchema(Schema):
    """What changed on the board's actions since the last meeting, from the audit trail."""

    since = Date()
    counts = fields.List(fields.Nested(ChangeCountSchema))
    latest = fields.List(fields.Nested(ChangeSchema), metadata=_d("The latest 20, newest first."))


class TrendPointSchema(Schema):
    on = Date()
    open = fields.Integer()
    overdue = fields.Integer()
    completed = fields.Integer(metadata=_d("Completed or closed by that day."))
    is_live = fields.Boolean(metadata=_d("Today's live figures rather than a daily snapshot."))


class OversightSchema(Schema):
    """Where a board's plan stands: counts by status and RAG, what needs attention, progress
    by recommendation, theme, level and lead organisation, what changed since the last
    meeting, and the trend from the daily snapshots."""

    board = fields.Nested(BoardRefSchema)
    as_of = Date(metadata=_d("The date (London) the RAG colours and overdue are worked out for."))
    total = fields.Integer()
    by_status = fields.List(fields.Nested(StatusCountSchema))
    by_rag = fields.List(fields.Nested(RagCountSchema))
    overdue = fields.Integer()
    blocked = fields.Integer()
    awaiting_sign_off = fields.Integer(metadata=_d("Completed, waiting for sign-off."))
    updates_awaiting_acceptance = fields.Integer()
    open = fields.Integer(metadata=_d("Not completed, closed or cancelled."))
    due_in_30_days = fields.Integer(metadata=_d("Open and due from today to 30 days ahead."))
    completed_since_last_meeting = fields.Integer(
        metadata=_d("Completed on or after `since`, and completed or closed now.")
    )
    actions_with_updates_awaiting_acceptance = fields.Integer()
    last_meeting_on = Date(allow_none=True, metadata=_d("The latest meeting before today."))
    next_meeting_on = Date(allow_none=True)
    since = Date(metadata=_d("The last meeting's date; with no meeting yet, 90 days before as_of."))
    actions = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata=_d("For each headline figure, the URL of the list of its actions."),
    )
    by_recommendation = fields.List(fields.Nested(ProgressGroupSchema))
    by_theme = fields.List(
        fields.Nested(ProgressGroupSchema),
        metadata=_d("An action whose recommendation has two themes counts under both."),
    )
    by_level = fields.List(fields.Nested(ProgressGroupSchema))
    by_lead_organisation = fields.List(fields.Nested(ProgressGroupSchema))
    overdue_actions = fields.List(
        fields.Nested(AttentionActionSchema), metadata=_d("The 20 most overdue.")
    )
    blocked_actions = fields.List(
        fields.Nested(AttentionActionSchema), metadata=_d("The 20 blocked longest.")
    )
    changes = fields.Nested(ChangesSchema)
    trend = fields.List(
        fields.Nested(TrendPointSchema),
        metadata=_d("Weekly for 12 weeks from the daily snapshots, oldest first, then today."),
    )


class PageLinksSchema(Schema):
    next = fields.String(allow_none=True, metadata={"format": "uri"})
    prev = fields.String(allow_none=True, metadata={"format": "uri"})


class ActionPageSchema(Schema):
    """One page of actions, with links to the pages either side."""

    items = fields.List(fields.Nested(ActionSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata=_d("How many actions match, on all pages."))
    links = fields.Nested(PageLinksSchema)


class ErrorDetailSchema(Schema):
    code = fields.String(metadata=_d("Stable, for programs: e.g. not_found, invalid."))
    message = fields.String(metadata=_d("For people: says what to fix."))
    # "fields" would hide marshmallow's Schema.fields: the attribute has another name.
    field_messages = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        data_key="fields",
        metadata={**_d("What is wrong with each field or parameter."), "optional": True},
    )
    current_version = fields.Integer(
        metadata={**_d("With 412: the action's current version."), "optional": True}
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
