"""What a meeting pack shows, read from the database in a fixed number of statements.

``pack_data`` returns plain JSON-able values (strings, numbers, ISO dates, lists, dicts): the
same value is shown as a draft and stored, frozen, in an issued pack.

**As at the papers deadline.** RAG and overdue are evaluated with "today" set to the meeting's
papers deadline when that is today or later: the pack says what will be overdue or at risk by the
time the papers go out. When the deadline has passed (a pack issued late, or reissued after the
meeting), they are evaluated as at today instead, since a date in the past would hide what has
happened since. ``as_at`` in the data (and on the pack's summary page) says which date was used.
The latest accepted update, the pending due-date requests and the statuses are as at the moment
the pack is generated.

Statements, whatever the number of actions: two for the figures (``board_figures``), one for the
open actions with their owner, lead organisation, recommendation, RAG and overdue computed in SQL,
one for the latest accepted update of each (a window function), one for the due-date changes asked
for and not yet decided.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from tracker.actions.models import Action, Update
from tracker.actions.queries import overdue_column, rag_column
from tracker.actions.rag import BLOCKED_STATES, FINISHED_STATES, RAG_LABELS, RAGS, RED
from tracker.boards.models import Board, Meeting
from tracker.common.time import LONDON, utcnow
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.reviews.models import Recommendation, Review
from tracker.web.queries import board_figures
from tracker.web.templating import status_label

# Bumped when the shape of the data changes, so that old issued packs can still be read.
DATA_VERSION = 1
# Above this many open actions the printed pack (and its web page) lists each recommendation's
# counts instead of every action, and the first EXCEPTIONS_SHOWN of each kind of exception: a
# 10,000-action pack would run to a thousand pages, which no board reads and WeasyPrint takes many
# minutes to lay out. The spreadsheet and CSV always hold every action. Stored in each pack's
# data, so that an issued pack keeps the layout it was issued with.
LIST_LIMIT = 1000
EXCEPTIONS_SHOWN = 200
NO_RECOMMENDATION = "Not linked to a recommendation"


def as_at_for(meeting: Meeting, today: date) -> date:
    """The date a pack's figures are for: the papers deadline, or today once it has passed."""
    return max(meeting.papers_due_on, today)


def pack_data(
    board: Board, meeting: Meeting, today: date, list_limit: int = LIST_LIMIT
) -> dict[str, Any]:
    """Everything the meeting's pack shows, as plain values (see the module's docstring)."""
    as_at = as_at_for(meeting, today)
    actions, groups = _open_actions(board, as_at)
    requests = _due_date_requests(board)
    figures = _figures(board, as_at)
    figures["due_date_requests"] = len(requests)
    return {
        "data_version": DATA_VERSION,
        "board": {"ref": board.ref, "name": board.name, "kind": board.kind_label},
        "meeting": {
            "held_on": meeting.held_on.isoformat(),
            "papers_due_on": meeting.papers_due_on.isoformat(),
        },
        "as_at": as_at.isoformat(),
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "as_at_rule": ("papers deadline" if as_at == meeting.papers_due_on else "date generated"),
        "figures": figures,
        "list_limit": list_limit,
        "exceptions_shown": EXCEPTIONS_SHOWN,
        "exceptions": {
            "overdue": [a["ref"] for a in actions if a["overdue_days"] is not None],
            "blocked": [a["ref"] for a in actions if a["status"] in BLOCKED_STATES],
            # Off track for any other reason (the owner says so): overdue and blocked actions
            # are off track too, and already listed above.
            "off_track": [
                a["ref"]
                for a in actions
                if a["rag"] == RED
                and a["overdue_days"] is None
                and a["status"] not in BLOCKED_STATES
            ],
            "due_date_requests": requests,
        },
        "groups": groups,
    }


def _figures(board: Board, as_at: date) -> dict[str, Any]:
    found = board_figures([board.id], as_at)[board.id]
    return {
        "total": found.total,
        "open": found.open,
        "overdue": found.overdue,
        "blocked": found.blocked,
        "awaiting_sign_off": found.awaiting_sign_off,
        "updates_waiting": found.updates_waiting,
        "by_rag": {rag: found.by_rag[rag] for rag in RAGS},
        "by_status": dict(sorted(found.by_status.items())),
    }


