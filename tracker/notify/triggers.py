"""The moments a change to an action means an email (and, for links, a revocation).

Service functions call these inside their transaction; each only writes rows (outbox messages,
a new link version), so that the email and the change are committed or rolled back together.
"""

from __future__ import annotations

from tracker.notify import emails

# Leaving draft is the moment the owner is first asked to act.
DRAFT = "draft"


def owner_assigned(actor, action, previous_owner) -> None:
    """A new owner: links sent to the previous one stop working; the new one is told, unless
    the action is still a draft (they hear when it opens) or already finished."""
    revoke_links(action)
    if action.status != DRAFT and not _finished(action):
        emails.assignment(actor, action)


def action_transitioned(actor, action, change) -> None:
    """After a workflow step: the owner hears when the action opens, is signed off, or is sent
    back; a finished action's links stop working."""
    if change.source == DRAFT and action.owner is not None:
        emails.assignment(actor, action)
    if change.transition.name == "close":
        emails.signed_off(actor, action)
    elif change.transition.name == "send_back":
        emails.sent_back(actor, action, change.fields.get("comment", ""))
    if _finished(action):
        revoke_links(action)


def update_decided(actor, update) -> None:
    """The owner hears whether their update was accepted or rejected by the secretary (not
    when it applied at once, on a board that does not ask to accept updates)."""
    if update.decided_by is not None and update.decided_by == update.author:
        return
    if update.state == "accepted":
        emails.update_accepted(actor, update)
    elif update.state == "rejected":
        emails.update_rejected(actor, update)


def revoke_links(action) -> None:
    """Every update link sent for this action before now stops working."""
    action.link_version = (action.link_version or 1) + 1


def _finished(action) -> bool:
    return action.status in ("closed", "cancelled")
