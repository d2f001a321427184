"""Calendar feeds: creating, regenerating and revoking their secret addresses, and opening one.

A person's feed holds the due dates of the actions they own; a board's feed, the due dates of
the board's actions. The secret is made here, returned once to be shown or emailed, and never
stored: the database keeps its SHA-256 (tracker.transfer.feed_models). One feed per person and
per board is live at a time: making a new one revokes the old, so "regenerate" is simply
"create" again. Revoking is immediate: the old address answers 404 from then on.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.audit.services import record
from tracker.boards.models import Board
from tracker.common.errors import NotAllowed, NotFound
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.outbox import enqueue
from tracker.people.models import Person
from tracker.permissions import MANAGERS, ensure_role
from tracker.transfer.feed_models import BOARD_FEED, PERSON_FEED, FeedToken

# last_used_at is written at most this often: a calendar polls every few minutes, and a write
# per poll would be all cost and no information.
TOUCH_EVERY = timedelta(minutes=15)


@dataclass(frozen=True)
class NewFeed:
    """A feed just made: its token row and the secret, which exists only here."""

    token: FeedToken
    secret: str

    @property
    def url(self) -> str:
        return feed_url(self.secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_url(secret: str) -> str:
    """The feed's absolute address (BASE_URL, as in emails, not the request's host)."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/feeds/{secret}.ics"


def active_feed(*, person: Person | None = None, board: Board | None = None) -> FeedToken | None:
    """The live feed of ``person`` or of ``board``, if there is one."""
    subject = FeedToken.person_id == person.id if person else FeedToken.board_id == board.id
    return db.session.scalar(
        select(FeedToken)
        .where(subject, FeedToken.revoked_at.is_(None))
        .order_by(FeedToken.id.desc())
        .limit(1)
    )


def create_person_feed(actor: Person, *, channel: str = "web") -> NewFeed:
    """A new feed of ``actor``'s own due dates, revoking the one they had."""
    if actor is None or not actor.is_active:
        raise NotAllowed("Sign in to have a calendar feed of your actions.")
    _revoke(actor, PERSON_FEED, actor, channel=channel, person=actor)
    return _create(actor, PERSON_FEED, actor, channel=channel, person=actor)


def create_board_feed(actor: Person | None, board: Board, *, channel: str = "web") -> NewFeed:
    """A new feed of ``board``'s due dates, revoking the old: for its secretary and admins."""
    _ensure_manager(actor, board)
    _revoke(actor, BOARD_FEED, board, channel=channel, board=board)
    return _create(actor, BOARD_FEED, board, channel=channel, board=board)


def revoke_person_feed(actor: Person, *, channel: str = "web") -> bool:
    """Stop ``actor``'s feed; True if there was one."""
    return _revoke(actor, PERSON_FEED, actor, channel=channel, person=actor)


def revoke_board_feed(actor: Person | None, board: Board, *, channel: str = "web") -> bool:
    _ensure_manager(actor, board)
    return _revoke(actor, BOARD_FEED, board, channel=channel, board=board)


def _ensure_manager(actor: Person | None, board: Board) -> None:
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "manage the board's calendar feed")


def _create(actor, kind: str, subject, *, channel: str, person=None, board=None) -> NewFeed:
    secret = secrets.token_urlsafe(32)
    token = FeedToken(
        kind=kind,
        person=person,
        board=board,
        digest=digest(secret),
        created_by=actor,
        created_at=utcnow(),
    )
    db.session.add(token)
    db.session.flush()
    record(
        actor,
        channel,
        "calendar_feed_created",
        subject,
        changes={"calendar_feed": [None, token.id]},
        board_id=board.id if board else None,
    )
    return NewFeed(token, secret)


def _revoke(actor, kind: str, subject, *, channel: str, person=None, board=None) -> bool:
    found = active_feed(person=person, board=board)
    if found is None:
        return False
    found.revoked_at = utcnow()
    record(
        actor,
        channel,
        "calendar_feed_revoked",
        subject,
        changes={"calendar_feed": [found.id, None]},
        board_id=board.id if board else None,
    )
    return True


def open_feed(secret: str, now: datetime | None = None) -> FeedToken:
    """The live feed whose secret this is; NotFound for any other (unknown, revoked, a feed
    of someone deactivated), all alike. Notes when it was used, at most every TOUCH_EVERY."""
    token = db.session.scalar(select(FeedToken).where(FeedToken.digest == digest(secret)))
    if token is None or token.revoked_at is not None:
        raise NotFound("No such calendar feed.")
    if token.kind == PERSON_FEED and not token.person.is_active:
        raise NotFound("No such calendar feed.")
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        # The one write a feed's reader makes; nothing a person sees changes.
        token.last_used_at = now
    return token


def board_owners(board: Board) -> list[Person]:
    """The active people who own actions on ``board``, by name: those a secretary may send a
    calendar feed to."""
    owns_here = select(Action.owner_id).where(Action.board_id == board.id)
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.id.in_(owns_here), Person.is_active.is_(True))
            .order_by(Person.name, Person.id)
        )
    )


def email_owner_feed(
    actor: Person | None, board: Board, person: Person, *, channel: str = "web"
) -> None:
    """Give an owner who may never sign in a feed of their own due dates, by email.

    For the board's secretary and admins, and only for people who own actions on the board.
    The secretary never sees the address: it is made here and goes only into the email (which
    is tied to no action, so the secretary's mailbox does not show it). Any feed the owner had
    is replaced.
    """
    _ensure_manager(actor, board)
    if person.id not in {owner.id for owner in board_owners(board)}:
        raise NotFound("No such owner on this board.")
    _revoke(actor, PERSON_FEED, person, channel=channel, person=person)
    new = _create(actor, PERSON_FEED, person, channel=channel, person=person)
    enqueue(
        "calendar_feed",
        to_person=person,
        subject="Your actions' due dates, for your calendar",
        template="calendar_feed",
        context={"person": person, "board": board, "sender": actor, "feed_url": new.url},
    )
