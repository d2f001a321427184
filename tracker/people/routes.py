"""Admin pages for people: create, deactivate, reset password."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/admin/people")
