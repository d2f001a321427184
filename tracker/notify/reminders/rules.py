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
from datetime import datetime, timedelta

from sqlalchemy import (
    Integer,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.actions.models import Action
from tracker.actions.rag import BLOCKED_STATES
from tracker.extensions import db
from tracker.notify.reminders import models as m
from tracker.notify.reminders import rules_meetings
from tracker.notify.reminders.policy import Policy, board_clause, policy_groups
from tracker.notify.reminders.rule_parts import COLUMNS, KEY, Moment, to_members, to_owner


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
        rules_meetings.update_request(moment, policy, boards),
        rules_meetings.update_chaser(moment, policy, boards),
        rules_meetings.digest(moment, policy, boards),
    ]
    return [rule for rule in rules if rule is not None]


def _due(moment: Moment, policy: Policy, boards):
    stages = policy.stages
    if not stages:
        return None
    # Stages nearest first: the first whose day has come is the current one.
    period = case(*((Action.due_on <= moment.day(s), s) for s in stages), else_=max(stages))
    extra = [Action.due_on <= moment.day(max(stages))]
    if policy.overdue_every_days:
        extra.append(Action.due_on > moment.day(-policy.overdue_every_days))
    return to_owner(moment, m.DUE, boards, Action.due_on, period, *extra)


def _overdue(moment: Moment, policy: Policy, boards):
    every = policy.overdue_every_days
    if not every:
        return None
    period = moment.days_since(Action.due_on) // literal(every, Integer)
    return to_owner(
        moment, m.OVERDUE, boards, Action.due_on, period, Action.due_on <= moment.day(-every)
    )


def _escalation(moment: Moment, kind: str, role: str, days: int, boards):
    if not days:
        return None
    return to_members(
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
    return to_members(
        moment,
        m.BLOCKED,
        "secretary",
        boards,
        moment.utc_date(Action.status_changed_at),
        Action.status.in_(BLOCKED_STATES),
        Action.status_changed_at <= since,
    )


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
