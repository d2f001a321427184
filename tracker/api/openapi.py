"""The OpenAPI 3.1 document at /api/v1/openapi.json, built from the routes themselves.

Paths come from the URL map, what each operation reads and answers from its ``@operation``,
and component schemas from the marshmallow schemas (``schema_json``): nothing is written twice.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, url_for
from marshmallow import Schema
from werkzeug.routing import Rule

from tracker.api import bp, schemas
from tracker.api.helpers import answer
from tracker.api.schema_json import Components
from tracker.api.spec import Operation, operation, operation_of

DESCRIPTION = """\
The JSON API of Assure, for dashboards (Power BI, Excel) and other systems.

**Authentication**: send `Authorization: Bearer <token>`; an admin makes a token with
`flask --app wsgi users token EMAIL`. You see what that person sees: the boards they are a member
of (every board for an admin) and the actions they own. Anything else answers 404, as if it did
not exist.

**Errors** are `{"error": {"code", "message", "fields"?}}`: 400 the body is not a JSON object,
401 no or bad token, 403 your role may not do this, 404 not found or not visible, 405 wrong method,
409 the workflow does not allow this step from the current state, 412 If-Match is stale (nothing
was changed), 422 invalid fields or query parameters (`fields` says what is wrong with each),
428 If-Match is needed.

**Concurrency**: an action's `ETag` is its version in quotes, e.g. `"3"` (a strong ETag that
changes with every stored change; `rag` and `is_overdue` also change with the date). PATCH needs
`If-Match` with it; transitions honour it when sent. `If-Match: *` is refused.

**Conventions**: dates are ISO 8601 (`2027-03-31`), timestamps ISO 8601 in UTC; "today" is the
date in London. RAG is one of `blue` (complete), `green` (on track), `amber` (at risk), `red`
(off track). Lists of actions come a page at a time: follow `links.next` until it is null.
Unknown fields and query parameters are refused with 422, naming them.
"""

HEADERS = {
    "ETag": {
        "description": 'The action\'s version in quotes, e.g. "3"; send it back in If-Match.',
        "schema": {"type": "string"},
    },
    "Location": {"description": "The URL of what was created.", "schema": {"type": "string"}},
    "Link": {
        "description": 'The next and previous pages, as <url>; rel="next" (RFC 8288).',
        "schema": {"type": "string"},
    },
    "WWW-Authenticate": {"description": "Bearer.", "schema": {"type": "string"}},
}

ERRORS = {
    400: ("BadRequest", "The request body is not a JSON object."),
    401: ("Unauthorized", "No API token, or a token that is not valid."),
    403: ("Forbidden", "Your role on the board does not allow this."),
    404: ("NotFound", "No such object, or it is on a board you cannot see."),
    409: ("Conflict", "The workflow does not allow this step from the action's state."),
    412: ("PreconditionFailed", "If-Match does not match the current ETag; nothing changed."),
    422: ("UnprocessableContent", "Invalid fields or query parameters; see error.fields."),
    428: ("PreconditionRequired", "Send If-Match with the ETag you read."),
}

TAGS = {
    "boards": "Boards and the oversight of their plans.",
    "reviews": "Reviews and their recommendations.",
    "actions": "Actions: the list, one action, changes and history.",
    "workflow": "Moving an action through its workflow.",
    "updates": "Owners' progress reports and their acceptance.",
    "meta": "About the API itself.",
}

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_TYPES = {"int": {"type": "integer", "minimum": 0}, "float": {"type": "number"}}


@bp.get("/openapi.json")
@operation(
    "This document",
    tag="meta",
    description="The OpenAPI 3.1 description of every URL of the API. No token needed.",
    response_description="The OpenAPI document.",
    auth=False,
    extra={"content": {"application/json": {"schema": {"type": "object"}}}},
)
def openapi_document():
    return answer(build_document())


def build_document() -> dict[str, Any]:
    components = Components()
    prefix = url_for("api.openapi_document").removesuffix("/openapi.json")
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.partition(".")[0] != bp.name:
            continue
        op = operation_of(current_app.view_functions[rule.endpoint])
        if op is None:
            raise RuntimeError(f"{rule.endpoint} has no @operation: the document needs one")
        path = _ARGUMENT.sub(r"{\g<name>}", rule.rule.removeprefix(prefix))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, op, components)
    components.ref(schemas.ErrorSchema, output=True)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Assure API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": prefix}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "responses": {
                name: {
                    "description": text,
                    "content": {"application/json": {"schema": _error_ref()}},
                    **(_headers("WWW-Authenticate") if code == 401 else {}),
                }
                for code, (name, text) in ERRORS.items()
            },
            "headers": HEADERS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from 'flask --app wsgi users token EMAIL'.",
                }
            },
        },
    }


def _operation(rule: Rule, op: Operation, components: Components) -> dict[str, Any]:
    parameters = [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "schema": dict(_CONVERTER_TYPES.get(match["converter"] or "", {"type": "string"})),
        }
        for match in _ARGUMENT.finditer(rule.rule)
    ]
    if op.query is not None:
        parameters += _query_parameters(op.query, components)
    if op.if_match:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": op.if_match == "required",
                "description": 'The ETag you read, e.g. "3".',
                "schema": {"type": "string"},
            }
        )
    success: dict[str, Any] = {"description": op.response_description}
    if op.response is not None:
        success["content"] = {
            "application/json": {"schema": components.ref(op.response, output=True)}
        }
    success.update(op.extra)
    if op.response_headers:
        success.update(_headers(*op.response_headers))
    responses = {str(op.status): success}
    for code in sorted(_error_codes(rule, op)):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    result: dict[str, Any] = {
        "operationId": rule.endpoint.partition(".")[2],
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.description:
        result["description"] = op.description
    if op.body is not None:
        result["requestBody"] = {
            "required": any(f.required for f in op.body().fields.values()),
            "content": {"application/json": {"schema": components.ref(op.body, output=False)}},
        }
    if not op.auth:
        result["security"] = []
    return result


def _error_codes(rule: Rule, op: Operation) -> set[int]:
    codes = set(op.errors)
    if op.auth:
        codes.add(401)
    if rule.arguments:
        codes.add(404)
    if op.body is not None:
        codes |= {400, 422}
    if op.query is not None:
        codes.add(422)
    if op.if_match:
        codes.add(412)
    if op.if_match == "required":
        codes.add(428)
    return codes


def _query_parameters(schema: type[Schema], components: Components) -> list[dict[str, Any]]:
    parameters = []
    for name, field in schema().fields.items():
        field_schema = components.field_schema(field, output=False)
        parameter = {
            "name": field.data_key or name,
            "in": "query",
            "required": field.required,
            "schema": field_schema,
        }
        if "description" in field_schema:
            parameter["description"] = field_schema.pop("description")
        if field_schema.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def _headers(*names: str) -> dict[str, Any]:
    return {"headers": {name: {"$ref": f"#/components/headers/{name}"} for name in names}}


def _error_ref() -> dict[str, str]:
    return {"$ref": "#/components/schemas/Error"}
