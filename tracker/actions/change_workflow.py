"""Action pages that move an action through its workflow, and decide or record owners' updates.

A transition's page asks for what the workflow requires (a reason, evidence, a date) and
confirms the step; a step that requires nothing may also be fired by a one-click button that
posts to the same address.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template
from flask_login import current_user, login_required
from wtforms import SelectChoice

from tracker.actions import services
from tracker.actions import updates as action_updates
from tracker.actions.change_support import action_page, completion, stamp, start_again
from tracker.actions.forms import (
    AcceptUpdateForm,
    AddUpdateForm,
    RejectUpdateForm,
    transition_form_class,
)
from tracker.actions.models import CHANNELS, Action
from tracker.actions.routes import bp
from tracker.common.errors import InvalidTransition, StaleVersion, ValidationFailed
from tracker.extensions import db
from tracker.permissions import OWNER
from tracker.web.forms import apply_errors
from tracker.workflow_registry import fire, get_workflow
from workflows import FIELD_LABELS, Transition, Workflow

# Every field a transition may require, filled in: firing with these can only fail on the
# transition, the state or the role, which is what a confirmation page needs to know.
ANY_FIELDS = {"comment": "-", "evidence": "-", "due_on": date(2000, 1, 1)}


@bp.route("/actions/<int:action_id>/transitions/<name>", methods=["GET", "POST"])
@login_required
def transition(action_id: int, name: str):
    """Confirm and fire one step of the action's workflow, with the fields it requires."""
    action = services.get_action(current_user, action_id)
    workflow = get_workflow(action.board.workflow)
    step = workflow.transitions.get(name)
    if step is None:
        abort(404)
    form = transition_form_class(step)()
    conflict = refusal = None
    if not form.is_submitted():
        refusal = _refusal(action, workflow, step)
        stamp(form, action)
    elif form.validate():
        fields = {key: getattr(form, key).data for key in FIELD_LABELS if hasattr(form, key)}
        try:
            services.fire_transition(
                current_user,
                action,
                name,
                fields,
                expected_version=form.int_or_none(form.version),
                channel="web",
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except InvalidTransition as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
        except StaleVersion:
            conflict = start_again(form, action)
        else:
            db.session.commit()
            label = lower_first(workflow.states[action.status].label)
            flash(f"{action.ref} is now {label}.", "success")
            return redirect(action_page(action))
    status = 409 if conflict is not None or refusal else 200
    return render_template(
        "actions/transition.html",
        form=form,
        action=action,
        workflow=workflow,
        step=step,
        conflict=conflict,
        refusal=refusal,
        warning=workflow.states[step.target].terminal and "comment" in step.requires,
        completion=completion(action) if action.status == "completed" else None,
        channels=CHANNELS,
    ), status


def _refusal(action: Action, workflow: Workflow, step: Transition) -> str | None:
    """None when the person may take this step now; raises NotAllowed (403) when their role
    may never take it; otherwise the workflow's reason why not now (e.g. the wrong state)."""
    if any(t.name == step.name for t in services.available_transitions(current_user, action)):
        return None
    roles = services.roles_on(current_user, action)
    # The engine's own words: checked from a state the step starts from, only the role can fail.
    fire(workflow, step.sources[0], step.name, roles, ANY_FIELDS)
    try:
        fire(workflow, action.status, step.name, roles, ANY_FIELDS)
    except InvalidTransition as exc:
        return exc.message
    return None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@bp.post("/updates/<int:update_id>/accept")
@login_required
def accept_update(update_id: int):
    """Accept an owner's update: its progress, RAG, status change and due date apply."""
    update = action_updates.get_update(current_user, update_id)
    form = AcceptUpdateForm()
    form.validate()  # a comment is all it has, and it is optional
    try:
        action_updates.accept_update(
            current_user, update, comment=form.comment.data or "", channel="web"
        )
    except (InvalidTransition, ValidationFailed) as exc:
        db.session.rollback()
        flash(exc.message, "info")
    else:
        db.session.commit()
        flash(f"Update from {update.author.name} accepted.", "success")
    return redirect(action_page(update.action))


@bp.route("/updates/<int:update_id>/reject", methods=["GET", "POST"])
@login_required
def reject_update(update_id: int):
    """Reject an owner's update with a reason the owner will see; the action does not change."""
    update = action_updates.get_update(current_user, update_id)
    action = update.action
    services.ensure_manager(current_user, action, "reject updates")
    form = RejectUpdateForm()
    if not form.is_submitted():
        if update.state != "submitted":
            flash(f"This update was already {update.state}; there is nothing to decide.", "info")
            return redirect(action_page(action))
    elif form.validate():
        try:
            action_updates.reject_update(
                current_user, update, reason=form.reason.data, channel="web"
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except InvalidTransition as exc:
            db.session.rollback()
            flash(exc.message, "info")
            return redirect(action_page(action))
        else:
            db.session.commit()
            flash(f"Update from {update.author.name} rejected.", "success")
            return redirect(action_page(action))
    return render_template(
        "actions/reject_update.html",
        form=form,
        update=update,
        action=action,
        workflow=get_workflow(action.board.workflow),
        channels=CHANNELS,
    )


@bp.route("/actions/<int:action_id>/updates/new", methods=["GET", "POST"])
@login_required
def add_update(action_id: int):
    """Record a progress update on behalf of the action's owner (say, from a phone call)."""
    action = services.get_action(current_user, action_id)
    if OWNER not in services.roles_on(current_user, action):
        services.ensure_manager(current_user, action, "record updates for owners")
    workflow = get_workflow(action.board.workflow)
    form = AddUpdateForm()
    form.transition.choices = [SelectChoice("", "No change")] + [
        SelectChoice(t.name, f"{t.label} (to {lower_first(workflow.states[t.target].label)})")
        for t in workflow.available(action.status, {OWNER})
    ]
    if form.validate_on_submit():
        author = action.owner or current_user
        try:
            update = action_updates.submit_update(
                current_user,
                action,
                narrative=form.narrative.data or "",
                progress=form.progress_number,
                rag=form.rag.data or None,
                transition=form.transition.data or None,
                comment=form.comment.data or "",
                evidence=form.evidence.data or "",
                proposed_due_on=form.proposed_due_on.data,
                channel="web",
                author=author,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except InvalidTransition as exc:
            db.session.rollback()
            form.transition.errors = [*form.transition.errors, exc.message]
        else:
            db.session.commit()
            waiting = (
                "It is waiting to be accepted."
                if update.state == "submitted"
                else "It has been applied to the action."
            )
            flash(f"Update recorded for {author.name}. {waiting}", "success")
            return redirect(action_page(action))
    return render_template("actions/add_update.html", form=form, action=action)
