"""The browser pages."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from tracker.web import routes  # noqa: E402,F401
