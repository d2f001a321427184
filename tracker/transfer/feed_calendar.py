"""What a calendar feed holds: one all-day event per open action with a due date.

Finished actions (completed, closed, cancelled) and drafts (not yet given to anyone to do) are
left out, so that a deadline disappears from Outlook once the work is done. Each event's UID is
stable per action, its SEQUENCE is the action's version and LAST-MODIFIED its last change, so
that calendar programs update events in place rather than duplicating them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker.actions.models import Action
from tracker.actions.queries import rag_column
from tracker.actions.rag import FINISHED_STATES, RAG_LABELS
from tracker.boards.models import Board
from tracker.common.time import london_today, utcnow
from tracker.extensions import db
from tracker.people.models import Person
from tracker.transfer.feed_models import PERSON_FEED, FeedToken
from tracker.web.templating import status_label

PRODID = "-//Assure//Action due dates//EN"
LEFT_OUT = (*FINISHED_STATES, "draft")
# Calendar programs that honour these poll hourly rather than daily.
REFRESH = "PT1H"


def feed_rows(token: FeedToken, now: datetime):
    """The feed's actions, with their board and RAG, in one statement, soonest due first."""
    owner = aliased(Person)
    subject = (
        Action.owner_id == token.person_id
        if token.kind == PERSON_FEED
        else Action.board_id == token.board_id
    )
    return db.session.execute(
        select(
            Action.id,
            Action.ref,
            Action.title,
            Action.due_on,
            Action.status,
            Action.version,
            Action.updated_at,
            Board.name,
            Board.workflow,
            owner.name,
            rag_column(london_today(now)),
        )
        .join(Board, Action.board_id == Board.id)
        .outerjoin(owner, Action.owner_id == owner.id)
        .where(subject, Action.due_on.is_not(None), Action.status.not_in(LEFT_OUT))
        .order_by(Action.due_on, Action.id)
    ).all()


def calendar_name(token: FeedToken) -> str:
    if token.kind == PERSON_FEED:
        return f"Assure: actions of {token.person.name}"
    return f"Assure: {token.board.name}"


def feed_calendar(token: FeedToken, now: datetime | None = None) -> bytes:
    """The feed as iCalendar text (RFC 5545)."""
    now = now or utcnow()
    base = current_app.config["BASE_URL"].rstrip("/")
    host = urlsplit(base).hostname or "assure"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name(token))
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for (action_id, ref, title, due_on, status, version, updated_at, board_name, workflow,
         owner_name, rag) in feed_rows(token, now):  # fmt: skip
        url = f"{base}/actions/{action_id}"
        lines = [
            f"Status: {status_label(status, workflow)}",
            f"RAG: {RAG_LABELS.get(rag, rag)}",
            f"Board: {board_name}",
        ]
        if token.kind != PERSON_FEED:
            lines.append(f"Owner: {owner_name or 'No owner'}")
        lines.append(url)
        event = Event()
        event.add("uid", f"action-{action_id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", due_on)
        event.add("dtend", due_on + timedelta(days=1))
        event.add("summary", f"{ref}: {title}")
        event.add("description", "\n".join(lines))
        event.add("url", url)
        event.add("last-modified", updated_at)
        event.add("sequence", version)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
