"""Pages: for now, a read-only view of the boards and their actions."""

from flask import render_template

from tracker.web import bp


@bp.get("/")
def index():
    return render_template("web/index.html", boards=[])
