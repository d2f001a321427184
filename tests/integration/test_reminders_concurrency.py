"""Two sweeps at once on PostgreSQL, without the scheduler's advisory lock: every reminder is
decided once, sent once, and each person still gets one email."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tracker import create_app
from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import add_member, create_board
from tracker.extensions import db
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.models import SENT, Notification
from tracker.notify.reminders.sweep import sweep
from tracker.people.services import create_person

OWNERS, ACTIONS = 12, 240
BUILT = datetime(2027, 3, 1, 9, tzinfo=UTC)
EARLY = datetime(2027, 3, 3, 7, 0, tzinfo=UTC)  # 07:00 London: decide only
SENDING = datetime(2027, 3, 3, 8, 30, tzinfo=UTC)


@pytest.fixture
def committed_app(empty_database_url):
    """An app on its own database, with a board whose actions are at every stage, committed."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): two writers at once")
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context(), time_machine.travel(BUILT, tick=False):
        db.create_all()
        board = create_board(None, ref="race", name="Race Board", kind="other", channel="cli")
        secretary = create_person(None, name="Sam Secretary", email="sam@board.example")
        add_member(None, board, secretary, "secretary", channel="cli")
        owners = [
            create_person(None, name=f"Owner {n}", email=f"owner{n}@trust.example")
            for n in range(OWNERS)
        ]
        for n in range(ACTIONS):
            action = create_action(
                None,
                board,
                title=f"Action {n}",
                owner=owners[n % OWNERS],
                # From 40 days overdue to 19 days ahead: every rule has work.
                due_on=date(2027, 3, 3) + timedelta(days=n % 60 - 40),
                channel="cli",
            )
            fire_transition(None, action, "open", {}, channel="cli")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def race(app, at: datetime) -> list:
    start = threading.Barrier(2)
    reports, errors = [], []

    def sweeper() -> None:
        with app.app_context(), time_machine.travel(at, tick=False):
            try:
                start.wait(timeout=10)
                reports.append(sweep(at))
                db.session.commit()
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(reports) == 2
    return reports


def check_each_reminder_once(app) -> None:
    with app.app_context():
        notifications = db.session.scalars(select(Notification)).all()
        keys = Counter(
            (n.kind, n.subject_id, n.recipient_id, n.key_on, n.period) for n in notifications
        )
        assert max(keys.values()) == 1
        assert {n.state for n in notifications} == {SENT}
        reminders = select(OutboxMessage).where(OutboxMessage.kind == "reminders")
        messages = db.session.scalars(reminders).all()
        per_person = Counter(message.to_person_id for message in messages)
        assert len(per_person) == OWNERS + 1  # every owner, and the secretary
        assert max(per_person.values()) == 1, per_person
        sent_with = {n.outbox_message_id for n in notifications}
        assert sent_with == {message.id for message in messages}


def test_two_sweeps_deciding_and_composing_at_once(committed_app):
    first, second = race(committed_app, SENDING)

    assert first.total_decided + second.total_decided > ACTIONS
    assert {first.total_decided, second.total_decided} & {0}  # one decided everything
    assert first.emails + second.emails == OWNERS + 1
    check_each_reminder_once(committed_app)


def test_two_sweeps_composing_what_was_decided_earlier(committed_app):
    with committed_app.app_context(), time_machine.travel(EARLY, tick=False):
        decided = sweep(EARLY).total_decided
        db.session.commit()
        waiting = db.session.scalar(select(func.count()).select_from(Notification))
    assert decided == waiting > ACTIONS

    first, second = race(committed_app, SENDING)

    assert first.total_decided == second.total_decided == 0
    assert sorted([first.emails, second.emails]) == [0, OWNERS + 1]
    check_each_reminder_once(committed_app)
