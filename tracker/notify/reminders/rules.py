"""Deciding reminders: each rule is one INSERT ... SELECT ... ON CONFLICT DO NOTHING over every
action (one statement per rule and distinct board policy, never one per action).

What a rule decides at ``at`` (today = London's date then):

- **due**: the owner's reminder for the *nearest stage that has come*: of the policy's stages
  (14 and 3 days before, and the due date), the smallest N with due date - N <= today, while
  the action is not yet a full repeat period overdue. After the scheduler was down, a missed
  stage that a later one has overtaken is not decided at all: the later stage says the more
  current thing ("due today", not "due in 3 days").
- **overdue**: every N days while overdue, the repeat number floor(days overdue / N); only the
  current repeat, for the same reason.
- **escalate_secretary / escalate_chair**: once per action and due date, to each of the board's
  secretaries (chairs) when the action is that many days overdue.
- **blocked**: once per blocking, to the secretaries, when it has been blocked that long.
- **update_request**: from N days before a meeting's papers deadline until the deadline, one
  per open action (to its owner) and deadline.
- **update_chaser**: from the given number of working days before the deadline, to owners who
  were asked (the request was sent) and have not sent an update since.
- **digest**: each week on the policy's weekday, to each secretary of a board with actions.

Every row's key (kind, subject, recipient, key date, period) is unique, so a rule can run any
number of times from any number of processes and decides each reminder once. Each INSERT orders
its rows by the key, so that two sweeps inserting the same rows at once on PostgreSQL wait for
each other rather than deadlock. The day a reminder goes (``send_on``) is the first working day
on or after today: every reminder a sweep decides is already due, so it is one date per sweep.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from tracker.actions.models import Action, Update
from tracker.actions.rag import BLOCKED_STATES, FINISHED_STATES
from tracker.boards.models import Meeting, Membership
from tracker.common.time import london_today
from tracker.common.types import UTCDateTime
from tracker.extensions import db
from tracker.notify.reminders import models as m
from tracker.notify.reminders.calendar import working_day_on_or_after, working_days_before
from tracker.notify.reminders.policy import Policy, board_clause, policy_groups
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
# The chaser goes at most this many calendar days before a deadline (10 working days and
# a fortnight of bank holidays); only meetings this close are read to work out its date.
CHASER_HORIZON_DAYS = 24


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


def decide(at: datetime) -> Counter:
    """Decide every reminder that is due at ``at`` and not yet decided; how many, by kind."""
    moment = Moment.of(at)
    decided: Counter = Counter()
    for policy, board_ids, excluded in policy_groups():
        for kind, query in rule_queries(moment, policy, board_ids, excluded):
            decided[kind] += _insert(moment, query)
    return +decided  # the kinds that decided something


def rule_queries(moment: Moment, policy: Policy, board_ids, excluded):
    """Each rule's SELECT for one policy group: (kind, select)."""

    def boards(column):
        return board_clause(column, board_ids, excluded)

    rules = [
        _due(moment, policy, boards),
        _overdue(moment, policy, boards),
        _escalation(
            moment, m.ESCALATE_SECRETARY, "secretary", policy.escalate_secretary_days, boards
        ),
        _escalation(moment, m.ESCALATE_CHAIR, "chair", policy.escalate_chair_days, boards),
        _blocked(moment, policy, boards),
        _update_request(moment, policy, boards),
        _update_chaser(moment, policy, boards),
        _digest(moment, policy, boards),
    ]
    return [rule for rule in rules if rule is not None]


def _row(moment: Moment, kind: str, *, subject, board, action, recipient, key_on, period):
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


def _live():
    """Actions whose owner is being asked to act: opened and not finished."""
    return Action.status.not_in((*FINISHED_STATES, DRAFT))


