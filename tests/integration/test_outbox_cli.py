"""``flask outbox deliver``: what it prints, and its exit status, in each situation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.commands import outbox as outbox_commands
from tracker.commands.params import IsoTime
from tracker.common.time import utcnow
from tracker.notify.models import PENDING, SENT, OutboxMessage
from tracker.notify.outbox import enqueue


@pytest.fixture
def waiting(session, make_person):
    """Three emails in the outbox, due now."""
    person = make_person(email="olive@trust.example")
    for n in range(3):
        enqueue(
            "note",
            to_person=person,
            subject=f"Note {n}",
            template="signed_off",
            context={"action": None, "board": None, "who": "Someone", "person": person},
        )
    session.commit()


def statuses(session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_without_a_mail_server_it_says_where_the_emails_are(runner, session, waiting):
    result = runner.invoke(args=["outbox", "deliver"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "No mail server is configured (MAIL_SERVER is empty). Nothing was sent: 3 emails "
        "waiting in the outbox. Admins can read them on the mailbox page (/admin/mailbox); "
        "set MAIL_SERVER to send them.\n"
    )
    assert statuses(session) == [PENDING] * 3


def test_it_delivers_every_due_email_batch_after_batch(runner, session, waiting, smtp_server):
    result = runner.invoke(args=["outbox", "deliver", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 3, retrying 0, failed 0, left 0.\n"
    assert sorted(m.subject for m in smtp_server.messages) == ["Note 0", "Note 1", "Note 2"]
    assert statuses(session) == [SENT] * 3


def test_an_unreachable_server_is_a_retry_not_an_error(runner, session, waiting, smtp_server):
    smtp_server.stop()

    result = runner.invoke(args=["outbox", "deliver"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Sent 0, retrying 3, failed 0, left 3."
    assert lines[1].startswith("Could not reach the mail server (ConnectionRefusedError")
    assert lines[1].endswith("The emails wait in the outbox and will be retried.")


def test_at_delivers_what_is_due_at_that_time(runner, session, waiting, smtp_server):
    smtp_server.stop()
    runner.invoke(args=["outbox", "deliver"])
    smtp_server.start()
    in_two_minutes = (utcnow() + timedelta(minutes=2)).isoformat()

    early = runner.invoke(args=["outbox", "deliver"])
    later = runner.invoke(args=["outbox", "deliver", "--at", in_two_minutes])

    assert early.output == "Sent 0, retrying 0, failed 0, left 3.\n"
    assert later.output == "Sent 3, retrying 0, failed 0, left 0.\n"
    assert len(smtp_server.messages) == 3


def test_at_without_an_offset_is_london_time():
    convert = IsoTime().convert
    assert convert("2027-07-01T09:30", None, None) == datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    assert convert("2027-01-10T09:30+00:00", None, None) == datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", ["tomorrow", "2027-13-01", ""])
def test_a_bad_at_is_refused_with_an_example(runner, session, waiting, value):
    result = runner.invoke(args=["outbox", "deliver", "--at", value])

    assert result.exit_code == 2
    assert "is not an ISO 8601 time: write it like 2027-03-14T09:30" in result.output
    assert statuses(session) == [PENDING] * 3


def test_every_keeps_delivering_until_stopped(runner, session, waiting, smtp_server, monkeypatch):
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(outbox_commands.time, "sleep", sleep)

    result = runner.invoke(args=["outbox", "deliver", "--every", "60"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Delivering the outbox every 60 seconds; press Ctrl-C to stop.\n"
        "Sent 3, retrying 0, failed 0, left 0.\n"  # the second run had nothing to do: quiet
        "Stopped delivering the outbox.\n"
    )
    assert naps == [60, 60]


def test_every_survives_a_failed_run(runner, session, waiting, smtp_server, monkeypatch, caplog):
    runs = []

    def deliver(at, batch_size):
        runs.append(at)
        if len(runs) == 1:
            raise RuntimeError("database is locked")
        return real(at, batch_size)

    real = outbox_commands.deliver_all_due
    monkeypatch.setattr(outbox_commands, "deliver_all_due", deliver)
    monkeypatch.setattr(
        outbox_commands.time,
        "sleep",
        lambda seconds: None if len(runs) < 2 else (_ for _ in ()).throw(KeyboardInterrupt),
    )

    result = runner.invoke(args=["outbox", "deliver", "--every", "5"])

    assert result.exit_code == 0, result.output
    assert "Sent 3, retrying 0, failed 0, left 0." in result.output
    assert "outbox delivery failed; trying again in 5 seconds" in caplog.text


def test_every_without_a_mail_server_says_so_once(runner, session, waiting, monkeypatch):
    monkeypatch.setattr(
        outbox_commands.time, "sleep", lambda s: (_ for _ in ()).throw(KeyboardInterrupt)
    )

    result = runner.invoke(args=["outbox", "deliver", "--every", "60"])

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Delivering the outbox every 60 seconds; press Ctrl-C to stop.",
        "No mail server is configured (MAIL_SERVER is empty): emails wait in the outbox, "
        "and admins and secretaries read them on the mailbox page (/admin/mailbox).",
        "Stopped delivering the outbox.",
    ]


def test_every_needs_a_positive_number(runner, session):
    result = runner.invoke(args=["outbox", "deliver", "--every", "0"])
    assert result.exit_code == 2
    assert "--every" in result.output
