"""Our SMTP sender: one connection for a batch of messages, with a timeout.

Flask-Mail 0.10 builds the message (MIME parts, encoded headers) but its own connection has no
timeout, and it silently sends nothing whenever the app is TESTING. So we open the smtplib
connection ourselves, with MAIL_TIMEOUT, and hand it Flask-Mail's bytes. Only outbox delivery
calls this module: nothing in a web request talks to SMTP.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass

from flask import current_app
from flask_mail import Message, sanitize_address


@dataclass(frozen=True)
class Email:
    """What delivery hands the sender: a snapshot of an outbox row, free of the session."""

    id: int
    message_id: str
    to_address: str
    subject: str
    body_text: str
    body_html: str


def mail_server_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


class SmtpSender:
    """``with SmtpSender() as sender: sender.send(email)``: connects on entry (raising
    OSError, of which smtplib's errors are a kind, when the server cannot be reached or refuses
    us) and says goodbye on exit."""

    def __init__(self) -> None:
        config = current_app.config
        self.server = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.timeout = float(config.get("MAIL_TIMEOUT") or 10)
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.sender = config.get("MAIL_DEFAULT_SENDER")
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        self.open()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> None:
        """Connect, with TLS and sign-in as configured."""
        # smtplib's own default context checks no certificate: anyone on the way could read
        # the links in our emails. The default context checks the chain and the host name.
        tls = ssl.create_default_context()
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(self.server, self.port, timeout=self.timeout, context=tls)
        else:
            connection = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
        try:
            if self.use_tls:
                connection.starttls(context=tls)
            if self.username and self.password:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        self.connection = connection

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (OSError, smtplib.SMTPException):
            # The messages are already sent (or already marked for a retry): a failed goodbye
            # changes nothing.
            self.connection.close()
        self.connection = None

    def send(self, email: Email) -> None:
        """Send one message with its stored Message-ID; raises on any refusal or network error."""
        message = Message(
            subject=email.subject,
            recipients=[email.to_address],
            body=email.body_text,
            html=email.body_html,
            sender=self.sender,
            date=time.time(),
            # Mail from a machine: auto-responders should not answer it (RFC 3834).
            extra_headers={"Auto-Submitted": "auto-generated"},
        )
        message.msgId = email.message_id
        if message.has_bad_headers():
            raise ValueError("a header contains a line break")
        self.connection.sendmail(
            sanitize_address(self.sender), [sanitize_address(email.to_address)], message.as_bytes()
        )
