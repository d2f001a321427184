"""/healthz and the scheduler: each job's last tick, the outbox backlog, and when to answer 503
(monitoring, the default scope) or not (a load balancer, ``?scope=instance``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tracker.extensions import db
from tracker.notify.models import SENT
from tracker.notify.outbox import enqueue
from tracker.scheduler.models import FAILED, OK, SchedulerTick
from tracker.scheduler.ticks import run_job

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
STALE = 15 * 60  # SCHEDULER_STALE_AFTER_SECONDS's default


@pytest.fixture
def ticked(session):
    """Record a job's latest tick as the scheduler would have."""

    def record(job, *, finished, outcome=OK, succeeded=None, error=""):
        if outcome == OK:
            succeeded = finished
        session.merge(
            SchedulerTick(
                job=job,
                last_started_at=finished,
                last_finished_at=finished,
                last_succeeded_at=succeeded,
                last_outcome=outcome,
                last_error=error,
                last_summary="",
                host="sched-1",
                pid=4242,
                run_count=1,
                consecutive_failures=0 if outcome == OK else 1,
            )
        )
        session.commit()

    return record


@pytest.fixture
def all_ticked(ticked):
    """Every job ran well at T0."""
    for job in ("reminders", "outbox", "snapshots"):
        ticked(job, finished=T0)


def health(client, at, scope=None):
    with time_machine.travel(at, tick=False):
        return client.get("/healthz" + (f"?scope={scope}" if scope else ""))


def test_a_scheduler_that_never_ran_is_reported_but_is_not_a_failure(client):
    response = health(client, T0)

    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "scheduler": "not run yet"}
    scheduler = response.json["scheduler"]
    assert (scheduler["last_tick_at"], scheduler["age_seconds"]) == (None, None)
    assert scheduler["jobs"] == {
        "reminders": {"status": "never"},
        "outbox": {"status": "never"},
        "snapshots": {"status": "never"},
    }


def test_recent_ticks_are_healthy_with_their_ages(client, all_ticked, ticked):
    ticked("outbox", finished=T0 + timedelta(minutes=4))

    response = health(client, T0 + timedelta(minutes=5))

    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["checks"] == {"database": "ok", "scheduler": "ok"}
    scheduler = response.json["scheduler"]
    assert scheduler["last_tick_at"] == "2027-03-01T09:04:00+00:00"
    assert scheduler["age_seconds"] == 60
    assert scheduler["stale_after_seconds"] == STALE
    assert scheduler["jobs"]["outbox"] == {
        "status": "ok",
        "last_tick_at": "2027-03-01T09:04:00+00:00",
        "age_seconds": 60,
        "last_success_at": "2027-03-01T09:04:00+00:00",
    }
    assert scheduler["jobs"]["reminders"]["age_seconds"] == 300
    assert "sched-1" not in response.get_data(as_text=True)  # no host names for the world


def test_a_silent_scheduler_is_503_for_monitoring_but_not_for_a_load_balancer(client, all_ticked):
    # The outbox runs every minute: silent once its interval plus the threshold has passed.
    just_in_time = health(client, T0 + timedelta(seconds=60 + STALE))
    too_late = health(client, T0 + timedelta(seconds=60 + STALE + 1))
    balancer = health(client, T0 + timedelta(seconds=60 + STALE + 1), scope="instance")

    assert just_in_time.status_code == 200
    assert too_late.status_code == 503
    assert too_late.json["status"] == "unavailable"
    assert too_late.json["checks"]["scheduler"] == "outbox silent for 961 seconds"
    assert balancer.status_code == 200
    assert balancer.json["checks"]["scheduler"] == "outbox silent for 961 seconds"


def test_a_daily_job_is_not_silent_within_its_day(client, all_ticked, ticked):
    ticked("reminders", finished=T0 + timedelta(hours=23))
    ticked("outbox", finished=T0 + timedelta(hours=23))

    assert health(client, T0 + timedelta(hours=23, minutes=1)).status_code == 200
    late = health(client, T0 + timedelta(hours=24, seconds=STALE + 1))
    assert late.status_code == 503
    assert "snapshots silent for" in late.json["checks"]["scheduler"]


def test_a_job_failing_briefly_is_reported_without_503(client, all_ticked, ticked):
    ticked(
        "reminders",
        finished=T0 + timedelta(minutes=10),
        outcome=FAILED,
        succeeded=T0,
        error="OperationalError",
    )

    response = health(client, T0 + timedelta(minutes=11))

    assert response.status_code == 200
    assert response.json["scheduler"]["jobs"]["reminders"] == {
        "status": "failed",
        "error": "OperationalError",
        "last_tick_at": "2027-03-01T09:10:00+00:00",
        "age_seconds": 60,
        "last_success_at": "2027-03-01T09:00:00+00:00",
    }


