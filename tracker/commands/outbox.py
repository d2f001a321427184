"""``flask outbox deliver``: send the emails that are due, once or every N seconds.

An unreachable mail server is not an error here: the messages wait and are retried, and the
command says so and exits 0. Only bad input (an --at that is not a time) exits non-zero.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime

import click
from flask.cli import AppGroup

from tracker.commands.params import IsoTime
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.delivery import DeliveryReport, deliver_due
from tracker.notify.sender import mail_server_configured

outbox = AppGroup("outbox", help="Emails: deliver the ones that are due.")
log = logging.getLogger(__name__)


@outbox.command("deliver")
@click.option("--at", "at", type=IsoTime(), help="Deliver what is due at this time instead of now.")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Keep delivering, waiting this long between runs, until stopped (Ctrl-C).",
)
@click.option("--batch-size", default=50, show_default=True, type=click.IntRange(min=1, max=1000))
def deliver(at, every, batch_size):
    """Send the emails that are due, and say how many were sent, retried, failed and left."""
    if every is None:
        click.echo(describe(deliver_all_due(at, batch_size)))
        return
    click.echo(f"Delivering the outbox every {every} seconds; press Ctrl-C to stop.")
    if not mail_server_configured():
        click.echo(
            "No mail server is configured (MAIL_SERVER is empty): emails wait in the outbox, "
            "and admins and secretaries read them on the mailbox page (/admin/mailbox)."
        )
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        while True:
            try:
                click.echo(describe(deliver_all_due(at, batch_size), quiet=True), nl=False)
            except Exception:
                # A bad moment for the database must not end the loop: try again next time.
                db.session.rollback()
                log.exception("outbox delivery failed; trying again in %d seconds", every)
            finally:
                db.session.remove()
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo("Stopped delivering the outbox.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(signum, frame):
    """SIGTERM (``kill``, as ``make run`` stops the loop) ends it as Ctrl-C does. A message
    being sent at that moment is claimed again after CLAIM_TIMEOUT: it is not lost."""
    raise KeyboardInterrupt


def deliver_all_due(at: datetime | None, batch_size: int) -> DeliveryReport:
    """Batch after batch until nothing more is due, or the mail server cannot be reached."""
    total = DeliveryReport()
    while True:
        report = deliver_due(now=at or utcnow(), batch_size=batch_size)
        total.claimed += report.claimed
        total.sent += report.sent
        total.retrying += report.retrying
        total.failed += report.failed
        total.left, total.mail_server, total.problem = (
            report.left,
            report.mail_server,
            report.problem,
        )
        if report.claimed < batch_size or report.problem:
            return total


def describe(report: DeliveryReport, *, quiet: bool = False) -> str:
    """What a run did, in words; with ``quiet``, nothing at all for a run with nothing to do."""
    if not report.mail_server:
        if quiet:
            return ""
        return (
            f"{report.problem} Nothing was sent: {plural(report.left, 'email')} waiting in the "
            "outbox. Admins can read them on the mailbox page (/admin/mailbox); set "
            "MAIL_SERVER to send them."
        )
    if quiet and not report.claimed:
        return ""
    lines = [
        f"Sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
        f"left {report.left}."
    ]
    if report.problem:
        lines.append(f"{report.problem} The emails wait in the outbox and will be retried.")
    return "\n".join(lines) + ("\n" if quiet else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
