"""Boards, and the oversight summary of a board's actions."""

from __future__ import annotations

from flask import url_for

from tracker.actions.rag import BLOCKED_STATES, RAG_LABELS, RAGS
from tracker.api import bp, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import answer
from tracker.api.schemas_oversight import OversightSchema
from tracker.api.spec import operation
from tracker.api.views import dump_boards, state_label
from tracker.boards import services as boards
from tracker.common.time import london_today
from tracker.oversight.dashboard import board_dashboard
from tracker.workflow_registry import get_workflow


@bp.get("/boards")
@operation(
    "List the boards you can see",
    tag="boards",
    description="Every board for an admin; otherwise the boards you are a member of.",
    response=schemas.BoardListSchema,
)
def list_boards():
    person = current_person()
    return answer({"items": dump_boards(person, boards.visible_boards(person))})


@bp.get("/boards/<int:board_id>")
@operation("Get a board", tag="boards", response=schemas.BoardSchema)
def get_board(board_id: int):
    person = current_person()
    return answer(dump_boards(person, [boards.get_board(person, board_id=board_id)])[0])


@bp.get("/boards/<int:board_id>/oversight")
@operation(
    "Where a board's plan stands",
    tag="boards",
    description="The board's dashboard as data: counts of its actions by status and by RAG, "
    "and of what needs the board's attention (open, overdue, blocked, due in the next 30 days, "
    "completed since the last meeting, awaiting sign-off, updates awaiting acceptance); "
    "progress by recommendation, theme, level and lead organisation; the overdue and blocked "
    "actions; what changed since the last meeting; and the trend from the daily snapshots. "
    "Each figure comes with the URL of the list of its actions.",
    response=OversightSchema,
)
def board_oversight(board_id: int):
    person = current_person()
    board = boards.get_board(person, board_id=board_id)
    today = london_today()
    found = board_dashboard(person, board, today)
    figures = found.figures
    states = list(get_workflow(board.workflow).states)
    # The workflow's states in its order, then any state the workflow no longer has.
    states += [s for s in figures.by_status if s not in states]

    def actions(**filters) -> str:
        return _actions_url(board, filters)

    body = {
        "board": board,
        "as_of": today,
        "total": figures.total,
        "by_status": [
            {
                "status": s,
                "label": state_label(board.workflow, s),
                "count": figures.by_status.get(s, 0),
            }
            for s in states
        ],
        "by_rag": [
            {"rag": rag, "label": RAG_LABELS[rag], "count": figures.by_rag[rag]} for rag in RAGS
        ],
        "overdue": figures.overdue,
        "blocked": figures.blocked,
        "awaiting_sign_off": figures.awaiting_sign_off,
        "updates_awaiting_acceptance": figures.updates_waiting,
        "open": figures.open,
        "due_in_30_days": found.due_soon,
        "completed_since_last_meeting": found.completed_since,
        "actions_with_updates_awaiting_acceptance": figures.actions_with_updates_waiting,
        "last_meeting_on": found.last_meeting.held_on if found.last_meeting else None,
        "next_meeting_on": found.next_meeting.held_on if found.next_meeting else None,
        "since": found.since,
        "actions": {
            "total": actions(),
            "open": actions(**found.open_filters()),
            "overdue": actions(overdue=True),
            "blocked": actions(status=list(BLOCKED_STATES)),
            "due_in_30_days": actions(**found.due_soon_filters()),
            "completed_since_last_meeting": actions(**found.completed_since_filters()),
            "awaiting_sign_off": actions(status="completed"),
            "updates_awaiting_acceptance": actions(awaiting_acceptance=True),
        },
        "by_recommendation": [_group(board, g) for g in found.by_recommendation],
        "by_theme": [_group(board, g) for g in found.by_theme],
        "by_level": [_group(board, g) for g in found.by_level],
        "by_lead_organisation": [_group(board, g) for g in found.by_lead_organisation],
        "overdue_actions": [_attention(row, found.last_updates) for row in found.overdue],
        "blocked_actions": [_attention(row, found.last_updates) for row in found.blocked],
        "changes": {
            "since": found.changes.since,
            "counts": found.changes.counts,
            "latest": [
                {
                    "occurred_at": entry.event.occurred_at,
                    "verb": entry.event.verb,
                    "label": entry.label,
                    "action_id": entry.action_id,
                    "action_ref": entry.action_ref,
                    "actor": entry.event.actor,
                }
                for entry in found.changes.latest
            ],
        },
        "trend": found.trend,
    }
    return answer(OversightSchema().dump(body))


def _actions_url(board, filters: dict) -> str:
    """The API's list of the board's actions matching ``filters``."""
    args = {}
    for name, value in filters.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        args[name] = value
    return url_for("api.list_actions", board=board.id, _external=True, **args)


def _group(board, group) -> dict:
    return {
        "id": next(iter(group.filters.values()), None),
        "label": group.label,
        "detail": group.detail,
        "total": group.total,
        "completed": group.completed,
        "percent_complete": group.percent_complete,
        "by_rag": group.by_rag,
        "actions": _actions_url(board, group.filters) if group.filters else None,
    }


def _attention(row, last_updates: dict) -> dict:
    action = row.action
    return {
        "id": action.id,
        "ref": action.ref,
        "title": action.title,
        "owner": action.owner,
        "due_on": action.due_on,
        "days_overdue": row.overdue_days,
        "status": action.status,
        "status_reason": action.status_reason,
        "last_update": last_updates.get(action.id),
    }
