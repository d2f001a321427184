"""An issued meeting pack: its data and its PDF, frozen so that the papers can be reproduced."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.boards.models import Board, Meeting
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.people.models import Person


class MeetingPack(db.Model):
    """One issued version of a meeting's pack.

    Written once by ``services.issue_pack`` and never updated: every rendering of it (HTML,
    XLSX, CSV) reads ``data``, and its PDF is ``pdf`` as issued, so the board's papers read the
    same years later, whatever has happened to the actions since.
    """

    __tablename__ = "meeting_packs"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    # The date the figures are for (RAG and overdue evaluated as on that day).
    as_at: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # Lists of packs do not need the bulk: data and PDF load only when asked for.
    data: Mapped[dict[str, Any]] = deferred(mapped_column(JSON, nullable=False))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    pdf_sha256: Mapped[str] = mapped_column(String(64))

    board: Mapped[Board] = relationship()
    meeting: Mapped[Meeting] = relationship()
    issued_by: Mapped[Person | None] = relationship()

    def filename(self, extension: str) -> str:
        """``tscp-2027-03-14-pack-v2.pdf``: board, meeting date, version."""
        return (
            f"{self.board.ref}-{self.meeting.held_on.isoformat()}-pack-v{self.version}.{extension}"
        )

    def __repr__(self) -> str:
        return f"<MeetingPack {self.meeting_id} v{self.version}>"
