"""Reviews and their recommendations: published documents, readable by anyone with a token."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.api import bp, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import answer
from tracker.api.spec import operation
from tracker.api.views import dump_recommendations
from tracker.extensions import db
from tracker.reviews import services as reviews
from tracker.reviews.models import Recommendation, Review


@bp.get("/reviews")
@operation(
    "List the reviews",
    tag="reviews",
    description="Newest published first; reviews without a publication date last.",
    response=schemas.ReviewListSchema,
)
def list_reviews():
    # The reviews service has no list function yet; this is a plain read.
    reviews = db.session.scalars(
        select(Review).order_by(
            Review.published_on.is_(None), Review.published_on.desc(), Review.id.desc()
        )
    )
    return answer({"items": schemas.ReviewSchema(many=True).dump(reviews)})


@bp.get("/reviews/<int:review_id>")
@operation("Get a review", tag="reviews", response=schemas.ReviewSchema)
def get_review(review_id: int):
    return answer(schemas.ReviewSchema().dump(reviews.get_review(review_id)))


@bp.get("/reviews/<int:review_id>/recommendations")
@operation(
    "List a review's recommendations",
    tag="reviews",
    description="In the review's order, each with its themes and the boards (that you can see) "
    "it is for.",
    response=schemas.RecommendationListSchema,
)
def list_recommendations(review_id: int):
    review = reviews.get_review(review_id)
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.review_id == review.id)
        .options(selectinload(Recommendation.themes), selectinload(Recommendation.boards))
        .order_by(Recommendation.position, Recommendation.id)
    )
    return answer({"items": dump_recommendations(current_person(), recommendations)})
