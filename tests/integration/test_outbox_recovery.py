"""Failures recovered from: an admin retries a failed email, a crash between claiming and
sending loses nothing, a mail server's certificate is checked, and the guard that keeps tests
away from SMTP works."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from tests.integration.test_outbox import note, outbox
from tests.smtp import free_port
from tracker.common.time import utcnow
from tracker.notify import delivery
from tracker.notify.delivery import MAX_ATTEMPTS, deliver_due
from tracker.notify.models import FAILED, PENDING, SENDING, SENT, OutboxMessage


@pytest.fixture
def owner(make_person):
    return make_person(name="Olive Owner", email="olive@trust.example")


# Failed, then retried by an admin


def test_a_failed_message_retried_by_an_admin_is_sent(session, owner, smtp_server, make_person):
    from tracker.notify.outbox import retry_now

    message = note(session, owner)
    message.status, message.attempts, message.last_error = FAILED, MAX_ATTEMPTS, "Down."
    session.commit()
    assert deliver_due().claimed == 0

    assert retry_now(make_person(is_admin=True), message) is True
    session.commit()
    assert (message.status, message.claimed_at) == (PENDING, None)

    assert deliver_due().sent == 1
    assert len(smtp_server.messages) == 1
    assert outbox(session)[0].status == SENT


def test_a_sent_message_cannot_be_retried(session, owner, make_person):
    from tracker.notify.outbox import retry_now

    message = note(session, owner)
    message.status = SENT
    session.commit()

    assert retry_now(make_person(is_admin=True), message) is False
    assert outbox(session)[0].status == SENT


# Crash between claiming and sending


def test_a_claim_abandoned_by_a_crash_is_delivered_by_the_next_run(session, owner, smtp_server):
    message = note(session, owner)
    now = utcnow()
    message.status, message.claimed_at = SENDING, now - timedelta(minutes=16)
    session.commit()

    report = deliver_due(now=now)

    assert report.sent == 1
    assert [m.message_id for m in smtp_server.messages] == [message.message_id]
    assert outbox(session)[0].status == SENT


def test_a_recent_claim_belongs_to_a_deliverer_still_at_work(session, owner, smtp_server):
    message = note(session, owner)
    now = utcnow()
    message.status, message.claimed_at = SENDING, now - timedelta(minutes=5)
    session.commit()

    assert deliver_due(now=now).claimed == 0
    assert smtp_server.messages == []
    assert outbox(session)[0].status == SENDING


def test_an_outcome_is_not_written_over_another_deliverers_claim(
    session, owner, smtp_server, monkeypatch
):
    """A deliverer that outlived its claim (reclaimed by another) must not record over it."""
    message = note(session, owner)
    original = delivery.SmtpSender.send

    def send_then_lose_the_claim(self, email):
        original(self, email)
        session.execute(
            OutboxMessage.__table__.update().values(claimed_at=utcnow() + timedelta(hours=1))
        )
        session.commit()

    monkeypatch.setattr(delivery.SmtpSender, "send", send_then_lose_the_claim)
    report = deliver_due()

    assert report.sent == 0
    assert outbox(session)[0].status == SENDING
    assert message.message_id == smtp_server.messages[0].message_id


GUARDED = """
from tracker.notify.delivery import deliver_due
from tracker.notify.outbox import enqueue


def test_reaches_smtp(app, session, make_person, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", {port})
    person = make_person()
    enqueue("note", to_person=person, subject="Hi", template="signed_off",
            context={{"action": None, "board": None, "who": "X", "person": person}})
    assert deliver_due().retrying == 1  # delivery shrugs the refusal off; the guard does not
"""


def test_the_guard_fails_a_test_that_reaches_smtp_without_the_fixture(tmp_path):
    """tests/conftest.py's autouse guard: a test without the smtp_server fixture that opens
    an SMTP connection fails, even though delivery itself treats the refusal as a retry."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    test_file = tmp_path / "test_guarded.py"
    test_file.write_text(GUARDED.format(port=free_port()))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "--no-header",
         "--rootdir", str(root), "-c", str(root / "pyproject.toml"), str(test_file)],
        cwd=root, capture_output=True, text=True, timeout=120,
        # On SQLite in memory: on PostgreSQL its app fixture would reset the suite's database.
        env={k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"},
    )  # fmt: skip

    assert result.returncode == 1, result.stdout + result.stderr
    assert "reached SMTP (127.0.0.1:" in result.stdout
    assert "without the smtp_server fixture" in result.stdout


# STARTTLS: the server's certificate is checked


@pytest.fixture
def tls_server(app, tmp_path, monkeypatch, smtp_server):
    """A second SMTP server offering STARTTLS with a self-signed certificate for 127.0.0.1
    (smtp_server is here to allow SMTP in this test; the app is pointed at this one)."""
    import ssl

    from tests.smtp import SmtpServer, self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(tls_context=context)
    server.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    server.certificate = cert
    yield server
    server.stop()


def test_starttls_refuses_a_certificate_nobody_vouches_for(session, owner, tls_server):
    note(session, owner)

    report = deliver_due()

    assert report.retrying == 1
    assert "SSLCertVerificationError" in report.problem
    assert tls_server.messages == []


def test_starttls_with_a_trusted_certificate_delivers(session, owner, tls_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", tls_server.certificate)
    note(session, owner)

    assert deliver_due().sent == 1
    assert len(tls_server.messages) == 1
