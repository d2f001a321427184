"""Action pages: the lists, and an action with its history."""

from flask import Blueprint

bp = Blueprint("actions", __name__)

from tracker.actions import change_routes  # noqa: E402,F401
