"""A tick: it runs the job, commits, and records the heartbeat; a failure is recorded (its
class, never its message), rolls the job's work back, and does not stop the next tick."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tracker.extensions import db
from tracker.notify.models import SENT, OutboxMessage
from tracker.notify.outbox import enqueue
from tracker.people.models import Person
from tracker.scheduler.jobs import Job
from tracker.scheduler.models import FAILED, OK, SchedulerTick
from tracker.scheduler.ticks import counts_of, run_job

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_job(job_id: str, run) -> Job:
    return Job(
        id=job_id,
        title=job_id,
        run=run,
        trigger=lambda config: IntervalTrigger(minutes=1),
        every=lambda config: 60,
    )


test_job.__test__ = False  # a factory, not a test


def heartbeat(session, job_id: str) -> SchedulerTick | None:
    session.expire_all()
    return session.get(SchedulerTick, job_id)


def people_named(session, name: str) -> list[Person]:
    session.expire_all()
    return list(session.scalars(select(Person).where(Person.name == name)))


def test_a_tick_runs_the_job_commits_and_records_the_heartbeat(app, session):
    from tracker.people.services import create_person

    seen = []

    def adds_a_person(at):
        seen.append(at)
        create_person(None, name="Tick Person", email="tick@example.org")
        return {"added": 1, "note": "never logged"}

    with time_machine.travel(T0, tick=False):
        tick = run_job(app, test_job("adder", adds_a_person))

    assert tick.outcome == OK and tick.counts == {"added": 1}
    assert seen == [T0]
    assert len(people_named(session, "Tick Person")) == 1  # committed by the tick
    row = heartbeat(session, "adder")
    assert (row.last_started_at, row.last_finished_at, row.last_succeeded_at) == (T0, T0, T0)
    assert (row.last_outcome, row.last_error, row.last_summary) == (OK, "", "added=1")
    assert (row.run_count, row.consecutive_failures) == (1, 0)
    assert (row.host, row.pid) == (socket.gethostname(), os.getpid())


def test_the_job_is_given_the_time_asked_for(app, session):
    seen = []
    at = T0 + timedelta(days=3)
    run_job(app, test_job("when", lambda moment: seen.append(moment)), at=at)
    assert seen == [at]


def test_a_failing_job_is_rolled_back_and_recorded_by_its_error_class(app, session, caplog):
    from tracker.people.services import create_person

    def fails(at):
        create_person(None, name="Half Done", email="half@example.org")
        raise RuntimeError("SMTP password hunter2 refused for olive@trust.example")

    with time_machine.travel(T0, tick=False):
        tick = run_job(app, test_job("breaks", fails))

    assert (tick.outcome, tick.error) == (FAILED, "RuntimeError")
    assert people_named(session, "Half Done") == []  # the job's work was rolled back
    row = heartbeat(session, "breaks")
    assert (row.last_outcome, row.last_error) == (FAILED, "RuntimeError")
    assert (row.last_finished_at, row.last_succeeded_at) == (T0, None)
    assert (row.run_count, row.consecutive_failures) == (1, 1)
    # The log says what and where, never what the exception carried.
    assert "tick breaks failed" in caplog.text and "RuntimeError at " in caplog.text
    assert "hunter2" not in caplog.text and "olive@" not in caplog.text


def test_the_next_tick_runs_after_a_failure(app, session):
    outcomes = iter([RuntimeError("first"), ValueError("second"), None])

    def flaky(at):
        problem = next(outcomes)
        if problem:
            raise problem
        return 7

    for minute in range(3):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            run_job(app, test_job("flaky", flaky))
        row = heartbeat(session, "flaky")
        if minute == 1:
            assert (row.last_error, row.consecutive_failures) == ("ValueError", 2)

    assert (row.last_outcome, row.last_error, row.last_summary) == (OK, "", "count=7")
    assert (row.run_count, row.consecutive_failures) == (3, 0)
    assert row.last_succeeded_at == T0 + timedelta(minutes=2)


def test_a_job_whose_module_is_missing_is_a_failed_tick(app, session):
    def missing(at):
        from tracker import no_such_module  # noqa: F401

    tick = run_job(app, test_job("missing", missing))

    assert (tick.outcome, tick.error) == (FAILED, "ImportError")
    assert heartbeat(session, "missing").last_error == "ImportError"


def test_delivery_as_a_tick_logs_one_line_of_counts_and_no_address(
    app, session, make_person, smtp_server, caplog
):
    person = make_person(email="olive@trust.example")
    for n in range(3):
        enqueue(
            "note",
            to_person=person,
            subject=f"Note {n}",
            template="signed_off",
            context={"action": None, "board": None, "who": "Someone", "person": person},
        )
    session.commit()
    caplog.set_level(logging.INFO, logger="tracker")

    tick = run_job(app, "outbox")

    assert tick.outcome == OK
    assert tick.counts == {"claimed": 3, "sent": 3, "retrying": 0, "failed": 0, "left": 0}
    assert len(smtp_server.messages) == 3
    session.expire_all()
    assert set(session.scalars(select(OutboxMessage.status))) == {SENT}
    ticks = [r for r in caplog.records if r.name == "tracker.scheduler.ticks"]
    assert [r.getMessage().split(" in ")[0] for r in ticks] == ["tick outbox ok"]
    assert ticks[0].getMessage().endswith(": claimed=3 sent=3 retrying=0 failed=0 left=0")
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("tracker"))
    assert "trust.example" in ours and "olive@" not in ours  # the domain only, from delivery
    summary = heartbeat(session, "outbox").last_summary
    assert summary == "claimed=3 sent=3 retrying=0 failed=0 left=0"


@pytest.mark.parametrize(
    ("result", "counts"),
    [
        (4, {"count": 4}),
        (None, {}),
        (True, {}),
        ({"sent": 2, "to": "olive@trust.example", "ok": True}, {"sent": 2}),
    ],
)
def test_only_whole_numbers_of_a_report_are_kept(result, counts):
    assert counts_of(result) == counts


def test_a_report_object_gives_its_counts():
    class Report:
        def __init__(self):
            self.decided = 5
            self.queued = 3
            self.problem = "mail for olive@trust.example bounced"
            self._private = 9

    assert counts_of(Report()) == {"decided": 5, "queued": 3}


def test_a_database_failure_around_the_job_is_a_failed_tick_not_a_crash(app, session, monkeypatch):
    def unreachable(job_id):
        raise OperationalError("UPDATE", {}, Exception("connection to db.internal:5432 refused"))

    monkeypatch.setattr("tracker.scheduler.ticks._record_start", unreachable)
    runs = []

    tick = run_job(app, test_job("cut-off", runs.append))

    assert (tick.outcome, tick.error) == (FAILED, "OperationalError")
    assert runs == []  # without a heartbeat, the job does not run


def test_a_heartbeat_that_cannot_be_written_does_not_undo_the_job(
    app, session, monkeypatch, caplog
):
    from tracker.people.services import create_person

    real_execute = session.execute

    def execute(statement, *args, **kwargs):
        if "last_finished_at" in str(statement):
            raise OperationalError("UPDATE", {}, Exception("server closed the connection"))
        return real_execute(statement, *args, **kwargs)

    def adds(at):
        create_person(None, name="Kept Person", email="kept@example.org")
        monkeypatch.setattr(db.session, "execute", execute)

    tick = run_job(app, test_job("unrecorded", adds))

    assert tick.outcome == OK
    assert len(people_named(session, "Kept Person")) == 1
    assert "tick unrecorded: could not record its outcome (OperationalError)" in caplog.text
