"""Board pages: creating boards, their settings, members and meetings."""

from flask import Blueprint

bp = Blueprint("boards", __name__)
