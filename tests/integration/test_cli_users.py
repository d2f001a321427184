"""``flask users create`` and ``flask users token``: success, and each way to get them wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.audit.models import Event
from tracker.boards.models import Membership
from tracker.commands import users as users_commands
from tracker.people.models import ApiToken, Person
from tracker.people.services import (
    check_password,
    find_person_by_email,
    person_for_token,
    set_active,
)

PASSWORD = "correct horse battery"


def people_count(session) -> int:
    return session.scalar(select(func.count(Person.id)))


def test_create_reads_the_password_from_stdin(runner, session):
    result = runner.invoke(
        args=["users", "create", "Ann.Lee@Example.org", "--name", "Ann Lee"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added Ann Lee <ann.lee@example.org>." in result.output
    person = find_person_by_email("ann.lee@example.org")
    assert check_password(person, PASSWORD)
    assert not person.is_admin
    event = session.scalar(select(Event).where(Event.subject_type == "person"))
    assert (event.verb, event.channel, event.actor_id) == ("created", "cli", None)


def test_create_an_admin_member_of_a_board(runner, session, make_board):
    board = make_board(ref="tscp")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "chair@example.org",
            "--name",
            "Chris Chair",
            "--organisation",
            "Tameside Council",
            "--admin",
            "--board",
            "TSCP",
            "--role",
            "chair",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "(an admin, chair of tscp)" in result.output
    person = find_person_by_email("chair@example.org")
    assert person.is_admin
    assert person.organisation.name == "Tameside Council"
    role = session.scalar(
        select(Membership.role).where(
            Membership.person_id == person.id, Membership.board_id == board.id
        )
    )
    assert role == "chair"


def test_create_without_a_password(runner, session):
    result = runner.invoke(
        args=["users", "create", "owner@example.org", "--name", "Olu Owner", "--no-password"]
    )
    assert result.exit_code == 0, result.output
    assert "without a password" in result.output
    assert find_person_by_email("owner@example.org").password_hash is None


def test_create_prompts_twice_at_a_terminal(runner, session, monkeypatch):
    monkeypatch.setattr(users_commands, "stdin_is_terminal", lambda: True)
    result = runner.invoke(
        args=["users", "create", "tty@example.org", "--name", "Tia Tee"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output
    assert check_password(find_person_by_email("tty@example.org"), PASSWORD)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x@example.org", "--name", "X"], "", "--no-password"),
        (["x@example.org", "--name", "X"], "short\n", "at least 12 characters"),
        (["not-an-email", "--name", "X"], PASSWORD, "EMAIL: Enter an email address"),
        (["x@example.org", "--name", "  "], PASSWORD, "--name: Enter the person's full name"),
        (
            ["x@example.org", "--name", "X", "--board", "nope", "--role", "member"],
            PASSWORD,
            "There is no board with the reference 'nope'",
        ),
    ],
)
def test_create_refuses_bad_input_and_changes_nothing(runner, session, args, stdin, message):
    before = people_count(session)
    result = runner.invoke(args=["users", "create", *args], input=stdin)
    assert result.exit_code == 1
    assert message in result.output
    assert "Nothing was changed." in result.output
    assert people_count(session) == before


def test_create_refuses_an_email_already_used(runner, session, make_person):
    make_person(email="taken@example.org")
    result = runner.invoke(
        args=["users", "create", "TAKEN@example.org", "--name", "Other", "--no-password"]
    )
    assert result.exit_code == 1
    assert "taken@example.org already belongs to someone" in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--board", "tscp"], "Give --board and --role together"),
        (["--role", "chair"], "Give --board and --role together"),
        (["--board", "tscp", "--role", "boss"], "'boss' is not one of"),
    ],
)
def test_create_usage_errors_exit_2(runner, session, make_board, extra, message):
    make_board(ref="tscp")
    result = runner.invoke(
        args=["users", "create", "x@example.org", "--name", "X", "--no-password", *extra]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert find_person_by_email("x@example.org") is None


def test_create_needs_a_name(runner, session):
    result = runner.invoke(args=["users", "create", "x@example.org", "--no-password"])
    assert result.exit_code == 2
    assert "Missing option '--name'" in result.output


def test_token_prints_only_the_token(runner, session, make_person):
    person = make_person(email="bi@example.org")
    result = runner.invoke(args=["users", "token", "BI@example.org", "--label", "Power BI"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert person_for_token(lines[0]) == person
    assert session.scalar(select(ApiToken.label).where(ApiToken.person_id == person.id)) == (
        "Power BI"
    )


def test_token_for_an_unknown_email(runner, session):
    result = runner.invoke(args=["users", "token", "ghost@example.org"])
    assert result.exit_code == 1
    assert "No one in Assure has the email address 'ghost@example.org'" in result.output
    assert "users create" in result.output
    assert session.scalar(select(func.count(ApiToken.id))) == 0


def test_token_refused_for_a_deactivated_person(runner, session, make_person):
    admin = make_person(is_admin=True)
    person = make_person(email="gone@example.org")
    set_active(admin, person, False)
    result = runner.invoke(args=["users", "token", "gone@example.org"])
    assert result.exit_code == 1
    assert "deactivated" in result.output
    assert session.scalar(select(func.count(ApiToken.id))) == 0
