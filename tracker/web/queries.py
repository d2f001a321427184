"""What the read-only pages show: boards with their actions, each action's RAG worked out in SQL.

A page costs the same few queries however many actions there are: boards (with their
locality) in one, actions (with owner and lead organisation, RAG and overdue) in another.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action
from tracker.actions.rag import RAGS, overdue_sql, rag_sql
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.permissions import visible_board_ids


@dataclass
class ActionRow:
    """An action as a table shows it: with its RAG and how many days it is overdue (or None)."""

    action: Action
    rag: str
    overdue_days: int | None


@dataclass
class BoardOverview:
    board: Board
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def rag_counts(self) -> dict[str, int]:
        """Actions per RAG colour, worst first (red to blue), zeros included."""
        counts = Counter(row.rag for row in self.actions)
        return {rag: counts[rag] for rag in reversed(RAGS)}


def board_overviews(person, today: date, *, ref: str | None = None) -> list[BoardOverview]:
    """The boards ``person`` may see (or the one with ``ref``), each with its actions."""
    boards_query = (
        select(Board)
        .where(Board.id.in_(visible_board_ids(person)))
        .options(joinedload(Board.locality))
        .order_by(Board.name)
    )
    if ref is not None:
        boards_query = boards_query.where(Board.ref == ref.strip().lower())
    overviews = {b.id: BoardOverview(b) for b in db.session.scalars(boards_query)}
    if not overviews:
        return []

    actions_query = (
        select(
            Action,
            rag_sql(Action, Board, today).label("rag"),
            overdue_sql(Action, today).label("is_overdue"),
        )
        .join(Board, Action.board_id == Board.id)
        .options(joinedload(Action.owner), joinedload(Action.lead_organisation))
        .order_by(Action.board_id, Action.ref)
    )
    actions_query = actions_query.where(Action.board_id.in_(overviews))
    for action, rag, is_overdue in db.session.execute(actions_query):
        overdue_days = (today - action.due_on).days if is_overdue else None
        overviews[action.board_id].actions.append(ActionRow(action, rag, overdue_days))
    return list(overviews.values())
