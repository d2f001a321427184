"""Daily snapshots of every board's figures, for the dashboards' trend over time.

The live figures say where a plan stands today; only a record taken each day can say where it
stood last month. ``take_snapshots`` records, for one London date, every board's actions as they
stand when it runs, with overdue and RAG worked out for that date. The scheduler calls it once a
day for today; calling it again the same day replaces that day's row (idempotent).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, UniqueConstraint, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from tracker.actions.rag import RAGS
from tracker.boards.models import Board
from tracker.common.time import utcnow
from tracker.common.types import UTCDateTime
from tracker.extensions import db

# The figures a snapshot keeps besides the RAG counts, as Figures names them.
FIGURES = ("total", "open", "overdue", "blocked", "completed")
CHUNK = 1000


class BoardSnapshot(db.Model):
    """One board's figures on one day: open, overdue, blocked, completed and RAG counts."""

    __tablename__ = "board_snapshots"
    __table_args__ = (UniqueConstraint("board_id", "taken_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    taken_on: Mapped[date] = mapped_column(Date)  # London's date
    total: Mapped[int] = mapped_column(Integer, default=0)
    open: Mapped[int] = mapped_column(Integer, default=0)  # not completed, closed or cancelled
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    # Completed or closed (delivered) by that day: a running total, not that day's completions.
    completed: Mapped[int] = mapped_column(Integer, default=0)
    blue: Mapped[int] = mapped_column(Integer, default=0)
    green: Mapped[int] = mapped_column(Integer, default=0)
    amber: Mapped[int] = mapped_column(Integer, default=0)
    red: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardSnapshot board={self.board_id} {self.taken_on}>"


def take_snapshots(on: date) -> int:
    """Record every board's figures for ``on`` (London's date); the number of boards recorded.

    A few statements however many actions: the boards and their actions grouped (in
    ``board_figures``), then INSERT ... ON CONFLICT, which replaces a row already taken that
    day (one statement per thousand boards). Does not commit: the caller (the scheduler's
    tick, a command) does.
    """
    # Imported here: this module is imported with every model, before the pages' queries.
    from tracker.web.queries import board_figures

    figures = board_figures(None, on)
    now = utcnow()
    rows = [
        {
            "board_id": board_id,
            "taken_on": on,
            **{name: getattr(found, _source(name)) for name in FIGURES},
            **{rag: found.by_rag[rag] for rag in RAGS},
            "taken_at": now,
        }
        for board_id, found in figures.items()
    ]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    # Chunks keep each statement under SQLite's limit on bound parameters.
    for start in range(0, len(rows), CHUNK):
        statement = dialect.insert(BoardSnapshot).values(rows[start : start + CHUNK])
        replaced = {name: statement.excluded[name] for name in (*FIGURES, *RAGS, "taken_at")}
        db.session.execute(
            statement.on_conflict_do_update(index_elements=["board_id", "taken_on"], set_=replaced)
        )
    return len(rows)


def _source(name: str) -> str:
    # A snapshot's "completed" is the Figures' "delivered": completed or closed.
    return "delivered" if name == "completed" else name


def board_trend(board: Board, since: date) -> list[BoardSnapshot]:
    """The board's snapshots from ``since`` on, oldest first: one statement."""
    return list(
        db.session.scalars(
            select(BoardSnapshot)
            .where(BoardSnapshot.board_id == board.id, BoardSnapshot.taken_on >= since)
            .order_by(BoardSnapshot.taken_on)
        )
    )
