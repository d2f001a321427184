"""An action's history as people read it: events and updates merged, newest first, in words.

Each entry says who did what, when, through which channel, and what changed ("Status: Open →
In progress"), with field names in words and values as the pages show them. A page costs the
same few queries however long the history: the events, the people they name, the updates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions.models import CHANNELS, Action, Update
from tracker.actions.rag import RAG_LABELS
from tracker.actions.services import history
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.people.models import Person
from tracker.web.templating import format_date, status_label
from tracker.workflow_registry import all_workflows

FIELD_NAMES = {
    "ref": "Reference",
    "title": "Title",
    "description": "Description",
    "status": "Status",
    "owner": "Owner",
    "lead_organisation": "Lead organisation",
    "recommendation": "Recommendation",
    "due_on": "Due date",
    "original_due_on": "Original due date",
    "progress": "Progress",
    "owner_rag": "Owner’s RAG rating",
    "success_measure": "Success measure",
}
DATE_FIELDS = ("due_on", "original_due_on", "proposed_due_on")
VERBS = {
    "created": "Action created",
    "edited": "Details changed",
    "owner_assigned": "Owner changed",
    "due_date_changed": "Due date changed",
    "update_submitted": "Progress reported",
    "update_accepted": "Update accepted",
    "update_rejected": "Update rejected",
}
# Past tense for the standard workflows' steps; other workflows' steps show their label.
TRANSITIONS = {
    "open": "Opened for work",
    "start": "Work started",
    "block": "Marked as blocked",
    "unblock": "Unblocked",
    "complete": "Marked as complete",
    "close": "Signed off and closed",
    "send_back": "Sign-off refused",
    "cancel": "Cancelled",
    "reinstate": "Reinstated",
}
# Events whose comment is the reason for the change rather than a remark.
REASONED = ("due_date_changed", "update_rejected")
UPDATE_STATES = {
    "submitted": "Waiting for a decision",
    "accepted": "Accepted",
    "rejected": "Rejected",
}
NOT_SET = "not set"
EVIDENCE = "Evidence: "  # how tracker.actions.services writes a transition's evidence


@dataclass(frozen=True)
class Change:
    """One field's change: its name in words, and the values before and after, as text."""

    name: str
    old: str
    new: str


@dataclass
class Entry:
    """One line of the timeline."""

    at: datetime
    who: str
    channel: str
    what: str
    changes: list[Change] = field(default_factory=list)
    comment_label: str = "Comment"
    comment: str = ""
    evidence: str = ""
    update: Update | None = None
    initial: bool = False  # a creation: values are set, not changed from something
    order: int = 0  # ties at the same moment: later records first


@dataclass
class ActionHistory:
    entries: list[Entry]
    updates: list[Update]
    workflow: str

    def asks(self, update: Update) -> str:
        """The status change an update asks for, as its workflow names it ("Mark as complete")."""
        workflow = all_workflows().get(self.workflow)
        step = workflow.transitions.get(update.transition) if workflow else None
        return step.label if step else (update.transition or "").replace("_", " ").capitalize()

    @property
    def waiting(self) -> list[Update]:
        """Updates submitted and not yet accepted or rejected, oldest first."""
        return [u for u in self.updates if u.state == "submitted"]


def action_history(person: Person | None, action: Action) -> ActionHistory:
    """The timeline of ``action`` for ``person`` (who must be able to see it), newest first."""
    events = history(person, action)
    updates = list(
        db.session.scalars(
            select(Update)
            .where(Update.action_id == action.id)
            .options(joinedload(Update.author), joinedload(Update.decided_by))
            .order_by(Update.created_at, Update.id)
        )
    )
    people = _people(events)
    labels = _Labels(action.board.workflow, people)
    by_id = {u.id: u for u in updates}
    entries = [_event_entry(e, by_id, labels) for e in events]
    reported = {e.subject_id for e in events if e.verb == "update_submitted"}
    # Updates that came without an event of their own (an import) still belong in the history.
    entries += [_update_entry(u) for u in updates if u.id not in reported]
    entries.sort(key=lambda e: (e.at, e.order), reverse=True)
    return ActionHistory(entries, updates, action.board.workflow)


