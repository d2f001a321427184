"""One tick of one job: the boundary that runs it, commits it, and records the heartbeat.

``run_job(app, job, at)`` is the only way a job runs, for the scheduler, ``flask scheduler
--once`` and the tests alike. It:

1. pushes an app context of its own (APScheduler calls it from a worker thread);
2. on PostgreSQL, takes ``pg_try_advisory_xact_lock`` for the job on a connection of its own,
   and skips the tick quietly if another scheduler holds it. The lock is held by a transaction
   on that connection that does nothing else, because the job commits on its own connection
   (delivery commits after every claim): a lock on the job's transaction would end at its first
   commit. Ending that transaction, or losing the connection, releases the lock. The lock saves
   work; correctness never depends on it (reminders have unique keys, delivery claims rows with
   SKIP LOCKED);
3. records the start, runs the job, commits (the sweep and the snapshots never commit), and
   records the outcome, each record in a short transaction of its own, so that a failed job
   rolls back its own work and still leaves its failure behind;
4. never raises: a failure is logged with the exception's class and where it happened (never
   its message, which may hold an address or a token) and the next tick runs as usual.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.scheduler.jobs import Job, job_named
from tracker.scheduler.models import FAILED, OK, SchedulerTick

log = logging.getLogger(__name__)

SKIPPED = "skipped"


@dataclass(frozen=True)
class Tick:
    """How one tick went: ``ok``, ``failed`` (with the error's class) or ``skipped``."""

    job: str
    outcome: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0


def run_job(app: Flask, job: Job | str, at: datetime | None = None) -> Tick:
    """Run one tick of ``job`` for the moment ``at`` (default: now) and record it."""
    job = job_named(job) if isinstance(job, str) else job
    with app.app_context():
        try:
            with job_lock(job.id) as held:
                if not held:
                    log.debug("tick %s skipped: another scheduler is running it", job.id)
                    return Tick(job.id, SKIPPED)
                return _run(job, at or utcnow())
        except Exception as exc:  # the database failed us around the job (lock, heartbeat)
            db.session.rollback()
            log.error("tick %s not run or not recorded: %s", job.id, _where(exc))
            return Tick(job.id, FAILED, error=type(exc).__name__)
        finally:
            db.session.remove()


@contextmanager
def job_lock(job_id: str) -> Iterator[bool]:
    """Whether this scheduler may run ``job_id`` now: always on SQLite (one scheduler there);
    on PostgreSQL, whether it got the job's advisory lock, held until the block ends."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        held = connection.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(job_id)}
        ).scalar_one()
        try:
            yield bool(held)
        finally:
            connection.rollback()  # ends the transaction, and with it the lock


def lock_key(job_id: str) -> int:
    """A stable 64-bit advisory lock key for the job, the same in every scheduler process."""
    digest = hashlib.blake2b(f"assure.scheduler.{job_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _run(job: Job, at: datetime) -> Tick:
    started = time.monotonic()
    _record_start(job.id)
    try:
        result = job.run(at)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        tick = Tick(job.id, FAILED, error=type(exc).__name__, seconds=_since(started))
        log.error("tick %s failed in %.2fs: %s", job.id, tick.seconds, _where(exc))
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.debug("tick %s failed here:\n%s", job.id, frames)
        _record_finish(tick)
        return tick
    except BaseException:
        db.session.rollback()  # Ctrl-C or exit mid-job: leave nothing half done
        raise
    tick = Tick(job.id, OK, counts=counts_of(result), seconds=_since(started))
    log.info("tick %s ok in %.2fs: %s", job.id, tick.seconds, describe(tick.counts))
    _record_finish(tick)
    return tick


def _record_start(job_id: str) -> None:
    """Make sure the job has its row, and stamp the start, in a transaction of its own."""
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SchedulerTick)
        .values(
            job=job_id,
            last_outcome="",
            last_error="",
            last_summary="",
            host="",
            run_count=0,
            consecutive_failures=0,
        )
        .on_conflict_do_nothing(index_elements=["job"])
    )
    db.session.execute(
        update(SchedulerTick)
        .where(SchedulerTick.job == job_id)
        .values(last_started_at=utcnow(), host=socket.gethostname()[:255], pid=os.getpid())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record_finish(tick: Tick) -> None:
    """Stamp the outcome; if even that fails (the database went away), say so and go on."""
    now = utcnow()
    values = {
        "last_finished_at": now,
        "last_outcome": tick.outcome,
        "run_count": SchedulerTick.run_count + 1,
    }
    if tick.outcome == OK:
        values.update(
            last_succeeded_at=now,
            last_error="",
            last_summary=describe(tick.counts)[:300],
            consecutive_failures=0,
        )
    else:
        values.update(
            last_error=tick.error[:200], consecutive_failures=SchedulerTick.consecutive_failures + 1
        )
    try:
        db.session.execute(
            update(SchedulerTick)
            .where(SchedulerTick.job == tick.job)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.error("tick %s: could not record its outcome (%s)", tick.job, type(exc).__name__)


def counts_of(result: object) -> dict[str, int]:
    """The whole numbers a job reports (a count, or a report's integer fields), and nothing
    else: strings in a report may name a person, an address or a mail server's reply."""
    if isinstance(result, bool) or result is None:
        return {}
    if isinstance(result, int):
        return {"count": result}
    if isinstance(result, Mapping):
        items = result.items()
    elif is_dataclass(result):
        items = ((f.name, getattr(result, f.name)) for f in fields(result))
    else:
        items = vars(result).items() if hasattr(result, "__dict__") else ()
    return {
        str(name): value
        for name, value in items
        if isinstance(value, int) and not isinstance(value, bool) and not str(name).startswith("_")
    }


def describe(counts: dict[str, int]) -> str:
    return " ".join(f"{name}={value}" for name, value in counts.items()) or "done"


def _where(exc: BaseException) -> str:
    """The exception's class and the line it came from: enough to find it, nothing it carried."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} at {os.path.basename(last.filename)}:{last.lineno} in {last.name}"


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)
