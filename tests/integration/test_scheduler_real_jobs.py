"""The scheduler's real jobs, each run as one tick: the reminder sweep writes the day's email
once, and the daily snapshot records each board's figures once a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from tracker.common.time import LONDON
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.writing import MESSAGE_KIND
from tracker.oversight.snapshots import BoardSnapshot
from tracker.scheduler.models import OK
from tracker.scheduler.ticks import run_job

# A Monday at 08:30 in London, three days before the action falls due.
MONDAY_MORNING = datetime(2027, 3, 1, 8, 30, tzinfo=LONDON)
DUE = date(2027, 3, 4)


def reminder_emails(session, person) -> int:
    session.expire_all()
    return session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == MESSAGE_KIND, OutboxMessage.to_person_id == person.id
        )
    )


def test_the_reminders_tick_sends_the_owner_one_email_and_a_second_tick_nothing_more(
    app, session, make_action, make_person
):
    owner = make_person(name="Olive Owner", email="olive@trust.example")
    make_action(owner=owner, due_on=DUE)
    session.commit()

    first = run_job(app, "reminders", at=MONDAY_MORNING)
    again = run_job(app, "reminders", at=MONDAY_MORNING)

    assert first.outcome == OK and again.outcome == OK
    assert reminder_emails(session, owner) == 1


def test_the_snapshots_tick_records_each_board_once_a_day(app, session, make_action, make_board):
    board = make_board()
    make_action(board)
    make_action(board, status="completed")
    session.commit()

    for _ in range(2):
        assert run_job(app, "snapshots", at=MONDAY_MORNING).outcome == OK

    session.expire_all()
    [snapshot] = session.scalars(select(BoardSnapshot).where(BoardSnapshot.board_id == board.id))
    assert snapshot.taken_on == MONDAY_MORNING.date()
    assert (snapshot.total, snapshot.open, snapshot.completed) == (2, 1, 1)
