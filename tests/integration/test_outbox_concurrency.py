"""Two deliverers at once on PostgreSQL: every message is sent, and none twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from tests.smtp import HOST
from tracker import create_app
from tracker.extensions import db
from tracker.notify.delivery import deliver_due
from tracker.notify.models import SENT, OutboxMessage
from tracker.notify.outbox import enqueue
from tracker.people.services import create_person

MESSAGES = 40


@pytest.fixture
def committed_app(empty_database_url, smtp_server):
    """An app on its own database, committed for real, sending to the test's SMTP server."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): SQLite ignores SKIP LOCKED, and there one "
            "process delivers"
        )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "MAIL_SERVER": HOST,
            "MAIL_PORT": smtp_server.port,
        }
    )
    with app.app_context():
        db.create_all()
        person = create_person(None, name="Olive Owner", email="olive@trust.example")
        for n in range(MESSAGES):
            enqueue(
                "note",
                to_person=person,
                subject=f"Note {n}",
                template="signed_off",
                context={"action": None, "board": None, "who": "Someone", "person": person},
            )
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_deliverers_never_send_one_message_twice(committed_app, smtp_server):
    smtp_server.delay = 0.005  # each send takes a moment, so that the two runs overlap
    start = threading.Barrier(2)
    sent_by: dict[str, int] = {}
    errors: list[BaseException] = []

    def deliverer(name: str) -> None:
        with committed_app.app_context():
            try:
                start.wait(timeout=10)
                sent = 0
                while (report := deliver_due(batch_size=4)).claimed:
                    sent += report.sent
                sent_by[name] = sent
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliverer, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    ids = Counter(m.message_id for m in smtp_server.messages)
    assert len(ids) == MESSAGES
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    assert sum(sent_by.values()) == MESSAGES
    assert min(sent_by.values()) > 0, sent_by  # both really delivered, at the same time
    with committed_app.app_context():
        statuses = set(db.session.scalars(select(OutboxMessage.status)))
        assert statuses == {SENT}
