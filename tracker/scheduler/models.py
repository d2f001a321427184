"""The scheduler's heartbeat: one row per job, saying when it last ran and how that went.

APScheduler keeps its jobs in memory; everything worth keeping lives here (and in the areas'
own tables, such as reminders' unique keys), under Alembic like the rest of the schema.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.common.types import UTCDateTime
from tracker.extensions import db

OK, FAILED = "ok", "failed"


class SchedulerTick(db.Model):
    """The latest tick of one scheduled job, written in its own short transaction."""

    __tablename__ = "scheduler_ticks"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "ok" or "failed": how the latest finished tick ended ("" before the first one ends).
    last_outcome: Mapped[str] = mapped_column(String(10), default="")
    # The exception's class only: its message may carry an address, a token or a password.
    last_error: Mapped[str] = mapped_column(String(200), default="")
    # What the latest successful tick did, as counts ("sent=3 left=0"): never names or addresses.
    last_summary: Mapped[str] = mapped_column(String(300), default="")
    # Which scheduler ran it, for operators running more than one.
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int | None] = mapped_column(Integer)
    run_count: Mapped[int] = mapped_column(Integer, default=0)
    # Failures since the last success: 0 when the latest tick went well.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
