"""Creating actions, assigning them, and moving them through their workflow (owners' progress
updates are in updates.py).

Every function takes the acting person (None for the operator at the command line), checks what
they may do on the action's board, validates everything before changing anything, records an
event, and leaves committing to the caller.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tracker.actions.models import Action
from tracker.actions.rag import RAGS
from tracker.audit.models import Event
from tracker.audit.services import diff, record
from tracker.boards.models import Board
from tracker.common.errors import (
    NotAllowed,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify import triggers
from tracker.people.models import Organisation, Person
from tracker.people.services import get_or_create_organisation
from tracker.permissions import (
    MANAGERS,
    action_roles,
    ensure_action_visible,
    ensure_role,
)
from tracker.reviews.models import Recommendation
from tracker.workflow_registry import fire, get_workflow

EDITABLE = ("title", "description", "lead_organisation", "success_measure", "recommendation")
OWNER_RAGS = tuple(r for r in RAGS if r != "blue")
# States whose reason the dashboard shows beside the status.
REASONED_STATES = ("blocked", "cancelled")
OPERATOR_ROLES = frozenset({"secretary", "chair", "admin", "owner"})


def get_action(person: Person | None, action_id: int) -> Action:
    """An action the person may see; NotFound for missing and invisible ones alike."""
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound("No such action.")
    ensure_action_visible(person, action)
    return action


def roles_on(actor: Person | None, action: Action) -> frozenset[str]:
    """The actor's roles for this action; the command-line operator may do anything."""
    return OPERATOR_ROLES if actor is None else action_roles(actor, action)


def available_transitions(actor: Person | None, action: Action):
    return get_workflow(action.board.workflow).available(action.status, roles_on(actor, action))


def check_version(action: Action, expected_version: int | None) -> None:
    """Refuse a change made from a stale copy of the action (an old form, an old ETag)."""
    if expected_version is not None and expected_version != action.version:
        raise StaleVersion(
            f"Someone else changed {action.ref} since you opened it "
            f"(version {expected_version}, now {action.version}). Nothing was saved.",
            current_version=action.version,
        )


def flush(action: Action) -> None:
    """Flush now, so that a concurrent change shows up as StaleVersion here, not at commit."""
    ref = action.ref  # read now: after a failed flush the object cannot be loaded
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleVersion(
            f"Someone else changed {ref} at the same time. Nothing was saved."
        ) from exc


def ensure_manager(actor: Person | None, action: Action, doing: str) -> None:
    """Secretaries and admins manage actions; an owner who is not one is told so (403),
    and someone who cannot see the action at all is not told it exists (404)."""
    if actor is None:
        return
    roles = action_roles(actor, action)
    if not roles:
        raise NotFound("No such action.")
    if not roles & MANAGERS:
        raise NotAllowed(f"Only the board's secretary can {doing}.")


def check_due_on(value, field: str = "due_on") -> date | None:
    if value is not None and not isinstance(value, date):
        raise ValidationFailed({field: "Enter a real date, for example 2027-03-31."})
    return value


def _check_owner(owner: Person | None) -> Person | None:
    if owner is not None and not owner.is_active:
        raise ValidationFailed(
            {"owner": f"{owner.name} has been deactivated; choose someone else."}
        )
    return owner


def next_ref(board: Board) -> str:
    """The next free reference on the board, e.g. TSCP-07."""
    count = db.session.scalar(select(func.count(Action.id)).where(Action.board_id == board.id))
    n = count + 1
    while True:
        ref = f"{board.ref.upper()}-{n:02d}"
        if not db.session.scalar(
            select(Action.id).where(Action.board_id == board.id, Action.ref == ref)
        ):
            return ref
        n += 1


def _check_recommendation(recommendation: Recommendation | None, board: Board) -> None:
    if recommendation is not None and board not in recommendation.boards:
        raise ValidationFailed(
            {
                "recommendation": f"{board.name} has not adopted recommendation "
                f"{recommendation.ref}; adopt it first."
            }
        )


def create_action(
    actor: Person | None,
    board: Board,
    *,
    title: str,
    recommendation: Recommendation | None = None,
    ref: str | None = None,
    description: str = "",
    owner: Person | None = None,
    lead_organisation: str | Organisation | None = None,
    due_on: date | None = None,
    success_measure: str = "",
    channel: str = "web",
) -> Action:
    """Add an action to a board, in its workflow's first state."""
    _manager_on_board(actor, board, "add actions")
    problems = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = "Enter a short title that says what will be done."
    ref = (ref or "").strip().upper() or None
    if ref and db.session.scalar(
        select(Action.id).where(Action.board_id == board.id, Action.ref == ref)
    ):
        problems["ref"] = f"{board.name} already has an action {ref}."
    for check in (
        lambda: check_due_on(due_on),
        lambda: _check_owner(owner),
        lambda: _check_recommendation(recommendation, board),
    ):
        try:
            check()
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if problems:
        raise ValidationFailed(problems)
    if isinstance(lead_organisation, str) or lead_organisation is None:
        lead_organisation = get_or_create_organisation(lead_organisation)
    action = Action(
        board=board,
        recommendation=recommendation,
        ref=ref or next_ref(board),
        title=title,
        description=(description or "").strip(),
        owner=owner,
        lead_organisation=lead_organisation,
        due_on=due_on,
        original_due_on=due_on,
        status=get_workflow(board.workflow).initial,
        progress=0,
        success_measure=(success_measure or "").strip(),
    )
    db.session.add(action)
    db.session.flush()
    record(
        actor,
        channel,
        "created",
        action,
        board_id=board.id,
        action_id=action.id,
        changes={
            "ref": [None, action.ref],
            "title": [None, title],
            "status": [None, action.status],
            "owner": [None, owner.email if owner else None],
            "due_on": [None, due_on],
        },
    )
    return action


