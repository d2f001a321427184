"""Calendar feed tokens: the secret part of a feed's address, of which only a hash is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.boards.models import Board
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.people.models import Person

PERSON_FEED, BOARD_FEED = "person", "board"


class FeedToken(db.Model):
    """The address of one iCalendar feed: a person's due dates, or a board's.

    The address is ``/feeds/<secret>.ics``; ``digest`` is the SHA-256 of the secret, so that the
    database alone cannot be used to read anyone's feed. Revoked tokens are kept (with
    ``revoked_at``) as the record of who had a feed and when.
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'person' AND person_id IS NOT NULL AND board_id IS NULL)"
            " OR (kind = 'board' AND board_id IS NOT NULL AND person_id IS NULL)",
            name="subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    board: Mapped[Board | None] = relationship()
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
