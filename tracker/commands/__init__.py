"""Command-line commands, one module per area; ``tracker.cli.register`` adds them to the app.

Every command is one transaction: ``commits`` commits it when the command succeeds and rolls it
back when it fails, turning the service layer's domain errors into a message and exit status 1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import click
from sqlalchemy import select

from tracker.boards.models import Board
from tracker.common.errors import DomainError, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import find_person_by_email


def explain(error: DomainError, names: Mapping[str, str] | None = None) -> str:
    """Say what went wrong in the terms of the command line, and that nothing was saved.

    ``names`` maps the service layer's field names to what the operator typed (``--name``,
    ``EMAIL``), so that each problem points at the argument to fix.
    """
    names = names or {}
    if isinstance(error, ValidationFailed) and error.fields:
        problems = [f"{names.get(field, field)}: {text}" for field, text in error.fields.items()]
        body = problems[0] if len(problems) == 1 else "\n".join(f"  - {p}" for p in problems)
        if len(problems) > 1:
            body = "please fix these:\n" + body
    else:
        body = error.message
    return f"{body}\nNothing was changed."


def commits(names: Mapping[str, str] | None = None) -> Callable:
    """Decorate a command so that it commits at its end, or rolls back and exits 1 with a reason.

    Put it below the click decorators, directly on the function. What the command returns (a
    line or a list of lines) is printed only after the commit, so that nothing announces a
    change, or hands out a token or a password, that was then not saved.
    """

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def run(*args, **kwargs):
            try:
                result = command(*args, **kwargs)
            except DomainError as exc:
                db.session.rollback()
                raise click.ClickException(explain(exc, names)) from exc
            except BaseException:
                # Usage errors, Ctrl-C and bugs alike: half a command must never be committed.
                db.session.rollback()
                raise
            try:
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
            for line in [result] if isinstance(result, str) else result or []:
                click.echo(line)

        return run

    return decorate


def board_by_ref(ref: str) -> Board:
    """The board with this short reference, for the operator (who may see every board)."""
    board = db.session.scalar(select(Board).where(Board.ref == ref.strip().lower()))
    if board is None:
        known = db.session.scalars(select(Board.ref).order_by(Board.ref).limit(20)).all()
        hint = f" Known boards: {', '.join(known)}." if known else " There are no boards yet."
        raise NotFound(f"There is no board with the reference {ref!r}.{hint}")
    return board


def person_by_email(email: str) -> Person:
    """The person with this email address (any case), or NotFound saying how to add them."""
    person = find_person_by_email(email)
    if person is None:
        raise NotFound(
            f"No one in Assure has the email address {email!r}. "
            "Add them first with: flask --app wsgi users create EMAIL --name NAME"
        )
    return person
