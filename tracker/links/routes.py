"""The owner's update page, reached from the link in an email, and sending new links.

No sign-in: the signed token in the address is the owner's key. GET never changes anything
(mail scanners open links before people do); every page says noindex, sends no referrer and is
not cached; the token never reaches a log (tracker.links.privacy).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.actions import services as actions
from tracker.actions import updates
from tracker.actions.models import Update
from tracker.common.errors import InvalidTransition, ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db, limiter
from tracker.links.forms import FIELD_MAP, OwnerUpdateForm
from tracker.links.privacy import (
    install_log_redaction,
    mark_private,
    mark_token_paths_private,
)
from tracker.links.services import (
    latest_accepted_update,
    naming_its_action,
    open_update_link,
    resend_link,
    send_new_link_on_request,
    waiting_updates,
)
from tracker.links.tokens import LinkProblem, update_link_max_days
from tracker.web.forms import apply_errors
from tracker.workflow_registry import get_workflow

bp = Blueprint("links", __name__)
bp.record_once(lambda state: install_log_redaction(state.app))
bp.after_request(mark_private)
bp.after_app_request(mark_token_paths_private)

PAGE_LIMIT = "30 per minute"
# Each press may email the owner: fewer presses per client; and whoever presses, the owner gets
# at most one new link per action in tracker.links.services.NEW_LINK_INTERVAL.
NEW_LINK_LIMIT = "5 per minute;20 per hour"


@bp.route("/u/<token>", methods=["GET", "POST"])
@limiter.limit(PAGE_LIMIT)
def update(token: str):
    """The action and a form for the owner's update; POST records it as theirs."""
    try:
        link = open_update_link(token)
    except LinkProblem as problem:
        return problem_page(token, problem)
    action, person = link.action, link.person
    workflow = get_workflow(action.board.workflow)
    form = OwnerUpdateForm(
        data={"progress": str(action.progress)} if request.method == "GET" else None
    )
    form.offer(workflow, action.status)
    if form.validate_on_submit():
        try:
            update = updates.submit_update(
                person, action, channel="email_link", author=person, **form.submission()
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc, FIELD_MAP)
        except InvalidTransition as exc:
            # The action moved on since the page was opened (the secretary started it, say).
            db.session.rollback()
            form.transition.errors = [*form.transition.errors, exc.message]
            form.offer(workflow, action.status)
        else:
            db.session.commit()
            return redirect(url_for("links.sent", token=token, update=update.id))
    return render_template(
        "links/update.html",
        form=form,
        action=action,
        person=person,
        workflow=workflow,
        expires_at=link.expires_at,
        accepted=latest_accepted_update(action),
        waiting=waiting_updates(action),
        today=london_today(),
    )


@bp.get("/u/<token>/sent")
@limiter.limit(PAGE_LIMIT)
def sent(token: str):
    """What happened to the update just sent: waiting for the secretary, or applied."""
    try:
        link = open_update_link(token)
    except LinkProblem as problem:
        return problem_page(token, problem)
    update = db.session.get(Update, request.args.get("update", 0, type=int))
    if update is None or update.action_id != link.action.id or update.author_id != link.person.id:
        return redirect(url_for("links.update", token=token))
    return render_template(
        "links/sent.html",
        action=link.action,
        update=update,
        token=token,
        expires_at=link.expires_at,
    )


def problem_page(token: str, problem: LinkProblem):
    """A plain page saying why the link does not work, offering a new one where it can."""
    problem = naming_its_action(problem, token)
    status = 404 if problem.reason == "invalid" else 410
    return render_template(
        "links/problem.html",
        problem=problem,
        # Only a well-signed link names an action whose owner could be sent a new one.
        offer_new_link=problem.action_id is not None and problem.detail != "finished",
        token=token,
        link_days=update_link_max_days(),
    ), status


@bp.post("/u/<token>/new-link")
@limiter.limit(NEW_LINK_LIMIT)
def new_link(token: str):
    """Email the action's current owner a working link; the answer is the same whatever
    the token, so that pressing the button teaches nothing about the action."""
    # CSRFProtect has checked the token already; the form carries nothing else.
    send_new_link_on_request(token)
    db.session.commit()
    return redirect(url_for("links.new_link_requested"))


@bp.get("/link-requested")
@limiter.limit(PAGE_LIMIT)
def new_link_requested():
    return render_template("links/new_link_requested.html")


@bp.post("/actions/<int:action_id>/resend-link")
@login_required
def resend(action_id: int):
    """A secretary sends the owner a new link; every earlier link stops working."""
    action = actions.get_action(current_user, action_id)
    try:
        owner = resend_link(current_user, action, channel="web")
    except InvalidTransition as exc:
        db.session.rollback()
        flash(exc.message, "info")
    else:
        db.session.commit()
        flash(
            f"A new link to update {action.ref} has been emailed to {owner.name}. "
            "Links sent before no longer work.",
            "success",
        )
    return redirect(url_for("actions.show", action_id=action.id))
