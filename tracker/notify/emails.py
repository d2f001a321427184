"""Composing the emails about actions and putting them in the outbox.

Each function is called by tracker.notify.triggers inside the service's transaction; the link
in an email is made now, after the trigger revoked earlier links where it had to.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.boards.models import Membership
from tracker.extensions import db
from tracker.links.tokens import update_link_max_days, update_link_url
from tracker.notify.outbox import enqueue, one_line
from tracker.people.models import Person
from tracker.web.templating import status_label

# Subjects quote titles and reasons; past this length they are cut with an ellipsis.
SUBJECT_QUOTE = 80


def assignment(actor, action) -> None:
    """Tell the owner an action is theirs, with their update link."""
    _to_owner(
        "assignment",
        action,
        f"You own action {action.ref}: {one_line(action.title, SUBJECT_QUOTE)}",
        actor,
        link=True,
    )


def signed_off(actor, action) -> None:
    """Tell the owner their action was signed off and closed."""
    _to_owner("signed_off", action, f"{action.ref} was signed off", actor, link=False)


def sent_back(actor, action, reason: str) -> None:
    """Tell the owner sign-off was refused, why, with a fresh link."""
    subject = f"{action.ref} was sent back"
    if reason.strip():
        subject += f": {one_line(reason, SUBJECT_QUOTE)}"
    _to_owner("sent_back", action, subject, actor, link=True, reason=reason.strip())


def update_accepted(actor, update) -> None:
    """Tell the owner their update was accepted."""
    _about_update("update_accepted", update, "was accepted", actor)


def update_rejected(actor, update) -> None:
    """Tell the owner their update was rejected, why, with a fresh link."""
    _about_update("update_rejected", update, "needs changes", actor)


def _to_owner(kind: str, action, subject: str, actor, *, link: bool, **extra) -> None:
    owner = action.owner
    if owner is None:
        return
    context = _context(action, owner, actor, link=link, **extra)
    enqueue(kind, to_person=owner, subject=subject, template=kind, context=context, action=action)


def _about_update(kind: str, update, outcome: str, actor) -> None:
    """To the update's author; with a link only if they still own the action (a link names
    the owner, and must never reach anyone else)."""
    action, author = update.action, update.author
    is_owner = action.owner is not None and action.owner.id == author.id
    context = _context(action, author, actor, link=is_owner and not _finished(action))
    context.update(update=update, reason=update.decision_reason)
    subject = f"Your update on {action.ref} {outcome}"
    enqueue(kind, to_person=author, subject=subject, template=kind, context=context, action=action)


def _context(action, person, actor, *, link: bool, **extra) -> dict:
    board = action.board
    return {
        "person": person,
        "action": action,
        "board": board,
        "recommendation": action.recommendation,
        # Who did it, in the words of the email: a person, or the board for the command line.
        "actor": actor,
        "who": actor.name if actor is not None else board.name,
        "status": status_label(action.status, board.workflow),
        "link": _update_link(action) if link else None,
        "link_days": update_link_max_days(),
        "contact": secretary_of(board),
        **extra,
    }


def secretary_of(board):
    """The person owners should ask about the board's actions: its longest-serving secretary."""
    return db.session.scalar(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.board_id == board.id, Membership.role == "secretary")
        .where(Person.is_active.is_(True))
        .order_by(Membership.id)
        .limit(1)
    )


def _update_link(action) -> str:
    return update_link_url(action)


def _finished(action) -> bool:
    return action.status in ("closed", "cancelled")
