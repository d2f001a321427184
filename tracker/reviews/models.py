"""Reviews, recommendations and themes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.boards.models import Board
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db

LEVELS = {"local": "Local", "sub-regional": "Sub-regional", "regional": "Regional"}

recommendation_themes = Table(
    "recommendation_themes",
    db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
)

# The boards a recommendation is for: a board "adopts" a recommendation by appearing here.
recommendation_boards = Table(
    "recommendation_boards",
    db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id"), primary_key=True),
    Column("board_id", ForeignKey("boards.id"), primary_key=True, index=True),
)


class Review(db.Model):
    """A published review whose recommendations boards must act on."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    source_ref: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", order_by="Recommendation.position"
    )


class Theme(db.Model):
    """A theme such as "Safe sleep and SUDI", used to group recommendations."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Recommendation(db.Model):
    """One recommendation of a review, at local, sub-regional or regional level."""

    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("review_id", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    # Keeps the review's own order (R2 before R10) without parsing references.
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20), default="local")
    status: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship(back_populates="recommendations")
    themes: Mapped[list[Theme]] = relationship(
        secondary=recommendation_themes, order_by="Theme.name"
    )
    boards: Mapped[list[Board]] = relationship(
        secondary=recommendation_boards, order_by="Board.ref"
    )

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)
