"""All of a board's data as one JSON document, for archiving: written piece by piece.

The archive holds the board (its settings, members with their roles, meetings), the
recommendations it follows, its actions (every field, with the RAG rating as of the export),
every update with its state and decision, and the board's audit trail, with ISO dates and a
schema version. It holds no secret: no password hashes, API or feed tokens, or link versions
that would help forge a link. Each list is read in one statement, in batches, and written as
it is read, so a large board streams without being held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from tracker.actions.models import Action, Update
from tracker.actions.queries import overdue_column, rag_column
from tracker.audit.models import Event
from tracker.boards.models import Board, Meeting, Membership
from tracker.extensions import db
from tracker.people.models import Locality, Organisation, Person
from tracker.reviews.models import Recommendation, recommendation_boards
from tracker.transfer.export_formats import exported_by_text

SCHEMA = "assure.board-archive"
SCHEMA_VERSION = 1
BATCH = 1000


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False)


def _person(person_id, name, email) -> dict | None:
    if person_id is None:
        return None
    return {"id": person_id, "name": name, "email": email}


def archive_chunks(
    board: Board, *, exported_by: Person | None, exported_at: datetime, today: date
) -> Iterator[str]:
    """The archive as JSON text, in pieces: a header, then each list item by item."""
    header = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported_at": exported_at,
        "exported_by": exported_by_text(exported_by),
        "ratings_as_of": today,
        "board": board_record(board),
    }
    # The header's closing brace is left off, so that the lists follow inside the same object.
    yield _dumps(header)[:-1]
    for name, items in (
        ("recommendations", recommendation_records(board)),
        ("actions", action_records(board, today)),
        ("updates", update_records(board)),
        ("events", event_records(board)),
    ):
        yield from _list(name, items)
    yield "}\n"


def _list(name: str, items: Iterable[dict]) -> Iterator[str]:
    yield f', "{name}": ['
    for index, item in enumerate(items):
        yield ("\n" if index == 0 else ",\n") + _dumps(item)
    yield "\n]"


def board_record(board: Board) -> dict:
    locality = db.session.get(Locality, board.locality_id) if board.locality_id else None
    members = db.session.execute(
        select(
            Membership.role,
            Membership.created_at,
            Person.id,
            Person.name,
            Person.email,
            Person.job_title,
            Organisation.name,
        )  # fmt: skip
        .join(Person, Membership.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Membership.board_id == board.id)
        .order_by(Membership.role, Person.name)
    ).all()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.board_id == board.id).order_by(Meeting.held_on)
    ).all()
    return {
        "id": board.id,
        "ref": board.ref,
        "name": board.name,
        "kind": board.kind,
        "locality": locality.name if locality else None,
        "workflow": board.workflow,
        "amber_window_days": board.amber_window_days,
        "stale_window_days": board.stale_window_days,
        "updates_need_acceptance": board.updates_need_acceptance,
        "created_at": board.created_at,
        "updated_at": board.updated_at,
        "members": [
            {
                "role": role,
                "since": since,
                "person": {
                    "id": person_id,
                    "name": name,
                    "email": email,
                    "job_title": job_title,
                    "organisation": organisation,
                },
            }
            for role, since, person_id, name, email, job_title, organisation in members
        ],
        "meetings": [
            {
                "id": meeting.id,
                "held_on": meeting.held_on,
                "papers_due_on": meeting.papers_due_on,
                "notes": meeting.notes,
            }
            for meeting in meetings
        ],
    }


def recommendation_records(board: Board) -> Iterator[dict]:
    """The recommendations the board adopted, with their review and themes (two statements)."""
    recommendations = db.session.scalars(
        select(Recommendation)
        .join(
            recommendation_boards,
            recommendation_boards.c.recommendation_id == Recommendation.id,
        )
        .where(recommendation_boards.c.board_id == board.id)
        .options(selectinload(Recommendation.themes), selectinload(Recommendation.review))
        .order_by(Recommendation.review_id, Recommendation.position, Recommendation.id)
    ).all()
    for rec in recommendations:
        review = rec.review
        yield {
            "id": rec.id,
            "ref": rec.ref,
            "text": rec.text,
            "level": rec.level,
            "status": rec.status,
            "themes": [theme.name for theme in rec.themes],
            "review": {
                "id": review.id,
                "title": review.title,
                "publisher": review.publisher,
                "published_on": review.published_on,
                "source_ref": review.source_ref,
            },
        }


ACTION_FIELDS = (
    "id", "ref", "recommendation_id", "title", "description", "due_on", "original_due_on",
    "status", "status_reason", "status_changed_at", "progress", "owner_rag", "success_measure",
    "progress_reported_at", "version", "created_at", "updated_at",
)  # fmt: skip


def action_records(board: Board, today: date) -> Iterator[dict]:
    """Every action of the board with every field (but the link version), in one statement."""
    owner = aliased(Person)
    query = (
        select(
            *(getattr(Action, field) for field in ACTION_FIELDS),
            Recommendation.ref,
            owner.id,
            owner.name,
            owner.email,
            Organisation.name,
            rag_column(today),
            overdue_column(today),
        )
        .select_from(Action)
        .join(Board, Action.board_id == Board.id)
        .outerjoin(Recommendation, Action.recommendation_id == Recommendation.id)
        .outerjoin(owner, Action.owner_id == owner.id)
        .outerjoin(Organisation, Action.lead_organisation_id == Organisation.id)
        .where(Action.board_id == board.id)
        .order_by(Action.id)
        .execution_options(yield_per=BATCH)
    )
    size = len(ACTION_FIELDS)
    for row in db.session.execute(query):
        record = dict(zip(ACTION_FIELDS, row[:size], strict=True))
        rec_ref, owner_id, owner_name, owner_email, organisation, rag, overdue = row[size:]
        record.update(
            recommendation_ref=rec_ref,
            owner=_person(owner_id, owner_name, owner_email),
            lead_organisation=organisation,
            rag=rag,
            is_overdue=bool(overdue),
        )
        yield record


UPDATE_FIELDS = (
    "id", "action_id", "channel", "narrative", "progress", "rag", "transition", "comment",
    "evidence", "proposed_due_on", "state", "decided_at", "decision_reason", "created_at",
)  # fmt: skip


def update_records(board: Board) -> Iterator[dict]:
    """Every update on the board's actions, submitted, accepted or rejected, in one statement."""
    author, decider = aliased(Person), aliased(Person)
    query = (
        select(
            *(getattr(Update, field) for field in UPDATE_FIELDS),
            Action.ref,
            author.id,
            author.name,
            author.email,
            decider.id,
            decider.name,
            decider.email,
        )
        .join(Action, Update.action_id == Action.id)
        .join(author, Update.author_id == author.id)
        .outerjoin(decider, Update.decided_by_id == decider.id)
        .where(Action.board_id == board.id)
        .order_by(Update.created_at, Update.id)
        .execution_options(yield_per=BATCH)
    )
    size = len(UPDATE_FIELDS)
    for row in db.session.execute(query):
        record = dict(zip(UPDATE_FIELDS, row[:size], strict=True))
        action_ref, *people = row[size:]
        record.update(
            action_ref=action_ref,
            author=_person(*people[:3]),
            decided_by=_person(*people[3:]),
        )
        yield record


def event_records(board: Board) -> Iterator[dict]:
    """The board's audit trail, oldest first: its own events and its actions'."""
    board_actions = select(Action.id).where(Action.board_id == board.id)
    query = (
        select(Event, Person.id, Person.name, Person.email)
        .outerjoin(Person, Event.actor_id == Person.id)
        .where(or_(Event.board_id == board.id, Event.action_id.in_(board_actions)))
        .order_by(Event.occurred_at, Event.id)
        .execution_options(yield_per=BATCH)
    )
    for event, *actor in db.session.execute(query):
        yield {
            "id": event.id,
            "occurred_at": event.occurred_at,
            "actor": _person(*actor),
            "channel": event.channel,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "action_id": event.action_id,
            "verb": event.verb,
            "changes": event.changes,
            "comment": event.comment,
        }
