"""What the link and recovery tests share: a small world, the outbox, and database snapshots.

Not a test module of its own: the tests import these fixtures and helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import test_board_pages_support as support
from sqlalchemy import func, select

from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.extensions import db, limiter
from tracker.links.tokens import update_link_token
from tracker.notify.models import OutboxMessage
from tracker.people.models import Person

PASSWORD = "correct horse battery staple"
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
# The suite's BASE_URL (config.TestingConfig): links in emails start with it.
BASE_URL = "http://assure.test"

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests


@pytest.fixture(autouse=True)
def no_throttling(monkeypatch):
    """Throttling off, whatever an earlier test's app left behind: Flask-Limiter keeps one
    limiter per process, and every create_app with throttling on turns it on for all apps,
    while frozen time keeps every request of the suite in the same minute."""
    monkeypatch.setattr(limiter, "enabled", False)


@dataclass
class World:
    secretary: Person
    member: Person
    owner: Person
    action: Action

    def link(self, action: Action | None = None) -> str:
        """The path of a fresh update link for the action (as emailed now)."""
        return "/u/" + update_link_token(action or self.action)


@pytest.fixture
def world(make_person, make_board, make_recommendation, make_action, session) -> World:
    """A board that asks to accept updates, with a secretary and a member, and an action in
    progress from a recommendation, owned by someone from a partner agency."""
    secretary = make_person(name="Sam Secretary", email="sam@tameside.example", password=PASSWORD)
    member = make_person(name="Morgan Member", email="morgan@tameside.example")
    owner = make_person(
        name="Olu Owner", email="olu@trust.example", organisation="Tameside NHS Trust"
    )
    board = make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[(secretary, "secretary"), (member, "member")],
    )
    recommendation = make_recommendation(
        ref="R7", text="Midwives screen every pregnant woman for carbon monoxide.", boards=[board]
    )
    action = make_action(
        board,
        status="in_progress",
        owner=owner,
        title="Audit CO screening at booking",
        recommendation=recommendation,
    )
    session.commit()
    return World(secretary, member, owner, action)


def outbox(session, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.scalars(query))


def link_in(message: OutboxMessage, path: str = "/u/") -> str:
    """The path of the link an email carries (the same in its text and HTML bodies)."""
    pattern = re.escape(BASE_URL) + "(" + re.escape(path) + r"[A-Za-z0-9_.\-]+)"
    found = re.findall(pattern, message.body_text)
    assert found, f"no {path} link in:\n{message.body_text}"
    assert f"{BASE_URL}{found[0]}" in message.body_html
    return found[0]


def snapshot(action: Action | None = None) -> dict:
    """Rows in every table, the newest event, and the action's version, link version and
    update time: everything a change would move."""
    tables = db.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    newest = select(func.max(Event.id)).scalar_subquery().label("newest event")
    found = dict(db.session.execute(select(*counts, newest)).one()._mapping)
    if action is not None:
        row = db.session.execute(
            select(Action.version, Action.link_version, Action.updated_at, Action.status).where(
                Action.id == action.id
            )
        ).one()
        found["action"] = tuple(row)
    return found


def tampered(path: str) -> str:
    """The same path with one character of the token changed (inside the payload: the last
    character of a base64 signature may carry only padding bits)."""
    prefix, token = path.rsplit("/", 1)
    changed = "B" if token[3] == "A" else "A"
    return f"{prefix}/{token[:3]}{changed}{token[4:]}"
