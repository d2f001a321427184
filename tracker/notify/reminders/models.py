"""Each board's reminder policy, and the reminders the sweep decided (one row each, unique)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.boards.models import Board
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db

WAITING, SENT, VOID = "waiting", "sent", "void"
NOTIFICATION_STATES = (WAITING, SENT, VOID)

# The kinds of reminder, each decided by one rule in rules.py.
DUE = "due"  # to the owner: N days before the due date, or on it (period = N)
OVERDUE = "overdue"  # to the owner: every N days while overdue (period = the repeat number)
UPDATE_REQUEST = "update_request"  # to the owner: an update before the meeting's papers deadline
UPDATE_CHASER = "update_chaser"  # to the owner: the one chaser, for those who have not answered
ESCALATE_SECRETARY = "escalate_secretary"  # to the secretary: long overdue
ESCALATE_CHAIR = "escalate_chair"  # to the chair: longer overdue
BLOCKED = "blocked"  # to the secretary: blocked for a while (key date = the day it was blocked)
DIGEST = "digest"  # to the secretary: the weekly digest (no action; subject = the board)
OWNER_KINDS = (DUE, OVERDUE, UPDATE_REQUEST, UPDATE_CHASER)
ESCALATION_KINDS = (ESCALATE_SECRETARY, ESCALATE_CHAIR, BLOCKED)
KINDS = (*OWNER_KINDS, *ESCALATION_KINDS, DIGEST)


class ReminderPolicy(db.Model):
    """How a board reminds, escalates and asks for updates; a board without a row uses the
    defaults (tracker.notify.reminders.policy.DEFAULT_POLICY)."""

    __tablename__ = "reminder_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), unique=True)
    # Days before the due date on which the owner is reminded, comma-separated ("14,3").
    days_before: Mapped[str] = mapped_column(String(60))
    on_due_date: Mapped[bool] = mapped_column(Boolean)
    overdue_every_days: Mapped[int] = mapped_column(Integer)  # 0: no repeats while overdue
    escalate_secretary_days: Mapped[int] = mapped_column(Integer)  # 0: never
    escalate_chair_days: Mapped[int] = mapped_column(Integer)  # 0: never
    blocked_days: Mapped[int] = mapped_column(Integer)  # 0: never
    request_days_before: Mapped[int] = mapped_column(Integer)  # before the papers deadline; 0: off
    chaser_working_days: Mapped[int] = mapped_column(Integer)  # before the deadline; 0: no chaser
    digest_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday; None: no digest
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    board: Mapped[Board] = relationship()


class Notification(db.Model):
    """A reminder that was decided: who gets it, about what, and whether it went.

    The unique key (kind, subject, recipient, key date, period) is what makes the sweep safe to
    run any number of times from any number of processes: a second decision of the same
    reminder is an INSERT that does nothing. ``subject_id`` is the action's id, or the board's
    for the digest (a NULL could not take part in a unique key: NULLs never conflict).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "recipient_id", "key_on", "period"),
        # Compose asks for the waiting ones that are due to go; they are few beside the rest.
        Index(
            "ix_notifications_waiting",
            "send_on",
            postgresql_where=text("state = 'waiting'"),
            sqlite_where=text("state = 'waiting'"),
        ),
        # Whether someone already had today's email (writing.defer_second_emails asks it for
        # every waiting reminder): without it, each question read all that person's reminders.
        Index(
            "ix_notifications_recipient_send_on",
            "recipient_id",
            "send_on",
            postgresql_where=text("state = 'sent'"),
            sqlite_where=text("state = 'sent'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    # The due date, the meeting's papers deadline, the day an action was blocked, or the
    # digest's day: what the reminder is for. A new due date is a new reminder.
    key_on: Mapped[date] = mapped_column(Date)
    period: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The working day it goes (at 08:00 London); once sent, the day it went.
    send_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default=WAITING)
    # Why it was not sent (reassigned, rescheduled, finished...), or what it was folded into.
    note: Mapped[str] = mapped_column(String(60), default="")
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id"), index=True
    )
