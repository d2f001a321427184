"""Pages: for now, a read-only view of the boards and their actions.

Until the sign-in journeys land, these pages show every board to anyone who can reach the
server; they change nothing.
"""

from flask import abort, render_template

from tracker.common.time import london_today
from tracker.web import bp
from tracker.web.queries import board_overviews


@bp.get("/")
def index():
    today = london_today()
    return render_template("web/index.html", overviews=board_overviews(today), today=today)


@bp.get("/boards/<ref>")
def board(ref: str):
    today = london_today()
    overviews = board_overviews(today, ref=ref)
    if not overviews:
        abort(404)
    return render_template("web/board.html", overview=overviews[0], today=today)


@bp.get("/accessibility")
def accessibility():
    return render_template("web/accessibility.html")
