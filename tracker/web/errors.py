"""Error pages for people; the JSON API keeps JSON errors under /api/."""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound

from tracker.common import errors as domain
from tracker.extensions import db
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


@bp.app_errorhandler(Forbidden)
def forbidden(error: Forbidden):
    if request.path.startswith(API_PREFIX):
        return _api_error(error)
    return render_template("errors/403.html", message=None), 403


# A page's route may let these domain errors through: nothing it did is kept, and the person
# sees the same 404 for a missing object as for one on a board they cannot see.
@bp.app_errorhandler(domain.NotFound)
def domain_not_found(error: domain.NotFound):
    db.session.rollback()
    return render_template("errors/404.html"), 404


@bp.app_errorhandler(domain.NotAllowed)
def domain_not_allowed(error: domain.NotAllowed):
    db.session.rollback()
    return render_template("errors/403.html", message=error.message), 403
