"""The pages that import a review's recommendations: upload → preview → import.

For admins and board secretaries (the people ``reviews.services`` lets add recommendations);
adopting a recommendation for a board still needs that board's secretary or an admin, and the
preview says so row by row.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.common.errors import NotAllowed
from tracker.extensions import db
from tracker.permissions import MANAGERS, board_roles, can_manage_some_board
from tracker.reviews.services import get_review
from tracker.transfer import uploads
from tracker.transfer.import_forms import RECOMMENDATION_TYPES, ConfirmForm, UploadForm
from tracker.transfer.import_routes import bp, limits, uploaded
from tracker.transfer.plan_apply import ImportRefused
from tracker.transfer.plan_import import Problem
from tracker.transfer.reading import UnreadableFile
from tracker.transfer.recommendation_import import (
    apply_recommendations,
    preview_recommendations,
)


def _review(review_id: int):
    review = get_review(review_id)
    if not can_manage_some_board(current_user):
        raise NotAllowed("Only admins and board secretaries can import recommendations.")
    return review


def _preview(review, data: bytes, filename: str):
    preview = preview_recommendations(current_user, review, data, filename)
    # Adopting for a board is its secretary's decision: say so now rather than at import.
    for row in preview.rows:
        if row.outcome in ("create", "change"):
            for board in row.boards:
                if not board_roles(current_user, board) & MANAGERS:
                    row.problems.append(
                        Problem(
                            row.number,
                            "Boards",
                            f"only {board.name}'s secretary can adopt recommendations for it. "
                            "Remove the board from this row; its secretary can adopt it later.",
                        )
                    )
    return preview


@bp.route("/reviews/<int:review_id>/import", methods=["GET", "POST"])
@login_required
def recommendations_upload(review_id: int):
    review = _review(review_id)
    form = UploadForm()
    if form.validate_on_submit():
        filename, data = uploaded(form)
        try:
            preview_recommendations(current_user, review, data, filename)
        except UnreadableFile as exc:
            form.file.errors.append(str(exc))
        else:
            upload = uploads.store("recommendations", review.id, current_user.id, filename, data)
            return redirect(
                url_for(".recommendations_preview", review_id=review.id, upload_id=upload.id)
            )
    return render_template(
        "imports/recommendations_upload.html",
        review=review,
        form=form,
        accept=RECOMMENDATION_TYPES,
        limits=limits(),
    )


@bp.route("/reviews/<int:review_id>/import/<upload_id>", methods=["GET", "POST"])
@login_required
def recommendations_preview(review_id: int, upload_id: str):
    # The upload first: it is its uploader's alone, so anyone else is told it does not exist.
    upload = uploads.load(upload_id, "recommendations", review_id, current_user.id)
    review = _review(review_id)
    if upload.result is not None:
        return redirect(url_for("reviews.show", review_id=review.id))
    form = ConfirmForm()
    preview = _preview(review, upload.data(), upload.filename)
    refused = []
    if form.validate_on_submit():
        try:
            if preview.all_problems():
                raise ImportRefused(preview.all_problems())
            counts = apply_recommendations(current_user, preview)
        except ImportRefused as exc:
            db.session.rollback()
            refused = exc.problems
            preview = _preview(review, upload.data(), upload.filename)
        else:
            db.session.commit()
            upload.finish(counts)
            flash(
                f"Imported {counts['create']} new recommendations; "
                f"{counts['change']} adopted by more boards.",
                "success",
            )
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template(
        "imports/recommendations_preview.html",
        review=review,
        upload=upload,
        preview=preview,
        problems=refused or preview.all_problems(),
        form=form,
    )
