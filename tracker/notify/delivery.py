"""Delivering the outbox: claim what is due, send it over one SMTP connection, record the outcome.

Each message is claimed (status "sending") in a short transaction committed before anything is
sent, and its outcome is committed as soon as it is known, so that:
- two deliverers never send one message twice: on PostgreSQL the claim takes the rows with
  ``FOR UPDATE SKIP LOCKED``, so a second deliverer skips rows the first is claiming, and once
  claimed they are no longer "pending". SQLite ignores SKIP LOCKED (SQLAlchemy drops it): there,
  one process delivers, and BEGIN IMMEDIATE still serialises the claims;
- a crash between claiming and sending loses nothing: a message left "sending" for longer than
  CLAIM_TIMEOUT is claimed again (the same Message-ID lets mail systems drop a duplicate if the
  crash came after the server had accepted it);
- no transaction is open while we wait for the mail server (SQLite would keep its write lock).

Logs name the Message-ID and the recipient's domain only: never the address, body or link.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from tracker.notify.sender import Email, SmtpSender, mail_server_configured

log = logging.getLogger(__name__)

# After the first try fails, the next ones wait this long; after the last, the message fails.
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Longer than any send could take with MAIL_TIMEOUT: a claim this old belongs to a dead process.
CLAIM_TIMEOUT = timedelta(minutes=15)
# Errors about one message; the connection is still usable after them (smtplib resets it).
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)
# An itsdangerous token (payload.timestamp.signature), in case a server echoes a link back.
TOKEN_LIKE = re.compile(r"[\w-]{8,}\.[\w-]{4,}\.[\w-]{16,}")


@dataclass
class DeliveryReport:
    """What one delivery run did; ``problem`` says why nothing (more) could be sent."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    left: int = 0
    mail_server: bool = True
    problem: str = ""


@dataclass(frozen=True)
class Claimed:
    email: Email
    attempts: int
    claimed_at: datetime


def deliver_due(now: datetime | None = None, batch_size: int = 50) -> DeliveryReport:
    """Send up to ``batch_size`` due messages; commits (call it at a boundary: CLI, scheduler).

    With no MAIL_SERVER configured it sends nothing: messages wait in the outbox, and admins
    read them on the mailbox page.
    """
    now = now or utcnow()
    report = DeliveryReport()
    if not mail_server_configured():
        report.mail_server = False
        report.problem = "No mail server is configured (MAIL_SERVER is empty)."
    else:
        batch = _claim(now, batch_size)
        report.claimed = len(batch)
        if batch:
            _send(batch, now, report)
    report.left = waiting_count()
    db.session.commit()
    return report


def waiting_count() -> int:
    """Messages not yet sent and not given up on."""
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.status.in_((PENDING, SENDING)))
    )


def _claim(now: datetime, batch_size: int) -> list[Claimed]:
    db.session.commit()  # a claim is its own transaction, never part of the caller's
    due = or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    batch = []
    for row in rows:
        row.status = SENDING
        row.claimed_at = now
        email = Email(
            id=row.id,
            message_id=row.message_id,
            to_address=row.to_address,
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
        )
        batch.append(Claimed(email, row.attempts, now))
    db.session.commit()
    return batch


def _send(batch: list[Claimed], now: datetime, report: DeliveryReport) -> None:
    sender = SmtpSender()
    try:
        sender.open()
    except OSError as exc:  # smtplib's errors are OSErrors too
        report.problem = _unreachable(exc)
        log.warning(
            "mail server unreachable (%s); %d emails will be retried", _kind(exc), len(batch)
        )
        for claimed in batch:
            _failed(claimed, now, report.problem, report)
        return
    try:
        for index, claimed in enumerate(batch):
            try:
                sender.send(claimed.email)
            except MESSAGE_ERRORS as exc:
                _failed(claimed, now, _refused(exc), report)
            except OSError as exc:
                # The connection broke: this message and the rest wait for the next run.
                report.problem = _unreachable(exc)
                for rest in batch[index:]:
                    _failed(rest, now, report.problem, report)
                return
            except Exception as exc:  # a message we cannot even build must not stop the others
                _failed(claimed, now, f"Could not send this email ({_kind(exc)}).", report)
            else:
                _sent(claimed, now, report)
    finally:
        sender.close()


def _sent(claimed: Claimed, now: datetime, report: DeliveryReport) -> None:
    if _record(claimed, status=SENT, sent_at=now, claimed_at=None):
        report.sent += 1
        log.info("email %s sent to %s", _id(claimed), _domain(claimed))


def _failed(claimed: Claimed, now: datetime, error: str, report: DeliveryReport) -> None:
    attempts = claimed.attempts + 1
    values = {"attempts": attempts, "last_error": _scrub(error), "claimed_at": None}
    if attempts >= MAX_ATTEMPTS:
        values["status"] = FAILED
    else:
        values.update(status=PENDING, next_attempt_at=now + RETRY_DELAYS[attempts - 1])
    if not _record(claimed, **values):
        return
    if attempts >= MAX_ATTEMPTS:
        report.failed += 1
        log.error("email %s to %s failed after %d tries", _id(claimed), _domain(claimed), attempts)
    else:
        report.retrying += 1
        log.info(
            "email %s to %s: try %d failed, will retry", _id(claimed), _domain(claimed), attempts
        )


def _record(claimed: Claimed, **values) -> bool:
    """Write an outcome, only if the message is still ours (not reclaimed by another
    deliverer after CLAIM_TIMEOUT); committed at once so that a crash later loses nothing."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == claimed.email.id,
            OutboxMessage.status == SENDING,
            OutboxMessage.claimed_at == claimed.claimed_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _unreachable(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"The mail server refused our sign-in ({exc.smtp_code}): check MAIL_USERNAME."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server refused the connection: {exc.smtp_code} {_text(exc.smtp_error)}"
    detail = getattr(exc, "strerror", None) or str(exc) or _kind(exc)
    return f"Could not reach the mail server ({_kind(exc)}: {detail})."


def _refused(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        return f"The mail server refused the recipient: {code} {_text(text)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server refused the email: {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"The mail server cannot send this email ({_kind(exc)})."


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:300]


def _scrub(error: str) -> str:
    return TOKEN_LIKE.sub("[link]", error)


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


def _id(claimed: Claimed) -> str:
    return claimed.email.message_id


def _domain(claimed: Claimed) -> str:
    """The recipient's domain, which is all the logs say about who an email was for."""
    return claimed.email.to_address.rpartition("@")[2] or "?"
