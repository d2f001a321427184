"""Error pages for people; the JSON API keeps JSON errors under /api/."""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from tracker.web import bp

API_PREFIX = "/api/"


def _api_error(error: HTTPException):
    """The API's error shape, for /api/ URLs that no API handler answered (e.g. no such route)."""
    code = (error.name or "error").lower().replace(" ", "_")
    response = jsonify(error={"code": code, "message": error.description})
    return response, error.code


@bp.app_errorhandler(NotFound)
def not_found(error: NotFound):
    if request.path.startswith(API_PREFIX):
        return _api_error(error)
    return render_template("errors/404.html"), 404


@bp.app_errorhandler(InternalServerError)
def internal_error(error: InternalServerError):
    if request.path.startswith(API_PREFIX):
        return _api_error(error)
    # The page must render whatever broke, the database included: it reads nothing.
    return render_template("errors/500.html"), 500
