"""What a board's secretary sees waiting: the reminders decided and not yet sent.

Reminders are decided whenever the scheduler sweeps, but go only at 08:00 London time on
working days; between the two, the Reminders page says how many wait and when they go, so that
nobody wonders on a Saturday why the mailbox is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from tracker.boards.models import Board
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.notify.reminders.calendar import is_send_time, next_send_moment, send_moment
from tracker.notify.reminders.models import SENT, WAITING, Notification


@dataclass(frozen=True)
class Queue:
    """A board's waiting reminders: how many, to how many people, when the first go (None
    when none wait, or when they go with the scheduler's next sweep, it being a sending time),
    and the day reminders last went."""

    reminders: int
    people: int
    goes_at: datetime | None
    last_sent_on: date | None

    @property
    def goes_on(self) -> date | None:
        """The London day the first go (at 08:00)."""
        return london_today(self.goes_at) if self.goes_at else None


def queue_for(board: Board, now: datetime) -> Queue:
    """The board's reminders waiting at ``now`` (two statements)."""
    about_board = Notification.board_id == board.id
    reminders, people, first_on = db.session.execute(
        select(
            func.count(),
            func.count(distinct(Notification.recipient_id)),
            func.min(Notification.send_on),
        ).where(about_board, Notification.state == WAITING)
    ).one()
    last_sent_on = db.session.scalar(
        select(func.max(Notification.send_on)).where(about_board, Notification.state == SENT)
    )
    goes_at = None
    if reminders:
        goes_at = max(send_moment(first_on), next_send_moment(now))
        if is_send_time(now) and goes_at <= now:
            goes_at = None  # due now: the next sweep sends them
    return Queue(reminders, people, goes_at, last_sent_on)
