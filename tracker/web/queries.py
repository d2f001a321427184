"""What the home page and a board's overview show: counts and short lists, worked out in SQL.

Every figure is a GROUP BY over all the boards on the page at once, and every list is one
statement with its owner loaded alongside, so a page costs the same few queries however many
boards and actions there are. The RAG and overdue rules come from ``tracker.actions.queries``,
the same expressions the filtered action lists use, so a figure and the list it links to agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker.actions.models import Action, Update
from tracker.actions.queries import (
    ActionRow,
    action_conditions,
    order_by,
    overdue_column,
    rag_column,
)
from tracker.actions.rag import BLOCKED_STATES, DELIVERED_STATES, FINISHED_STATES, RAGS
from tracker.boards.models import Board, Meeting, Membership
from tracker.extensions import db
from tracker.people.models import Locality, Person
from tracker.permissions import visible_board_ids

# Longer lists than this belong on the filtered action list the overview links to.
LIST_LIMIT = 20
SIGN_OFF_STATES = ("completed",)


@dataclass
class Figures:
    """A board's actions counted by status, RAG and what needs attention."""

    by_status: dict[str, int] = field(default_factory=dict)
    by_rag: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAGS, 0))
    overdue: int = 0
    updates_waiting: int = 0
    actions_with_updates_waiting: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def open(self) -> int:
        """Actions not yet completed, closed or cancelled."""
        return self.total - self._in(FINISHED_STATES)

    @property
    def delivered(self) -> int:
        """Actions completed or closed: delivered, whether signed off yet or not."""
        return self._in(DELIVERED_STATES)

    @property
    def blocked(self) -> int:
        return self._in(BLOCKED_STATES)

    @property
    def awaiting_sign_off(self) -> int:
        return self._in(SIGN_OFF_STATES)

    def add(self, status: str, rag: str, overdue: bool, count: int) -> None:
        """Count ``count`` actions of this status, RAG colour and overdue-ness."""
        self.by_status[status] = self.by_status.get(status, 0) + count
        self.by_rag[rag] += count
        if overdue:
            self.overdue += count

    @property
    def rag_worst_first(self) -> dict[str, int]:
        return {rag: self.by_rag[rag] for rag in reversed(RAGS)}

    def _in(self, states) -> int:
        return sum(self.by_status.get(state, 0) for state in states)


@dataclass
class BoardSummary:
    """A board on the home page: the person's role on it and its figures."""

    board: Board
    role: str | None  # secretary, chair, member; None for an admin who is not a member
    figures: Figures


def board_figures(board_ids: list[int] | None, today: date) -> dict[int, Figures]:
    """Figures for each board in ``board_ids`` (None: every board), two GROUP BY statements
    for all of them (and one more to list every board)."""
    every_board = board_ids is None
    if every_board:
        board_ids = list(db.session.scalars(select(Board.id).order_by(Board.id)))
    figures = {board_id: Figures() for board_id in board_ids}
    if not board_ids:
        return figures
    # Every board's actions need no IN list (thousands of ids would be a long statement).
    chosen = Action.board_id.is_not(None) if every_board else Action.board_id.in_(board_ids)
    # Group the rows of a subquery, not the RAG expression itself: PostgreSQL cannot match a
    # GROUP BY that repeats the expression's bound dates to the SELECT list.
    rows = (
        select(
            Action.board_id.label("board_id"),
            Action.status.label("status"),
            rag_column(today).label("rag"),
            overdue_column(today).label("overdue"),
        )
        .join(Board, Action.board_id == Board.id)
        .where(chosen)
        .subquery()
    )
    grouped = select(rows.c.board_id, rows.c.status, rows.c.rag, rows.c.overdue, func.count())
    grouped = grouped.group_by(rows.c.board_id, rows.c.status, rows.c.rag, rows.c.overdue)
    for board_id, status, rag, overdue, count in db.session.execute(grouped):
        figures[board_id].add(status, rag, overdue, count)
    count_updates_waiting(figures, chosen)
    return figures


def count_updates_waiting(figures: dict[int, Figures], chosen) -> None:
    """Add the updates waiting for acceptance, and the actions they are on, to each board's
    figures: one GROUP BY over the actions ``chosen`` (a WHERE clause on Action)."""
    # The waiting updates are counted by action before they meet the actions: joined first,
    # PostgreSQL may walk the actions' primary key from the first waiting update's action to
    # the last (a merge join), reading every action in between, whichever board it is on.
    per_action = (
        select(Update.action_id, func.count().label("updates"))
        .where(Update.state == "submitted")
        .group_by(Update.action_id)
        .subquery()
    )
    waiting = (
        select(Action.board_id, cast(func.sum(per_action.c.updates), Integer), func.count())
        .join(per_action, per_action.c.action_id == Action.id)
        .where(chosen)
        .group_by(Action.board_id)
    )
    for board_id, count, actions in db.session.execute(waiting):
        figures[board_id].updates_waiting = count
        figures[board_id].actions_with_updates_waiting = actions


