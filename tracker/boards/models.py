"""Boards, memberships and meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.people.models import Locality, Person

BOARD_KINDS = {
    "safeguarding children partnership": "Safeguarding children partnership",
    "safeguarding adults board": "Safeguarding adults board",
    "health and wellbeing board": "Health and wellbeing board",
    "child death overview panel": "Child death overview panel",
    "other": "Other",
}
ROLES = ("secretary", "chair", "member")


class Board(db.Model):
    """A board that oversees actions: a partnership, a board or a panel."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id"))
    workflow: Mapped[str] = mapped_column(String(60), default="standard")
    amber_window_days: Mapped[int] = mapped_column(Integer, default=14)
    stale_window_days: Mapped[int] = mapped_column(Integer, default=60)
    updates_need_acceptance: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    locality: Mapped[Locality | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="Meeting.held_on"
    )

    @property
    def kind_label(self) -> str:
        return BOARD_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Board {self.ref}>"


class Membership(db.Model):
    """A person's role on a board: secretary, chair or member."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("board_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    board: Mapped[Board] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class Meeting(db.Model):
    """A board meeting, with the deadline for its papers."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("board_id", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    papers_due_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    board: Mapped[Board] = relationship(back_populates="meetings")