def _to_owner(moment: Moment, kind: str, boards, key_on, period, *extra, meetings=False):
    """One row per live action with an active owner (and, with ``meetings``, per meeting of
    its board)."""
    query = (
        select(
            *_row(
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
        .where(_live(), Person.is_active.is_(True), boards(Action.board_id), *extra)
        .order_by(Action.id)
    )
    if meetings:
        query = query.join(Meeting, Meeting.board_id == Action.board_id)
    return kind, query


def _due(moment: Moment, policy: Policy, boards):
    stages = policy.stages
    if not stages:
        return None
    # Stages nearest first: the first whose day has come is the current one.
    period = case(*((Action.due_on <= moment.day(s), s) for s in stages), else_=max(stages))
    extra = [Action.due_on <= moment.day(max(stages))]
    if policy.overdue_every_days:
        extra.append(Action.due_on > moment.day(-policy.overdue_every_days))
    return _to_owner(moment, m.DUE, boards, Action.due_on, period, *extra)


def _overdue(moment: Moment, policy: Policy, boards):
    every = policy.overdue_every_days
    if not every:
        return None
    period = moment.days_since(Action.due_on) // literal(every, Integer)
    return _to_owner(
        moment, m.OVERDUE, boards, Action.due_on, period, Action.due_on <= moment.day(-every)
    )


def _escalation(moment: Moment, kind: str, role: str, days: int, boards):
    if not days:
        return None
    return _to_members(
        moment,
        kind,
        role,
        boards,
        Action.due_on,
        Action.due_on <= moment.day(-days),
    )


def _blocked(moment: Moment, policy: Policy, boards):
    if not policy.blocked_days:
        return None
    since = moment.at - timedelta(days=policy.blocked_days)
    return _to_members(
        moment,
        m.BLOCKED,
        "secretary",
        boards,
        moment.utc_date(Action.status_changed_at),
        Action.status.in_(BLOCKED_STATES),
        Action.status_changed_at <= since,
    )


def _to_members(moment: Moment, kind: str, role: str, boards, key_on, *extra):
    """One row per action and each active holder of ``role`` on its board."""
    query = (
        select(
            *_row(
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
        .where(_live(), Person.is_active.is_(True), boards(Action.board_id), *extra)
        .order_by(Action.id, Membership.person_id)
    )
    return kind, query


def _update_request(moment: Moment, policy: Policy, boards):
    """From N days before each meeting's papers deadline until the deadline itself."""
    if not policy.request_days_before:
        return None
    return _to_owner(
        moment,
        m.UPDATE_REQUEST,
        boards,
        Meeting.papers_due_on,
        literal(0, Integer),
        Meeting.papers_due_on >= moment.day(),
        Meeting.papers_due_on <= moment.day(policy.request_days_before),
        meetings=True,
    )


def _update_chaser(moment: Moment, policy: Policy, boards):
    """To owners who were asked before this deadline and sent no update since."""
    if not (policy.request_days_before and policy.chaser_working_days):
        return None
    # Working days are Python's to count: read the few meetings near enough, keep those whose
    # chaser day has come, and decide for all of their actions in one statement.
    meetings = db.session.execute(
        select(Meeting.id, Meeting.papers_due_on).where(
            boards(Meeting.board_id),
            Meeting.papers_due_on >= moment.day(),
            Meeting.papers_due_on <= moment.day(CHASER_HORIZON_DAYS),
        )
    ).all()
    due = [
        id_
        for id_, deadline in meetings
        if working_days_before(deadline, policy.chaser_working_days) <= moment.today
    ]
    if not due:
        return None
    request = aliased(m.Notification)
    answered = exists().where(
        Update.action_id == Action.id, Update.created_at >= request.decided_at
    )
    kind, query = _to_owner(
        moment,
        m.UPDATE_CHASER,
        boards,
        Meeting.papers_due_on,
        literal(0, Integer),
        Meeting.id.in_(due),
        ~answered,
        meetings=True,
    )
    query = query.join(
        request,
        and_(
            request.kind == m.UPDATE_REQUEST,
            request.subject_id == Action.id,
            request.recipient_id == Action.owner_id,
            request.key_on == Meeting.papers_due_on,
            request.state == m.SENT,
        ),
    )
    return kind, query


def _digest(moment: Moment, policy: Policy, boards):
    """This week's digest (on the policy's weekday) to each secretary of a board with actions."""
    if policy.digest_weekday is None:
        return None
    day = moment.today - timedelta(days=(moment.today.weekday() - policy.digest_weekday) % 7)
    has_actions = exists().where(Action.board_id == Membership.board_id)
    query = (
        select(
            *_row(
                moment,
                m.DIGEST,
                subject=Membership.board_id,
                board=Membership.board_id,
                action=null(),
                recipient=Membership.person_id,
                key_on=literal(day, Date),
                period=literal(0, Integer),
            )
        )
        .select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.role == "secretary",
            Person.is_active.is_(True),
            boards(Membership.board_id),
            has_actions,
        )
        .order_by(Membership.board_id, Membership.person_id)
    )
    return m.DIGEST, query


def _insert(moment: Moment, query) -> int:
    """Run one rule: insert its rows, skipping those already decided; how many were new."""
    insert = pg_insert if moment.dialect == "postgresql" else sqlite_insert
    statement = (
        insert(m.Notification.__table__)
        .from_select(list(COLUMNS), query)
        .on_conflict_do_nothing(index_elements=list(KEY))
    )
    if moment.dialect == "postgresql":
        # psycopg reports no row count for INSERT ... SELECT through SQLAlchemy: count the
        # inserted rows in the same statement instead.
        inserted = statement.returning(m.Notification.__table__.c.id).cte("inserted")
        return db.session.scalar(select(func.count()).select_from(inserted)) or 0
    return db.session.execute(statement).rowcount or 0
