"""The scheduler's fixed jobs and how the process is built, checked without starting it;
and create_app, which must start no scheduler at all."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker import create_app
from tracker.common.time import LONDON
from tracker.scheduler.jobs import JOBS, job_named
from tracker.scheduler.process import build_scheduler
from tracker.scheduler.ticks import run_job


@pytest.fixture
def scheduler(app):
    return build_scheduler(app)


def test_the_jobs_and_their_stable_ids(scheduler):
    assert [job.id for job in JOBS] == ["reminders", "outbox", "snapshots"]
    assert [job.id for job in scheduler.get_jobs()] == ["reminders", "outbox", "snapshots"]


def test_a_blocking_scheduler_in_london_time_with_jobs_in_memory(scheduler):
    assert isinstance(scheduler, BlockingScheduler)
    assert scheduler.timezone == LONDON
    assert not scheduler.running
    for job in scheduler.get_jobs():
        assert job.func is run_job
        assert job.trigger.timezone == LONDON


def test_no_job_overlaps_itself_and_missed_runs_are_coalesced(scheduler):
    for job in scheduler.get_jobs():
        assert job.coalesce is True
        assert job.max_instances == 1
    grace = {job.id: job.misfire_grace_time for job in scheduler.get_jobs()}
    # Minutes for the frequent jobs; half a day for the daily snapshot, so that a machine
    # busy or asleep at 00:30 still takes it.
    assert grace == {"reminders": 300, "outbox": 300, "snapshots": 12 * 60 * 60}


def test_how_often_each_job_runs(scheduler):
    triggers = {job.id: job.trigger for job in scheduler.get_jobs()}
    assert isinstance(triggers["reminders"], IntervalTrigger)
    assert triggers["reminders"].interval == timedelta(minutes=5)
    assert isinstance(triggers["outbox"], IntervalTrigger)
    assert triggers["outbox"].interval == timedelta(minutes=1)
    assert isinstance(triggers["snapshots"], CronTrigger)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Summer (BST): 00:30 in London is 23:30 UTC the day before.
        (datetime(2027, 7, 1, 12, 0, tzinfo=UTC), datetime(2027, 7, 1, 23, 30, tzinfo=UTC)),
        # Winter (GMT): 00:30 in London is 00:30 UTC.
        (datetime(2027, 1, 10, 12, 0, tzinfo=UTC), datetime(2027, 1, 11, 0, 30, tzinfo=UTC)),
        # Across the spring clock change (01:00 UTC on 28 March 2027): once each day.
        (datetime(2027, 3, 27, 12, 0, tzinfo=UTC), datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),
        (datetime(2027, 3, 28, 0, 31, tzinfo=UTC), datetime(2027, 3, 28, 23, 30, tzinfo=UTC)),
        # And the autumn one (01:00 UTC on 31 October 2027).
        (datetime(2027, 10, 30, 12, 0, tzinfo=UTC), datetime(2027, 10, 30, 23, 30, tzinfo=UTC)),
        (datetime(2027, 10, 30, 23, 31, tzinfo=UTC), datetime(2027, 11, 1, 0, 30, tzinfo=UTC)),
    ],
)
def test_the_daily_snapshot_is_at_half_past_midnight_in_london(scheduler, after, expected):
    trigger = {job.id: job.trigger for job in scheduler.get_jobs()}["snapshots"]
    assert trigger.get_next_fire_time(None, after.astimezone(LONDON)) == expected


def test_every_job_also_runs_as_the_scheduler_starts(app):
    """A missed day's snapshot (the scheduler was down at 00:30) is caught up at start-up."""
    before = datetime.now(UTC)
    scheduler = build_scheduler(app)
    for job in scheduler.get_jobs():
        assert before <= job.next_run_time <= datetime.now(UTC), job.id


def test_the_sweep_interval_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_SWEEP_MINUTES", 15)
    trigger = {job.id: job.trigger for job in build_scheduler(app).get_jobs()}["reminders"]
    assert trigger.interval == timedelta(minutes=15)
    assert job_named("reminders").every(app.config) == 15 * 60


def test_a_sweep_interval_under_a_minute_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_SWEEP_MINUTES", 0)
    with pytest.raises(RuntimeError, match="REMINDER_SWEEP_MINUTES must be at least 1, not 0"):
        build_scheduler(app)


def test_an_unknown_job_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="the jobs are reminders, outbox, snapshots"):
        job_named("sweep")


def test_create_app_starts_no_scheduler_and_no_thread():
    gc.collect()
    schedulers_before = {id(o) for o in gc.get_objects() if isinstance(o, BaseScheduler)}
    threads_before = set(threading.enumerate())

    app = create_app({})

    gc.collect()
    new_schedulers = [
        o
        for o in gc.get_objects()
        if isinstance(o, BaseScheduler) and id(o) not in schedulers_before
    ]
    assert new_schedulers == []
    assert not any(o.running for o in gc.get_objects() if isinstance(o, BaseScheduler))
    assert set(threading.enumerate()) - threads_before == set()
    assert "scheduler" in app.cli.commands  # the command is there, for its own process
