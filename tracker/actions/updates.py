"""Owners' progress updates: submitted by the owner (from the web, the API or an email link),
then accepted or rejected by the board's secretary, or applied at once where the board does not
ask to accept them.

Like services.py: each function takes the acting person, checks what they may do, validates
before changing anything, records an event, and leaves committing to the caller.
"""

from __future__ import annotations

from datetime import date

from tracker.actions.models import CHANNELS, Action, Update
from tracker.actions.services import (
    OWNER_RAGS,
    apply_change,
    check_due_on,
    ensure_manager,
    flush,
    roles_on,
    set_due_date,
)
from tracker.audit.services import diff, record
from tracker.common.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify import triggers
from tracker.people.models import Person
from tracker.permissions import MANAGERS, OWNER, ensure_action_visible
from tracker.workflow_registry import fire, get_workflow


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
            check_due_on(proposed_due_on, "proposed_due_on")
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
        apply_change(actor, action, change, channel)
    if update.proposed_due_on is not None:
        set_due_date(actor, action, update.proposed_due_on, update.comment, channel)
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
