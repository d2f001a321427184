"""The scheduler's fixed jobs: what each one does, how often, and how late it may still run.

The list is code, not configuration: stable ids (the heartbeat table and the PostgreSQL
advisory locks are keyed by them), triggers in London time, and each job's work imported only
when it runs, so that a job whose module is missing or broken fails its own ticks (recorded,
with the error's class) without stopping the others or the process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker.common.time import LONDON, london_today

# Defaults for every job: a run missed by up to this long (a busy machine, a pause) still
# happens; several missed runs are coalesced into one; a job never overlaps itself.
MISFIRE_GRACE_SECONDS = 5 * 60
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1}
# Emails sent per claim; delivery goes on batch after batch until nothing is due.
OUTBOX_BATCH_SIZE = 50
# The daily snapshot, London time: after midnight, so that it records the day just begun, and
# outside 01:00-02:00, the hour the clocks skip or repeat, so that it runs once every day.
SNAPSHOT_HOUR, SNAPSHOT_MINUTE = 0, 30


@dataclass(frozen=True)
class Job:
    """One scheduled job: ``run(at)`` does the work for the moment ``at`` (aware UTC) and
    returns what it did (a report object or a count), which the tick logs as counts."""

    id: str
    title: str
    run: Callable[[datetime], object]
    trigger: Callable[[Mapping], BaseTrigger]
    # How often it runs, in seconds: /healthz calls a job silent when it is this much late
    # plus SCHEDULER_STALE_AFTER_SECONDS.
    every: Callable[[Mapping], int]
    misfire_grace_time: int = MISFIRE_GRACE_SECONDS
    # Also run once as the scheduler starts, so that a stop (a deploy, a reboot) loses nothing.
    at_start: bool = True


def sweep_reminders(at: datetime) -> object:
    """Decide and queue the reminders and escalations due at ``at``."""
    from tracker.notify.reminders.sweep import sweep

    return sweep(at)


def deliver_outbox(at: datetime) -> object:
    """Send the emails due at ``at``, batch after batch (delivery commits as it goes)."""
    from tracker.commands.outbox import deliver_all_due

    return deliver_all_due(at, OUTBOX_BATCH_SIZE)


def snapshot_boards(at: datetime) -> object:
    """Record each board's figures for London's day at ``at`` (once per board and day)."""
    from tracker.oversight.snapshots import take_snapshots

    return take_snapshots(london_today(at))


def sweep_minutes(config: Mapping) -> int:
    minutes = config.get("REMINDER_SWEEP_MINUTES", 5)
    if minutes < 1:
        raise RuntimeError(f"REMINDER_SWEEP_MINUTES must be at least 1, not {minutes}")
    return minutes


JOBS: tuple[Job, ...] = (
    Job(
        id="reminders",
        title="reminder sweep",
        run=sweep_reminders,
        trigger=lambda config: IntervalTrigger(minutes=sweep_minutes(config), timezone=LONDON),
        every=lambda config: sweep_minutes(config) * 60,
    ),
    Job(
        id="outbox",
        title="outbox delivery",
        run=deliver_outbox,
        trigger=lambda config: IntervalTrigger(minutes=1, timezone=LONDON),
        every=lambda config: 60,
    ),
    Job(
        id="snapshots",
        title="daily board snapshots",
        run=snapshot_boards,
        trigger=lambda config: CronTrigger(
            hour=SNAPSHOT_HOUR, minute=SNAPSHOT_MINUTE, timezone=LONDON
        ),
        every=lambda config: 24 * 60 * 60,
        # A machine asleep or busy at 00:30 still takes the day's snapshot when it wakes.
        misfire_grace_time=12 * 60 * 60,
    ),
)


def job_ids() -> list[str]:
    return [job.id for job in JOBS]


def job_named(name: str) -> Job:
    """The job with this id; ValueError naming the known ones otherwise."""
    for job in JOBS:
        if job.id == name:
            return job
    raise ValueError(f"There is no scheduled job {name!r}; the jobs are {', '.join(job_ids())}.")
