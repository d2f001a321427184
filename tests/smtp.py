"""A real SMTP server for the tests: aiosmtpd on a free loopback port, keeping what it receives.

aiosmtpd cannot bind port 0, so a free port is found first (bound, read and released). The
server can be stopped and started again on the same port, to play a mail server that is down.
"""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, made by openssl in ``folder``: (cert, key)."""
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the envelope, and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def body(self, subtype: str) -> str:
        """The ``plain`` or ``html`` part's text."""
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        return part.get_content()


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.server.refused:
            return "550 5.1.1 Recipient address rejected: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        with self.server.lock:
            self.server.messages.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed)
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """``messages`` holds what arrived, oldest first; ``stop()`` and ``start()`` take the
    server down and bring it back on the same port."""

    def __init__(self, tls_context: ssl.SSLContext | None = None) -> None:
        self.port = free_port()
        # With a context, the server offers STARTTLS with its certificate.
        self.tls_context = tls_context
        self.messages: list[Received] = []
        self.refused: set[str] = set()
        # Seconds each message takes to be accepted: a slow server, for the race tests.
        self.delay = 0.0
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def start(self) -> None:
        extra = {"tls_context": self.tls_context} if self.tls_context else {}
        self.controller = Controller(_Collector(self), hostname=HOST, port=self.port, **extra)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def refuse(self, address: str) -> None:
        """Answer 550 (no such user) when asked to deliver to ``address``."""
        self.refused.add(address)

    @property
    def running(self) -> bool:
        return self.controller is not None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address in m.rcpt_tos]
