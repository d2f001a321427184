"""The review-wide matrix: each recommendation of a review against each board acting on it.

A regional lead compares localities with it: each cell is the state of one board's actions for
one recommendation, with how many are complete; rows and columns carry completion totals.

**Who sees which boards.** The columns are the boards the person can see
(``permissions.visible_board_ids``: the boards they belong to, in any role; every board for an
admin) that adopted one of the review's recommendations or have actions for one. A board's
progress is its own business (the review page and the action lists hide other boards too), so a
regional lead is given a role on each board they compare (``member`` is read-only), or is an
admin. Owning an action on a board does not add its column: an owner sees their own actions,
not the board's record. Every column is a board the person can open, so every cell with actions
links to that board's list filtered by the recommendation.

**Cost.** Six statements whatever the number of actions: the number of recommendations, the
chosen ones and their themes (two), the boards, the adoptions, and one GROUP BY over the
actions that counts, per (recommendation, board), the actions by RAG (the rule in
``tracker.actions.rag``, in SQL, read once per action as the cell's worst colour). The index
``ix_actions_recommendation_board`` holds every column that GROUP BY reads. Row and column
totals are sums of those counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.actions.models import Action
from tracker.actions.queries import RAG_SEVERITY, rag_column
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.oversight.matrix_cells import (
    CANCELLED,
    DONE_STATES,
    WAITING_STATES,
    Cell,
    CellCounts,
    Completion,
    cell_state,
)
from tracker.people.models import Person
from tracker.permissions import visible_board_ids
from tracker.reviews.models import (
    Recommendation,
    Review,
    Theme,
    recommendation_boards,
    recommendation_themes,
)

BY_SEVERITY = {severity: rag for rag, severity in RAG_SEVERITY.items()}


@dataclass
class MatrixRow:
    recommendation: Recommendation
    cells: list[Cell]
    completion: Completion


@dataclass
class Matrix:
    review: Review
    boards: list[Board]
    rows: list[MatrixRow]
    board_completion: list[Completion]
    completion: Completion
    total_recommendations: int  # before the filters


def build_matrix(
    person: Person | None,
    review: Review,
    today: date,
    *,
    level: str | None = None,
    theme_id: int | None = None,
) -> Matrix:
    """The matrix of ``review`` as ``person`` may see it, as of ``today`` (London's date),
    for the recommendations at ``level`` and with the theme ``theme_id`` (None: any)."""
    in_review = Recommendation.review_id == review.id
    chosen = [in_review, *_recommendation_filters(level, theme_id)]
    visible = visible_board_ids(person)
    total = db.session.scalar(select(func.count(Recommendation.id)).where(in_review))
    recommendations = list(
        db.session.scalars(
            select(Recommendation)
            .where(*chosen)
            .options(selectinload(Recommendation.themes))
            .order_by(Recommendation.position, Recommendation.id)
        )
    )
    boards = review_boards(review, visible)
    adopted = _adoptions(chosen, visible) if recommendations and boards else set()
    counts = _cell_counts(chosen, visible, today) if recommendations and boards else {}
    rows = []
    for recommendation in recommendations:
        cells = []
        for board in boards:
            found = counts.get((recommendation.id, board.id), CellCounts())
            is_adopted = (recommendation.id, board.id) in adopted
            state = cell_state(found, is_adopted)
            cells.append(Cell(state, found.complete, found.live, found.actions > 0, is_adopted))
        rows.append(MatrixRow(recommendation, cells, _sum(cells)))
    columns = [_sum(row.cells[i] for row in rows) for i in range(len(boards))]
    return Matrix(
        review=review,
        boards=boards,
        rows=rows,
        board_completion=columns,
        completion=_sum(cell for row in rows for cell in row.cells),
        total_recommendations=total,
    )


def _sum(cells: Iterable[Cell]) -> Completion:
    complete = live = 0
    for cell in cells:
        complete += cell.complete
        live += cell.live
    return Completion(complete, live)


def _recommendation_filters(level: str | None, theme_id: int | None) -> list:
    conditions = []
    if level:
        conditions.append(Recommendation.level == level)
    if theme_id:
        conditions.append(
            Recommendation.id.in_(
                select(recommendation_themes.c.recommendation_id).where(
                    recommendation_themes.c.theme_id == theme_id
                )
            )
        )
    return conditions


def review_boards(review: Review, visible) -> list[Board]:
    """The boards among ``visible`` (a SELECT of ids) taking part in ``review``: those that
    adopted one of its recommendations or have actions for one; by name. The same columns
    whatever the filters, so that a filtered matrix compares like with like."""
    in_review = select(Recommendation.id).where(Recommendation.review_id == review.id)
    return list(
        db.session.scalars(
            select(Board)
            .where(
                Board.id.in_(visible),
                or_(
                    Board.id.in_(
                        select(recommendation_boards.c.board_id).where(
                            recommendation_boards.c.recommendation_id.in_(in_review)
                        )
                    ),
                    Board.id.in_(
                        select(Action.board_id).where(Action.recommendation_id.in_(in_review))
                    ),
                ),
            )
            .order_by(Board.name, Board.id)
        )
    )


def _adoptions(chosen: list, visible) -> set[tuple[int, int]]:
    """(recommendation id, board id) for each adoption among the chosen rows and seen boards."""
    return {
        (recommendation_id, board_id)
        for recommendation_id, board_id in db.session.execute(
            select(recommendation_boards.c.recommendation_id, recommendation_boards.c.board_id)
            .join(Recommendation, Recommendation.id == recommendation_boards.c.recommendation_id)
            .where(*chosen, recommendation_boards.c.board_id.in_(visible))
        )
    }


def _cell_counts(chosen: list, visible, today: date) -> dict[tuple[int, int], CellCounts]:
    """The counts of every non-empty cell: one GROUP BY over the actions."""
    # The RAG is computed in a subquery and grouped outside it: grouping by the expression
    # itself would repeat its bound dates, which PostgreSQL cannot match (see board_counts).
    actions = (
        select(
            Action.recommendation_id.label("recommendation_id"),
            Action.board_id.label("board_id"),
            Action.status.label("status"),
            Action.progress.label("progress"),
            rag_column(today).label("rag"),
        )
        .join(Board, Action.board_id == Board.id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(*chosen, Action.board_id.in_(visible))
        .subquery()
    )
    a = actions.c

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    # A cancelled action is blue by the RAG rule, never red or amber, and in neither the done
    # nor the waiting states: only its own count needs to name it. The RAG is read once per
    # action, as the worst colour (min of its severity): the expression is most of the cost.
    query = select(
        a.recommendation_id,
        a.board_id,
        func.count(),
        count(a.status == CANCELLED),
        count(a.status.in_(DONE_STATES)),
        count(and_(a.status.in_(WAITING_STATES), a.progress == 0)),
        func.min(case(RAG_SEVERITY, value=a.rag)),
    ).group_by(a.recommendation_id, a.board_id)
    return {
        (recommendation_id, board_id): CellCounts(*numbers, worst=BY_SEVERITY.get(severity))
        for recommendation_id, board_id, *numbers, severity in db.session.execute(query)
    }


def review_themes(review: Review) -> list[Theme]:
    """The themes of ``review``'s recommendations, by name: the theme filter's choices."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(
                Theme.id.in_(
                    select(recommendation_themes.c.theme_id)
                    .join(
                        Recommendation,
                        Recommendation.id == recommendation_themes.c.recommendation_id,
                    )
                    .where(Recommendation.review_id == review.id)
                )
            )
            .order_by(Theme.name)
        )
    )
