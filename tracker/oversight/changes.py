"""What changed on a board since a date: counts of what happened, and the latest changes.

Read from the audit trail (tracker.audit): every change to an action, and every update
accepted, is an Event with the board and the action it concerns. Two statements: the events
counted by verb, and the latest few with their actions and who made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action
from tracker.actions.queries import start_of_day
from tracker.audit.models import Event
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.workflow_registry import get_workflow

LIST_LIMIT = 20
# The words for each kind of change; transitions take their workflow's own label.
VERB_LABELS = {
    "created": "Actions added",
    "edited": "Actions edited",
    "owner_assigned": "Owners assigned or changed",
    "due_date_changed": "Due dates changed",
    "update_submitted": "Updates received from owners",
    "update_accepted": "Updates accepted",
    "update_rejected": "Updates rejected",
}


@dataclass
class ChangeCount:
    verb: str
    label: str
    count: int


@dataclass
class ChangeEntry:
    """One change, with the action it was made to."""

    event: Event
    action_id: int
    action_ref: str
    action_title: str
    label: str


@dataclass
class ChangeSummary:
    since: date
    counts: list[ChangeCount] = field(default_factory=list)
    latest: list[ChangeEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


def verb_label(verb: str, workflow: str) -> str:
    """``transition:complete`` as "Mark as complete" (its workflow's label); others in words."""
    if verb.startswith("transition:"):
        name = verb.split(":", 1)[1]
        transition = get_workflow(workflow).transitions.get(name)
        return transition.label if transition else name.replace("_", " ").capitalize()
    return VERB_LABELS.get(verb, verb.replace("_", " ").capitalize())


def changes_since(board: Board, since: date) -> ChangeSummary:
    """The changes to the board's actions from the start of ``since`` (London) to now."""
    where = (
        Event.board_id == board.id,
        Event.action_id.is_not(None),
        Event.occurred_at >= start_of_day(since),
    )
    summary = ChangeSummary(since)
    counted = db.session.execute(
        select(Event.verb, func.count(Event.id)).where(*where).group_by(Event.verb)
    ).all()
    summary.counts = sorted(
        (ChangeCount(verb, verb_label(verb, board.workflow), n) for verb, n in counted),
        key=lambda c: (-c.count, c.label),
    )
    newest_first = (Event.occurred_at.desc(), Event.id.desc())
    # The latest events are chosen before anything is joined to them. Joined first, every
    # event since the date was joined before the sort could stop, when thousands share one
    # timestamp (a bulk load's do) and the index on (board, occurred_at) cannot order them.
    latest = select(Event.id).where(*where).order_by(*newest_first).limit(LIST_LIMIT).subquery()
    rows = db.session.execute(
        select(Event, Action.id, Action.ref, Action.title)
        .join(latest, latest.c.id == Event.id)
        .join(Action, Action.id == Event.action_id)
        .options(joinedload(Event.actor))
        .order_by(*newest_first)
    ).all()
    summary.latest = [
        ChangeEntry(event, action_id, ref, title, verb_label(event.verb, board.workflow))
        for event, action_id, ref, title in rows
    ]
    return summary