def test_a_job_failing_for_longer_than_the_threshold_is_503(client, all_ticked, ticked):
    ticked("outbox", finished=T0 + timedelta(minutes=20))
    ticked(
        "reminders",
        finished=T0 + timedelta(minutes=20),
        outcome=FAILED,
        succeeded=T0,
        error="OperationalError",
    )

    response = health(client, T0 + timedelta(minutes=21))

    assert response.status_code == 503
    assert response.json["checks"]["scheduler"] == "reminders failing (OperationalError)"
    assert health(client, T0 + timedelta(minutes=21), scope="instance").status_code == 200


def test_a_job_that_never_succeeded_is_503_at_its_first_failure(client, all_ticked, ticked):
    ticked("snapshots", finished=T0, outcome=FAILED, error="ModuleNotFoundError")

    response = health(client, T0 + timedelta(minutes=1))

    assert response.status_code == 503
    assert response.json["checks"]["scheduler"] == "snapshots failing (ModuleNotFoundError)"


def test_every_problem_is_named(client, all_ticked, ticked):
    ticked("snapshots", finished=T0, outcome=FAILED, error="ModuleNotFoundError")

    response = health(client, T0 + timedelta(hours=1))

    assert response.json["checks"]["scheduler"] == (
        "reminders silent for 3600 seconds; outbox silent for 3600 seconds; "
        "snapshots failing (ModuleNotFoundError)"
    )


def test_the_threshold_is_a_setting(client, app, all_ticked, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_STALE_AFTER_SECONDS", 60)

    response = health(client, T0 + timedelta(seconds=121))

    assert response.status_code == 503
    assert response.json["scheduler"]["stale_after_seconds"] == 60


def test_a_real_tick_then_silence(app, client, session):
    with time_machine.travel(T0, tick=False):
        run_job(app, "outbox")

    fresh = health(client, T0 + timedelta(seconds=30))
    silent = health(client, T0 + timedelta(minutes=20))

    assert fresh.status_code == 200
    assert fresh.json["scheduler"]["jobs"]["outbox"]["age_seconds"] == 30
    assert silent.status_code == 503
    assert silent.json["checks"]["scheduler"] == "outbox silent for 1200 seconds"


def test_the_outbox_backlog_and_its_oldest_email(client, session, make_person):
    person = make_person(email="olive@trust.example")
    for n, minutes in enumerate((0, 5, 10)):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            message = enqueue(
                "note",
                to_person=person,
                subject=f"Note {n}",
                template="signed_off",
                context={"action": None, "board": None, "who": "Someone", "person": person},
            )
            session.flush()
        if n == 0:
            message.status = SENT  # gone: no longer waiting
    session.commit()

    response = health(client, T0 + timedelta(minutes=30))

    assert response.status_code == 200  # a backlog is reported, not a failure
    assert response.json["outbox"] == {
        "waiting": 2,
        "oldest_waiting_at": "2027-03-01T09:05:00+00:00",
        "oldest_age_seconds": 25 * 60,
    }
    assert "olive@" not in response.get_data(as_text=True)


def test_an_empty_outbox(client):
    assert health(client, T0).json["outbox"] == {
        "waiting": 0,
        "oldest_waiting_at": None,
        "oldest_age_seconds": None,
    }


def test_an_unreachable_database_is_503_for_every_caller(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused to db:5432"))

    monkeypatch.setattr(db.session, "execute", broken)

    for scope in (None, "instance"):
        response = health(client, T0, scope=scope)
        assert response.status_code == 503
        assert response.json["checks"] == {"database": "unreachable (OperationalError)"}


def test_an_unreadable_heartbeat_is_503_for_monitoring(client, monkeypatch):
    def no_table(now):
        raise OperationalError("SELECT", {}, Exception("no such table: scheduler_ticks"))

    monkeypatch.setattr("tracker.health.scheduler_health", no_table)

    response = health(client, T0)
    assert response.status_code == 503
    assert response.json["checks"]["scheduler"] == "unknown (OperationalError)"
    assert "no such table" not in response.get_data(as_text=True)
    assert health(client, T0, scope="instance").status_code == 200


def test_an_unknown_scope_is_refused(client):
    response = client.get("/healthz?scope=everything")
    assert response.status_code == 400
    assert response.json["error"]["message"] == "scope must be one of service, instance"


def test_a_fixed_handful_of_queries(client, session, all_ticked):
    """Load balancers ask every few seconds: one SELECT 1, the heartbeat rows, two about the
    outbox; never a query per job or per email."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    session.expunge_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = health(client, T0 + timedelta(minutes=1))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert response.status_code == 200
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 4
