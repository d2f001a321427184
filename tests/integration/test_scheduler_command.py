"""``flask scheduler``: ``--once`` runs the jobs through the tick and says how each went; bad
input exits 2 saying what to fix; and the real process ticks, then stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, select

from tracker import create_app
from tracker.extensions import db
from tracker.notify.outbox import enqueue
from tracker.scheduler.jobs import Job, job_named
from tracker.scheduler.models import FAILED, OK, SchedulerTick

ROOT = Path(__file__).resolve().parents[2]


def job(job_id: str, run) -> Job:
    return Job(
        id=job_id,
        title=job_id,
        run=run,
        trigger=lambda config: IntervalTrigger(minutes=1),
        every=lambda config: 60,
    )


@pytest.fixture
def waiting(session, make_person):
    person = make_person(email="olive@trust.example")
    for n in range(2):
        enqueue(
            "note",
            to_person=person,
            subject=f"Note {n}",
            template="signed_off",
            context={"action": None, "board": None, "who": "Someone", "person": person},
        )
    session.commit()


def outcomes(session) -> dict[str, str]:
    session.expire_all()
    return {row.job: row.last_outcome for row in session.scalars(select(SchedulerTick))}


def test_once_runs_every_job_and_exits_0(runner, session, waiting, monkeypatch):
    seen = []
    jobs = (job_named("outbox"), job("tidy", lambda at: seen.append(at) or 4))
    monkeypatch.setattr("tracker.commands.scheduler.JOBS", jobs)

    result = runner.invoke(args=["scheduler", "--once", "--at", "2027-03-01T09:00"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "outbox: ok (claimed=0 sent=0 retrying=0 failed=0 left=2).",  # no MAIL_SERVER
        "tidy: ok (count=4).",
    ]
    assert seen == [datetime(2027, 3, 1, 9, 0, tzinfo=UTC)]  # London time, GMT in March
    assert outcomes(session) == {"outbox": OK, "tidy": OK}


def test_once_exits_1_when_a_job_failed_and_still_runs_the_others(runner, session, monkeypatch):
    def broken(at):
        raise KeyError("olive@trust.example")

    jobs = (job("broken", broken), job("after", lambda at: 1))
    monkeypatch.setattr("tracker.commands.scheduler.JOBS", jobs)

    result = runner.invoke(args=["scheduler", "--once"])

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "broken: failed (KeyError).",
        "after: ok (count=1).",
        "Error: broken failed: the log says where; the next tick tries again.",
    ]
    assert "olive@" not in result.output
    assert outcomes(session) == {"broken": FAILED, "after": OK}


def test_once_with_job_runs_only_that_job(runner, session, waiting):
    result = runner.invoke(args=["scheduler", "--once", "--job", "outbox"])

    assert result.exit_code == 0, result.output
    assert result.output == "outbox: ok (claimed=0 sent=0 retrying=0 failed=0 left=2).\n"
    assert outcomes(session) == {"outbox": OK}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--once", "--job", "sweep"], "'sweep' is not one of 'reminders', 'outbox', 'snapshots'"),
        (["--once", "--at", "tomorrow"], "is not an ISO 8601 time: write it like 2027-03-14T09:30"),
        (["--job", "outbox"], "--job and --at go with --once (run the jobs once and exit)."),
        (["--at", "2027-03-01T09:00"], "--job and --at go with --once"),
    ],
)
def test_bad_input_exits_2_saying_what_to_fix(runner, session, args, message):
    result = runner.invoke(args=["scheduler", *args])

    assert result.exit_code == 2
    assert message in result.output
    assert outcomes(session) == {}  # nothing ran


def test_a_sweep_interval_that_cannot_work_is_refused(runner, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_SWEEP_MINUTES", 0)

    result = runner.invoke(args=["scheduler"])

    assert result.exit_code == 1
    assert "REMINDER_SWEEP_MINUTES must be at least 1, not 0" in result.output


def test_outbox_deliver_refuses_a_bad_time_too(runner, session):
    result = runner.invoke(args=["outbox", "deliver", "--at", "next tuesday"])
    assert result.exit_code == 2
    assert "'next tuesday' is not an ISO 8601 time" in result.output


def test_the_process_ticks_and_stops_cleanly_on_sigterm(empty_database_url, tmp_path):
    """The real ``flask --app wsgi scheduler``, as its own process, on a database of its own."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    env = {
        **os.environ,
        "ASSURE_ENV": "development",
        "DATABASE_URL": empty_database_url,
        "ASSURE_INSTANCE_DIR": str(tmp_path),
        "LOG_LEVEL": "INFO",
    }
    env.pop("MAIL_SERVER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        # The jobs run once at start-up: wait (with a deadline) for the outbox's heartbeat.
        deadline = time.monotonic() + 60
        while not _outbox_ticked(engine):
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the scheduler never ticked"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        engine.dispose()

    assert process.returncode == 0, output
    assert "The scheduler is running (Europe/London); press Ctrl-C to stop." in output
    assert "tick outbox ok in" in output
    assert "scheduler stopping (SIGTERM): waiting for running ticks" in output
    assert output.rstrip().endswith("scheduler stopped")
    assert "Traceback" not in output


def _outbox_ticked(engine) -> bool:
    with engine.connect() as connection:
        finished = connection.execute(
            select(SchedulerTick.last_finished_at).where(SchedulerTick.job == "outbox")
        ).scalar()
    return finished is not None
