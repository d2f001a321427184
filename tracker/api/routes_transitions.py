"""Moving an action through its board's workflow."""

from __future__ import annotations

from tracker.actions import services as actions
from tracker.api import bp, inputs, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import answer, expected_version, load_body
from tracker.api.spec import operation
from tracker.api.views import dump_action
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.workflow_registry import get_workflow


@bp.get("/actions/<int:action_id>/transitions")
@operation(
    "The steps you may take now",
    tag="workflow",
    description="The transitions of the action's workflow that you may fire from its current "
    "state, with the fields each requires.",
    response=schemas.TransitionListSchema,
)
def list_transitions(action_id: int):
    person = current_person()
    action = actions.get_action(person, action_id)
    workflow = get_workflow(action.board.workflow)
    items = [
        {
            "name": t.name,
            "label": t.label,
            "target": t.target,
            "target_label": workflow.states[t.target].label,
            "requires": list(t.requires),
            "description": t.description,
        }
        for t in actions.available_transitions(person, action)
    ]
    return answer({"items": schemas.TransitionSchema(many=True).dump(items)})


@bp.post("/actions/<int:action_id>/transitions")
@operation(
    "Take a step in the workflow",
    tag="workflow",
    description='Fire a transition, e.g. {"transition": "block", "comment": "..."}. '
    "403 when your role may not take it, 409 when the workflow has no such step or the "
    "action's state does not allow it, 422 when a field it requires is missing. If-Match is "
    "honoured when sent.",
    body=inputs.TransitionRequestSchema,
    response=schemas.ActionSchema,
    response_headers=("ETag",),
    if_match="optional",
    errors=(403, 409),
)
def fire_transition(action_id: int):
    person = current_person()
    action = actions.get_action(person, action_id)
    version = expected_version(action, required=False)
    data = load_body(inputs.TransitionRequestSchema)
    name = data.pop("transition").strip()
    actions.fire_transition(person, action, name, data, expected_version=version, channel="api")
    db.session.commit()
    return answer(dump_action(action, london_today()), action=action)
