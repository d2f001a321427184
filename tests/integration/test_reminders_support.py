"""What the reminder tests share: a board with a secretary and a chair, owners, a clock, and
ways to run the sweep and read what it decided and wrote.

Not a test module of its own: the tests import these fixtures and helpers.

The calendar the tests use (2027): Monday 1 March; Wednesday 17 March; Sunday 28 March, when
the clocks go forward; Good Friday 26 March and Easter Monday 29 March are bank holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tracker.common.time import LONDON
from tracker.extensions import db
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.models import Notification
from tracker.notify.reminders.sweep import sweep

START = "2027-03-01 09:00"  # a Monday: the world is built then


def london(text: str) -> datetime:
    """``"2027-03-03 08:30"`` on London's clock, as a UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


def run(text: str):
    """The sweep at that London time, with the clock there too (links and outbox rows are
    stamped with it)."""
    at = london(text)
    with time_machine.travel(at, tick=False):
        report = sweep(at)
        db.session.flush()
    return report


def decided(**filters) -> list[Notification]:
    query = select(Notification).filter_by(**filters).order_by(Notification.id)
    return list(db.session.scalars(query))


def keys(**filters) -> set[tuple]:
    """The decided reminders as (kind, action id, recipient id, key date, period, state)."""
    return {
        (n.kind, n.action_id, n.recipient_id, n.key_on, n.period, n.state)
        for n in decided(**filters)
    }


def emails(person=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == "reminders")
    if person is not None:
        query = query.where(OutboxMessage.to_person_id == person.id)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


@dataclass
class World:
    board: object
    secretary: object
    chair: object
    owner: object
    make_action: object

    def action(self, due: str | None, *, owner=None, status="open", **values):
        return self.make_action(
            self.board,
            status=status,
            owner=owner or self.owner,
            due_on=date.fromisoformat(due) if due else None,
            **values,
        )


@pytest.fixture
def world(session, make_board, make_person, make_action):
    """Built on Monday 1 March 2027 at 09:00 London."""
    with time_machine.travel(london(START), tick=False):
        secretary = make_person(name="Sam Secretary")
        chair = make_person(name="Chris Chair")
        owner = make_person(name="Olive Owner")
        board = make_board(
            name="Tameside Safeguarding Children Partnership",
            members=[(secretary, "secretary"), (chair, "chair")],
        )
        yield World(board, secretary, chair, owner, make_action)


@pytest.fixture
def at():
    """Travel the clock for the set-up steps of a test: ``with at("2027-03-05 10:00"): ...``."""

    def travel(text: str):
        return time_machine.travel(london(text), tick=False)

    return travel
