"""Turning models into representations: the values a schema dumps beyond the columns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.actions.models import Action, Update
from tracker.actions.queries import ActionRow
from tracker.actions.rag import RAG_LABELS, is_overdue, rag_of
from tracker.api import schemas
from tracker.boards.models import Board, Membership
from tracker.extensions import db
from tracker.people.models import Person
from tracker.permissions import ADMIN, SECRETARY, visible_board_ids
from tracker.reviews.models import Recommendation
from tracker.workflow_registry import RECOMMENDATION, all_workflows


class View:
    """An object's attributes, with some added, for a schema to dump."""

    def __init__(self, obj: Any, **extra: Any) -> None:
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


def state_label(workflow_name: str, state: str) -> str:
    workflow = all_workflows().get(workflow_name)
    found = workflow.states.get(state) if workflow else None
    return found.label if found else state


def action_view(action: Action, rag: str, overdue: bool) -> View:
    return View(
        action,
        rag=rag,
        rag_label=RAG_LABELS[rag],
        is_overdue=overdue,
        status_label=state_label(action.board.workflow, action.status),
        board_ref=action.board.ref,
    )


def dump_action(action: Action, today: date) -> dict:
    """One action, its RAG and overdue worked out in Python by the same rule as in SQL."""
    view = action_view(action, rag_of(action, action.board, today), is_overdue(action, today))
    return schemas.ActionSchema().dump(view)


def action_row_views(rows: Iterable[ActionRow]) -> list[View]:
    """Listed actions, with the RAG and overdue their query worked out in SQL."""
    return [action_view(row.action, row.rag, row.is_overdue) for row in rows]


def roles_by_board(person: Person) -> dict[int, list[str]]:
    """The person's membership role on each of their boards, in one statement."""
    return {
        board_id: [role]
        for board_id, role in db.session.execute(
            select(Membership.board_id, Membership.role).where(Membership.person_id == person.id)
        )
    }


def dump_boards(person: Person, boards: Iterable[Board]) -> list[dict]:
    roles = roles_by_board(person)
    admin_roles = [ADMIN, SECRETARY] if person.is_admin else []

    def roles_on(board: Board) -> list[str]:
        return list(dict.fromkeys(admin_roles + roles.get(board.id, [])))

    views = [View(board, roles=roles_on(board)) for board in boards]
    return schemas.BoardSchema(many=True).dump(views)


def dump_recommendations(person: Person, recommendations: Iterable[Recommendation]) -> list[dict]:
    """Recommendations, naming only the boards the person can see among those they are for."""
    visible = set(db.session.scalars(visible_board_ids(person)))
    views = [
        View(
            rec,
            status_label=state_label(RECOMMENDATION, rec.status),
            board_ids=[b.id for b in rec.boards if b.id in visible],
        )
        for rec in recommendations
    ]
    return schemas.RecommendationSchema(many=True).dump(views)


def dump_update(update: Update) -> dict:
    return schemas.UpdateSchema().dump(update)
