"""Update links: checking one before it is used, and emailing a fresh one.

A link works while its signature is good, it is younger than UPDATE_LINK_MAX_AGE_DAYS, the action
is open, the person it names still owns it and is active, and no newer link replaced it. Reading
a link changes nothing: mail scanners open every link before people do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from tracker.actions.models import Action, Update
from tracker.actions.services import ensure_manager, flush
from tracker.audit.services import record
from tracker.common.errors import InvalidTransition
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.links.tokens import (
    LinkProblem,
    read_update_link,
    update_link_action_id,
    update_link_max_days,
    update_link_url,
)
from tracker.notify import triggers
from tracker.notify.emails import secretary_of
from tracker.notify.models import OutboxMessage
from tracker.notify.outbox import enqueue
from tracker.people.models import Person
from tracker.web.templating import status_label

FINISHED = ("closed", "cancelled")
NEW_LINK_KIND = "update_link_resent"
# An old link's "send a new link" button may be pressed by anyone who has the link, over and
# over: the owner gets at most one new link per action in this time, whoever asks.
NEW_LINK_INTERVAL = timedelta(minutes=15)


@dataclass(frozen=True)
class OpenLink:
    """A link that works: the action, the owner it was sent to, and until when it works."""

    action: Action
    person: Person
    expires_at: datetime | None


def open_update_link(token: str) -> OpenLink:
    """The action and owner a working link names; LinkProblem saying why it does not work.

    Reasons: "invalid" (tampered or cut short), "expired", or "revoked" with a ``detail`` of
    "finished" (closed or cancelled), "reassigned", "inactive" or "replaced" (a newer link).
    """
    link = read_update_link(token)  # raises "invalid" or "expired"
    action = db.session.get(Action, link.action_id)
    if action is None:
        raise LinkProblem("revoked", "missing")
    if action.status in FINISHED:
        raise LinkProblem("revoked", "finished", action.id)
    if action.owner_id != link.person_id:
        raise LinkProblem("revoked", "reassigned", action.id)
    person = action.owner
    if person is None or not person.is_active:
        raise LinkProblem("revoked", "inactive", action.id)
    if action.link_version != link.link_version:
        raise LinkProblem("revoked", "replaced", action.id)
    expires_at = link.signed_at + timedelta(days=update_link_max_days()) if link.signed_at else None
    return OpenLink(action, person, expires_at)


def naming_its_action(problem: LinkProblem, token: str) -> LinkProblem:
    """The problem with the action its link names filled in where the signature is good: an
    expired link still says which action it was for, so that its owner can get a new one."""
    if problem.action_id is None and problem.reason == "expired":
        problem.action_id = update_link_action_id(token)
    return problem


def latest_accepted_update(action: Action) -> Update | None:
    return db.session.scalar(
        select(Update)
        .where(Update.action_id == action.id, Update.state == "accepted")
        .order_by(Update.decided_at.desc(), Update.id.desc())
        .limit(1)
    )


def waiting_updates(action: Action) -> list[Update]:
    """Updates sent and not yet decided, oldest first."""
    return list(
        db.session.scalars(
            select(Update)
            .where(Update.action_id == action.id, Update.state == "submitted")
            .order_by(Update.created_at, Update.id)
        )
    )


def can_have_link(action: Action) -> bool:
    """An open action whose owner is active: someone a link can be sent to."""
    return action.status not in FINISHED and action.owner is not None and action.owner.is_active


def resend_link(actor: Person | None, action: Action, *, channel: str = "web") -> Person:
    """Revoke every link sent for the action and email its owner a fresh one (secretaries)."""
    ensure_manager(actor, action, "send owners new links")
    if not can_have_link(action):
        if action.status in FINISHED:
            raise InvalidTransition(f"{action.ref} is finished: there is nothing to report.")
        raise InvalidTransition(f"{action.ref} has no active owner to send a link to.")
    triggers.revoke_links(action)
    flush(action)
    email_new_link(action, asked_by_owner=False)
    record(
        actor,
        channel,
        "update_link_resent",
        action,
        comment=f"A new link was emailed to {action.owner.email}; earlier links stopped working.",
        board_id=action.board_id,
        action_id=action.id,
    )
    return action.owner


def send_new_link_on_request(token: str) -> None:
    """Email a working link to the action's current owner, if the token names an open action.

    Whoever asks, only the current owner is emailed, and nothing is revoked or changed: the
    person who pressed the button learns nothing about the action from what happens.
    """
    action_id = update_link_action_id(token)
    if action_id is None:
        return
    action = db.session.get(Action, action_id)
    if action is None or not can_have_link(action) or _recently_sent(action):
        return
    email_new_link(action, asked_by_owner=True)


def _recently_sent(action: Action) -> bool:
    since = utcnow() - NEW_LINK_INTERVAL
    return (
        db.session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.action_id == action.id,
                OutboxMessage.kind == NEW_LINK_KIND,
                OutboxMessage.to_person_id == action.owner_id,
                OutboxMessage.created_at >= since,
            )
            .limit(1)
        )
        is not None
    )


def email_new_link(action: Action, *, asked_by_owner: bool) -> None:
    """Put a link email to the action's owner in the outbox (sent after commit)."""
    owner, board = action.owner, action.board
    due = f" by {action.due_on.day} {action.due_on:%B}" if action.due_on else ""
    enqueue(
        NEW_LINK_KIND,
        to_person=owner,
        subject=f"New link to update {action.ref}{due}",
        template="update_link_resent",
        context={
            "person": owner,
            "action": action,
            "board": board,
            "recommendation": action.recommendation,
            "status": status_label(action.status, board.workflow),
            "link": update_link_url(action),
            "link_days": update_link_max_days(),
            "contact": secretary_of(board),
            "asked_by_owner": asked_by_owner,
        },
        action=action,
    )
