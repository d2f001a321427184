"""``/healthz``: can Assure do its work? The database, the scheduler's ticks, the outbox backlog.

Two kinds of caller ask, and they need different answers:

- **Monitoring** (the default, ``/healthz``) needs to hear about anything a person must fix:
  503 when the database is unreachable, when a scheduled job has gone silent (its last tick
  is older than its interval plus ``SCHEDULER_STALE_AFTER_SECONDS``), or when a job has been
  failing for longer than ``SCHEDULER_STALE_AFTER_SECONDS`` (or has never succeeded).
- **A load balancer** (``/healthz?scope=instance``) must only take an instance out when that
  instance cannot serve: 503 only when the database is unreachable. A stopped scheduler is the
  same for every web instance; taking them all out would turn late emails into an outage.

A scheduler that has never ticked (a fresh install, the web server started first) is reported
as "not run yet" and is not a failure: a check that fails on every new deployment gets
ignored. The body is the same for both scopes and names every problem, but never an address,
a host or an error message (only the exception's class).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.notify.delivery import waiting_count
from tracker.notify.models import PENDING, SENDING, OutboxMessage
from tracker.scheduler.jobs import JOBS
from tracker.scheduler.models import FAILED, SchedulerTick

bp = Blueprint("health", __name__)

SCOPES = ("service", "instance")
NOT_RUN_YET = "not run yet"


@bp.get("/healthz")
def healthz():
    """200 when everything in scope is well, 503 naming what is not."""
    scope = request.args.get("scope", "service")
    if scope not in SCOPES:
        response = jsonify(
            error={"code": "bad_request", "message": f"scope must be one of {', '.join(SCOPES)}"}
        )
        response.status_code = 400
        return response

    checks: dict[str, str] = {}
    problems: list[str] = []
    body: dict = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        db.session.rollback()
        # The exception class says enough; its text may contain connection details.
        checks["database"] = f"unreachable ({type(exc).__name__})"
        problems.append("database")
    if not problems:
        now = utcnow()
        try:
            body["scheduler"], checks["scheduler"] = scheduler_health(now)
            body["outbox"] = outbox_backlog(now)
        except SQLAlchemyError as exc:  # e.g. a database not yet upgraded
            db.session.rollback()
            checks["scheduler"] = f"unknown ({type(exc).__name__})"
        if checks["scheduler"] not in ("ok", NOT_RUN_YET) and scope == "service":
            problems.append("scheduler")

    response = jsonify(status="unavailable" if problems else "ok", checks=checks, **body)
    response.status_code = 503 if problems else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def scheduler_health(now: datetime) -> tuple[dict, str]:
    """Each job's latest tick, and the scheduler check: "ok", "not run yet", or its problems."""
    stale_after = current_app.config["SCHEDULER_STALE_AFTER_SECONDS"]
    rows = {row.job: row for row in db.session.scalars(select(SchedulerTick))}
    jobs, problems = {}, []
    for job in JOBS:
        row = rows.get(job.id)
        if row is None or row.last_finished_at is None:
            jobs[job.id] = {"status": "never"}
            continue
        age = _seconds(now - row.last_finished_at)
        jobs[job.id] = {
            "status": row.last_outcome,
            "last_tick_at": row.last_finished_at.isoformat(),
            "age_seconds": age,
            "last_success_at": _iso(row.last_succeeded_at),
        }
        if row.last_outcome == FAILED:
            jobs[job.id]["error"] = row.last_error
        if age > job.every(current_app.config) + stale_after:
            problems.append(f"{job.id} silent for {age} seconds")
        elif row.last_outcome == FAILED and (
            row.last_succeeded_at is None or _seconds(now - row.last_succeeded_at) > stale_after
        ):
            problems.append(f"{job.id} failing ({row.last_error})")

    finished = [row.last_finished_at for row in rows.values() if row.last_finished_at]
    last = max(finished, default=None)
    report = {
        "last_tick_at": _iso(last),
        "age_seconds": _seconds(now - last) if last else None,
        "stale_after_seconds": stale_after,
        "jobs": jobs,
    }
    if problems:
        return report, "; ".join(problems)
    return report, "ok" if last else NOT_RUN_YET


def outbox_backlog(now: datetime) -> dict:
    """Emails waiting to go, and how long the oldest has waited (monitoring may alert on it)."""
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_((PENDING, SENDING))
        )
    )
    return {
        "waiting": waiting_count(),
        "oldest_waiting_at": _iso(oldest),
        "oldest_age_seconds": _seconds(now - oldest) if oldest else None,
    }


def _seconds(delta) -> int:
    return max(int(delta.total_seconds()), 0)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
