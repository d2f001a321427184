"""Audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.people.models import Person


class Event(db.Model):
    """One recorded change: ``changes`` maps each field to ``[from, to]``."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_subject", "subject_type", "subject_id"),
        # A board's changes since a date (the dashboard's "since the last meeting"), newest first.
        Index("ix_events_board_occurred", "board_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(20))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id"), index=True)
    # The action the event belongs to, when there is one: an action's history is one query.
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    verb: Mapped[str] = mapped_column(String(60))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[Person | None] = relationship()
