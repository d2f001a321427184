"""The pieces every rule's SELECT is made of: the sweep's moment, the row a rule inserts, and
"each live action to its owner" / "to each holder of a role on its board"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    cast,
    func,
    literal,
    select,
)

from tracker.actions.models import Action
from tracker.actions.rag import FINISHED_STATES
from tracker.boards.models import Meeting, Membership
from tracker.common.time import london_today
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.notify.reminders import models as m
from tracker.notify.reminders.calendar import working_day_on_or_after
from tracker.people.models import Person

DRAFT = "draft"
# What Notification columns each rule's SELECT fills, in order.
COLUMNS = (
    "kind",
    "subject_id",
    "board_id",
    "action_id",
    "recipient_id",
    "key_on",
    "period",
    "decided_at",
    "send_on",
    "state",
    "note",
)
KEY = ("kind", "subject_id", "recipient_id", "key_on", "period")


@dataclass(frozen=True)
class Moment:
    """The sweep's time and what follows from it."""

    at: datetime
    today: date
    send_on: date
    dialect: str

    @classmethod
    def of(cls, at: datetime) -> Moment:
        today = london_today(at)
        dialect = db.session.get_bind().dialect.name
        return cls(at, today, working_day_on_or_after(today), dialect)

    def day(self, offset: int = 0):
        return literal(self.today + timedelta(days=offset), Date)

    def days_since(self, column):
        """Today minus a date column, in whole days."""
        if self.dialect == "postgresql":
            return self.day() - column
        return cast(func.julianday(self.day()) - func.julianday(column), Integer)

    def utc_date(self, column):
        """The UTC date of a timestamp column (an identity for a blocking, not a display)."""
        if self.dialect == "postgresql":
            return cast(func.timezone("UTC", column), Date)
        return func.date(column)


def row(moment: Moment, kind: str, *, subject, board, action, recipient, key_on, period):
    return (
        literal(kind, String),
        subject,
        board,
        action,
        recipient,
        key_on,
        period,
        literal(moment.at, UTCDateTime),
        literal(moment.send_on, Date),
        literal(m.WAITING, String),
        literal("", String),
    )


def live():
    """Actions whose owner is being asked to act: opened and not finished."""
    return Action.status.not_in((*FINISHED_STATES, DRAFT))


def to_owner(moment: Moment, kind: str, boards, key_on, period, *extra, meetings=False):
    """One row per live action with an active owner (and, with ``meetings``, per meeting of
    its board)."""
    query = (
        select(
            *row(
                moment,
                kind,
                subject=Action.id,
                board=Action.board_id,
                action=Action.id,
                recipient=Action.owner_id,
                key_on=key_on,
                period=period,
            )
        )
        .select_from(Action)
        .join(Person, Person.id == Action.owner_id)
        .where(live(), Person.is_active.is_(True), boards(Action.board_id), *extra)
        .order_by(Action.id)
    )
    if meetings:
        query = query.join(Meeting, Meeting.board_id == Action.board_id)
    return kind, query


def to_members(moment: Moment, kind: str, role: str, boards, key_on, *extra):
    """One row per action and each active holder of ``role`` on its board."""
    query = (
        select(
            *row(
                moment,
                kind,
                subject=Action.id,
                board=Action.board_id,
                action=Action.id,
                recipient=Membership.person_id,
                key_on=key_on,
                period=literal(0, Integer),
            )
        )
        .select_from(Action)
        .join(Membership, and_(Membership.board_id == Action.board_id, Membership.role == role))
        .join(Person, Person.id == Membership.person_id)
        .where(live(), Person.is_active.is_(True), boards(Action.board_id), *extra)
        .order_by(Action.id, Membership.person_id)
    )
    return kind, query
