"""Review pages: reviews, their recommendations, and boards adopting them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from tracker.boards.services import get_board
from tracker.common.errors import NotAllowed
from tracker.extensions import db
from tracker.permissions import MANAGERS, can_manage_some_board, ensure_role
from tracker.reviews import queries
from tracker.reviews import services as reviews
from tracker.reviews.forms import (
    BulkAdoptForm,
    RecommendationForm,
    ReviewForm,
)
from tracker.web.forms import saving
from tracker.web.templating import status_tag_params

bp = Blueprint("reviews", __name__)

# The recommendation workflow's own states; the action states keep templating's colours, and
# none of these is a RAG colour, so that a status is never read as a rating.
RECOMMENDATION_TAG_CLASSES = {
    "proposed": "govuk-tag--grey",
    "adopted": "govuk-tag--turquoise",
    "in_progress": "govuk-tag--purple",
    "implemented": "govuk-tag--teal",
    "closed": "govuk-tag--grey",
    "not_adopted": "govuk-tag--pink",
}


def recommendation_tag_params(status: str) -> dict:
    """govukTag options for a recommendation's status, labelled by its workflow."""
    params = status_tag_params(status, "recommendation")
    params["classes"] = RECOMMENDATION_TAG_CLASSES.get(status, "govuk-tag--grey")
    return params


@bp.context_processor
def helpers() -> dict:
    return {
        "recommendation_tag_params": recommendation_tag_params,
    }


def ensure_can_manage(doing: str) -> None:
    """The 403 a page that adds or changes reviews gives before showing its form."""
    if not can_manage_some_board(current_user):
        raise NotAllowed(f"Only admins and board secretaries can {doing}.")


@bp.get("/reviews")
@login_required
def index():
    return render_template(
        "reviews/index.html",
        rows=queries.list_reviews(),
        can_manage=can_manage_some_board(current_user),
    )


@bp.route("/reviews/new", methods=["GET", "POST"])
@login_required
def create():
    ensure_can_manage("add reviews")
    form = ReviewForm()
    if form.validate_on_submit():
        with saving(form) as attempt:
            review = reviews.create_review(current_user, channel="web", **_review_values(form))
        if attempt.saved:
            flash(f"Review “{review.title}” added.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/review_form.html", form=form, review=None)


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit(review_id: int):
    review = reviews.get_review(review_id)
    ensure_can_manage("change reviews")
    form = ReviewForm(obj=review)
    if form.validate_on_submit():
        with saving(form) as attempt:
            reviews.update_review(current_user, review, channel="web", **_review_values(form))
        if attempt.saved:
            flash(f"Review “{review.title}” saved.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/review_form.html", form=form, review=review)


def _review_values(form: ReviewForm) -> dict:
    return {
        "title": form.title.data,
        "publisher": (form.publisher.data or "").strip(),
        "published_on": form.published_on.data,
        "summary": (form.summary.data or "").strip(),
        "source_ref": (form.source_ref.data or "").strip(),
    }


@bp.get("/reviews/<int:review_id>")
@login_required
def show(review_id: int):
    review = reviews.get_review(review_id)
    boards = queries.managed_boards(current_user)
    return render_template(
        "reviews/show.html",
        review=review,
        rows=queries.review_recommendations(current_user, review),
        can_manage=bool(boards) or can_manage_some_board(current_user),
        managed_boards=boards,
    )


@bp.route("/reviews/<int:review_id>/recommendations/new", methods=["GET", "POST"])
@login_required
def add_recommendation(review_id: int):
    review = reviews.get_review(review_id)
    ensure_can_manage("add recommendations")
    form = RecommendationForm()
    form.themes.choices = [SelectChoice(t.name) for t in queries.all_themes()]
    form.boards.choices = [SelectChoice(b.id, b.name) for b in queries.managed_boards(current_user)]
    if form.validate_on_submit():
        with saving(form) as attempt:
            recommendation = reviews.add_recommendation(
                current_user,
                review,
                ref=form.ref.data,
                text=form.text.data,
                level=form.level.data,
                themes=form.theme_names(),
                boards=[get_board(current_user, board_id=i) for i in form.boards.data or []],
                channel="web",
            )
        if attempt.saved:
            flash(f"Recommendation {recommendation.ref} added.", "success")
            if form.add_another.data:
                return redirect(url_for("reviews.add_recommendation", review_id=review.id))
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/recommendation_form.html", form=form, review=review)


@bp.route("/reviews/<int:review_id>/adopt", methods=["GET", "POST"])
@login_required
def adopt(review_id: int):
    """One board adopting several of a review's recommendations (``?board=REF``)."""
    review = reviews.get_review(review_id)
    board = get_board(current_user, ref=request.args.get("board", ""))
    ensure_role(current_user, board, MANAGERS, "adopt recommendations for this board")
    rows = queries.review_recommendations(current_user, review)
    adopted = [r.recommendation for r in rows if board in r.boards]
    open_ = [r.recommendation for r in rows if board not in r.boards]
    form = BulkAdoptForm()
    form.recommendations.choices = [SelectChoice(rec.id, rec.ref) for rec in open_]
    if request.method == "GET":
        form.recommendations.data = [rec.id for rec in open_]
    elif form.validate_on_submit():
        ticked = set(form.recommendations.data or [])
        chosen = [rec for rec in open_ if rec.id in ticked]
        if not chosen:
            form.recommendations.errors = ["Select the recommendations to adopt"]
        else:
            for rec in chosen:
                reviews.adopt_recommendation(current_user, rec, board, channel="web")
            db.session.commit()
            refs = ", ".join(rec.ref for rec in chosen)
            count = f"{len(chosen)} recommendation" + ("" if len(chosen) == 1 else "s")
            flash(f"{board.name} adopted {count}: {refs}.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template(
        "reviews/adopt.html",
        form=form,
        review=review,
        board=board,
        open_recommendations=open_,
        adopted=adopted,
    )


from tracker.reviews import recommendation_routes  # noqa: E402,F401