def board_summaries(person, today: date) -> list[BoardSummary]:
    """The boards ``person`` may see, by name, each with their role and its figures."""
    query = (
        select(Board, Membership.role)
        .outerjoin(
            Membership, and_(Membership.board_id == Board.id, Membership.person_id == person.id)
        )
        .where(Board.id.in_(visible_board_ids(person)))
        .options(joinedload(Board.locality))
        .order_by(Board.name, Board.id)
    )
    boards = db.session.execute(query).all()
    figures = board_figures([board.id for board, _ in boards], today)
    return [BoardSummary(board, role, figures[board.id]) for board, role in boards]


def membership_role(person, board: Board) -> str | None:
    """The person's role on the board as a member (None if they are not one)."""
    return db.session.scalar(
        select(Membership.role).where(
            Membership.board_id == board.id, Membership.person_id == person.id
        )
    )


@dataclass
class Overview:
    """A board's overview for its chair: figures, what needs attention, the next meeting."""

    board: Board
    figures: Figures
    overdue: list[ActionRow]
    blocked: list[ActionRow]
    awaiting_sign_off: list[ActionRow]
    updates_waiting: list[Update]
    next_meeting: Meeting | None


def first_actions(person, board: Board, filters: dict, today: date, order: list) -> list[ActionRow]:
    """The first LIST_LIMIT of a board's actions matching ``filters``: one statement."""
    query = (
        select(Action, rag_column(today).label("rag"), overdue_column(today).label("overdue"))
        .join(Board, Action.board_id == Board.id)
        .where(*action_conditions(person, {"board": board.id, **filters}, today))
        .options(contains_eager(Action.board), joinedload(Action.owner))
        .order_by(*order)
        .limit(LIST_LIMIT)
    )
    return [
        ActionRow.of(action, rag, overdue, today)
        for action, rag, overdue in db.session.execute(query)
    ]


def board_overview(person, board: Board, today: date) -> Overview:
    """Everything the board's overview shows, in a fixed number of statements."""
    figures = board_figures([board.id], today)[board.id]
    most_overdue = order_by("due_on", today)
    # Blocked, or waiting for sign-off, longest first: the state changed longest ago.
    longest_waiting = [Action.status_changed_at, Action.id]
    updates = db.session.scalars(
        select(Update)
        .join(Action, Update.action_id == Action.id)
        .where(Action.board_id == board.id, Update.state == "submitted")
        .options(contains_eager(Update.action), joinedload(Update.author))
        .order_by(Update.created_at, Update.id)
        .limit(LIST_LIMIT)
    ).all()
    next_meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.board_id == board.id, Meeting.held_on >= today)
        .order_by(Meeting.held_on)
        .limit(1)
    )
    return Overview(
        board=board,
        figures=figures,
        overdue=first_actions(person, board, {"overdue": True}, today, most_overdue),
        blocked=first_actions(person, board, {"status": BLOCKED_STATES}, today, longest_waiting),
        awaiting_sign_off=first_actions(
            person, board, {"status": SIGN_OFF_STATES}, today, longest_waiting
        ),
        updates_waiting=list(updates),
        next_meeting=next_meeting,
    )


# The board pages' own lists: one statement each.


def boards_with_member_counts() -> list[tuple[Board, int]]:
    """Every board, by name, with its locality and how many members it has (for admins)."""
    members = (
        select(Membership.board_id, func.count(Membership.id).label("members"))
        .group_by(Membership.board_id)
        .subquery()
    )
    return db.session.execute(
        select(Board, func.coalesce(members.c.members, 0))
        .outerjoin(members, members.c.board_id == Board.id)
        .options(joinedload(Board.locality))
        .order_by(Board.name, Board.id)
    ).all()


def board_members(board: Board) -> list[Membership]:
    """The board's memberships with each person and their organisation, secretaries first."""
    role_order = case({"secretary": 0, "chair": 1, "member": 2}, value=Membership.role, else_=3)
    return list(
        db.session.scalars(
            select(Membership)
            .join(Person, Membership.person_id == Person.id)
            .where(Membership.board_id == board.id)
            .options(
                contains_eager(Membership.person).joinedload(Person.organisation),
            )
            .order_by(role_order, Person.name, Person.id)
        )
    )


def people_not_on_board(board: Board) -> list[Person]:
    """Active people who could be added to the board, by name."""
    on_board = select(Membership.person_id).where(Membership.board_id == board.id)
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.is_active, Person.id.not_in(on_board))
            .order_by(Person.name, Person.id)
        )
    )


def locality_names() -> list[str]:
    """The localities a board may be in, by name."""
    return list(db.session.scalars(select(Locality.name).order_by(Locality.name)))
