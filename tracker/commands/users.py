"""``flask users ...``: add people and give them API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from tracker.boards.models import ROLES
from tracker.boards.services import add_member
from tracker.commands import board_by_ref, commits, person_by_email
from tracker.common.errors import ValidationFailed
from tracker.people.services import create_person, issue_api_token

users = AppGroup("users", help="People: add them, and give them API tokens.")

# The service layer's field names, as the operator typed them.
CREATE_NAMES = {"email": "EMAIL", "name": "--name", "role": "--role", "board": "--board"}


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_password() -> str:
    """The new person's password: asked for twice, hidden, at a terminal; else one line of stdin.

    Reading stdin lets scripts pipe a password in without it showing in ``ps`` or shell history.
    """
    if stdin_is_terminal():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = (sys.stdin.readline() if sys.stdin else "").rstrip("\r\n")
    if not line:
        raise ValidationFailed(
            {
                "password": "no password on standard input. Pipe one line in "
                "(e.g. `... users create EMAIL --name NAME < password.txt`), or give "
                "--no-password for someone who never signs in."
            }
        )
    return line


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--organisation", metavar="ORG", help="Their agency, e.g. 'Oldham Council'.")
@click.option("--job-title", default="", help="Their job title.")
@click.option("--admin", "is_admin", is_flag=True, help="Let them manage people and boards.")
@click.option("--board", "board_ref", metavar="REF", help="Add them to this board (with --role).")
@click.option("--role", type=click.Choice(ROLES), help="Their role on --board.")
@click.option(
    "--no-password",
    is_flag=True,
    help="Do not read a password: for action owners who only use emailed links.",
)
@commits(CREATE_NAMES)
def create(email, name, organisation, job_title, is_admin, board_ref, role, no_password):
    """Add a person; their password is read from standard input."""
    if bool(board_ref) != bool(role):
        raise click.UsageError("Give --board and --role together, e.g. --board tscp --role chair.")
    # Look the board up before asking for a password, so a typo fails before any typing.
    board = board_by_ref(board_ref) if board_ref else None
    password = None if no_password else read_password()
    person = create_person(
        None,
        name=name,
        email=email,
        organisation=organisation,
        job_title=job_title,
        password=password,
        is_admin=is_admin,
        channel="cli",
    )
    what = ["an admin"] if is_admin else []
    if board is not None:
        add_member(None, board, person, role, channel="cli")
        what.append(f"{role} of {board.ref}")
    if password is None:
        what.append("without a password")
    suffix = f" ({', '.join(what)})" if what else ""
    return f"Added {person.name} <{person.email}>{suffix}."


@users.command("token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for, e.g. 'Power BI'.")
@commits({"email": "EMAIL"})
def token(email, label):
    """Print a new API token for a person: the only line on standard output.

    Keep it safe; Assure stores only its digest and cannot show it again.
    """
    person = person_by_email(email)
    if not person.is_active:
        raise ValidationFailed(
            {"EMAIL": f"{person.email} is deactivated; reactivate them before issuing a token."}
        )
    return issue_api_token(person, label.strip())
