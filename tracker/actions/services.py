"""Creating actions, assigning them, moving them through their workflow, and owners' updates.

Every function takes the acting person (None for the operator at the command line), checks what
they may do on the action's board, validates everything before changing anything, records an
event, and leaves committing to the caller.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tracker.actions.models import CHANNELS, Action, Update
from tracker.actions.rag import RAGS
from tracker.audit.models import Event
from tracker.audit.services import diff, record
from tracker.boards.models import Board
from tracker.common.errors import (
    InvalidTransition,
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
    OWNER,
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


def _check_due_on(value, field: str = "due_on") -> date | None:
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
        lambda: _check_due_on(due_on),
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
    _set_due_date(actor, action, due_on, reason.strip(), channel)
    return action


def _set_due_date(actor, action: Action, due_on: date, reason: str, channel: str) -> None:
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
    _apply_change(actor, action, change, channel)
    return action


def _apply_change(actor, action: Action, change, channel: str) -> None:
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


def submit_update(
    actor: Person | None,
    action: Action,
    *,
    narrative: str,
    progress: int | None = None,
    rag: str | None = None,
    transition: str | None = None,
    comment: str = "",
    evidence: str = "",
    proposed_due_on: date | None = None,
    channel: str = "web",
    author: Person | None = None,
) -> Update:
    """Record a progress report; applied at once where the board does not ask to accept it.

    A proposed new due date always waits for the secretary.
    """
    author = author or actor
    if actor is not None:
        ensure_action_visible(actor, action)
    roles = roles_on(actor, action)
    if not roles & (MANAGERS | {OWNER}):
        raise NotAllowed("Only the action's owner or the board's secretary can report progress.")
    if author is None:
        raise ValidationFailed({"author": "Say who is reporting this progress."})
    if channel not in CHANNELS:
        raise ValidationFailed({"channel": "Unknown channel."})
    problems = {}
    narrative = (narrative or "").strip()
    if not narrative:
        problems["narrative"] = "Describe what has happened since the last update."
    if progress is not None and not (isinstance(progress, int) and 0 <= progress <= 100):
        problems["progress"] = "Enter progress as a whole number from 0 to 100."
    if rag is not None and rag not in OWNER_RAGS:
        problems["rag"] = "Choose green (on track), amber (at risk) or red (off track)."
    if proposed_due_on is not None:
        try:
            _check_due_on(proposed_due_on, "proposed_due_on")
        except ValidationFailed as exc:
            problems.update(exc.fields)
        if not comment.strip():
            problems["comment"] = "Say why a new due date is needed."
    if transition:
        # Check now, so that the owner hears at once if the step is not open to them.
        try:
            fire(
                get_workflow(action.board.workflow),
                action.status,
                transition,
                roles | {OWNER},
                {"comment": comment, "evidence": evidence},
            )
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if problems:
        raise ValidationFailed(problems)
    update = Update(
        action=action,
        author=author,
        channel=channel,
        narrative=narrative,
        progress=progress,
        rag=rag,
        transition=transition or None,
        comment=comment.strip(),
        evidence=evidence.strip(),
        proposed_due_on=proposed_due_on,
        state="submitted",
    )
    db.session.add(update)
    db.session.flush()
    record(
        actor,
        channel,
        "update_submitted",
        update,
        board_id=action.board_id,
        action_id=action.id,
        comment=narrative,
    )
    if not action.board.updates_need_acceptance and proposed_due_on is None:
        _accept(actor, update, "", channel)
    return update


def get_update(person: Person | None, update_id: int) -> Update:
    update = db.session.get(Update, update_id)
    if update is None:
        raise NotFound("No such update.")
    if person is not None:
        ensure_action_visible(person, update.action)
    return update


def _check_submitted(update: Update) -> None:
    if update.state != "submitted":
        raise InvalidTransition(f"This update was already {update.state}; nothing was changed.")


def accept_update(
    actor: Person | None, update: Update, *, comment: str = "", channel: str = "web"
) -> Update:
    """Accept an owner's update: its progress, RAG, status change and due date apply."""
    ensure_manager(actor, update.action, "accept updates")
    _check_submitted(update)
    _accept(actor, update, comment.strip(), channel)
    return update


def _accept(actor, update: Update, comment: str, channel: str) -> None:
    action = update.action
    change = None
    if update.transition:
        # Fire as the owner and the secretary together: the owner asked, the secretary agrees.
        change = fire(
            get_workflow(action.board.workflow),
            action.status,
            update.transition,
            {OWNER, "secretary"},
            {"comment": update.comment, "evidence": update.evidence},
        )
    values = {"progress": update.progress, "owner_rag": update.rag}
    values = {k: v for k, v in values.items() if v is not None}
    changes = diff(action, values)
    for field, value in values.items():
        setattr(action, field, value)
    action.progress_reported_at = utcnow()
    update.state = "accepted"
    update.decided_by = actor
    update.decided_at = utcnow()
    update.decision_reason = comment
    flush(action)
    record(
        actor,
        channel,
        "update_accepted",
        update,
        changes=changes,
        comment=comment,
        board_id=action.board_id,
        action_id=action.id,
    )
    if change is not None:
        _apply_change(actor, action, change, channel)
    if update.proposed_due_on is not None:
        _set_due_date(actor, action, update.proposed_due_on, update.comment, channel)
    triggers.update_decided(actor, update)


def reject_update(
    actor: Person | None, update: Update, *, reason: str, channel: str = "web"
) -> Update:
    """Reject an owner's update with a reason; the action does not change."""
    ensure_manager(actor, update.action, "reject updates")
    _check_submitted(update)
    if not (reason or "").strip():
        raise ValidationFailed({"reason": "Say why the update is rejected; the owner will see it."})
    update.state = "rejected"
    update.decided_by = actor
    update.decided_at = utcnow()
    update.decision_reason = reason.strip()
    triggers.update_decided(actor, update)
    record(
        actor,
        channel,
        "update_rejected",
        update,
        comment=update.decision_reason,
        board_id=update.action.board_id,
        action_id=update.action_id,
    )
    return update


def history(person: Person | None, action: Action) -> list[Event]:
    """The action's audit trail, oldest first."""
    if person is not None:
        ensure_action_visible(person, action)
    return list(
        db.session.scalars(
            select(Event).where(Event.action_id == action.id).order_by(Event.occurred_at, Event.id)
        )
    )
