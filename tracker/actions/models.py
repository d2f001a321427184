"""Actions and the updates their owners report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.boards.models import Board
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.reviews.models import Recommendation

CHANNELS = {
    "web": "Web",
    "email_link": "Email link",
    "api": "API",
    "import": "Import",
    "cli": "Command line",
    "system": "Assure",
}
UPDATE_STATES = ("submitted", "accepted", "rejected")


class Action(db.Model):
    """An owned, dated piece of work that answers a recommendation for one board."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("board_id", "ref"),
        # The board's list is read by status and due date far more than anything else.
        Index("ix_actions_board_status_due", "board_id", "status", "due_on"),
        # The review-wide matrix groups a review's actions by (recommendation, board) and rates
        # each: with every column the RAG rule reads, SQLite answers from the index alone, in
        # group order (ten times faster over 100,000 actions than looking up each row).
        Index(
            "ix_actions_recommendation_board",
            "recommendation_id",
            "board_id",
            "status",
            "progress",
            "due_on",
            "owner_rag",
            "progress_reported_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    lead_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    original_due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40))
    # Why the action is in its current state, where the workflow asked for a reason (blocked,
    # cancelled, sent back); shown on dashboards beside the status.
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    owner_rag: Mapped[str | None] = mapped_column(String(10))
    success_measure: Mapped[str] = mapped_column(Text, default="")
    # When progress was last reported and accepted (or the action was created): the RAG rule's
    # "stale" test reads this column so that it can run in SQL without a subquery per action.
    progress_reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Signed update links carry this number; raising it revokes every link sent before
    # (on reassignment, closing, or "resend link").
    link_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    board: Mapped[Board] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    lead_organisation: Mapped[Organisation | None] = relationship()
    updates: Mapped[list[Update]] = relationship(
        back_populates="action", order_by="Update.created_at"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Action {self.ref} {self.status}>"


class Update(db.Model):
    """A progress report on an action; never overwritten, only accepted or rejected."""

    __tablename__ = "updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(20))
    narrative: Mapped[str] = mapped_column(Text)
    progress: Mapped[int | None] = mapped_column(Integer)
    rag: Mapped[str | None] = mapped_column(String(10))
    # A status change the owner asks for (a workflow transition name) and its fields.
    transition: Mapped[str | None] = mapped_column(String(60))
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    proposed_due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])
