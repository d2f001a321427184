"""Pages: for now, a read-only view of the boards a person belongs to, and their actions."""

from flask import abort, render_template
from flask_login import current_user, login_required

from tracker.common.time import london_today
from tracker.web import bp
from tracker.web.queries import board_overviews


@bp.get("/")
@login_required
def index():
    today = london_today()
    overviews = board_overviews(current_user, today)
    return render_template("web/index.html", overviews=overviews, today=today)


@bp.get("/boards/<ref>")
@login_required
def board(ref: str):
    today = london_today()
    overviews = board_overviews(current_user, today, ref=ref)
    if not overviews:
        abort(404)
    return render_template("web/board.html", overview=overviews[0], today=today)


@bp.get("/accessibility")
def accessibility():
    return render_template("web/accessibility.html")
