"""Reading many actions at once: the filtered, sorted, paged list, and a board's counts.

Used by the JSON API and, later, the web pages. Functions take the person asking and plain
values (already validated by a form or a schema), never request objects. Each runs a fixed
number of SQL statements however many actions match: RAG and overdue are computed in SQL with
the rule in ``tracker.actions.rag``, and what each row shows is loaded in the same statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, and_, case, false, func, or_, select, type_coerce
from sqlalchemy.orm import contains_eager, joinedload

from tracker.actions.models import Action, Update
from tracker.actions.rag import (
    AMBER,
    BLUE,
    DELIVERED_STATES,
    GREEN,
    RED,
    overdue_sql,
    rag_sql,
)
from tracker.audit.models import Event
from tracker.boards.models import Board
from tracker.common.time import LONDON
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.people.services import normalise_email
from tracker.permissions import visible_actions_clause
from tracker.reviews.models import Recommendation, Theme, recommendation_themes
from tracker.workflow_registry import action_workflows

FILTERS = (
    "board",  # id (int) or reference (str)
    "status",  # state names
    "owner",  # person id (int) or email (str)
    "rag",  # colours among RAGS
    "overdue",  # bool
    "due_before",  # date: due strictly before it
    "theme",  # theme id (int) or name (str, any case)
    "recommendation",  # recommendation id
    "lead_organisation",  # organisation id (int) or name (str, any case)
    "q",  # text found in the reference or the title, any case
    "due_from",  # date: due on or after it
    "level",  # recommendation levels (local, sub-regional, regional)
    "completed_since",  # date (London): completed on or after it, and completed or closed now
    "awaiting_acceptance",  # bool: has an owner's update waiting for acceptance
)
SORT_KEYS = ("due_on", "ref", "updated_at", "status", "rag")
SORTS = tuple(key for name in SORT_KEYS for key in (name, f"-{name}"))
DEFAULT_SORT = "due_on"
# "rag" sorts the worst first: what needs attention comes to the top.
RAG_SEVERITY = {RED: 0, AMBER: 1, GREEN: 2, BLUE: 3}
SIGN_OFF_STATES = ("completed",)


@dataclass(frozen=True)
class ActionRow:
    """An action as lists and tables show it: its RAG colour and how many days it is overdue
    (None when it is not), as of the list's date."""

    action: Action
    rag: str
    overdue_days: int | None

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days is not None

    @classmethod
    def of(cls, action: Action, rag: str, is_overdue: bool, today: date) -> ActionRow:
        """A row from a query that computed RAG and overdue in SQL."""
        return cls(action, rag, (today - action.due_on).days if is_overdue else None)


@dataclass(frozen=True)
class ActionPage:
    rows: list[ActionRow]
    total: int
    page: int
    per_page: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


# The expressions are built once a day, not once a statement: building the RAG rule's CASE
# costs about a millisecond, and a page such as the dashboard uses it in three statements.
# SQL expressions are immutable, so one can go into any number of statements and threads.
@lru_cache(maxsize=4)
def rag_column(today: date):
    return rag_sql(Action, Board, today)


@lru_cache(maxsize=4)
def overdue_column(today: date):
    # overdue_sql is NULL for an action without a due date; such an action is not overdue.
    return type_coerce(func.coalesce(overdue_sql(Action, today), false()), Boolean)


def action_conditions(person: Person | None, filters: Mapping[str, Any], today: date) -> list:
    """WHERE clauses for the actions ``person`` may see that match ``filters``.

    The query they go into must join Board (the RAG rule reads the board's windows).
    """
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown action filters: {', '.join(sorted(unknown))}")
    f = {key: value for key, value in filters.items() if value not in (None, "", [], ())}
    # The person's boards' actions, and their own on boards they do not belong to.
    conditions = [visible_actions_clause(person, Action)]
    if "board" in f:
        conditions.append(_by_id_or(Board.id, Board.ref, f["board"], str.lower))
    if "status" in f:
        conditions.append(Action.status.in_(_as_list(f["status"])))
    if "owner" in f:
        owner = f["owner"]
        if isinstance(owner, int):
            conditions.append(Action.owner_id == owner)
        else:
            conditions.append(
                Action.owner_id.in_(select(Person.id).where(Person.email == normalise_email(owner)))
            )
    if "rag" in f:
        conditions.append(rag_column(today).in_(_as_list(f["rag"])))
    if "overdue" in f:
        overdue = overdue_column(today)
        conditions.append(overdue if f["overdue"] else ~overdue)
    if "due_before" in f:
        conditions.append(Action.due_on < f["due_before"])
    if "due_from" in f:
        conditions.append(Action.due_on >= f["due_from"])
    if "level" in f:
        conditions.append(
            Action.recommendation_id.in_(
                select(Recommendation.id).where(Recommendation.level.in_(_as_list(f["level"])))
            )
        )
    if "completed_since" in f:
        conditions.append(completed_since_clause(f["completed_since"]))
    if "awaiting_acceptance" in f:
        waiting = Action.id.in_(select(Update.action_id).where(Update.state == "submitted"))
        conditions.append(waiting if f["awaiting_acceptance"] else ~waiting)
    if "theme" in f:
        theme = f["theme"]
        theme_match = (
            Theme.id == theme if isinstance(theme, int) else func.lower(Theme.name) == theme.lower()
        )
        conditions.append(
            Action.recommendation_id.in_(
                select(recommendation_themes.c.recommendation_id)
                .join(Theme, Theme.id == recommendation_themes.c.theme_id)
                .where(theme_match)
            )
        )
    if "recommendation" in f:
        conditions.append(Action.recommendation_id == f["recommendation"])
    if "lead_organisation" in f:
        organisation = f["lead_organisation"]
        if isinstance(organisation, int):
            conditions.append(Action.lead_organisation_id == organisation)
        else:
            conditions.append(
                Action.lead_organisation_id.in_(
                    select(Organisation.id).where(
                        func.lower(Organisation.name) == organisation.strip().lower()
                    )
                )
            )
    if "q" in f:
        text = f["q"].strip()
        conditions.append(
            or_(
                Action.ref.icontains(text, autoescape=True),
                Action.title.icontains(text, autoescape=True),
            )
        )
    return conditions


