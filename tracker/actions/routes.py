"""Action pages: the lists, and an action with its history."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.actions.list_forms import filter_form
from tracker.actions.queries import list_actions
from tracker.actions.rag import is_overdue
from tracker.actions.rag_reasons import rag_reasons
from tracker.actions.services import available_transitions, get_action
from tracker.actions.timeline import action_history, paragraphs
from tracker.boards.services import get_board
from tracker.common.time import london_today
from tracker.permissions import MANAGERS, OWNER, action_roles

bp = Blueprint("actions", __name__)

PER_PAGE = 50
MAX_PAGE = 1_000_000


@bp.get("/actions")
@login_required
def index():
    """The actions on every board the person may see, and those they own elsewhere."""
    return _list_page(None)


@bp.get("/boards/<ref>/actions")
@login_required
def board_list(ref: str):
    """One board's actions, filtered, sorted and paged."""
    return _list_page(get_board(current_user, ref=ref))


def _list_page(board):
    today = london_today()
    form = filter_form(request.args, current_user, board)
    page, page_error = _page_number(request.args.get("page"))
    valid = form.validate()
    result = None
    if valid and not page_error:
        filters = form.filters()
        if board is not None:
            filters["board"] = board.id
        per_page = current_app.config.get("ACTIONS_PER_PAGE", PER_PAGE)
        result = list_actions(
            current_user, filters, today=today, sort=form.sort.data, page=page, per_page=per_page
        )
        last = _last_page(result.total, per_page)
        if page > last:
            # A bookmark from when there were more actions: show the last page there is.
            return redirect(_page_url(last))
    errors = form.error_list()
    if page_error:
        errors.append({"text": page_error, "href": "#results"})
    return render_template(
        "actions/list.html",
        board=board,
        form=form,
        errors=errors,
        result=result,
        rows=result.rows if result else [],
        pagination=_pagination(result, _page_url) if result else None,
        clear_url=_list_url(board),
        today=today,
    )


def _page_number(value: str | None) -> tuple[int, str | None]:
    """The page asked for, or 1 and what is wrong with it."""
    if value is None or not value.strip():
        return 1, None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        return 1, "Page must be a whole number, 1 or more"
    # Past the last page redirects to it; this bound keeps the OFFSET within what a database
    # accepts on the way there.
    return min(number, MAX_PAGE), None


def _last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _list_url(board) -> str:
    """The list without filters."""
    if board is None:
        return url_for("actions.index")
    return url_for("actions.board_list", ref=board.ref)


def _page_url(page: int) -> str:
    """This list's URL with every filter kept and ``page`` changed (page 1 has none)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    if page > 1:
        args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _pagination(result, url: Callable[[int], str]) -> dict | None:
    """govukPagination options: previous, next, and the first, last and nearby pages."""
    last = _last_page(result.total, result.per_page)
    if last == 1:
        return None
    page = result.page
    items: list[dict] = []
    shown = sorted({1, last, page - 1, page, page + 1} & set(range(1, last + 1)))
    for number, previous in zip(shown, [None, *shown], strict=False):
        if previous is not None and number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": url(number), "current": number == page})
    params: dict = {"items": items, "landmarkLabel": "Pages of actions"}
    if page > 1:
        params["previous"] = {"href": url(page - 1)}
    if page < last:
        params["next"] = {"href": url(page + 1)}
    return params


@bp.get("/actions/<int:action_id>")
@login_required
def show(action_id: int):
    """An action: what it is, where it stands and why, what the person can do, its history."""
    action = get_action(current_user, action_id)
    today = london_today()
    board = action.board
    overdue_days = (today - action.due_on).days if is_overdue(action, today) else None
    roles = action_roles(current_user, action)
    return render_template(
        "actions/show.html",
        action=action,
        board=board,
        rag=rag_reasons(action, board, today),
        overdue_days=overdue_days,
        transitions=available_transitions(current_user, action),
        can_manage=bool(roles & MANAGERS),
        can_report=bool(roles & (MANAGERS | {OWNER})),
        # An owner who is on no board of theirs sees the action, not the board.
        can_see_board=bool(roles - {OWNER}),
        history=action_history(current_user, action),
        paragraphs=paragraphs,
        today=today,
    )


from tracker.actions import change_routes  # noqa: E402,F401
