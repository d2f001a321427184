"""Pages: the boards a person may see, and a board's overview for its chair."""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template, url_for
from flask_login import current_user, login_required

from tracker.actions.rag import FINISHED_STATES
from tracker.boards.services import get_board
from tracker.common.time import london_today
from tracker.permissions import SECRETARY
from tracker.web import bp
from tracker.web.counts import figure_link, list_urls, rag_rows, status_rows
from tracker.web.queries import board_overview, board_summaries, membership_role
from tracker.web.templating import london
from tracker.workflow_registry import action_workflows

# Every page's counts link to the lists they count in one way (the home page, a board's
# overview, its dashboard).
bp.add_app_template_global(figure_link, "figure_link")


@bp.app_template_global("action_url")
def action_url(action) -> str | None:
    """The action's own page."""
    return url_for("actions.show", action_id=action.id)


@bp.app_template_global("open_states")
def open_states(workflow: str) -> list[str]:
    """The states of ``workflow`` that count as open: not completed, closed or cancelled."""
    found = action_workflows().get(workflow)
    states = found.states if found else ()
    return [state for state in states if state not in FINISHED_STATES]


@bp.app_template_global("days_since")
def days_since(moment: datetime, today: date) -> int:
    """Whole days from ``moment`` (a UTC timestamp) to ``today``, on London's calendar."""
    return (today - london(moment).date()).days


@bp.get("/")
@login_required
def index():
    today = london_today()
    summaries = board_summaries(current_user, today)
    can_create = current_user.is_admin or any(s.role == SECRETARY for s in summaries)
    return render_template(
        "web/index.html", summaries=summaries, today=today, can_create=can_create
    )


@bp.get("/boards/<ref>")
@login_required
def board(ref: str):
    today = london_today()
    found = get_board(current_user, ref=ref)
    role = membership_role(current_user, found)
    overview = board_overview(current_user, found, today)
    figures = overview.figures
    workflow = action_workflows().get(found.workflow)
    list_url = list_urls(found.ref)
    return render_template(
        "web/board.html",
        overview=overview,
        role=role,
        # As tracker.permissions decides: admins act as secretaries everywhere.
        can_manage=current_user.is_admin or role == SECRETARY,
        workflow=workflow,
        status_rows=status_rows(
            figures, workflow.states if workflow else figures.by_status, found.workflow, list_url
        ),
        rag_rows=rag_rows(figures, list_url),
        today=today,
    )


@bp.get("/accessibility")
def accessibility():
    return render_template("web/accessibility.html")
