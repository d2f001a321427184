"""What each route declares about itself, for the OpenAPI document.

Routes say what they read and answer with (marshmallow schemas, status codes, headers) next
to their code with ``@operation(...)``; ``openapi`` builds the document from the URL map and
these declarations, so the document cannot leave out a route or drift from the schemas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    description: str = ""
    query: type[Schema] | None = None  # query parameters, one per field
    body: type[Schema] | None = None  # the JSON request body
    response: type[Schema] | None = None  # the JSON body of the success response
    status: int = 200
    response_description: str = "Success."
    response_headers: tuple[str, ...] = ()  # names in openapi.HEADERS
    if_match: str | None = None  # "required" or "optional"
    errors: tuple[int, ...] = ()  # beyond those every operation of its kind can return
    auth: bool = True
    extra: dict = field(default_factory=dict)  # raw OpenAPI to merge (e.g. a response content)


def operation(summary: str, **details) -> Callable:
    """Attach an Operation to a view function (place it under ``@bp.get`` and friends)."""

    def attach(view: Callable) -> Callable:
        view.api_operation = Operation(summary=summary, **details)
        return view

    return attach


def operation_of(view: Callable | None) -> Operation | None:
    return getattr(view, "api_operation", None)
