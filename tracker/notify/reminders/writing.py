"""Writing the planned emails: one outbox row per person per day, and what became of each
reminder (sent with its message, or void with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import itemgetter

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
    every reminder (one executemany); how many emails were written."""
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
    changes = [
        {"n": n, "s": m.SENT, "o": ids[mid], "w": ""}
        for email, mid in written
        for n in email.notification_ids
    ]
    changes += [{"n": n, "s": m.VOID, "o": None, "w": why} for n, why in plan_.void.items()]
    if changes:
        # One Core executemany by primary key, however many reminders: the ORM's bulk update
        # by primary key cost five times as much, sorting and checking each row in Python.
        # In key order, SQLite walks its table once rather than to and fro (a quarter faster).
        changes.sort(key=itemgetter("n"))
        table = m.Notification.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("n"))
            .values(
                state=bindparam("s"),
                send_on=plan_.day,
                outbox_message_id=bindparam("o"),
                note=bindparam("w"),
            ),
            changes,
        )
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
