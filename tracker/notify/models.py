"""The outbox: every email Assure sends is a row here first, written with the change that
caused it, so that no email is lost and none is sent for a change that was rolled back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
OUTBOX_STATES = (PENDING, SENDING, SENT, FAILED)


class OutboxMessage(db.Model):
    """One email, from the moment it is decided until it is sent or given up on."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # Delivery asks for pending messages that are due, oldest first: only pending rows
        # need indexing, and the sent ones (nearly all, in time) stay out of it.
        Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The RFC 5322 Message-ID, fixed when the message is written so that a retry after an
    # uncertain send carries the same id and mail systems can drop the duplicate.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(60))
    to_address: Mapped[str] = mapped_column(String(320))
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
