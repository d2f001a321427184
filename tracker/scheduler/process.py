"""The scheduler process: APScheduler's BlockingScheduler running the fixed jobs until stopped.

Europe/London time, jobs in memory (their state lives in our tables: the heartbeat, reminders'
keys, the outbox), a thread per job so that a slow sweep never holds up delivery, and a clean
stop on SIGTERM or Ctrl-C: no new ticks start, and the running ones finish and record their
outcome before the process ends.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterable

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from tracker.common.time import LONDON, utcnow
from tracker.scheduler.jobs import JOB_DEFAULTS, JOBS, Job
from tracker.scheduler.ticks import run_job

log = logging.getLogger(__name__)


def build_scheduler(app: Flask, jobs: Iterable[Job] = JOBS) -> BlockingScheduler:
    """A scheduler with every job added, not started (``serve`` starts it)."""
    jobs = list(jobs)
    # APScheduler narrates every job it adds and runs at INFO; our ticks log one line each.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = BlockingScheduler(
        timezone=LONDON,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=max(len(jobs), 1))},
        job_defaults=dict(JOB_DEFAULTS),
    )
    for job in jobs:
        options = {"next_run_time": utcnow().astimezone(LONDON)} if job.at_start else {}
        scheduler.add_job(
            run_job,
            trigger=job.trigger(app.config),
            args=(app, job),
            id=job.id,
            name=job.title,
            # Given per job as well as in job_defaults, so that they hold (and can be checked)
            # before the scheduler starts.
            coalesce=JOB_DEFAULTS["coalesce"],
            max_instances=JOB_DEFAULTS["max_instances"],
            misfire_grace_time=job.misfire_grace_time,
            replace_existing=True,
            **options,
        )
    return scheduler


def serve(app: Flask, scheduler: BlockingScheduler | None = None) -> None:
    """Run the scheduler in the foreground until SIGTERM or SIGINT (Ctrl-C).

    The first signal stops it cleanly: no new ticks, and the running ones finish and record
    their outcome. A second one (a tick that hangs) ends the process at once; what a tick had
    not committed is rolled back by the database, and an email it had claimed is claimed again
    after delivery's CLAIM_TIMEOUT.
    """
    scheduler = scheduler or build_scheduler(app)
    stopping: list[threading.Thread] = []

    def stop(signum, frame):
        name = signal.Signals(signum).name
        if stopping:
            log.warning("scheduler stopping now (%s again), without waiting", name)
            os._exit(1)
        log.info("scheduler stopping (%s): waiting for running ticks", name)
        # Shut down from another thread: the handler runs in the main thread, which may be
        # inside the scheduler's loop holding its locks; shutdown waits for running ticks.
        stopper = threading.Thread(target=scheduler.shutdown, name="scheduler-stop")
        stopping.append(stopper)
        stopper.start()

    previous = {}

    def handle_signals(event):
        # Only once the scheduler runs (this listener is called from start(), in the main
        # thread): a signal before that ends the process the usual way, with nothing running.
        # A SIGINT ignored by whoever started us (a shell's background job) stays ignored.
        for sig in (signal.SIGTERM, signal.SIGINT):
            if signal.getsignal(sig) is not signal.SIG_IGN:
                previous[sig] = signal.signal(sig, stop)

    scheduler.add_listener(handle_signals, EVENT_SCHEDULER_STARTED)
    log.info(
        "scheduler starting (Europe/London): %s",
        ", ".join(f"{job.id} ({job.trigger})" for job in scheduler.get_jobs()),
    )
    try:
        scheduler.start()
        for stopper in stopping:
            stopper.join()
        log.info("scheduler stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
