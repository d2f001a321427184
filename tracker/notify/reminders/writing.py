"""Writing the planned emails: one outbox row per person per day, and what became of each
reminder (sent with its message, or void with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import aliased

from tracker.boards.models import Membership
from tracker.extensions import db
from tracker.links.tokens import update_link_max_days
from tracker.notify.outbox import enqueue_many, message_values
from tracker.notify.reminders import models as m
from tracker.notify.reminders.calendar import next_working_day
from tracker.notify.reminders.compose import Plan
from tracker.notify.reminders.items import Item
from tracker.people.models import Person

MESSAGE_KIND = "reminders"
# Well under SQLite's limit on a statement's parameters (32,766), for an email of thousands.
IDS_PER_STATEMENT = 1000


@dataclass
class BoardGroup:
    """An owner's actions on one board, with whom to ask about them."""

    board_name: str
    contact: Person | None
    items: list[Item]


def contacts_for(board_ids: set[int]) -> dict[int, Person]:
    """Each board's longest-serving active secretary, for "questions? ask ..." (one query)."""
    if not board_ids:
        return {}
    rows = db.session.execute(
        select(Membership.board_id, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.board_id.in_(sorted(board_ids)),
            Membership.role == "secretary",
            Person.is_active.is_(True),
        )
        .order_by(Membership.id)
    ).all()
    contacts: dict[int, Person] = {}
    for board_id, person in rows:
        contacts.setdefault(board_id, person)
    return contacts


def defer_second_emails(day: date) -> int:
    """One email per person per day: whatever is decided for someone who has already had
    today's email waits for the next working day. How many reminders were moved."""
    sent = aliased(m.Notification)
    # Correlated, so that it is looked up (by recipient) only for the few waiting reminders,
    # not by reading every reminder ever sent.
    had_email = (
        select(sent.id)
        .where(
            sent.recipient_id == m.Notification.recipient_id,
            sent.state == m.SENT,
            sent.send_on == day,
        )
        .exists()
    )
    result = db.session.execute(
        update(m.Notification)
        .where(m.Notification.state == m.WAITING, m.Notification.send_on <= day, had_email)
        .values(send_on=next_working_day(day))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def write(plan_: Plan) -> int:
    """Put each planned email in the outbox (one multi-row INSERT) and record what became of
    every reminder (one UPDATE per email, and one executemany for those no longer due); how
    many emails were written."""
    contacts = contacts_for({i.board_id for e in plan_.emails for i in e.owned})
    link_days = update_link_max_days()
    rows, written = [], []
    for email in plan_.emails:
        actions = [i.action_id for i in email.owned + email.escalations]
        values = message_values(
            MESSAGE_KIND,
            to_person=email.recipient,
            subject=email.subject,
            template="reminders",
            context={
                "person": email.recipient,
                "day": plan_.day,
                "owned_groups": _by_board(email.owned, contacts),
                "owned": email.owned,
                "escalations": email.escalations,
                "digests": email.digests,
                "link_days": link_days,
                "board": None,
                "contact": None,
            },
            # Secretaries read the mailbox by action: an email about one board's actions is
            # theirs to read; one that spans boards (with other boards' links) is the admins'.
            action_id=actions[0] if len(email.board_ids) == 1 and actions else None,
        )
        if values is None:  # deactivated since the plan was made
            plan_.void.update(dict.fromkeys(email.notification_ids, "recipient deactivated"))
            continue
        rows.append(values)
        written.append((email, values["message_id"]))
    ids = enqueue_many(rows)
    connection = db.session.connection()
    table = m.Notification.__table__
    # One UPDATE for each email's reminders, by key: an executemany of a row per reminder
    # spent more in SQLAlchemy's handling of each row's parameters than SQLite did updating
    # (0.8 s against 0.3 s for 42,778 reminders, benchmarks/reminders.py).
    mark_sent = (
        update(table)
        .where(table.c.id.in_(bindparam("ids", expanding=True)))
        .values(state=m.SENT, send_on=plan_.day, outbox_message_id=bindparam("o"), note="")
    )
    for email, mid in written:
        reminders = sorted(email.notification_ids)
        for start in range(0, len(reminders), IDS_PER_STATEMENT):
            chunk = reminders[start : start + IDS_PER_STATEMENT]
            connection.execute(mark_sent, {"ids": chunk, "o": ids[mid]})
    if plan_.void:
        # Each with its own reason: one executemany, by key.
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("n"))
            .values(state=m.VOID, send_on=plan_.day, note=bindparam("w")),
            [{"n": n, "w": why} for n, why in sorted(plan_.void.items())],
        )
    if written or plan_.void:
        # Core does not touch the session: reminders someone loaded before (a test, a page in
        # the same request) are read again when next used.
        for loaded in list(db.session.identity_map.values()):
            if isinstance(loaded, m.Notification):
                db.session.expire(loaded)
    return len(written)


def _by_board(items: list[Item], contacts: dict[int, Person]) -> list[BoardGroup]:
    groups: dict[int, BoardGroup] = {}
    for item in items:
        group = groups.get(item.board_id)
        if group is None:
            group = groups[item.board_id] = BoardGroup(
                item.board_name, contacts.get(item.board_id), []
            )
        group.items.append(item)
    return sorted(groups.values(), key=lambda g: g.board_name)