def _open_actions(board: Board, as_at: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The board's actions not yet finished, with what the pack shows of each and its latest
    accepted update: two statements. Returns them by reference, and grouped by recommendation
    in each review's order (actions linked to none last)."""
    query = (
        select(
            Action.id,
            Action.ref,
            Action.title,
            Action.status,
            Action.status_reason,
            Action.due_on,
            Action.original_due_on,
            Action.progress,
            Person.name,
            Organisation.name,
            Recommendation.id,
            Recommendation.ref,
            Recommendation.text,
            Recommendation.position,
            Review.title,
            rag_column(as_at),
            overdue_column(as_at),
        )
        .join(Board, Action.board_id == Board.id)
        .outerjoin(Person, Action.owner_id == Person.id)
        .outerjoin(Organisation, Action.lead_organisation_id == Organisation.id)
        .outerjoin(Recommendation, Action.recommendation_id == Recommendation.id)
        .outerjoin(Review, Recommendation.review_id == Review.id)
        .where(Action.board_id == board.id, Action.status.not_in(FINISHED_STATES))
        .order_by(Action.ref, Action.id)
    )
    workflow = board.workflow
    labels: dict[str, str] = {}
    groups: dict[int | None, dict[str, Any]] = {}
    order: dict[int | None, tuple] = {}
    latest = _latest_accepted_updates(board)
    # Each distinct date is formatted once: on a 10,000-action board formatting dates, and the
    # ORM's handling of rows (these are plain rows, read through the session's connection),
    # were most of the time spent outside the database.
    iso: dict[date | None, str | None] = {None: None}
    actions = []
    for (
        action_id,
        ref,
        title,
        status,
        status_reason,
        due_on,
        original_due_on,
        progress,
        owner,
        organisation,
        rec_id,
        rec_ref,
        rec_text,
        rec_position,
        review,
        rag,
        overdue,
    ) in db.session.connection().execute(query):
        if status not in labels:
            labels[status] = status_label(status, workflow)
        if rec_id not in groups:
            groups[rec_id] = {"recommendation": None, "actions": []}
            order[rec_id] = (1, "", 0, "")
            if rec_id is not None:
                groups[rec_id]["recommendation"] = {
                    "ref": rec_ref,
                    "text": rec_text,
                    "review": review,
                }
                order[rec_id] = (0, review, rec_position, rec_ref)
        for value in (due_on, original_due_on):
            if value not in iso:
                iso[value] = value.isoformat()
        action = {
            "ref": ref,
            "title": title,
            "status": status,
            "status_label": labels[status],
            "status_reason": status_reason,
            "due_on": iso[due_on],
            "original_due_on": iso[original_due_on],
            "overdue_days": (as_at - due_on).days if overdue else None,
            "progress": progress,
            "rag": rag,
            "rag_label": RAG_LABELS[rag],
            "owner": owner,
            "lead_organisation": organisation,
            "latest_update": latest.get(action_id),
        }
        actions.append(action)
        groups[rec_id]["actions"].append(action)
    return actions, [groups[key] for key in sorted(groups, key=order.__getitem__)]


def _latest_accepted_updates(board: Board) -> dict[int, dict[str, Any]]:
    """Each open action's most recent accepted update, by action id: one statement.

    A window function over the board's accepted updates, in a statement of its own: a correlated
    subquery per action in the actions' statement was no quicker on SQLite, slower on PostgreSQL,
    and took seconds there before the planner had statistics (it scanned every accepted update
    for each action).
    """
    ranked = (
        select(
            Update.action_id.label("action_id"),
            Update.narrative.label("narrative"),
            Update.progress.label("progress"),
            Update.created_at.label("created_at"),
            func.row_number()
            .over(
                partition_by=Update.action_id,
                order_by=(Update.created_at.desc(), Update.id.desc()),
            )
            .label("rank"),
        )
        .join(Action, Update.action_id == Action.id)
        .where(
            Action.board_id == board.id,
            Action.status.not_in(FINISHED_STATES),
            Update.state == "accepted",
        )
        .subquery()
    )
    query = select(ranked.c.action_id, ranked.c.narrative, ranked.c.progress, ranked.c.created_at)
    updated_on: dict[tuple, str] = {}
    latest = {}
    for action_id, narrative, progress, created_at in db.session.connection().execute(
        query.where(ranked.c.rank == 1)
    ):
        # London's date depends only on UTC's date and hour (its offsets are whole hours).
        hour = (created_at.year, created_at.month, created_at.day, created_at.hour)
        if hour not in updated_on:
            updated_on[hour] = _london_date(created_at)
        latest[action_id] = {"narrative": narrative, "progress": progress, "on": updated_on[hour]}
    return latest


def _due_date_requests(board: Board) -> list[dict[str, Any]]:
    """Updates that ask for a new due date and wait for a decision: one statement."""
    query = (
        select(
            Action.ref,
            Action.due_on,
            Update.proposed_due_on,
            Update.created_at,
            Update.narrative,
            Person.name,
        )
        .join(Action, Update.action_id == Action.id)
        .join(Person, Update.author_id == Person.id)
        .where(
            Action.board_id == board.id,
            Action.status.not_in(FINISHED_STATES),
            Update.state == "submitted",
            Update.proposed_due_on.is_not(None),
        )
        .order_by(Update.created_at, Update.id)
    )
    return [
        {
            "ref": ref,
            "due_on": _iso(due_on),
            "proposed_due_on": _iso(proposed),
            "asked_on": _london_date(created_at),
            "narrative": narrative,
            "asked_by": author,
        }
        for ref, due_on, proposed, created_at, narrative, author in db.session.execute(query)
    ]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _london_date(value: datetime) -> str:
    return value.astimezone(LONDON).date().isoformat()
