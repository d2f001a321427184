"""Bearer tokens: every API request but the OpenAPI document names its person with one."""

from __future__ import annotations

from flask import current_app, g, request

from tracker.api import bp
from tracker.api.errors import ApiError
from tracker.api.spec import operation_of
from tracker.people.models import Person
from tracker.people.services import person_for_token

REALM = 'Bearer realm="Assure"'


@bp.before_request
def authenticate() -> None:
    """Set ``g.api_person`` from the Authorization header, or answer 401."""
    op = operation_of(current_app.view_functions.get(request.endpoint))
    if op is not None and not op.auth:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401,
            "unauthorized",
            "Send an API token in the header 'Authorization: Bearer <token>'; an admin can "
            "make one with 'flask --app wsgi users token EMAIL'.",
            headers={"WWW-Authenticate": REALM},
        )
    person = person_for_token(token)
    if person is None:
        raise ApiError(
            401,
            "unauthorized",
            "This API token is not valid: it is wrong, revoked, or its person was deactivated.",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    g.api_person = person


def current_person() -> Person:
    return g.api_person
