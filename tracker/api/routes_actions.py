"""Actions: the filtered list, creating, reading, changing, and the history of one."""

from __future__ import annotations

from flask import current_app, request, url_for

from tracker.actions import services as actions
from tracker.actions.queries import list_actions as query_actions
from tracker.api import bp, inputs, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import (
    answer,
    expected_version,
    fields_renamed,
    json_body,
    load_body,
    load_query,
)
from tracker.api.spec import operation
from tracker.api.views import action_row_views, dump_action
from tracker.boards import services as boards
from tracker.common.errors import NotFound, ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import find_person_by_email
from tracker.reviews import services as reviews

EDITED = ("title", "description", "lead_organisation", "success_measure")


@bp.get("/actions")
@operation(
    "List the actions you can see",
    tag="actions",
    description="Actions on your boards, and those you own on other boards, matching every "
    "filter given, one page at a time. Follow links.next until it is null to read them all.",
    query=inputs.ActionFiltersSchema,
    response=schemas.ActionPageSchema,
    response_headers=("Link",),
)
def list_actions():
    args = load_query(inputs.ActionFiltersSchema)
    per_page = args.pop("per_page", None) or current_app.config["API_PAGE_SIZE"]
    sort, page = args.pop("sort"), args.pop("page")
    result = query_actions(
        current_person(), args, today=london_today(), sort=sort, page=page, per_page=per_page
    )
    links = {
        "next": _page_url(page + 1) if result.has_next else None,
        "prev": _page_url(min(page - 1, _last_page(result))) if result.has_prev else None,
    }
    body = {
        "items": action_row_views(result.rows),  # dumped by ActionPageSchema
        "page": page,
        "per_page": per_page,
        "total": result.total,
        "links": links,
    }
    response = answer(schemas.ActionPageSchema().dump(body))
    link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    if link_header:
        response.headers["Link"] = link_header
    return response


def _last_page(result) -> int:
    return max(1, -(-result.total // result.per_page))


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("api.list_actions", _external=True, **args)


@bp.post("/actions")
@operation(
    "Add an action to a board",
    tag="actions",
    description="For the board's secretary (or an admin). The action starts in the first "
    "state of the board's workflow; owner_id or owner_email names someone already in Assure.",
    body=inputs.ActionCreateSchema,
    response=schemas.ActionSchema,
    status=201,
    response_description="Created.",
    response_headers=("ETag", "Location"),
    errors=(403,),
)
def create_action():
    person = current_person()
    data = load_body(inputs.ActionCreateSchema)
    board = _board_for_new_action(person, data.pop("board_id"))
    values, owner_field = _references(data)
    with fields_renamed({"owner": owner_field, "recommendation": "recommendation_id"}):
        action = actions.create_action(person, board, channel="api", **values)
    db.session.commit()
    return answer(
        dump_action(action, london_today()),
        201,
        action=action,
        location=url_for("api.get_action", action_id=action.id, _external=True),
    )


def _board_for_new_action(person: Person, board_id: int):
    try:
        return boards.get_board(person, board_id=board_id)
    except NotFound:
        # The board is a field of the body, not the resource asked for: 422, naming it.
        raise ValidationFailed({"board_id": "No such board among those you can see."}) from None


def _references(data: dict) -> tuple[dict, str]:
    """Replace ids and emails in ``data`` with the people and recommendation they name."""
    values = dict(data)
    owner_field = "owner_email" if "owner_email" in values else "owner_id"
    problems = {}
    owner_id, owner_email = values.pop("owner_id", None), values.pop("owner_email", None)
    if owner_id is not None:
        values["owner"] = db.session.get(Person, owner_id)
        if values["owner"] is None:
            problems["owner_id"] = f"No one in Assure has the id {owner_id}."
    elif owner_email is not None:
        values["owner"] = find_person_by_email(owner_email)
        if values["owner"] is None:
            problems["owner_email"] = (
                f"No one in Assure has the email {owner_email}; ask an admin to add them."
            )
    if "recommendation_id" in values:
        rec_id = values.pop("recommendation_id")
        try:
            values["recommendation"] = reviews.get_recommendation(rec_id) if rec_id else None
        except NotFound:
            problems["recommendation_id"] = f"There is no recommendation {rec_id}."
    if problems:
        raise ValidationFailed(problems)
    return values, owner_field


@bp.get("/actions/<int:action_id>")
@operation(
    "Get an action",
    tag="actions",
    description='The ETag header is the action\'s version in quotes, e.g. "3"; send it back '
    "in If-Match to change the action.",
    response=schemas.ActionSchema,
    response_headers=("ETag",),
)
def get_action(action_id: int):
    action = actions.get_action(current_person(), action_id)
    return answer(dump_action(action, london_today()), action=action)


@bp.patch("/actions/<int:action_id>")
@operation(
    "Change an action",
    tag="actions",
    description="For the board's secretary (or an admin). Needs If-Match with the ETag you "
    "read. Give only the fields to change: wording, lead organisation and recommendation; "
    "owner (owner_id or owner_email); due date (due_on with due_date_reason). All the changes "
    "are made, or none.",
    body=inputs.ActionPatchSchema,
    response=schemas.ActionSchema,
    response_headers=("ETag",),
    if_match="required",
    errors=(403,),
)
def patch_action(action_id: int):
    person = current_person()
    action = actions.get_action(person, action_id)
    actions.ensure_manager(person, action, "change actions")
    version = expected_version(action, required=True)
    # A malformed body (400), then a stale If-Match (412), then what the fields say (422).
    body = json_body()
    actions.check_version(action, version)
    data = load_body(inputs.ActionPatchSchema, body)
    values, owner_field = _references(data)
    renamed = {
        "owner": owner_field,
        "recommendation": "recommendation_id",
        "reason": "due_date_reason",
    }
    with fields_renamed(renamed):
        edits = {k: values[k] for k in (*EDITED, "recommendation") if k in values}
        if edits:
            actions.edit_action(person, action, channel="api", **edits)
        if "owner" in values:
            actions.assign_owner(person, action, values["owner"], channel="api")
        if "due_on" in values:
            actions.change_due_date(
                person, action, values["due_on"], reason=values["due_date_reason"], channel="api"
            )
    db.session.commit()
    return answer(dump_action(action, london_today()), action=action)


@bp.get("/actions/<int:action_id>/history")
@operation(
    "An action's history",
    tag="actions",
    description="Every recorded change to the action and its updates, oldest first.",
    response=schemas.EventListSchema,
)
def action_history(action_id: int):
    person = current_person()
    events = actions.history(person, actions.get_action(person, action_id))
    return answer({"items": schemas.EventSchema(many=True).dump(events)})
