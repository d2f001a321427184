"""Reading reviews and recommendations for the pages: lists, who may act, and actions with RAG.

Each function runs a fixed number of SQL statements however many recommendations, boards or
actions there are: related rows are loaded in bulk, and each action's RAG colour is worked out in
SQL with the rule in ``tracker.actions.rag``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.actions.models import Action
from tracker.actions.queries import ActionRow
from tracker.actions.rag import overdue_sql, rag_sql
from tracker.audit.models import Event
from tracker.boards.models import Board, Membership
from tracker.extensions import db
from tracker.people.models import Person
from tracker.permissions import MANAGERS, SECRETARY, visible_board_ids
from tracker.reviews.models import Recommendation, Review, Theme


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    recommendation_count: int


@dataclass
class RecommendationRow:
    """A recommendation as a review's page shows it: with only the boards the person can see."""

    recommendation: Recommendation
    boards: list[Board]


@dataclass
class BoardActions:
    """One board that adopted a recommendation, its actions for it, and whether the person
    manages the board (and so may add actions to it)."""

    board: Board
    can_manage: bool
    rows: list[ActionRow] = field(default_factory=list)


def list_reviews() -> list[ReviewRow]:
    """Every review, newest published first (undated last), with its number of
    recommendations: one statement."""
    count = (
        select(func.count(Recommendation.id))
        .where(Recommendation.review_id == Review.id)
        .correlate(Review)
        .scalar_subquery()
    )
    query = select(Review, count).order_by(
        Review.published_on.is_(None), Review.published_on.desc(), Review.id.desc()
    )
    return [ReviewRow(review, n) for review, n in db.session.execute(query)]


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def managed_boards(person: Person | None) -> list[Board]:
    """The boards ``person`` manages: where they are secretary, or every board for an admin."""
    if person is None or not person.is_active:
        return []
    query = select(Board).order_by(Board.name)
    if not person.is_admin:
        query = query.where(
            Board.id.in_(
                select(Membership.board_id).where(
                    Membership.person_id == person.id, Membership.role == SECRETARY
                )
            )
        )
    return list(db.session.scalars(query))


def visible_ids(person: Person | None) -> set[int]:
    return set(db.session.scalars(visible_board_ids(person)))


def review_recommendations(person: Person | None, review: Review) -> list[RecommendationRow]:
    """A review's recommendations in order, with their themes and the boards (among those the
    person can see) that adopted them: four statements."""
    visible = visible_ids(person)
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.review_id == review.id)
        .options(selectinload(Recommendation.themes), selectinload(Recommendation.boards))
        .order_by(Recommendation.position, Recommendation.id)
    )
    return [RecommendationRow(r, [b for b in r.boards if b.id in visible]) for r in recommendations]


def load_recommendation(recommendation_id: int) -> Recommendation | None:
    """A recommendation with its review, themes and boards loaded up front."""
    return db.session.scalar(
        select(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .options(
            joinedload(Recommendation.review),
            selectinload(Recommendation.themes),
            selectinload(Recommendation.boards),
        )
    )


def actions_by_board(
    recommendation: Recommendation, held: dict[int, frozenset[str]], today: date
) -> list[BoardActions]:
    """For each board that adopted ``recommendation`` and on which the person holds a role
    (``held``, from ``permissions.roles_by_board``: the boards they can see), its actions for
    it, with owner, RAG and days overdue: one statement."""
    sections = {
        b.id: BoardActions(b, can_manage=bool(held[b.id] & MANAGERS))
        for b in sorted(recommendation.boards, key=lambda b: b.name)
        if held.get(b.id)
    }
    if not sections:
        return []
    query = (
        select(
            Action,
            rag_sql(Action, Board, today).label("rag"),
            overdue_sql(Action, today).label("is_overdue"),
        )
        .join(Board, Action.board_id == Board.id)
        .where(Action.recommendation_id == recommendation.id, Action.board_id.in_(sections))
        .options(joinedload(Action.owner))
        .order_by(Action.board_id, Action.ref)
    )
    for action, rag, is_overdue in db.session.execute(query):
        sections[action.board_id].rows.append(ActionRow.of(action, rag, is_overdue, today))
    return list(sections.values())


def recommendation_history(person: Person | None, recommendation: Recommendation) -> list[Event]:
    """What happened to a recommendation, newest first; events tied to a board the person
    cannot see (another board adopting it) are left out."""
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.subject_type == "recommendation",
                Event.subject_id == recommendation.id,
                or_(Event.board_id.is_(None), Event.board_id.in_(visible_board_ids(person))),
            )
            .options(joinedload(Event.actor))
            .order_by(Event.occurred_at.desc(), Event.id.desc())
        )
    )
