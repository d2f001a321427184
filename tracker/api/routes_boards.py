"""Boards, and the oversight summary of a board's actions."""

from __future__ import annotations

from tracker.actions.queries import board_counts
from tracker.actions.rag import RAG_LABELS, RAGS
from tracker.api import bp, schemas
from tracker.api.auth import current_person
from tracker.api.helpers import answer
from tracker.api.spec import operation
from tracker.api.views import dump_boards, state_label
from tracker.boards import services as boards
from tracker.common.time import london_today
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
    description="Counts of the board's actions by status and by RAG, and of what needs the "
    "board's attention: overdue, blocked, awaiting sign-off, updates awaiting acceptance.",
    response=schemas.OversightSchema,
)
def board_oversight(board_id: int):
    board = boards.get_board(current_person(), board_id=board_id)
    today = london_today()
    counts = board_counts(board, today)
    states = list(get_workflow(board.workflow).states)
    # The workflow's states in its order, then any state the workflow no longer has.
    states += [s for s in counts["by_status"] if s not in states]
    body = {
        **counts,
        "board": board,
        "as_of": today,
        "by_status": [
            {
                "status": s,
                "label": state_label(board.workflow, s),
                "count": counts["by_status"].get(s, 0),
            }
            for s in states
        ],
        "by_rag": [
            {"rag": rag, "label": RAG_LABELS[rag], "count": counts["by_rag"][rag]} for rag in RAGS
        ],
    }
    return answer(schemas.OversightSchema().dump(body))
