"""The weekly digest for a board's secretary: updates waiting for acceptance, actions newly
overdue, actions due in the next 14 days, and what changed in the week since the last digest.

Built for every board in a batch with four queries, however many boards and secretaries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from tracker.actions.models import Action, Update
from tracker.actions.rag import FINISHED_STATES
from tracker.actions.timeline import TRANSITIONS, VERBS
from tracker.audit.models import Event
from tracker.boards.models import Board
from tracker.common.time import LONDON
from tracker.extensions import db
from tracker.notify.reminders.wording import when_due

DUE_SOON_DAYS = 14
WEEK = 7
LISTED = 20  # longer lists say "and N more" and link to the board


@dataclass
class DigestLine:
    ref: str
    title: str
    due_on: date | None
    when: str
    detail: str = ""


@dataclass
class Digest:
    board: Board
    link: str
    since: date
    waiting: list[DigestLine] = field(default_factory=list)
    newly_overdue: list[DigestLine] = field(default_factory=list)
    due_soon: list[DigestLine] = field(default_factory=list)
    changes: list[tuple[str, int]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def more(self, section: str) -> int:
        return self.counts[section] - len(getattr(self, section))

    def __eq__(self, other) -> bool:
        return isinstance(other, Digest) and other.board.id == self.board.id

    __hash__ = None


def digests_for(board_ids: set[int], day: date) -> dict[int, Digest]:
    """The digest of each board, as of ``day`` (the week before it is "since the last")."""
    ids = sorted(board_ids)
    since = day - timedelta(days=WEEK)
    base = current_app.config["BASE_URL"].rstrip("/")
    boards = db.session.scalars(select(Board).where(Board.id.in_(ids))).all()
    digests = {b.id: Digest(b, f"{base}/boards/{b.ref}", since) for b in boards}
    live = Action.status.not_in((*FINISHED_STATES, "draft"))

    waiting = db.session.execute(
        select(Action.board_id, Action.ref, Action.title, Action.due_on, Update.created_at)
        .join(Update, Update.action_id == Action.id)
        .where(Action.board_id.in_(ids), Update.state == "submitted")
        .order_by(Update.created_at)
    )
    for board_id, ref, title, due_on, created_at in waiting:
        sent = created_at.astimezone(LONDON).strftime("%d/%m/%Y")
        _add(digests[board_id], "waiting", DigestLine(ref, title, due_on, "", f"sent {sent}"))

    actions = db.session.execute(
        select(Action.board_id, Action.ref, Action.title, Action.due_on)
        .where(
            Action.board_id.in_(ids),
            live,
            Action.due_on >= since,
            Action.due_on <= day + timedelta(days=DUE_SOON_DAYS),
        )
        .order_by(Action.due_on, Action.ref)
    )
    for board_id, ref, title, due_on in actions:
        section = "newly_overdue" if due_on < day else "due_soon"
        _add(digests[board_id], section, DigestLine(ref, title, due_on, when_due(due_on, day)))

    start = datetime.combine(since, datetime.min.time(), tzinfo=LONDON)
    changes = db.session.execute(
        select(Event.board_id, Event.verb, func.count())
        .where(Event.board_id.in_(ids), Event.occurred_at >= start)
        .group_by(Event.board_id, Event.verb)
        .order_by(Event.board_id, func.count().desc(), Event.verb)
    )
    for board_id, verb, count in changes:
        digests[board_id].changes.append((_verb_words(verb), count))
    return digests


def _verb_words(verb: str) -> str:
    """An event's verb as the action history words it ("transition:open" -> "Opened for
    work")."""
    if verb.startswith("transition:"):
        name = verb.split(":", 1)[1]
        return TRANSITIONS.get(name, name.replace("_", " ").capitalize())
    return VERBS.get(verb, verb.replace("_", " ").capitalize())


def _add(digest: Digest, section: str, line: DigestLine) -> None:
    digest.counts[section] += 1
    if digest.counts[section] <= LISTED:
        getattr(digest, section).append(line)
