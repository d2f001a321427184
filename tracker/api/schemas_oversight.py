"""A board's oversight figures in the API (``/boards/<id>/oversight``): what the dashboard
shows, as data. Dump-only, like ``schemas``."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf

from tracker.actions.models import UPDATE_STATES
from tracker.actions.rag import RAGS
from tracker.api.fieldtypes import Date, described
from tracker.api.schemas import ActorSchema, BoardRefSchema, PersonSummarySchema


class StatusCountSchema(Schema):
    status = fields.String()
    label = fields.String()
    count = fields.Integer()


class RagCountSchema(Schema):
    rag = fields.String(validate=OneOf(RAGS))
    label = fields.String()
    count = fields.Integer()


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
        metadata=described(
            "The recommendation's, theme's or organisation's id, or the level's name; "
            "null for the actions with none."
        ),
    )
    label = fields.String()
    detail = fields.String(metadata=described("The recommendation's text; empty for other groups."))
    total = fields.Integer()
    completed = fields.Integer(metadata=described("Completed or closed."))
    percent_complete = fields.Integer()
    by_rag = fields.Nested(RagCountsSchema)
    actions = fields.String(
        allow_none=True,
        metadata={
            **described("The list of the group's actions; null when no filter selects them."),
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
    days_overdue = fields.Integer(allow_none=True, metadata=described("Null when not overdue."))
    status = fields.String()
    status_reason = fields.String(metadata=described("Why it is blocked, when it is."))
    last_update = fields.Nested(LastUpdateSchema, allow_none=True)


class ChangeCountSchema(Schema):
    verb = fields.String(metadata=described("The audit event's verb, e.g. transition:complete."))
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
    latest = fields.List(
        fields.Nested(ChangeSchema), metadata=described("The latest 20, newest first.")
    )


class TrendPointSchema(Schema):
    on = Date()
    open = fields.Integer()
    overdue = fields.Integer()
    completed = fields.Integer(metadata=described("Completed or closed by that day."))
    is_live = fields.Boolean(
        metadata=described("Today's live figures rather than a daily snapshot.")
    )


class OversightSchema(Schema):
    """Where a board's plan stands: counts by status and RAG, what needs attention, progress
    by recommendation, theme, level and lead organisation, what changed since the last
    meeting, and the trend from the daily snapshots."""

    board = fields.Nested(BoardRefSchema)
    as_of = Date(
        metadata=described("The date (London) the RAG colours and overdue are worked out for.")
    )
    total = fields.Integer()
    by_status = fields.List(fields.Nested(StatusCountSchema))
    by_rag = fields.List(fields.Nested(RagCountSchema))
    overdue = fields.Integer()
    blocked = fields.Integer()
    awaiting_sign_off = fields.Integer(metadata=described("Completed, waiting for sign-off."))
    updates_awaiting_acceptance = fields.Integer()
    open = fields.Integer(metadata=described("Not completed, closed or cancelled."))
    due_in_30_days = fields.Integer(metadata=described("Open and due from today to 30 days ahead."))
    completed_since_last_meeting = fields.Integer(
        metadata=described("Completed on or after `since`, and completed or closed now.")
    )
    actions_with_updates_awaiting_acceptance = fields.Integer()
    last_meeting_on = Date(allow_none=True, metadata=described("The latest meeting before today."))
    next_meeting_on = Date(allow_none=True)
    since = Date(
        metadata=described("The last meeting's date; with no meeting yet, 90 days before as_of.")
    )
    actions = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata=described("For each headline figure, the URL of the list of its actions."),
    )
    by_recommendation = fields.List(fields.Nested(ProgressGroupSchema))
    by_theme = fields.List(
        fields.Nested(ProgressGroupSchema),
        metadata=described("An action whose recommendation has two themes counts under both."),
    )
    by_level = fields.List(fields.Nested(ProgressGroupSchema))
    by_lead_organisation = fields.List(fields.Nested(ProgressGroupSchema))
    overdue_actions = fields.List(
        fields.Nested(AttentionActionSchema), metadata=described("The 20 most overdue.")
    )
    blocked_actions = fields.List(
        fields.Nested(AttentionActionSchema), metadata=described("The 20 blocked longest.")
    )
    changes = fields.Nested(ChangesSchema)
    trend = fields.List(
        fields.Nested(TrendPointSchema),
        metadata=described(
            "Weekly for 12 weeks from the daily snapshots, oldest first, then today."
        ),
    )
