"""Meeting pack pages: a meeting's draft preview and issued versions, each version's downloads.

Board members (any role) and admins read them; the secretary and admins issue a version (a
POST with a CSRF token). Downloads of an issued version come from its stored data and PDF.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from tracker.boards.forms import ConfirmForm
from tracker.boards.models import Board
from tracker.boards.services import get_board
from tracker.extensions import db
from tracker.oversight.packs.render import MEDIA_TYPES, render
from tracker.oversight.packs.services import (
    draft_pack,
    get_pack,
    issue_pack,
    meeting_on,
    pack_pdf,
    packs_for,
    view_of,
)
from tracker.permissions import MANAGERS, board_roles

bp = Blueprint("packs", __name__)


def _meeting(ref: str, held_on: str):
    board = get_board(current_user, ref=ref)
    try:
        day = date.fromisoformat(held_on)
    except ValueError:
        abort(404)
    return board, meeting_on(current_user, board, day)


def can_issue(board: Board) -> bool:
    return bool(board_roles(current_user, board) & MANAGERS)


@bp.get("/boards/<ref>/meetings/<held_on>/pack")
@login_required
def meeting(ref: str, held_on: str):
    board, found = _meeting(ref, held_on)
    return render_template(
        "packs/meeting.html",
        board=board,
        meeting=found,
        pack=draft_pack(current_user, found),
        versions=packs_for(current_user, found),
        form=ConfirmForm() if can_issue(board) else None,
    )


@bp.post("/boards/<ref>/meetings/<held_on>/pack")
@login_required
def issue(ref: str, held_on: str):
    board, found = _meeting(ref, held_on)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    pack = issue_pack(current_user, found, channel="web")
    try:
        db.session.commit()
    except IntegrityError:
        # Someone issued the same version number a moment before: theirs stands.
        db.session.rollback()
        flash(
            "Someone else issued a version of this pack at the same moment. Check it below, "
            "and issue again if you still need a new version.",
            "error",
        )
        return redirect(url_for("packs.meeting", ref=board.ref, held_on=held_on))
    flash(
        f"Version {pack.version} of the pack for {found.held_on:%-d %B %Y} issued. "
        "It will not change when the actions do.",
        "success",
    )
    return redirect(url_for("packs.show", pack_id=pack.id))


@bp.get("/packs/<int:pack_id>")
@login_required
def show(pack_id: int):
    pack = get_pack(current_user, pack_id)
    return render_template(
        "packs/show.html",
        board=pack.board,
        meeting=pack.meeting,
        issued=pack,
        pack=view_of(pack),
        versions=packs_for(current_user, pack.meeting),
    )


@bp.get("/packs/<int:pack_id>.<any(html, pdf, xlsx, csv):fmt>")
@login_required
def download(pack_id: int, fmt: str):
    pack = get_pack(current_user, pack_id)
    body = pack_pdf(pack) if fmt == "pdf" else render(view_of(pack), fmt)
    response = Response(body, content_type=MEDIA_TYPES[fmt])
    # Saved, not shown here: the HTML document carries its own inline stylesheet, which the
    # site's Content-Security-Policy would refuse to apply in the browser.
    response.headers["Content-Disposition"] = f'attachment; filename="{pack.filename(fmt)}"'
    return response
