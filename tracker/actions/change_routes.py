"""Action pages that change something: create, edit, reassign, due dates (transitions and
updates are in change_workflow.py).

Each POST validates its form, calls the area's services as the signed-in person with channel
"web", commits once and redirects with a message. ValidationFailed re-renders the form with what
was typed; StaleVersion re-renders it with what someone else changed; NotFound and NotAllowed
become the 404 and 403 pages (tracker/web/errors.py).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.actions import services
from tracker.actions.change_support import (
    action_page,
    chosen_lead_organisation,
    chosen_recommendation,
    organisation_choices,
    people_choices,
    recommendation_and_actions,
    recommendation_choices,
    resolve_owner,
    stamp,
    start_again,
)
from tracker.actions.forms import (
    OWNER_EXISTING,
    CreateActionForm,
    DueDateForm,
    EditActionForm,
    ReassignForm,
)
from tracker.actions.models import Action
from tracker.actions.routes import bp
from tracker.boards.models import Board
from tracker.boards.services import get_board
from tracker.common.errors import InvalidTransition, StaleVersion, ValidationFailed
from tracker.extensions import db
from tracker.permissions import MANAGERS, board_roles, ensure_role
from tracker.web.forms import apply_errors
from tracker.web.templating import format_date
from tracker.workflow_registry import get_workflow

NO_RECOMMENDATION = "Not from a recommendation"
OPEN = "open"


@bp.route("/boards/<ref>/actions/new", methods=["GET", "POST"])
@login_required
def create(ref: str):
    """Turn a recommendation into an action (or, pressing the second button, several)."""
    board = get_board(current_user, ref=ref)
    ensure_role(current_user, board, MANAGERS, "add actions")
    form = CreateActionForm()
    form.recommendation.choices = recommendation_choices(board, NO_RECOMMENDATION)
    form.owner_id.choices = people_choices()
    form.lead_organisation.choices = organisation_choices()
    if not _can_open_now(board):
        del form.open_now  # a posted "open_now" then does nothing
    if not form.is_submitted():
        asked = request.args.get("recommendation", "")
        if any(choice.value == asked for choice in form.recommendation.choices):
            form.recommendation.data = asked
    elif form.validate():
        action, note = _create(form, board)
        if action is not None:
            return _after_create(form, action, note)
    recommendation, siblings = recommendation_and_actions(board, form.recommendation.data)
    return render_template(
        "actions/create.html",
        form=form,
        board=board,
        recommendation=recommendation,
        siblings=siblings,
    )


def _can_open_now(board: Board) -> bool:
    """Whether this person may open an action straight away on this board's workflow."""
    workflow = get_workflow(board.workflow)
    return any(
        t.name == OPEN and not t.requires
        for t in workflow.available(workflow.initial, board_roles(current_user, board))
    )


def _create(form: CreateActionForm, board: Board) -> tuple[Action | None, str]:
    """Add the owner if new, the action, and open it if asked: one transaction, all or nothing."""
    problems: dict[str, str] = {}
    recommendation = owner = None
    note = ""
    try:
        recommendation = chosen_recommendation(form.recommendation, board)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    try:
        owner, note = resolve_owner(form, current_user)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    try:
        if problems:
            raise ValidationFailed(problems)
        action = services.create_action(
            current_user,
            board,
            title=form.title.data,
            recommendation=recommendation,
            description=form.description.data or "",
            owner=owner,
            lead_organisation=chosen_lead_organisation(form),
            due_on=form.due_on.data,
            success_measure=form.success_measure.data or "",
            channel="web",
        )
        if form.open_now and form.open_now.data:
            services.fire_transition(current_user, action, OPEN, channel="web")
    except ValidationFailed as exc:
        db.session.rollback()
        apply_errors(form, exc, form.owner_field_map())
        return None, ""
    except InvalidTransition as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return None, ""
    db.session.commit()
    return action, note


