"""The header's navigation: the signed-in person's boards, and the ways out."""

from __future__ import annotations

from flask import g, request, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker.boards.models import Board, Membership
from tracker.extensions import db
from tracker.permissions import SECRETARY, visible_board_ids

# More boards than this and the header would wrap: the rest are one click away on "Boards".
MAX_BOARDS_IN_HEADER = 5


def navigation_items() -> list[dict]:
    """govukServiceNavigation items for the current page and person (once per request:
    govuk-frontend-jinja renders the header twice, to see whether it is empty)."""
    if "navigation_items" not in g:
        g.navigation_items = _navigation_items()
    return g.navigation_items


def _navigation_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    blueprint = request.blueprint or ""
    view_args = request.view_args or {}
    items = [_item("web.index", "Boards", endpoint == "web.index")]
    # Whether they are secretary anywhere (for the mailbox) comes with the boards, in one query.
    is_secretary = (
        select(Membership.id)
        .where(Membership.person_id == current_user.id, Membership.role == SECRETARY)
        .exists()
    )
    boards = db.session.execute(
        select(Board.ref, Board.name, is_secretary.label("is_secretary"))
        .where(Board.id.in_(visible_board_ids(current_user)))
        .order_by(Board.name)
        .limit(MAX_BOARDS_IN_HEADER + 1)
    ).all()
    if len(boards) <= MAX_BOARDS_IN_HEADER:
        items += [
            {
                "href": url_for("web.board", ref=ref),
                "text": name,
                "active": view_args.get("ref") == ref,
            }
            for ref, name, _ in boards
        ]
    items.append(_item("actions.index", "Actions", endpoint == "actions.index"))
    items.append(_item("reviews.index", "Reviews", blueprint == "reviews"))
    if current_user.is_admin:
        items.append(_item("people.index", "People", blueprint == "people"))
        items.append(_item("notify.outbox", "Email", blueprint == "notify"))
    elif boards and boards[0].is_secretary:
        items.append(_item("notify.mailbox", "Mailbox", blueprint == "notify"))
    return items


def _item(endpoint: str, text: str, active: bool) -> dict:
    return {"href": url_for(endpoint), "text": text, "active": active}


def inject_navigation() -> dict:
    return {"navigation_items": navigation_items}
