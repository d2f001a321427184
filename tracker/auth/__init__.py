"""Signing in and out of the web app."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from tracker.auth import recovery, routes  # noqa: E402,F401
