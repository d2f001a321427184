"""The review-wide matrix in the API: its query parameters and its representation."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.api.fieldtypes import Date, IdOrKey, described, one_of
from tracker.api.inputs import QuerySchema
from tracker.api.schemas import BoardRefSchema, NameSchema
from tracker.oversight.matrix_cells import STATE_LABELS, STATES
from tracker.reviews.models import LEVELS


class MatrixQuerySchema(QuerySchema):
    """Which recommendations the matrix shows."""

    level = fields.String(
        validate=one_of(LEVELS, "level"), metadata=described("Recommendation level.")
    )
    theme = IdOrKey("a theme's name", metadata=described("A theme's id or name."))


class CompletionSchema(Schema):
    """Completed or closed actions out of all but cancelled ones."""

    complete = fields.Integer()
    actions = fields.Integer(
        attribute="live", metadata=described("Actions that count: not cancelled.")
    )
    percent = fields.Integer(
        allow_none=True,
        metadata=described("Whole per cent complete, rounded down; null with none."),
    )


class MatrixCellSchema(CompletionSchema):
    board_id = fields.Integer()
    state = fields.String(
        validate=one_of(STATES, "state"),
        metadata=described(
            "red, amber, green, blue (the RAG colours of the board's actions for the "
            "recommendation, worst first), not_started or not_adopted."
        ),
    )
    label = fields.String(metadata=described(", ".join(STATE_LABELS[s] for s in STATES) + "."))


class MatrixRecommendationSchema(Schema):
    id = fields.Integer()
    ref = fields.String()
    text = fields.String()
    level = fields.String()
    themes = fields.Pluck(NameSchema, "name", many=True)


class MatrixRowSchema(Schema):
    recommendation = fields.Nested(MatrixRecommendationSchema)
    cells = fields.List(
        fields.Nested(MatrixCellSchema), metadata=described("In the order of boards.")
    )
    completion = fields.Nested(CompletionSchema)


class BoardCompletionSchema(CompletionSchema):
    board_id = fields.Integer()


class MatrixSchema(Schema):
    """A review's recommendations against the boards you can see that act on them."""

    review_id = fields.Integer()
    as_of = Date(metadata=described("The date (London) the RAG colours are worked out for."))
    total_recommendations = fields.Integer(metadata=described("The review's, before the filters."))
    boards = fields.List(fields.Nested(BoardRefSchema))
    rows = fields.List(fields.Nested(MatrixRowSchema))
    board_completion = fields.List(fields.Nested(BoardCompletionSchema))
    completion = fields.Nested(CompletionSchema)
