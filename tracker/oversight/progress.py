"""Progress by recommendation, theme, level and lead organisation: a board's breakdowns.

Two GROUP BY statements, whatever the number of actions: the actions graded by RAG and whether
they are delivered, counted by (recommendation, lead organisation, RAG, delivered), and by
(theme, RAG, delivered). Each group carries the action-list filters that select it, so that
each of its numbers can link to its list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from tracker.actions.models import Action
from tracker.actions.queries import rag_column
from tracker.actions.rag import DELIVERED_STATES, RAGS
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.people.models import Organisation
from tracker.reviews.models import LEVELS, Recommendation, Theme, recommendation_themes


@dataclass
class Group:
    """One row of a breakdown: a recommendation, theme, level or lead organisation."""

    label: str
    filters: dict  # the action-list filters that select the group; empty when there are none
    total: int = 0
    completed: int = 0
    by_rag: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAGS, 0))
    detail: str = ""  # e.g. the recommendation's text

    @property
    def percent_complete(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def _graded(board: Board, today: date):
    """The board's actions, each with its RAG colour and whether it is delivered (1 or 0)."""
    return (
        select(
            Action.id.label("action_id"),
            Action.recommendation_id.label("recommendation_id"),
            Action.lead_organisation_id.label("organisation_id"),
            rag_column(today).label("rag"),
            case((Action.status.in_(DELIVERED_STATES), 1), else_=0).label("done"),
        )
        .join(Board, Action.board_id == Board.id)
        .where(Action.board_id == board.id)
        .subquery()
    )


def _add(group: Group, rag: str, done: int, count: int) -> None:
    group.total += count
    group.by_rag[rag] += count
    if done:
        group.completed += count


def breakdowns(board: Board, today: date) -> tuple[list[Group], list[Group], list[Group]]:
    """Progress by recommendation, by level and by lead organisation: one GROUP BY.

    The actions are counted by (recommendation, lead organisation, RAG, delivered); the few
    hundred groups that gives are summed here into each breakdown.
    """
    graded = _graded(board, today)
    query = (
        select(
            graded.c.recommendation_id,
            Recommendation.ref,
            Recommendation.text,
            Recommendation.level,
            Recommendation.review_id,
            Recommendation.position,
            graded.c.organisation_id,
            Organisation.name,
            graded.c.rag,
            graded.c.done,
            func.count(),
        )
        .select_from(graded)
        .outerjoin(Recommendation, Recommendation.id == graded.c.recommendation_id)
        .outerjoin(Organisation, Organisation.id == graded.c.organisation_id)
        .group_by(
            graded.c.recommendation_id,
            Recommendation.ref,
            Recommendation.text,
            Recommendation.level,
            Recommendation.review_id,
            Recommendation.position,
            graded.c.organisation_id,
            Organisation.name,
            graded.c.rag,
            graded.c.done,
        )
    )
    recommendations: dict = {}
    levels: dict = {}
    organisations: dict = {}
    for (
        rec_id,
        ref,
        text,
        level,
        review_id,
        position,
        org_id,
        org,
        rag,
        done,
        count,
    ) in db.session.execute(query):
        if rec_id is None:
            key, group = (1, 0, 0), Group("No recommendation", {})
        else:
            key, group = (0, review_id, position), Group(ref, {"recommendation": rec_id})
            group.detail = text
        _add(recommendations.setdefault(key, group), rag, done, count)
        if level is None:
            level_key, level_group = len(LEVELS), Group("No recommendation", {})
        else:
            level_key = list(LEVELS).index(level) if level in LEVELS else len(LEVELS)
            level_group = Group(LEVELS.get(level, level), {"level": level})
        _add(levels.setdefault(level_key, level_group), rag, done, count)
        if org_id is None:
            org_key, org_group = (1, ""), Group("No lead organisation", {})
        else:
            org_key, org_group = (0, org.lower()), Group(org, {"lead_organisation": org_id})
        _add(organisations.setdefault(org_key, org_group), rag, done, count)
    return (
        [recommendations[k] for k in sorted(recommendations)],
        [levels[k] for k in sorted(levels)],
        [organisations[k] for k in sorted(organisations)],
    )


def themes(board: Board, today: date) -> list[Group]:
    """Progress by theme: one GROUP BY. An action whose recommendation has two themes counts
    under both, so the themes' totals may add up to more than the board's."""
    graded = _graded(board, today)
    query = (
        select(Theme.id, Theme.name, graded.c.rag, graded.c.done, func.count())
        .select_from(graded)
        .join(
            recommendation_themes,
            recommendation_themes.c.recommendation_id == graded.c.recommendation_id,
        )
        .join(Theme, Theme.id == recommendation_themes.c.theme_id)
        .group_by(Theme.id, Theme.name, graded.c.rag, graded.c.done)
    )
    themes: dict = {}
    for theme_id, name, rag, done, count in db.session.execute(query):
        group = themes.setdefault((name.lower(), theme_id), Group(name, {"theme": theme_id}))
        _add(group, rag, done, count)
    return [themes[k] for k in sorted(themes)]
