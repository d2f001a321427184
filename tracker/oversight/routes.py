"""Oversight pages: a board's dashboard for its chair."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker.actions.rag import RAG_LABELS
from tracker.boards.services import get_board
from tracker.common.time import london_today
from tracker.oversight import charts
from tracker.oversight.dashboard import Dashboard, board_dashboard
from tracker.oversight.tables import BREAKDOWN_COLUMNS, dashboard_tables
from tracker.web.counts import list_urls
from tracker.web.queries import membership_role
from tracker.web.templating import status_label
from tracker.workflow_registry import get_workflow

bp = Blueprint("oversight", __name__)
# Charts in half a page's width are drawn narrower, so that their text stays the page's size.
HALF_WIDTH = {"width": 460, "label_width": 130}


@bp.get("/boards/<ref>/dashboard")
@login_required
def dashboard(ref: str):
    """Can the chair assure the board that the plan is being delivered? The answer at a glance."""
    today = london_today()
    board = get_board(current_user, ref=ref)
    found = board_dashboard(current_user, board, today)
    list_url = list_urls(board.ref)
    return render_template(
        "oversight/dashboard.html",
        dashboard=found,
        board=board,
        role=membership_role(current_user, board),
        charts=dashboard_charts(found),
        list_url=list_url,
        tables=dashboard_tables(found, states_shown(board, found), list_url),
        breakdown_columns=BREAKDOWN_COLUMNS,
        today=today,
    )


def states_shown(board, found: Dashboard) -> list[str]:
    """The workflow's states in its order, then any an action is in that the workflow no
    longer has (the board changed workflow)."""
    states = list(get_workflow(board.workflow).states)
    return states + [s for s in found.figures.by_status if s not in states]


def dashboard_charts(found: Dashboard) -> dict:
    """The dashboard's charts, as SVG markup, by name."""
    figures, board = found.figures, found.board
    rags = list(figures.rag_worst_first)
    states = states_shown(board, found)
    trend = found.trend
    return {
        "rag": charts.bar_chart(
            "chart-rag",
            "Actions by RAG rating",
            [charts.Bar(RAG_LABELS[r], figures.by_rag[r], charts.RAG_FILLS[r]) for r in rags],
            **HALF_WIDTH,
        ),
        "status": charts.bar_chart(
            "chart-status",
            "Actions by status",
            [
                charts.Bar(status_label(s, board.workflow), figures.by_status.get(s, 0))
                for s in states
            ],
            **HALF_WIDTH,
        ),
        "theme": charts.bar_chart(
            "chart-theme",
            "Percentage of actions completed, by theme",
            [charts.Bar(g.label, g.percent_complete, suffix="%") for g in found.by_theme],
            maximum=100,
        ),
        "trend": charts.line_chart(
            "chart-trend",
            "Open, overdue and completed actions over time",
            [p.on for p in trend],
            [
                charts.Series("Open", [p.open for p in trend], "#1d70b8", "", "circle"),
                charts.Series("Overdue", [p.overdue for p in trend], "#d4351c", "8 4", "square"),
                charts.Series(
                    "Completed", [p.completed for p in trend], "#00703c", "2 4", "triangle"
                ),
            ],
        ),
    }
