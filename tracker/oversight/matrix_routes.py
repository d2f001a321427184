"""The review-wide matrix pages: the matrix itself and its spreadsheet.

Anyone signed in may open a review's matrix (reviews are published documents); its columns are
only the boards they can see (see ``tracker.oversight.matrix``), so a person on no board taking
part sees the recommendations and a message instead of a table.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.actions.rag import RAGS
from tracker.common.time import london_today
from tracker.oversight.matrix import build_matrix, review_themes
from tracker.oversight.matrix_cells import NOT_STARTED, STATE_LABELS, STATE_MEANINGS, STATES
from tracker.oversight.matrix_export import XLSX_TYPE, matrix_workbook
from tracker.oversight.matrix_forms import matrix_filter_form
from tracker.reviews.services import get_review
from tracker.web.templating import RAG_TAG_CLASSES

bp = Blueprint("matrix", __name__)

# The tag of each state: the RAG colours of every other page, grey for "Not started" ("Not
# adopted" has no tag).
TAG_CLASSES = {
    **{rag: f"govuk-tag {RAG_TAG_CLASSES[rag]}".strip() for rag in RAGS},
    NOT_STARTED: "govuk-tag govuk-tag--grey",
}


@bp.get("/reviews/<int:review_id>/matrix")
@login_required
def show(review_id: int):
    """Each recommendation of the review against each board acting on it."""
    review = get_review(review_id)
    today = london_today()
    form = matrix_filter_form(request.args, review_themes(review))
    valid = form.validate()
    matrix = build_matrix(current_user, review, today, **form.filters()) if valid else None
    return render_template(
        "matrix/show.html",
        review=review,
        form=form,
        errors=form.error_list(),
        matrix=matrix,
        today=today,
        key=[(state, STATE_LABELS[state], STATE_MEANINGS[state]) for state in STATES],
        tag_classes=TAG_CLASSES,
        # Each board's action list, which a cell's link filters by its recommendation.
        list_urls=[url_for("actions.board_list", ref=b.ref) for b in matrix.boards]
        if matrix
        else [],
        xlsx_url=url_for("matrix.xlsx", review_id=review.id, **form.args()) if valid else None,
    )


@bp.get("/reviews/<int:review_id>/matrix.xlsx")
@login_required
def xlsx(review_id: int):
    """The same matrix as a spreadsheet, with the same filters."""
    review = get_review(review_id)
    today = london_today()
    form = matrix_filter_form(request.args, review_themes(review))
    if not form.validate():
        # The page says what is wrong with the filters; a spreadsheet cannot.
        return redirect(url_for("matrix.show", review_id=review.id, **request.args))
    matrix = build_matrix(current_user, review, today, **form.filters())
    filename = f"review-{review.id}-matrix-{today.isoformat()}.xlsx"
    return Response(
        matrix_workbook(matrix, today),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
