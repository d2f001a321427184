"""``flask reminders preview|sweep``: what the reminder sweep would send and why, or run it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.commands import board_by_ref, commits, explain
from tracker.commands.params import IsoTime
from tracker.common.errors import DomainError
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.reminders.preview import preview as preview_at
from tracker.notify.reminders.sweep import sweep as sweep_at

reminders = AppGroup("reminders", help="Reminders and escalations: preview or run the sweep.")

AT_HELP = "As if it were this time (ISO 8601; London time without an offset). Default: now."


@reminders.command("preview")
@click.option("--board", "board_ref", metavar="REF", help="Only the emails about this board.")
@click.option("--at", "at", type=IsoTime(), help=AT_HELP)
def preview(board_ref, at):
    """List the emails the sweep would send, to whom, about what and why; change nothing."""
    try:
        board = board_by_ref(board_ref) if board_ref else None
        result = preview_at(at or utcnow(), board)
    except DomainError as exc:
        raise click.ClickException(explain(exc)) from exc
    finally:
        # Nothing a preview did may stay, whatever happened.
        db.session.rollback()
    for line in result.lines():
        click.echo(line)


@reminders.command("sweep")
@click.option("--at", "at", type=IsoTime(), help=AT_HELP)
@commits()
def sweep(at):
    """Decide the reminders that are due and, at a sending time, write their emails."""
    return sweep_at(at or utcnow()).lines()