def _people(events: Iterable[Event]) -> dict[str, Person]:
    """Every person the events name (actors, and owners by email) in one query, by email;
    loading the actors here also saves a query per event for ``event.actor``."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    emails = {
        value
        for e in events
        for value in (e.changes or {}).get("owner", [])
        if isinstance(value, str)
    }
    if not ids and not emails:
        return {}
    found = db.session.scalars(select(Person).where(Person.id.in_(ids) | Person.email.in_(emails)))
    return {p.email: p for p in found}


class _Labels:
    """Values of changed fields as the pages show them."""

    def __init__(self, workflow: str, people: dict[str, Person]) -> None:
        self.workflow = workflow
        self.people = people

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return NOT_SET
        if name in DATE_FIELDS:
            return format_date(_as_date(value))
        if name == "status":
            return status_label(value, self.workflow)
        if name == "owner":
            person = self.people.get(value)
            return f"{person.name} ({person.email})" if person else str(value)
        if name == "progress":
            return f"{value}%"
        if name == "owner_rag":
            return RAG_LABELS.get(value, value)
        return str(value)

    def changes(self, changes: dict[str, list[Any]] | None) -> list[Change]:
        return [
            Change(
                FIELD_NAMES.get(name, name.replace("_", " ").capitalize()),
                self.value(name, old),
                self.value(name, new),
            )
            for name, (old, new) in (changes or {}).items()
        ]

    def what(self, verb: str) -> str:
        if verb.startswith("transition:"):
            name = verb.split(":", 1)[1]
            if name in TRANSITIONS:
                return TRANSITIONS[name]
            workflow = all_workflows().get(self.workflow)
            step = workflow.transitions.get(name) if workflow else None
            return step.label if step else name.replace("_", " ").capitalize()
        return VERBS.get(verb, verb.replace("_", " ").capitalize())


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return value


def who(actor: Person | None, channel: str, update: Update | None = None) -> str:
    """A name; without one, "Operator" at the command line and "Assure" for the system."""
    if actor is not None:
        return actor.name
    if update is not None and update.author is not None and channel == "email_link":
        return update.author.name
    return "Operator" if channel == "cli" else "Assure"


def channel_words(channel: str) -> str:
    return CHANNELS.get(channel, channel.replace("_", " ").capitalize())


def _event_entry(event: Event, updates: dict[int, Update], labels: _Labels) -> Entry:
    update = updates.get(event.subject_id) if event.subject_type == "update" else None
    entry = Entry(
        at=event.occurred_at,
        who=who(event.actor, event.channel, update),
        channel=channel_words(event.channel),
        what=labels.what(event.verb),
        changes=labels.changes(event.changes),
        comment=event.comment or "",
        initial=event.verb == "created",
        order=event.id,
    )
    if event.verb.startswith("transition:"):
        entry.comment_label = "Reason"
        entry.comment, entry.evidence = _reason_and_evidence(entry.comment)
    elif event.verb in REASONED:
        entry.comment_label = "Reason"
    if event.verb == "update_submitted" and update is not None:
        # The update itself is shown in full; its narrative is the event's comment.
        entry.update, entry.comment = update, ""
    return entry


def _reason_and_evidence(comment: str) -> tuple[str, str]:
    """A transition's comment split back into its reason and its evidence: the service keeps
    both in one comment, the evidence as a paragraph starting "Evidence: "."""
    reason, evidence = [], []
    for part in paragraphs(comment):
        if part.startswith(EVIDENCE):
            evidence.append(part.removeprefix(EVIDENCE).strip())
        else:
            reason.append(part)
    return "\n\n".join(reason), "\n\n".join(evidence)


def _update_entry(update: Update) -> Entry:
    return Entry(
        at=update.created_at,
        who=update.author.name if update.author else "Assure",
        channel=channel_words(update.channel),
        what=VERBS["update_submitted"],
        update=update,
    )


def paragraphs(text: str) -> list[str]:
    """Text split at blank lines, as people typed it."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
