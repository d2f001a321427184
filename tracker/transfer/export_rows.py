"""A board's action plan as rows of PLAN_COLUMNS, read in one SQL statement however many actions.

Each row holds the values the columns mean (see tracker.transfer.columns): the owner, the lead
organisation and the recommendation joined in, the RAG colour computed in SQL by the one rule,
and the latest accepted update picked by a correlated subquery in the same statement. Writers
(CSV, XLSX) turn the values into cells; the RAG stays a colour key here so that each writer
can show it its own way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker.actions.models import Action, Update
from tracker.actions.queries import rag_column
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.reviews.models import Recommendation
from tracker.web.templating import status_label

# What plan_rows puts in each position: PLAN_COLUMNS' keys, in their order (a unit test holds
# the two together).
ROW_KEYS = (
    "ref",
    "recommendation",
    "title",
    "description",
    "owner_name",
    "owner_email",
    "lead_organisation",
    "due_on",
    "status",
    "rag",
    "progress",
    "progress_update",
    "evidence",
    "success_measure",
)
# Rows come from the database in batches of this many, so that a board of any size is written
# without holding every row at once.
BATCH = 1000


def latest_accepted_update_id():
    """The id of the action's latest accepted update, as a correlated subquery.

    "Latest" as the action page has it (tracker.links.services.latest_accepted_update): the
    last decided, then the last made. A correlated lookup uses the index on updates.action_id
    once per action; a derived table of every action's latest update, joined in, was planned by
    SQLite as a scan of it per action (a 2,000-action board took seconds).
    """
    return (
        select(Update.id)
        .where(Update.action_id == Action.id, Update.state == "accepted")
        .order_by(Update.decided_at.desc(), Update.id.desc())
        .limit(1)
        .correlate(Action)
        .scalar_subquery()
    )


def plan_query(board: Board, today: date):
    """The SELECT of a board's plan, one row per action in the order the actions were added."""
    owner = aliased(Person)
    latest = aliased(Update)
    return (
        select(
            Action.ref,
            Recommendation.ref,
            Action.title,
            Action.description,
            owner.name,
            owner.email,
            Organisation.name,
            Action.due_on,
            Action.status,
            rag_column(today),
            Action.progress,
            latest.narrative,
            latest.evidence,
            Action.success_measure,
        )
        .select_from(Action)
        .join(Board, Action.board_id == Board.id)
        .outerjoin(Recommendation, Action.recommendation_id == Recommendation.id)
        .outerjoin(owner, Action.owner_id == owner.id)
        .outerjoin(Organisation, Action.lead_organisation_id == Organisation.id)
        .outerjoin(latest, latest.id == latest_accepted_update_id())
        .where(Action.board_id == board.id)
        .order_by(Action.id)
    )


def plan_rows(board: Board, today: date) -> Iterator[tuple[Any, ...]]:
    """The board's actions as tuples in PLAN_COLUMNS order: one statement, read in batches.

    Text columns that may be empty come out as "" (never None), so that CSV and XLSX agree;
    the due date stays a date and the progress an int; "status" is the label the board's
    workflow gives the state, and "rag" the colour key (blue, green, amber, red).
    """
    labels: dict[str, str] = {}
    # Plain rows through the session's connection: the ORM's row handling cost a third of
    # the time of a 10,000-action export, and these are columns, not objects.
    query = plan_query(board, today).execution_options(yield_per=BATCH)
    result = db.session.connection().execute(query)
    for row in result:
        (ref, rec, title, description, owner, email, organisation, due_on, status, rag,
         progress, narrative, evidence, measure) = row  # fmt: skip
        if status not in labels:
            labels[status] = status_label(status, board.workflow)
        yield (
            ref,
            rec or "",
            title,
            description or "",
            owner or "",
            email or "",
            organisation or "",
            due_on,
            labels[status],
            rag,
            progress,
            narrative or "",
            evidence or "",
            measure or "",
        )
