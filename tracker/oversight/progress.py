"""A board's actions counted every way the dashboard shows them, in one pass over them.

One GROUP BY reads each of the board's actions once, with its RAG colour and whether it is
overdue, due in the next 30 days, completed since the last meeting, its recommendation and its
lead organisation. The few hundred groups it returns are summed here into the board's Figures
(the overview's, so the two pages agree), the headline counts, and progress by recommendation,
theme, level and lead organisation. Three small statements name the recommendations, themes
and organisations. Reading the actions once, rather than once per breakdown, is what keeps a
10,000-action board's dashboard fast: working out RAG is most of the cost of each pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from tracker.actions.models import Action
from tracker.actions.queries import completed_since_clause, overdue_column, rag_column
from tracker.actions.rag import DELIVERED_STATES, FINISHED_STATES, RAGS
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.people.models import Organisation
from tracker.reviews.models import LEVELS, Recommendation, Theme, recommendation_themes
from tracker.web.queries import Figures, count_updates_waiting

DUE_SOON_DAYS = 30


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

    def add(self, rag: str, done: bool, count: int) -> None:
        self.total += count
        self.by_rag[rag] += count
        if done:
            self.completed += count


@dataclass
class Counts:
    """Everything the dashboard counts about a board's actions."""

    figures: Figures
    due_soon: int = 0
    completed_since: int = 0
    by_recommendation: list[Group] = field(default_factory=list)
    by_theme: list[Group] = field(default_factory=list)
    by_level: list[Group] = field(default_factory=list)
    by_lead_organisation: list[Group] = field(default_factory=list)


def count_actions(board: Board, today: date, since: date) -> Counts:
    """The board's actions counted by status, RAG, group and what needs attention."""
    due_soon = and_(
        Action.status.not_in(FINISHED_STATES),
        Action.due_on >= today,
        Action.due_on <= today + timedelta(days=DUE_SOON_DAYS),
    )
    # Group the rows of a subquery, not the expressions: PostgreSQL cannot match a GROUP BY
    # that repeats an expression's bound dates to the SELECT list. OFFSET 0 keeps SQLite from
    # merging the subquery into the GROUP BY, where it works out every expression twice (for
    # the sort and for the result) and reads the completed-since events twice: a third of
    # the statement's time on a 10,000-action board. PostgreSQL's plan is the same with it.
    rows = (
        select(
            Action.status.label("status"),
            rag_column(today).label("rag"),
            overdue_column(today).label("overdue"),
            Action.recommendation_id.label("recommendation_id"),
            Action.lead_organisation_id.label("organisation_id"),
            case((due_soon, 1), else_=0).label("due_soon"),
            case((completed_since_clause(since, board.id), 1), else_=0).label("since"),
        )
        .join(Board, Action.board_id == Board.id)
        .where(Action.board_id == board.id)
        .offset(0)
        .subquery()
    )
    grouped = select(*rows.c, func.count()).group_by(*rows.c)
    counts = Counts(Figures())
    by_rec: dict[int | None, Group] = {}
    by_org: dict[int | None, Group] = {}
    per_rec: list[tuple] = []  # (recommendation id, rag, done, count) for levels and themes
    for status, rag, overdue, rec_id, org_id, soon, since_, count in db.session.execute(grouped):
        counts.figures.add(status, rag, overdue, count)
        counts.due_soon += count if soon else 0
        counts.completed_since += count if since_ else 0
        done = status in DELIVERED_STATES
        by_rec.setdefault(rec_id, Group("", {})).add(rag, done, count)
        by_org.setdefault(org_id, Group("", {})).add(rag, done, count)
        per_rec.append((rec_id, rag, done, count))
    count_updates_waiting({board.id: counts.figures}, Action.board_id == board.id)
    _name_recommendations_and_levels(counts, by_rec, per_rec)
    _name_organisations(counts, by_org)
    return counts


def _name_recommendations_and_levels(counts: Counts, by_rec: dict, per_rec: list) -> None:
    ids = [rec_id for rec_id in by_rec if rec_id is not None]
    recs = {
        rec.id: rec
        for rec in db.session.execute(
            select(
                Recommendation.id,
                Recommendation.ref,
                Recommendation.text,
                Recommendation.level,
                Recommendation.review_id,
                Recommendation.position,
            ).where(Recommendation.id.in_(ids))
        )
    }
    themes_of: dict[int, list[tuple[int, str]]] = {}
    for rec_id, theme_id, name in db.session.execute(
        select(recommendation_themes.c.recommendation_id, Theme.id, Theme.name)
        .join(Theme, Theme.id == recommendation_themes.c.theme_id)
        .where(recommendation_themes.c.recommendation_id.in_(ids))
    ):
        themes_of.setdefault(rec_id, []).append((theme_id, name))

    def rec_order(rec_id):
        return (1, 0, 0) if rec_id is None else (0, recs[rec_id].review_id, recs[rec_id].position)

    for rec_id in sorted(by_rec, key=rec_order):
        group = by_rec[rec_id]
        if rec_id is None:
            group.label = "No recommendation"
        else:
            rec = recs[rec_id]
            group.label, group.detail, group.filters = rec.ref, rec.text, {"recommendation": rec_id}
        counts.by_recommendation.append(group)
    levels: dict = {}
    themes: dict = {}
    for rec_id, rag, done, count in per_rec:
        level = recs[rec_id].level if rec_id is not None else None
        if level is None:
            key, new = (len(LEVELS), ""), Group("No recommendation", {})
        else:
            order = list(LEVELS).index(level) if level in LEVELS else len(LEVELS)
            key, new = (order, level), Group(LEVELS.get(level, level), {"level": level})
        levels.setdefault(key, new).add(rag, done, count)
        # An action whose recommendation has two themes counts under both.
        for theme_id, name in themes_of.get(rec_id, []):
            themes.setdefault((name.lower(), theme_id), Group(name, {"theme": theme_id})).add(
                rag, done, count
            )
    counts.by_level = [levels[k] for k in sorted(levels)]
    counts.by_theme = [themes[k] for k in sorted(themes)]


def _name_organisations(counts: Counts, by_org: dict) -> None:
    ids = [org_id for org_id in by_org if org_id is not None]
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )
    for org_id in sorted(by_org, key=lambda o: (1, "") if o is None else (0, names[o].lower())):
        group = by_org[org_id]
        if org_id is None:
            group.label = "No lead organisation"
        else:
            group.label, group.filters = names[org_id], {"lead_organisation": org_id}
        counts.by_lead_organisation.append(group)