def _after_create(form: CreateActionForm, action: Action, note: str):
    opened = " It is open for work." if action.status == OPEN else ""
    message = f"Action {action.ref} added.{opened}"
    if note:
        message += f" {note}"
    if form.save_and_add.data:
        recommendation = action.recommendation
        if recommendation is not None:
            message += f" Add another action for recommendation {recommendation.ref}."
        flash(message, "success")
        return redirect(
            url_for(
                "actions.create",
                ref=action.board.ref,
                recommendation=recommendation.id if recommendation else None,
            )
        )
    flash(message, "success")
    return redirect(action_page(action))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int):
    """Change an action's wording, lead organisation and recommendation."""
    action = services.get_action(current_user, action_id)
    services.ensure_manager(current_user, action, "edit actions")
    form = EditActionForm()
    form.recommendation.choices = recommendation_choices(action.board, NO_RECOMMENDATION)
    form.lead_organisation.choices = organisation_choices()
    conflict = None
    if not form.is_submitted():
        form.recommendation.data = str(action.recommendation_id or "")
        form.title.data = action.title
        form.description.data = action.description
        form.lead_organisation.data = (
            action.lead_organisation.name if action.lead_organisation else ""
        )
        form.success_measure.data = action.success_measure
        stamp(form, action)
    elif form.validate():
        version = action.version
        try:
            services.edit_action(
                current_user,
                action,
                expected_version=form.int_or_none(form.version),
                channel="web",
                title=form.title.data,
                description=form.description.data or "",
                lead_organisation=chosen_lead_organisation(form),
                success_measure=form.success_measure.data or "",
                recommendation=chosen_recommendation(form.recommendation, action.board),
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except StaleVersion:
            conflict = start_again(form, action)
        else:
            db.session.commit()
            changed = action.version != version
            flash(
                f"{action.ref} saved."
                if changed
                else f"Nothing to save: {action.ref} is as it was.",
                "success",
            )
            return redirect(action_page(action))
    return _render("actions/edit.html", form, action, conflict)


@bp.route("/actions/<int:action_id>/owner", methods=["GET", "POST"])
@login_required
def reassign(action_id: int):
    """Give the action to someone else, chosen from people or added on the spot."""
    action = services.get_action(current_user, action_id)
    services.ensure_manager(current_user, action, "assign owners")
    form = ReassignForm()
    form.owner_id.choices = people_choices()
    conflict = None
    if not form.is_submitted():
        form.owner_choice.data = OWNER_EXISTING
        form.owner_id.data = str(action.owner_id or "")
        stamp(form, action)
    elif form.validate():
        previous = action.owner_id
        try:
            owner, note = resolve_owner(form, current_user)
            services.assign_owner(
                current_user,
                action,
                owner,
                comment=form.comment.data or "",
                expected_version=form.int_or_none(form.version),
                channel="web",
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc, form.owner_field_map())
        except StaleVersion:
            conflict = start_again(form, action)
        else:
            db.session.commit()
            if owner.id == previous:
                message = f"{owner.name} already owns {action.ref}; nothing changed."
            else:
                message = f"{owner.name} now owns {action.ref}. {note}".strip()
            flash(message, "success")
            return redirect(action_page(action))
    return _render("actions/reassign.html", form, action, conflict)


@bp.route("/actions/<int:action_id>/due-date", methods=["GET", "POST"])
@login_required
def due_date(action_id: int):
    """Move the due date, with a reason; the original date stays on record."""
    action = services.get_action(current_user, action_id)
    services.ensure_manager(current_user, action, "change due dates")
    form = DueDateForm()
    conflict = None
    if not form.is_submitted():
        form.due_on.data = action.due_on
        stamp(form, action)
    elif form.validate():
        try:
            if form.due_on.data == action.due_on:
                raise ValidationFailed(
                    {"due_on": "New due date must be different from the current due date"}
                )
            services.change_due_date(
                current_user,
                action,
                form.due_on.data,
                reason=form.reason.data,
                expected_version=form.int_or_none(form.version),
                channel="web",
            )
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except StaleVersion:
            conflict = start_again(form, action)
        else:
            db.session.commit()
            flash(f"{action.ref} is now due on {format_date(action.due_on)}.", "success")
            return redirect(action_page(action))
    return _render("actions/due_date.html", form, action, conflict)


def _render(template: str, form, action: Action, conflict):
    return (
        render_template(template, form=form, action=action, conflict=conflict),
        409 if conflict is not None else 200,
    )


from tracker.actions import change_workflow  # noqa: E402,F401  (its routes join the blueprint)
