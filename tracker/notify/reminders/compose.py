"""Composing decided reminders into emails: one message per person per day.

``plan`` reads every waiting reminder due to go by a day (one query, plus one each for the
recipients, their roles, the boards' contacts and the digests), checks that each still applies,
and folds them: each action appears once in a person's email, saying the most current thing
(where it stands against its due date today, plus any update request), whatever number of
reminders about it were decided (after the scheduler was down, say). ``writing.write`` puts the
emails in the outbox and marks every reminder sent (with its message) or void (with the reason).

A reminder no longer applies when: its recipient was deactivated; the action was completed,
closed, cancelled (or deleted); an owner's reminder is for someone who no longer owns the
action (reassigned), or for a due date the action no longer has (rescheduled: the new date has
reminders of its own); an update request's deadline has passed; an escalation's recipient no
longer holds the role, or the action is no longer overdue on that due date (or blocked since
that day).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import UTC, date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker.actions.models import Action
from tracker.actions.rag import BLOCKED_STATES, FINISHED_STATES
from tracker.boards.models import Board, Membership
from tracker.extensions import db
from tracker.links.tokens import UpdateLinkSigner
from tracker.notify.reminders import models as m
from tracker.notify.reminders.digest import Digest, digests_for
from tracker.notify.reminders.items import DateWords, Item, item_for
from tracker.notify.reminders.wording import reason
from tracker.people.models import Person

CHUNK = 5000


@dataclass
class Email:
    """What one person is sent on one day."""

    recipient: Person
    owned: list[Item] = field(default_factory=list)
    escalations: list[Item] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)
    notification_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    @property
    def board_ids(self) -> set[int]:
        return {i.board_id for i in self.owned + self.escalations} | {
            d.board.id for d in self.digests
        }

    @property
    def subject(self) -> str:
        parts = []
        if len(self.owned) == 1:
            item = self.owned[0]
            parts.append(f"{item.ref} is {item.when}" if item.due_on else f"update {item.ref}")
        elif self.owned:
            late = sum(i.is_overdue for i in self.owned)
            parts.append(
                f"{len(self.owned)} of your actions" + (f", {late} overdue" if late else "")
            )
        if self.escalations:
            n = len(self.escalations)
            parts.append(f"{n} action{'s' if n > 1 else ''} to chase")
        if self.digests:
            parts.append("your weekly digest")
        return "Reminder: " + "; ".join(parts)


@dataclass
class Plan:
    day: date
    emails: list[Email]
    void: dict[int, str]  # notification id: why it no longer applies


def plan(
    day: date, *, lock: bool = False, board_id: int | None = None, explain: bool = False
) -> Plan:
    """Every waiting reminder due to go by ``day``, checked and folded into emails.

    ``lock`` (PostgreSQL) locks the reminders it reads (FOR UPDATE, in one order): a second
    sweep composing at the same moment waits for the first to commit, then finds them sent.
    Not SKIP LOCKED: that would let two sweeps split one person's reminders into two emails.
    """
    owner = aliased(Person)
    query = (
        select(
            m.Notification.id,
            m.Notification.kind,
            m.Notification.board_id,
            m.Notification.action_id,
            m.Notification.recipient_id,
            m.Notification.key_on,
            m.Notification.period,
            Action.ref,
            Action.title,
            Action.due_on,
            Action.status,
            Action.status_reason,
            Action.status_changed_at,
            Action.owner_id,
            Action.link_version,
            owner.name.label("owner_name"),
            Board.name.label("board_name"),
        )
        .select_from(m.Notification)
        .join(Board, Board.id == m.Notification.board_id)
        .outerjoin(Action, Action.id == m.Notification.action_id)
        .outerjoin(owner, owner.id == Action.owner_id)
        .where(m.Notification.state == m.WAITING, m.Notification.send_on <= day)
        .order_by(m.Notification.recipient_id, Action.due_on, Action.id, m.Notification.id)
    )
    if board_id is not None:
        query = query.where(m.Notification.board_id == board_id)
    if lock and db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=m.Notification)
    # Through the session's connection, as Core rows turned into plain named tuples: the ORM's
    # per-row loading cost more than the query itself, and reading a field of a Row costs ten
    # times a named tuple's (the loop below reads some thirty fields of each reminder).
    result = db.session.connection().execute(query)
    rows = list(map(namedtuple("Waiting", result.keys())._make, result.all()))
    people = _by_id(Person, {r.recipient_id for r in rows})
    roles = _roles({r.recipient_id for r in rows if r.kind not in m.OWNER_KINDS})
    emails: dict[int, Email] = {}
    items: dict[tuple[int, int, bool], Item] = {}
    digest_rows = []
    void = {}
    base = current_app.config["BASE_URL"].rstrip("/")
    signer = UpdateLinkSigner()
    dates = DateWords(day)
    for row in rows:
        why = _void_reason(row, people.get(row.recipient_id), roles, day)
        if why:
            void[row.id] = why
            continue
        email = emails.get(row.recipient_id)
        if email is None:  # not setdefault: that would make an Email for every reminder
            email = emails[row.recipient_id] = Email(people[row.recipient_id])
        email.notification_ids.append(row.id)
        email.kinds.add(row.kind)
        if explain:
            email.reasons.append(reason(row.kind, row.ref, row.key_on, row.period, day))
        if row.kind == m.DIGEST:
            digest_rows.append(row)
            continue
        owned = row.kind in m.OWNER_KINDS
        key = (row.recipient_id, row.action_id, owned)
        item = items.get(key)
        if item is None:
            item = items[key] = item_for(row, dates)
            (email.owned if owned else email.escalations).append(item)
            item.link = (
                signer.url(row.action_id, row.owner_id, row.link_version)
                if owned
                else f"{base}/actions/{row.action_id}"
            )
        _fold(item, row)
    _add_digests(emails, digest_rows, day)
    return Plan(day, list(emails.values()), void)


def _fold(item: Item, row) -> None:
    if row.kind in (m.UPDATE_REQUEST, m.UPDATE_CHASER):
        item.deadline = min(item.deadline or row.key_on, row.key_on)
        item.chased = item.chased or row.kind == m.UPDATE_CHASER
    elif row.kind == m.BLOCKED:
        item.blocked_since = row.key_on


def _add_digests(emails: dict[int, Email], rows, day: date) -> None:
    if not rows:
        return
    digests = digests_for({r.board_id for r in rows}, day)
    for row in sorted(rows, key=lambda r: r.board_name):
        email = emails[row.recipient_id]
        if digests[row.board_id] not in email.digests:
            email.digests.append(digests[row.board_id])


def _void_reason(row, person: Person | None, roles: set, day: date) -> str | None:
    if person is None or not person.is_active:
        return "recipient deactivated"
    if row.kind == m.DIGEST:
        return None if (row.board_id, person.id, "secretary") in roles else "no longer secretary"
    if row.ref is None:
        return "action deleted"
    if row.status in FINISHED_STATES or row.status == "draft":
        return f"action {row.status}"
    if row.kind in m.OWNER_KINDS:
        if row.owner_id != row.recipient_id:
            return "reassigned"
        if row.kind in (m.DUE, m.OVERDUE) and row.due_on != row.key_on:
            return "rescheduled"
        if row.kind in (m.UPDATE_REQUEST, m.UPDATE_CHASER) and row.key_on < day:
            return "deadline passed"
        return None
    role = "chair" if row.kind == m.ESCALATE_CHAIR else "secretary"
    if (row.board_id, person.id, role) not in roles:
        return f"no longer {role}"
    if row.kind == m.BLOCKED:
        since = row.status_changed_at.astimezone(UTC).date() if row.status_changed_at else None
        if row.status not in BLOCKED_STATES or since != row.key_on:
            return "no longer blocked"
        return None
    return "rescheduled" if row.due_on != row.key_on else None


def _by_id(model, ids: set[int]) -> dict:
    found = {}
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(model).where(model.id.in_(chunk))
        found.update((o.id, o) for o in db.session.scalars(query))
    return found


def _roles(person_ids: set[int]) -> set[tuple[int, int, str]]:
    if not person_ids:
        return set()
    rows = db.session.execute(
        select(Membership.board_id, Membership.person_id, Membership.role).where(
            Membership.person_id.in_(sorted(person_ids))
        )
    )
    return {tuple(r) for r in rows}
