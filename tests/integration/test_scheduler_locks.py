"""Two schedulers on PostgreSQL: a tick takes the job's advisory lock, and a second scheduler
skips that job while the first is running it (other jobs still run)."""

from __future__ import annotations

import threading

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, text

from tracker import create_app
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import create_person
from tracker.scheduler.jobs import Job
from tracker.scheduler.models import FAILED, OK, SchedulerTick
from tracker.scheduler.ticks import SKIPPED, lock_key, run_job


@pytest.fixture
def committed_app(empty_database_url):
    """An app on its own database, where work is really committed (not rolled back)."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): advisory locks are PostgreSQL's; on SQLite "
            "one scheduler runs, and a tick there takes no lock"
        )
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def job(job_id: str, run) -> Job:
    return Job(
        id=job_id,
        title=job_id,
        run=run,
        trigger=lambda config: IntervalTrigger(minutes=1),
        every=lambda config: 60,
    )


def try_lock(connection, job_id: str) -> bool:
    return connection.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(job_id)}
    ).scalar_one()


def ticks(app) -> dict[str, tuple[str, int]]:
    with app.app_context():
        rows = db.session.scalars(select(SchedulerTick)).all()
        db.session.remove()
        return {row.job: (row.last_outcome, row.run_count) for row in rows}


def test_a_tick_is_skipped_while_another_session_holds_the_jobs_lock(committed_app):
    runs = []
    counted = job("count", lambda at: runs.append(at))

    with committed_app.app_context(), db.engine.connect() as other:
        assert try_lock(other, "count")  # another scheduler, mid-tick
        skipped = run_job(committed_app, counted)
        other.rollback()  # its tick ends
    ran = run_job(committed_app, counted)

    assert (skipped.outcome, ran.outcome) == (SKIPPED, OK)
    assert len(runs) == 1
    assert ticks(committed_app) == {"count": (OK, 1)}  # a skipped tick records nothing


def test_a_second_scheduler_skips_a_job_the_first_is_running(committed_app):
    """A real race: the first tick holds the lock across its own commits (delivery commits
    after every claim); the second scheduler skips that job, but runs a different one."""
    inside, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}
    errors: list[BaseException] = []

    def slow(at):
        create_person(None, name="First Scheduler", email="first@example.org")
        db.session.commit()  # a commit inside the job must not release the lock
        inside.set()
        assert release.wait(timeout=30), "the test never released the first tick"
        return 1

    def first_scheduler():
        try:
            outcomes["first"] = run_job(committed_app, job("sweep", slow)).outcome
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=first_scheduler)
    thread.start()
    try:
        assert inside.wait(timeout=30)
        outcomes["second"] = run_job(committed_app, job("sweep", lambda at: 1 / 0)).outcome
        outcomes["other job"] = run_job(committed_app, job("deliver", lambda at: 2)).outcome
    finally:
        release.set()
        thread.join(timeout=30)

    assert errors == []
    assert outcomes == {"first": OK, "second": SKIPPED, "other job": OK}
    assert ticks(committed_app) == {"sweep": (OK, 1), "deliver": (OK, 1)}
    with committed_app.app_context():
        assert db.session.scalars(select(Person.name)).all() == ["First Scheduler"]


def test_a_failed_tick_leaves_no_lock_behind(committed_app):
    def fails(at):
        raise RuntimeError("boom")

    assert run_job(committed_app, job("fragile", fails)).outcome == FAILED

    with committed_app.app_context(), db.engine.connect() as other:
        assert try_lock(other, "fragile")
        other.rollback()


def test_lock_keys_are_stable_and_differ_per_job():
    assert lock_key("outbox") == lock_key("outbox")
    assert len({lock_key(name) for name in ("reminders", "outbox", "snapshots")}) == 3
    assert all(-(2**63) <= lock_key(name) < 2**63 for name in ("reminders", "outbox"))
