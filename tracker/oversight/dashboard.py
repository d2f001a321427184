"""A board's dashboard for its chair: every figure, breakdown and list, worked out in SQL.

The headline counts are the board overview's ``Figures`` (tracker.web.queries), so the two pages
agree; what only the dashboard shows is added here. Every figure comes from a GROUP BY or a
COUNT and every list from one statement, so the dashboard of a board of 10,000 actions runs the
same fixed number of statements as one of ten. The filters behind each figure (``*_filters``)
are those of the action lists (tracker.actions.queries), so a figure and its list agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action, Update
from tracker.actions.queries import ActionRow, order_by
from tracker.actions.rag import BLOCKED_STATES, FINISHED_STATES
from tracker.boards.models import Board, Meeting
from tracker.extensions import db
from tracker.oversight.changes import ChangeSummary, changes_since
from tracker.oversight.progress import DUE_SOON_DAYS, Group, count_actions
from tracker.oversight.snapshots import BoardSnapshot, board_trend
from tracker.web.queries import Figures, first_actions
from tracker.workflow_registry import get_workflow

# With no meeting held yet, "since the last meeting" means this many days back.
NO_MEETING_DAYS = 90
TREND_WEEKS = 12


@dataclass
class TrendPoint:
    """The board's figures on one day: a snapshot, or today's live figures."""

    on: date
    open: int
    overdue: int
    completed: int
    is_live: bool = False


@dataclass
class Dashboard:
    """Everything the board's dashboard shows, as of ``today``."""

    board: Board
    today: date
    figures: Figures
    due_soon: int
    completed_since: int
    since: date
    last_meeting: Meeting | None
    next_meeting: Meeting | None
    by_recommendation: list[Group]
    by_theme: list[Group]
    by_level: list[Group]
    by_lead_organisation: list[Group]
    overdue: list[ActionRow]
    blocked: list[ActionRow]
    last_updates: dict[int, Update]
    changes: ChangeSummary
    trend: list[TrendPoint]

    @property
    def due_soon_until(self) -> date:
        return self.today + timedelta(days=DUE_SOON_DAYS)

    # The action-list filters behind each headline figure.

    def open_filters(self) -> dict:
        return {"status": open_states(self.board)}

    def due_soon_filters(self) -> dict:
        # Due from today to 30 days ahead inclusive: due_before is strict, hence one day more.
        return {
            "status": open_states(self.board),
            "due_from": self.today,
            "due_before": self.due_soon_until + timedelta(days=1),
        }

    def completed_since_filters(self) -> dict:
        return {"completed_since": self.since}


def open_states(board: Board) -> list[str]:
    """The board's workflow states that count as open: not completed, closed or cancelled."""
    return [s for s in get_workflow(board.workflow).states if s not in FINISHED_STATES]


def board_dashboard(person, board: Board, today: date) -> Dashboard:
    """The board's dashboard: a fixed number of statements, whatever the number of actions."""
    last_meeting, next_meeting = _meetings(board, today)
    since = last_meeting.held_on if last_meeting else today - timedelta(days=NO_MEETING_DAYS)
    counts = count_actions(board, today, since)
    overdue = first_actions(person, board, {"overdue": True}, today, order_by("due_on", today))
    blocked = first_actions(
        person,
        board,
        {"status": BLOCKED_STATES},
        today,
        [Action.status_changed_at, Action.id],
    )
    return Dashboard(
        board=board,
        today=today,
        figures=counts.figures,
        due_soon=counts.due_soon,
        completed_since=counts.completed_since,
        since=since,
        last_meeting=last_meeting,
        next_meeting=next_meeting,
        by_recommendation=counts.by_recommendation,
        by_theme=counts.by_theme,
        by_level=counts.by_level,
        by_lead_organisation=counts.by_lead_organisation,
        overdue=overdue,
        blocked=blocked,
        last_updates=last_updates([row.action.id for row in overdue + blocked]),
        changes=changes_since(board, since),
        trend=trend(board, today, counts.figures),
    )


def _meetings(board: Board, today: date) -> tuple[Meeting | None, Meeting | None]:
    """The board's latest meeting held before today, and its next one (today or later)."""
    last = db.session.scalar(
        select(Meeting)
        .where(Meeting.board_id == board.id, Meeting.held_on < today)
        .order_by(Meeting.held_on.desc())
        .limit(1)
    )
    upcoming = db.session.scalar(
        select(Meeting)
        .where(Meeting.board_id == board.id, Meeting.held_on >= today)
        .order_by(Meeting.held_on)
        .limit(1)
    )
    return last, upcoming


def last_updates(action_ids: list[int]) -> dict[int, Update]:
    """Each action's latest update (any state), by action id: one statement."""
    if not action_ids:
        return {}
    latest = (
        select(func.max(Update.id))
        .where(Update.action_id.in_(action_ids))
        .group_by(Update.action_id)
    )
    updates = db.session.scalars(
        select(Update).where(Update.id.in_(latest)).options(joinedload(Update.author))
    )
    return {update.action_id: update for update in updates}


def trend(board: Board, today: date, figures: Figures) -> list[TrendPoint]:
    """Open, overdue and completed actions once a week for TREND_WEEKS weeks, ending today.

    Each past week shows the latest snapshot taken in it (none: the week is left out); today
    shows the live figures, so that the trend ends where the dashboard's headline figures are.
    """
    first = today - timedelta(weeks=TREND_WEEKS)
    snapshots = [s for s in board_trend(board, first) if s.taken_on < today]
    points = []
    for week in range(TREND_WEEKS, 0, -1):
        end = today - timedelta(weeks=week - 1, days=1)  # the day before the next point
        start = end - timedelta(days=6)
        in_week = [s for s in snapshots if start <= s.taken_on <= end]
        if in_week:
            points.append(_point(in_week[-1]))
    points.append(TrendPoint(today, figures.open, figures.overdue, figures.delivered, is_live=True))
    return points


def _point(snapshot: BoardSnapshot) -> TrendPoint:
    return TrendPoint(snapshot.taken_on, snapshot.open, snapshot.overdue, snapshot.completed)
