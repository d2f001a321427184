"""``flask reminders preview`` explains what would go and changes nothing; ``sweep`` runs it."""

# ruff: noqa: F811

from __future__ import annotations

import time_machine
from sqlalchemy import func, select
from test_reminders_support import decided, emails, london, world  # noqa: F401  (fixtures)

from tracker.extensions import db
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.models import Notification


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Notification)),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    )


def invoke(runner, *args, clock="2027-03-03 08:30"):
    with time_machine.travel(london(clock), tick=False):
        return runner.invoke(args=["reminders", *args])


def test_preview_lists_each_email_with_its_reasons_and_changes_nothing(world, runner, session):
    soon = world.action("2027-03-17")
    late = world.action("2027-02-17")
    session.commit()
    before = counts()

    result = invoke(runner, "preview", "--at", "2027-03-03T08:30")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 emails would go at 2027-03-03 08:30 UTC:"
    owner_line = next(line for line in lines if "Olive Owner" in line)
    assert f"{soon.ref} due 17/03/2027 is 2 weeks away" in owner_line
    assert f"{late.ref} due 17/02/2027 is 2 weeks overdue" in owner_line
    assert "due-date reminder, overdue reminder" in owner_line
    secretary_line = next(line for line in lines if "Sam Secretary" in line)
    assert f"{late.ref} due 17/02/2027 is 2 weeks overdue: escalated to the secretary" in (
        secretary_line
    )
    assert "weekly digest" in secretary_line
    assert counts() == before


def test_preview_before_eight_says_when_the_emails_would_go(world, runner, session):
    world.action("2027-03-17")
    session.commit()
    result = invoke(runner, "preview", "--at", "2027-03-06T10:00")  # a Saturday
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 emails would go at 2027-03-08 08:00 UTC:")


def test_preview_for_one_board(world, runner, session, make_board):
    other = make_board(name="Other Board")
    world.make_action(other, owner=world.owner, due_on=world.action("2027-03-17").due_on)
    session.commit()
    result = invoke(runner, "preview", "--board", other.ref, "--at", "2027-03-03T08:30")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 email would go") and "Olive Owner" in result.output
    assert "Sam Secretary" not in result.output


def test_sweep_decides_and_writes_as_if_it_were_then(world, runner, session):
    action = world.action("2027-03-17")
    session.commit()
    result = invoke(runner, "sweep", "--at", "2027-03-03T08:30")
    assert result.exit_code == 0, result.output
    assert "Decided 2 reminders (1 digest, 1 due)." in result.output
    assert "Wrote 2 emails to the outbox with 2 reminders" in result.output
    assert action.ref in emails(world.owner)[0].body_text

    again = invoke(runner, "sweep", "--at", "2027-03-03T08:31")
    assert "Decided 0 reminders." in again.output and "Wrote 0 emails" in again.output


def test_sweep_outside_sending_hours_decides_and_says_when_they_go(world, runner, session):
    world.action("2027-03-17")
    session.commit()
    result = invoke(runner, "sweep", "--at", "2027-03-03T07:00")
    assert result.exit_code == 0, result.output
    assert "Not a sending time" in result.output and "2027-03-03 08:00 UTC" in result.output
    assert len(decided()) == 2 and emails() == []


def test_bad_input_exits_non_zero_and_says_what_to_fix(world, runner, session):
    session.commit()
    bad_time = invoke(runner, "sweep", "--at", "next tuesday")
    assert bad_time.exit_code != 0
    assert "is not an ISO 8601 time: write it like 2027-03-14T09:30" in bad_time.output

    bad_board = invoke(runner, "preview", "--board", "nope")
    assert bad_board.exit_code == 1
    assert "There is no board with the reference 'nope'." in bad_board.output
    assert world.board.ref in bad_board.output  # the known boards are listed
