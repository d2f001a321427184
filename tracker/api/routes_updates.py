"""Owners' progress reports, and the secretary accepting or rejecting them."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.actions import services as actions
from tracker.actions import updates as action_updates
from tracker.actions.models import Action, Update
from tracker.api import bp, inputs, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import answer, load_body
from tracker.api.spec import operation
from tracker.api.views import dump_update
from tracker.common.errors import ValidationFailed
from tracker.extensions import db
from tracker.workflow_registry import get_workflow


def check_step_exists(action: Action, name: str, field: str = "transition") -> None:
    """A step an update asks for that the workflow lacks is a mistake in a field (422)."""
    workflow = get_workflow(action.board.workflow)
    if name not in workflow.transitions:
        raise ValidationFailed(
            {
                field: f"There is no step {name!r} in the {workflow.title.lower()}; "
                f"the steps are {', '.join(workflow.transitions)}."
            }
        )


@bp.get("/actions/<int:action_id>/updates")
@operation(
    "An action's updates",
    tag="updates",
    description="Every progress report on the action, oldest first, whatever its state.",
    response=schemas.UpdateListSchema,
)
def list_updates(action_id: int):
    action = actions.get_action(current_person(), action_id)
    updates = db.session.scalars(
        select(Update)
        .where(Update.action_id == action.id)
        .options(selectinload(Update.author), selectinload(Update.decided_by))
        .order_by(Update.created_at, Update.id)
    )
    return answer({"items": schemas.UpdateSchema(many=True).dump(updates)})


@bp.post("/actions/<int:action_id>/updates")
@operation(
    "Report progress on an action",
    tag="updates",
    description="For the action's owner or the board's secretary. Where the board accepts "
    "updates before they count, the update waits in state submitted; otherwise it applies at "
    "once (a proposed new due date always waits for the secretary).",
    body=inputs.UpdateSubmitSchema,
    response=schemas.UpdateSchema,
    status=201,
    response_description="Created.",
    response_headers=("Location",),
    errors=(403, 409),
)
def submit_update(action_id: int):
    person = current_person()
    action = actions.get_action(person, action_id)
    data = load_body(inputs.UpdateSubmitSchema)
    if data.get("transition"):
        check_step_exists(action, data["transition"])
    update = action_updates.submit_update(person, action, channel="api", **data)
    db.session.commit()
    return answer(
        dump_update(update),
        201,
        location=url_for("api.get_update", update_id=update.id, _external=True),
    )


@bp.get("/updates/<int:update_id>")
@operation("Get an update", tag="updates", response=schemas.UpdateSchema)
def get_update(update_id: int):
    return answer(dump_update(action_updates.get_update(current_person(), update_id)))


@bp.post("/updates/<int:update_id>/accept")
@operation(
    "Accept an update",
    tag="updates",
    description="For the board's secretary. The update's progress, RAG, status change and "
    "new due date apply to the action. An update already decided answers 422.",
    body=inputs.UpdateAcceptSchema,
    response=schemas.UpdateSchema,
    errors=(403, 409),
)
def accept_update(update_id: int):
    person = current_person()
    update = action_updates.get_update(person, update_id)
    actions.ensure_manager(person, update.action, "accept updates")
    data = load_body(inputs.UpdateAcceptSchema)
    action_updates.accept_update(person, update, comment=data["comment"], channel="api")
    db.session.commit()
    return answer(dump_update(update))


@bp.post("/updates/<int:update_id>/reject")
@operation(
    "Reject an update",
    tag="updates",
    description="For the board's secretary, with the reason the owner will see. The action "
    "does not change.",
    body=inputs.UpdateRejectSchema,
    response=schemas.UpdateSchema,
    errors=(403,),
)
def reject_update(update_id: int):
    person = current_person()
    update = action_updates.get_update(person, update_id)
    actions.ensure_manager(person, update.action, "reject updates")
    data = load_body(inputs.UpdateRejectSchema)
    action_updates.reject_update(person, update, reason=data["reason"], channel="api")
    db.session.commit()
    return answer(dump_update(update))
