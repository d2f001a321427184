"""JSON errors for the API: ``{"error": {"code", "message", "fields"?}}`` with a fitting status.

Every handler rolls the session back first, so a request that fails half-way leaves nothing
written. Handlers are registered on the blueprint, so HTML pages keep their own error pages;
unknown URLs and wrong methods under /api/ never reach a blueprint view, so a request hook
answers those before the routing error is raised.
"""

from __future__ import annotations

from flask import Response, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound

from tracker.api import bp
from tracker.common import errors as domain
from tracker.extensions import db

API_PATH_PREFIX = "/api/"

# Domain errors from the service layer, and the status each one answers with.
DOMAIN_STATUS = {
    domain.NotFound: 404,
    domain.NotAllowed: 403,
    domain.InvalidTransition: 409,
    domain.StaleVersion: 412,
    domain.ValidationFailed: 422,
}


class ApiError(Exception):
    """An error the API raises itself (malformed JSON, no token, no If-Match)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    **extra,
) -> Response:
    detail = {"code": code, "message": message, **extra}
    if fields:
        detail["fields"] = fields
    response = jsonify({"error": detail})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def flatten_messages(messages) -> dict[str, str]:
    """marshmallow's ``{"field": ["msg", ...]}`` (nested for lists) as ``{"field": "msg"}``."""
    if not isinstance(messages, dict):
        return {"_body": " ".join(_collect(messages))}
    return {str(key): " ".join(_collect(value)) for key, value in messages.items()}


def _collect(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = value.values()
    return [message for item in value for message in _collect(item)]


@bp.errorhandler(domain.DomainError)
def handle_domain_error(exc: domain.DomainError):
    db.session.rollback()
    status = next(s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls))
    extra = {}
    if isinstance(exc, domain.StaleVersion) and exc.current_version is not None:
        extra["current_version"] = exc.current_version
    fields = exc.fields if isinstance(exc, domain.ValidationFailed) else None
    return error_response(status, exc.code, exc.message, fields=fields, **extra)


@bp.errorhandler(ValidationError)
def handle_validation_error(exc: ValidationError):
    db.session.rollback()
    fields = flatten_messages(exc.messages)
    message = "; ".join(f"{name}: {text}" for name, text in fields.items())
    return error_response(422, domain.ValidationFailed.code, message, fields=fields)


@bp.errorhandler(ApiError)
def handle_api_error(exc: ApiError):
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, fields=exc.fields, headers=exc.headers)


@bp.errorhandler(HTTPException)
def handle_http_exception(exc: HTTPException):
    db.session.rollback()
    if exc.code is None or exc.code >= 500:
        return handle_server_error(exc)
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return error_response(exc.code, _code_name(exc), exc.description or exc.name, headers=headers)


@bp.errorhandler(InternalServerError)
def handle_server_error(exc: HTTPException):
    # Reached only outside testing: there, unexpected exceptions propagate to the test.
    db.session.rollback()
    return error_response(
        500, "server_error", "Something went wrong on our side; nothing was saved. Try again."
    )


def _code_name(exc: HTTPException) -> str:
    return exc.name.lower().replace(" ", "_").replace("'", "")


@bp.before_app_request
def answer_api_routing_errors():
    """Unknown URLs and wrong methods under /api/ get JSON, whatever the HTML pages do."""
    exc = request.routing_exception
    if exc is None or not request.path.startswith(API_PATH_PREFIX):
        return None
    if isinstance(exc, MethodNotAllowed):
        allowed = sorted(set(exc.valid_methods or ()) - {"HEAD", "OPTIONS"})
        return error_response(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}.",
            headers={"Allow": ", ".join(exc.valid_methods or ())},
        )
    if isinstance(exc, NotFound):
        return error_response(
            404,
            "not_found",
            f"There is no {request.path} in the API; /api/v1/openapi.json lists every URL.",
        )
    return None  # redirects (a missing trailing slash) go on as usual
