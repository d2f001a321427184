"""The rules tied to the calendar rather than to a due date: update requests and the chaser
before each meeting's papers deadline, and the weekly digest (see rules.py for what each
decides)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import (
    Date,
    Integer,
    and_,
    exists,
    literal,
    null,
    select,
)
from sqlalchemy.orm import aliased

from tracker.actions.models import Action, Update
from tracker.boards.models import Meeting, Membership
from tracker.extensions import db
from tracker.notify.reminders import models as m
from tracker.notify.reminders.calendar import working_days_before
from tracker.notify.reminders.policy import Policy
from tracker.notify.reminders.rule_parts import Moment, row, to_owner
from tracker.people.models import Person

# The chaser goes at most this many calendar days before a deadline (10 working days and
# a fortnight of bank holidays); only meetings this close are read to work out its date.
CHASER_HORIZON_DAYS = 24


def update_request(moment: Moment, policy: Policy, boards):
    """From N days before each meeting's papers deadline until the deadline itself."""
    if not policy.request_days_before:
        return None
    return to_owner(
        moment,
        m.UPDATE_REQUEST,
        boards,
        Meeting.papers_due_on,
        literal(0, Integer),
        Meeting.papers_due_on >= moment.day(),
        Meeting.papers_due_on <= moment.day(policy.request_days_before),
        meetings=True,
    )


def update_chaser(moment: Moment, policy: Policy, boards):
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
    kind, query = to_owner(
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


def digest(moment: Moment, policy: Policy, boards):
    """This week's digest (on the policy's weekday) to each secretary of a board with actions."""
    if policy.digest_weekday is None:
        return None
    day = moment.today - timedelta(days=(moment.today.weekday() - policy.digest_weekday) % 7)
    has_actions = exists().where(Action.board_id == Membership.board_id)
    query = (
        select(
            *row(
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