def completion_verbs() -> list[str]:
    """The audit verbs of every action workflow's transitions into "completed"."""
    return sorted(
        {
            f"transition:{transition.name}"
            for workflow in action_workflows().values()
            for transition in workflow.transitions.values()
            if transition.target == "completed"
        }
    )


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` on London's calendar, as a UTC timestamp."""
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


def completed_since_clause(since: date, board_id: int | None = None):
    """Actions completed (the transition into "completed") on or after ``since`` in London,
    and still completed or closed: one sent back since does not count. ``board_id`` narrows
    the audit events read to one board's (the same answer for that board's actions, faster)."""
    completions = select(Event.action_id).where(
        Event.verb.in_(completion_verbs()), Event.occurred_at >= start_of_day(since)
    )
    if board_id is not None:
        completions = completions.where(Event.board_id == board_id)
    return and_(Action.status.in_(DELIVERED_STATES), Action.id.in_(completions))


def _by_id_or(id_column, key_column, value, normalise):
    return id_column == value if isinstance(value, int) else key_column == normalise(value.strip())


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def status_order() -> dict[str, int]:
    """States in workflow order (draft, open, ... cancelled), across every action workflow."""
    order: dict[str, int] = {}
    for workflow in action_workflows().values():
        for state in workflow.states:
            order.setdefault(state, len(order))
    return order


def order_by(sort: str, today: date) -> list:
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "due_on":
        # Actions without a due date go last either way: they are not "due soonest" or "latest".
        terms = [Action.due_on.is_(None), Action.due_on.desc() if descending else Action.due_on]
    else:
        column = {
            "ref": Action.ref,
            "updated_at": Action.updated_at,
            "status": case(status_order(), value=Action.status, else_=len(status_order())),
            "rag": case(RAG_SEVERITY, value=rag_column(today)),
        }[key]
        terms = [column.desc() if descending else column]
    # Ties broken by id so that pages never overlap or skip.
    return [*terms, Action.id.desc() if descending else Action.id]


def list_actions(
    person: Person | None,
    filters: Mapping[str, Any],
    *,
    today: date,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    per_page: int = 100,
) -> ActionPage:
    """One page of the actions ``person`` may see that match ``filters``: two statements."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    conditions = action_conditions(person, filters, today)
    total = db.session.scalar(
        select(func.count(Action.id))
        .select_from(Action)
        .join(Board, Action.board_id == Board.id)
        .where(*conditions)
    )
    # The page's ids first, in a subquery that sorts only ids and sort keys; then the whole
    # rows, their RAG and their owners for those ids alone. Sorting whole joined rows with
    # their RAG made a 10,000-action board's page several times slower, in the same statement.
    page_ids = (
        select(Action.id)
        .join(Board, Action.board_id == Board.id)
        .where(*conditions)
        .order_by(*order_by(sort, today))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    query = (
        select(Action, rag_column(today).label("rag"), overdue_column(today).label("is_overdue"))
        .join(Board, Action.board_id == Board.id)
        .where(Action.id.in_(page_ids.scalar_subquery()))
        .options(
            contains_eager(Action.board),
            joinedload(Action.owner),
            joinedload(Action.lead_organisation),
        )
        .order_by(*order_by(sort, today))
    )
    rows = [ActionRow.of(a, rag, overdue, today) for a, rag, overdue in db.session.execute(query)]
    return ActionPage(rows=rows, total=total, page=page, per_page=per_page)


def board_counts(board: Board, today: date) -> dict[str, Any]:
    """A board's actions counted by status and by RAG, and what needs attention, as a dict.

    The counts are the board overview's and dashboard's Figures (tracker.web.queries), worked
    out once there.
    """
    # Imported here: tracker.web.queries builds on this module.
    from tracker.web.queries import board_figures

    figures = board_figures([board.id], today)[board.id]
    return {
        "total": figures.total,
        "by_status": dict(figures.by_status),
        "by_rag": dict(figures.by_rag),
        "overdue": figures.overdue,
        "blocked": figures.blocked,
        "awaiting_sign_off": figures.awaiting_sign_off,
        "updates_awaiting_acceptance": figures.updates_waiting,
    }
