"""A review's matrix of recommendations against boards (tracker.oversight.matrix) as JSON."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.api import bp
from tracker.api.auth import current_person
from tracker.api.helpers import answer, load_query
from tracker.api.schemas_matrix import MatrixQuerySchema, MatrixSchema
from tracker.api.spec import operation
from tracker.common.errors import ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.oversight.matrix import build_matrix
from tracker.reviews import services as reviews
from tracker.reviews.models import Theme


@bp.get("/reviews/<int:review_id>/matrix")
@operation(
    "Get a review's matrix of recommendations against boards",
    tag="reviews",
    description="Each recommendation against each board you can see that adopted one of the "
    "review's recommendations or has actions for one: the state of the board's actions for it "
    "and how many are complete, with totals per recommendation, per board and overall.",
    query=MatrixQuerySchema,
    response=MatrixSchema,
)
def review_matrix(review_id: int):
    review = reviews.get_review(review_id)
    args = load_query(MatrixQuerySchema)
    today = london_today()
    matrix = build_matrix(
        current_person(),
        review,
        today,
        level=args.get("level"),
        theme_id=_theme_id(args["theme"]) if "theme" in args else None,
    )
    body = {
        "review_id": review.id,
        "as_of": today,
        "total_recommendations": matrix.total_recommendations,
        "boards": matrix.boards,
        "rows": [
            {
                "recommendation": row.recommendation,
                "cells": [
                    {"board_id": board.id, "state": cell.state, "label": cell.label, **_of(cell)}
                    for board, cell in zip(matrix.boards, row.cells, strict=True)
                ],
                "completion": row.completion,
            }
            for row in matrix.rows
        ],
        "board_completion": [
            {"board_id": board.id, **_of(total)}
            for board, total in zip(matrix.boards, matrix.board_completion, strict=True)
        ],
        "completion": matrix.completion,
    }
    return answer(MatrixSchema().dump(body))


def _of(figures) -> dict:
    return {"complete": figures.complete, "live": figures.live, "percent": figures.percent}


def _theme_id(theme: int | str) -> int:
    match = Theme.id == theme if isinstance(theme, int) else func.lower(Theme.name) == theme.lower()
    found = db.session.scalar(select(Theme.id).where(match))
    if found is None:
        raise ValidationFailed({"theme": f"There is no theme {theme!r}."})
    return found
