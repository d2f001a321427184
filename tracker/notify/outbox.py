"""Putting emails in the outbox, and what admins do with them (see them, retry them).

``enqueue`` only adds a row to the session: the email is committed, or rolled back, with the
change that caused it, and leaves only through ``tracker.notify.delivery``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import case, func, insert, select, true, update

from tracker.actions.models import Action
from tracker.audit.services import record
from tracker.boards.models import Membership
from tracker.common.errors import NotAllowed, NotFound
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from tracker.permissions import SECRETARY, can_manage_some_board

DEFAULT_DOMAIN = "assure.local"
# The outbox page's tabs: what each shows, and in what order.
VIEWS = {
    "waiting": (PENDING, SENDING),
    "sent": (SENT,),
    "failed": (FAILED,),
}
RETRYABLE = (PENDING, FAILED)


def enqueue(
    kind: str,
    *,
    to_person=None,
    to_address: str | None = None,
    subject: str,
    template: str,
    context: dict,
    action=None,
) -> OutboxMessage | None:
    """Write an email to the outbox, due now; None (nothing written) for a deactivated person.

    ``template`` names ``templates/email/<template>.txt`` and ``.html``, rendered with
    ``context`` plus ``recipient`` (the person, or None), ``subject`` and ``service_name``.
    The address is the person's unless ``to_address`` is given.
    """
    values = message_values(
        kind,
        to_person=to_person,
        to_address=to_address,
        subject=subject,
        template=template,
        context=context,
        action_id=action.id if action is not None else None,
    )
    if values is None:
        return None
    message = OutboxMessage(**values)
    db.session.add(message)
    return message


def message_values(
    kind: str,
    *,
    to_person=None,
    to_address: str | None = None,
    subject: str,
    template: str,
    context: dict,
    action_id: int | None = None,
) -> dict | None:
    """The columns of one outbox row, rendered (see ``enqueue``); None for a deactivated
    person."""
    if to_person is not None and not to_person.is_active:
        return None
    address = to_address or (to_person.email if to_person is not None else None)
    if not address:
        raise ValueError("an email needs a recipient: give to_person or to_address")
    subject = one_line(subject, 300)
    values = {"recipient": to_person, "subject": subject, "service_name": "Assure", **context}
    now = utcnow()
    return {
        "message_id": make_message_id(),
        "kind": kind,
        "to_address": address,
        "to_person_id": to_person.id if to_person is not None else None,
        "action_id": action_id,
        "subject": subject,
        "body_text": tidy_text(render(f"email/{template}.txt", values)),
        "body_html": render(f"email/{template}.html", values),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }


def enqueue_many(rows: list[dict]) -> dict[str, int]:
    """Write many rendered rows (from ``message_values``) in one multi-row INSERT, for the
    reminder sweep's thousands of emails; their ids by Message-ID."""
    if not rows:
        return {}
    result = db.session.execute(
        insert(OutboxMessage).returning(OutboxMessage.message_id, OutboxMessage.id), rows
    )
    return {message_id: id_ for message_id, id_ in result}


def render(name: str, values: dict) -> str:
    """A template rendered without the request's context processors (there may be no request:
    emails are also written from the command line)."""
    return current_app.jinja_env.get_template(name).render(values)


def tidy_text(text: str) -> str:
    """A plain text email without the blank lines and trailing spaces its template's tags
    leave behind: paragraphs separated by exactly one blank line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def make_message_id() -> str:
    """``<uuid@domain>``, with the domain of MAIL_DEFAULT_SENDER, fixed before the first try."""
    _, sender = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
    domain = sender.rpartition("@")[2].strip() or DEFAULT_DOMAIN
    return f"<{uuid.uuid4().hex}@{domain}>"


def one_line(text: str, limit: int) -> str:
    """Text fit for a header: one line, at most ``limit`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Admin pages


@dataclass(frozen=True)
class MessagePage:
    messages: list[OutboxMessage]
    total: int
    page: int
    pages: int


def _ensure_admin(person) -> None:
    if person is not None and not person.is_admin:
        raise NotAllowed("Only admins can see and retry emails.")


def counts(person) -> dict[str, int]:
    """How many messages each outbox tab holds (one query)."""
    _ensure_admin(person)
    view = case(
        *((OutboxMessage.status.in_(states), name) for name, states in VIEWS.items()),
        else_="other",
    )
    rows = db.session.execute(select(view, func.count()).group_by(view)).all()
    found = dict(rows)
    return {name: found.get(name, 0) for name in VIEWS}


def readable_messages(person):
    """A WHERE clause for the emails ``person`` may read in the mailbox: every one for an
    admin; for a board's secretary, those about actions on their boards (never sign-in
    emails, which carry someone's password link)."""
    if person is None or person.is_admin:
        return true()
    managed = select(Membership.board_id).where(
        Membership.person_id == person.id, Membership.role == SECRETARY
    )
    return OutboxMessage.action_id.in_(select(Action.id).where(Action.board_id.in_(managed)))


def can_read_mailbox(person) -> bool:
    return person is not None and person.is_active and can_manage_some_board(person)


def list_messages(person, view: str | None, *, page: int = 1, per_page: int = 50) -> MessagePage:
    """Messages for one tab (all of them for ``view=None``), newest first; admins only for
    the outbox's tabs, and what each secretary may read for the mailbox."""
    if view is not None:
        _ensure_admin(person)
    elif not can_read_mailbox(person):
        raise NotAllowed("Only admins and board secretaries can read the mailbox.")
    query = select(OutboxMessage).where(readable_messages(person))
    if view is not None:
        query = query.where(OutboxMessage.status.in_(VIEWS[view]))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    messages = db.session.scalars(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return MessagePage(list(messages), total, page, pages)


def get_message(person, message_id: int) -> OutboxMessage:
    """An email the person may read (NotFound for one they may not, as for a missing one)."""
    if not can_read_mailbox(person):
        raise NotAllowed("Only admins and board secretaries can read the mailbox.")
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id, readable_messages(person))
    )
    if message is None:
        raise NotFound("No such email.")
    return message


def retry_now(person, message: OutboxMessage, *, channel: str = "web") -> bool:
    """Make a pending or failed message due now; False when it was sent or is being sent.

    A failed message gets one more try (its attempts are kept). The change is one conditional
    UPDATE, so that a message a deliverer claimed meanwhile is never put back to be sent twice.
    """
    _ensure_admin(person)
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status.in_(RETRYABLE))
        .values(status=PENDING, next_attempt_at=now, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(message)
    if result.rowcount != 1:
        return False
    record(person, channel, "email_retried", message, action_id=message.action_id)
    return True
