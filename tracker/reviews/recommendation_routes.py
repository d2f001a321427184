"""A recommendation's page: its boards' actions, adopting it for a board, and its workflow."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from tracker.actions.models import CHANNELS
from tracker.boards.services import get_board
from tracker.common.errors import InvalidTransition, NotFound, ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.permissions import roles_by_board
from tracker.reviews import queries
from tracker.reviews import services as reviews
from tracker.reviews.forms import AdoptForm, TransitionForm
from tracker.reviews.routes import bp
from tracker.web.forms import apply_errors
from tracker.workflow_registry import fire, recommendation_workflow


def _load(recommendation_id: int):
    recommendation = queries.load_recommendation(recommendation_id)
    if recommendation is None:
        raise NotFound("No such recommendation.")
    return recommendation


def _adopt_form(recommendation) -> AdoptForm | None:
    """The "adopt for a board" form, offering the boards the person manages that have not
    adopted the recommendation yet; None when there are none."""
    boards = [b for b in queries.managed_boards(current_user) if b not in recommendation.boards]
    if not boards:
        return None
    form = AdoptForm()
    form.board.choices = [SelectChoice(b.id, b.name) for b in boards]
    return form


@bp.get("/recommendations/<int:recommendation_id>")
@login_required
def recommendation(recommendation_id: int):
    rec = _load(recommendation_id)
    # The person's roles on each board that adopted it: which boards they see, which they
    # manage, and which workflow buttons to show, from one statement.
    held = roles_by_board(current_user, [b.id for b in rec.boards])
    roles = reviews.recommendation_roles(current_user, rec, held)
    return render_template(
        "reviews/recommendation.html",
        rec=rec,
        sections=queries.actions_by_board(rec, held, london_today()),
        transitions=recommendation_workflow().available(rec.status, roles),
        adopt_form=_adopt_form(rec),
        history=queries.recommendation_history(current_user, rec),
        describe=describe_event,
        channels=CHANNELS,
    )


def describe_event(event) -> str:
    """What an event in a recommendation's history did, in words."""
    workflow = recommendation_workflow()
    if event.verb.startswith("transition:"):
        transition = workflow.transitions.get(event.verb.partition(":")[2])
        before, after = (event.changes or {}).get("status", [None, None])
        labels = [workflow.states[s].label if s in workflow.states else s for s in (before, after)]
        what = transition.label if transition else "Status changed"
        return f"{what}: from {labels[0]} to {labels[1]}"
    if event.verb == "adopted":
        return event.comment or "Adopted by a board"
    if event.verb == "created":
        return "Added to the review"
    return event.verb.capitalize()


@bp.post("/recommendations/<int:recommendation_id>/boards")
@login_required
def adopt_recommendation(recommendation_id: int):
    """One board adopting this recommendation; the service decides whether the person may."""
    rec = _load(recommendation_id)
    form = _adopt_form(rec) or AdoptForm()
    if form.validate_on_submit():
        board = get_board(current_user, board_id=form.board.data)
        reviews.adopt_recommendation(current_user, rec, board, channel="web")
        db.session.commit()
        flash(f"{board.name} adopted recommendation {rec.ref}.", "success")
    else:
        flash("Select the board that adopts this recommendation.", "info")
    return redirect(url_for("reviews.recommendation", recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/transitions/<name>", methods=["GET", "POST"])
@login_required
def recommendation_transition(recommendation_id: int, name: str):
    """A step in the recommendation's workflow: a form when the step needs a reason or
    evidence, and the target of the page's buttons."""
    rec = _load(recommendation_id)
    workflow = recommendation_workflow()
    transition = workflow.transitions.get(name)
    if transition is None:
        abort(404)
    # The role is checked first (NotAllowed: a 403 page), then the state, then the fields.
    problem = _why_not(workflow, transition, rec)
    form = TransitionForm()
    if problem is None and form.is_submitted():
        valid = form.validate()
        valid = form.check_required(transition) and valid
        if valid:
            fields = form.fields_for(transition)
            try:
                reviews.fire_recommendation_transition(
                    current_user, rec, name, fields, channel="web"
                )
                db.session.commit()
            except ValidationFailed as exc:
                db.session.rollback()
                apply_errors(form, exc)
            except InvalidTransition as exc:
                db.session.rollback()
                problem = exc.message
            else:
                label = workflow.state(rec.status).label
                flash(f"Recommendation {rec.ref} is now {label.lower()}.", "success")
                return redirect(url_for("reviews.recommendation", recommendation_id=rec.id))
    return render_template(
        "reviews/transition.html", rec=rec, transition=transition, form=form, problem=problem
    )


def _why_not(workflow, transition, rec) -> str | None:
    """Why the step cannot be taken now (its state), or None; NotAllowed for the wrong role."""
    roles = reviews.recommendation_roles(current_user, rec)
    # Placeholder values for the fields: the form asks for them, so they are not the problem.
    try:
        fire(workflow, rec.status, transition.name, roles, dict.fromkeys(transition.requires, "-"))
    except InvalidTransition as exc:
        return exc.message
    return None