def _manager_on_board(actor: Person | None, board: Board, doing: str) -> None:
    if actor is not None:
        ensure_role(actor, board, MANAGERS, doing)


def edit_action(
    actor: Person | None,
    action: Action,
    *,
    expected_version: int | None = None,
    channel: str = "web",
    **values,
) -> Action:
    """Change an action's wording, lead organisation or recommendation."""
    ensure_manager(actor, action, "edit actions")
    check_version(action, expected_version)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({f: "This field cannot be changed here." for f in unknown})
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise ValidationFailed({"title": "Enter a short title that says what will be done."})
    if "recommendation" in values:
        _check_recommendation(values["recommendation"], action.board)
    if isinstance(values.get("lead_organisation"), str):
        values["lead_organisation"] = get_or_create_organisation(values["lead_organisation"])
    changes = diff(action, values)
    if not changes:
        return action
    for field, value in values.items():
        setattr(action, field, value)
    flush(action)
    record(
        actor,
        channel,
        "edited",
        action,
        changes=changes,
        board_id=action.board_id,
        action_id=action.id,
    )
    return action


def assign_owner(
    actor: Person | None,
    action: Action,
    owner: Person,
    *,
    comment: str = "",
    expected_version: int | None = None,
    channel: str = "web",
) -> Action:
    """Give the action to a new owner."""
    ensure_manager(actor, action, "assign owners")
    check_version(action, expected_version)
    _check_owner(owner)
    if action.owner_id == owner.id:
        return action
    previous = action.owner
    changes = {"owner": [previous.email if previous else None, owner.email]}
    action.owner = owner
    triggers.owner_assigned(actor, action, previous)
    flush(action)
    record(
        actor,
        channel,
        "owner_assigned",
        action,
        changes=changes,
        comment=comment.strip(),
        board_id=action.board_id,
        action_id=action.id,
    )
    return action


def change_due_date(
    actor: Person | None,
    action: Action,
    due_on: date,
    *,
    reason: str,
    expected_version: int | None = None,
    channel: str = "web",
) -> Action:
    """Move the due date, keeping the original and the reason."""
    ensure_manager(actor, action, "change due dates")
    check_version(action, expected_version)
    problems = {}
    if not isinstance(due_on, date):
        problems["due_on"] = "Enter the new due date, for example 2027-03-31."
    if not (reason or "").strip():
        problems["reason"] = "Say why the due date is changing; the board will see the reason."
    if problems:
        raise ValidationFailed(problems)
    set_due_date(actor, action, due_on, reason.strip(), channel)
    return action


def set_due_date(actor, action: Action, due_on: date, reason: str, channel: str) -> None:
    if action.due_on == due_on:
        return
    changes = {"due_on": [action.due_on, due_on]}
    if action.original_due_on is None:
        action.original_due_on = due_on
    action.due_on = due_on
    flush(action)
    record(
        actor,
        channel,
        "due_date_changed",
        action,
        changes=changes,
        comment=reason,
        board_id=action.board_id,
        action_id=action.id,
    )


def fire_transition(
    actor: Person | None,
    action: Action,
    transition: str,
    fields: dict | None = None,
    *,
    expected_version: int | None = None,
    channel: str = "web",
) -> Action:
    """Move the action to another state, if its workflow lets this person do so now."""
    if actor is not None:
        ensure_action_visible(actor, action)
    check_version(action, expected_version)
    change = fire(
        get_workflow(action.board.workflow),
        action.status,
        transition,
        roles_on(actor, action),
        fields,
    )
    apply_change(actor, action, change, channel)
    return action


def apply_change(actor, action: Action, change, channel: str) -> None:
    comment = change.fields.get("comment", "")
    changes = {"status": [action.status, change.target]}
    action.status = change.target
    action.status_changed_at = utcnow()
    # The reason shown beside a status belongs to that status only.
    action.status_reason = comment if change.target in REASONED_STATES else ""
    if change.target == "completed" and action.progress != 100:
        changes["progress"] = [action.progress, 100]
        action.progress = 100
    triggers.action_transitioned(actor, action, change)
    flush(action)
    evidence = change.fields.get("evidence", "")
    record(
        actor,
        channel,
        f"transition:{change.transition.name}",
        action,
        changes=changes,
        comment="\n\n".join(p for p in (comment, evidence and f"Evidence: {evidence}") if p),
        board_id=action.board_id,
        action_id=action.id,
    )


def history(person: Person | None, action: Action) -> list[Event]:
    """The action's audit trail, oldest first."""
    if person is not None:
        ensure_action_visible(person, action)
    return list(
        db.session.scalars(
            select(Event).where(Event.action_id == action.id).order_by(Event.occurred_at, Event.id)
        )
    )
