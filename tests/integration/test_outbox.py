"""Delivering the outbox to a real SMTP server: sent once, retried when the server is down,
failed after the last try, and never lost to a crash between claiming and sending."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.smtp import HOST
from tracker.common.time import utcnow
from tracker.links.tokens import read_update_link
from tracker.notify import delivery
from tracker.notify.delivery import MAX_ATTEMPTS, RETRY_DELAYS, deliver_due
from tracker.notify.models import FAILED, PENDING, SENT, OutboxMessage
from tracker.notify.outbox import enqueue

LINK = re.compile(r"http://assure\.test(/u/[\w.-]+)")


@pytest.fixture
def owner(make_person):
    return make_person(name="Olive Owner", email="olive@trust.example")


@pytest.fixture
def action(make_board, make_action, owner):
    board = make_board(ref="tscp", name="Tameside Safeguarding Children Partnership")
    return make_action(board, ref="TSCP-IM-01", title="Safe sleep briefings", owner=owner)


def outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def note(session, owner, subject="Hello") -> OutboxMessage:
    """A plain message in the outbox, committed (to the test's savepoint)."""
    message = enqueue(
        "note",
        to_person=owner,
        subject=subject,
        template="signed_off",
        context={"action": None, "board": None, "who": "Someone", "person": owner},
    )
    session.commit()
    return message


# In the same transaction as the change


def test_a_change_rolled_back_leaves_no_email(session, make_board, make_action, owner):
    board = make_board()
    session.commit()
    session.begin_nested()
    make_action(board, owner=owner)
    assert len(outbox(session)) == 1
    session.rollback()

    assert outbox(session) == []


def test_nothing_is_sent_without_a_mail_server(session, action, app):
    assert app.config["MAIL_SERVER"] == ""

    report = deliver_due()

    assert (report.mail_server, report.sent, report.left) == (False, 0, 1)
    assert "MAIL_SERVER is empty" in report.problem
    [message] = outbox(session)
    assert (message.status, message.attempts) == (PENDING, 0)


# Delivered


def test_the_assignment_email_arrives_with_a_working_link(session, action, smtp_server, client):
    [message] = outbox(session)

    report = deliver_due()

    assert (report.sent, report.retrying, report.failed, report.left) == (1, 0, 0, 0)
    [received] = smtp_server.messages
    assert received.rcpt_tos == ("olive@trust.example",)
    assert received.message_id == message.message_id
    assert received.subject == "You own action TSCP-IM-01: Safe sleep briefings"
    assert received.message["To"] == "olive@trust.example"
    assert received.message["Auto-Submitted"] == "auto-generated"
    text = received.body("plain")
    assert "TSCP-IM-01: Safe sleep briefings" in text
    assert f"Due: {action.due_on.day} {action.due_on:%B %Y}" in text
    assert 'lang="en"' in received.body("html")
    path = LINK.search(text).group(1)
    assert read_update_link(path.removeprefix("/u/")).person_id == action.owner_id
    page = client.get(path)
    assert page.status_code == 200
    assert "Safe sleep briefings" in page.get_data(as_text=True)
    [message] = outbox(session)
    assert (message.status, message.attempts, message.claimed_at) == (SENT, 0, None)
    assert message.sent_at is not None


def test_one_connection_carries_the_whole_batch(session, owner, smtp_server, monkeypatch):
    opened = []
    original = delivery.SmtpSender.open
    monkeypatch.setattr(
        delivery.SmtpSender, "open", lambda self: (opened.append(1), original(self))[1]
    )
    for n in range(3):
        note(session, owner, f"Note {n}")

    report = deliver_due(batch_size=2)

    assert (report.claimed, report.sent, report.left) == (2, 2, 1)
    assert len(opened) == 1
    assert [m.subject for m in smtp_server.messages] == ["Note 0", "Note 1"]


def test_a_message_not_yet_due_waits(session, owner, smtp_server):
    message = note(session, owner)
    message.next_attempt_at = utcnow() + timedelta(minutes=5)
    session.commit()

    assert deliver_due().sent == 0
    assert deliver_due(now=utcnow() + timedelta(minutes=5)).sent == 1


# Server down, then back


def test_server_down_the_message_waits_then_arrives_exactly_once(session, action, smtp_server):
    smtp_server.stop()
    start = utcnow()

    report = deliver_due(now=start)

    assert (report.sent, report.retrying, report.left) == (0, 1, 1)
    assert "Could not reach the mail server" in report.problem
    [message] = outbox(session)
    assert (message.status, message.attempts) == (PENDING, 1)
    assert message.next_attempt_at == start + RETRY_DELAYS[0]
    assert "ConnectionRefusedError" in message.last_error

    smtp_server.start()
    assert deliver_due(now=start + timedelta(seconds=30)).sent == 0  # not due yet
    assert smtp_server.messages == []

    report = deliver_due(now=start + RETRY_DELAYS[0])
    assert (report.sent, report.left) == (1, 0)
    assert deliver_due(now=start + timedelta(hours=1)).sent == 0
    assert len(smtp_server.messages) == 1
    [message] = outbox(session)
    assert (message.status, message.attempts) == (SENT, 1)


def test_delays_grow_then_the_message_fails(session, owner, smtp_server):
    smtp_server.stop()
    note(session, owner)
    now = utcnow()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = deliver_due(now=now)
        [message] = outbox(session)
        assert message.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert (report.retrying, message.status) == (1, PENDING)
            waits.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert waits == list(RETRY_DELAYS)
    assert (report.failed, message.status) == (1, FAILED)
    assert deliver_due(now=now + timedelta(days=1)).claimed == 0


def test_a_refused_recipient_does_not_hold_up_the_others(session, make_person, smtp_server):
    refused = make_person(email="nobody@refused.example")
    fine = make_person(email="someone@fine.example")
    smtp_server.refuse("nobody@refused.example")
    note(session, refused, "To refuse")
    note(session, fine, "To deliver")
    start = utcnow()

    report = deliver_due(now=start)

    assert (report.sent, report.retrying, report.problem) == (1, 1, "")
    assert [m.subject for m in smtp_server.messages] == ["To deliver"]
    bad, good = outbox(session)
    assert (bad.status, bad.attempts, good.status) == (PENDING, 1, SENT)
    assert bad.last_error.startswith("The mail server refused the recipient: 550")


def test_errors_and_logs_carry_no_address_body_or_link(session, action, smtp_server, caplog):
    smtp_server.stop()
    caplog.set_level(logging.INFO, logger="tracker.notify.delivery")

    deliver_due()
    smtp_server.start()
    deliver_due(now=utcnow() + timedelta(minutes=2))

    [message] = outbox(session)
    logged = caplog.text
    assert message.message_id in logged and "trust.example" in logged
    assert "olive@" not in logged and "/u/" not in logged and "Safe sleep" not in logged
    assert "/u/" not in message.last_error


def test_an_echoed_token_is_scrubbed_from_the_last_error():
    error = "550 rejected http://assure.test/u/WzEsMiwxXQ.awp7Iw.CYcfO6WX2_uRdMqyfJYOuzQ5ZkU"
    assert delivery._scrub(error) == "550 rejected http://assure.test/u/[link]"


def test_a_server_that_never_answers_times_out(session, owner, app, monkeypatch, smtp_server):
    """A port that accepts connections but never speaks: MAIL_TIMEOUT ends the wait.
    (smtp_server is here to allow SMTP; MAIL_PORT points past it, at the silent socket.)"""
    import socket

    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen()
        monkeypatch.setitem(app.config, "MAIL_PORT", silent.getsockname()[1])
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
        note(session, owner)

        report = deliver_due()

    assert report.retrying == 1
    assert "timed out" in report.problem.lower() or "TimeoutError" in report.problem


def test_counting_waiting_messages(session, owner):
    note(session, owner)
    note(session, owner).status = FAILED
    session.commit()
    assert delivery.waiting_count() == 1
    assert session.scalar(select(func.count(OutboxMessage.id))) == 2
