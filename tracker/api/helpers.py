"""Reading requests and shaping answers: JSON bodies, query strings, ETags and If-Match."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Response, jsonify, request
from marshmallow import Schema, fields
from werkzeug.http import parse_etags

from tracker.actions.models import Action
from tracker.api.errors import ApiError
from tracker.common.errors import StaleVersion, ValidationFailed


def json_body() -> dict[str, Any]:
    """The request body as a JSON object; an empty body reads as ``{}``."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_request", f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ApiError(
            400,
            "bad_request",
            f"The request body must be a JSON object ({{...}}), not {_json_type(data)}.",
        )
    return data


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {list: "an array", str: "a string", bool: "true or false"}.get(type(value), "a number")


def load_body(schema: type[Schema], body: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate the JSON body (or ``body``, read already) with ``schema``; 422 when invalid."""
    return schema().load(json_body() if body is None else body)


def load_query(schema: type[Schema]) -> dict[str, Any]:
    """Validate the query string with ``schema``; list fields take repeated parameters."""
    loader = schema()
    data: dict[str, Any] = {}
    repeated = {}
    for key in request.args:
        values = request.args.getlist(key)
        if isinstance(loader.fields.get(key), fields.List):
            data[key] = values
        elif len(values) > 1:
            repeated[key] = f"Give {key} once."
        else:
            data[key] = values[0]
    if repeated:
        raise ValidationFailed(repeated)
    return loader.load(data)


def etag_of(action: Action) -> str:
    # A strong ETag: If-Match compares strongly, and it stands for one stored version.
    return f'"{action.version}"'


def with_etag(response: Response, action: Action) -> Response:
    response.headers["ETag"] = etag_of(action)
    return response


def answer(body: Any, status: int = 200, *, action: Action | None = None, location: str = ""):
    """A JSON response, with the action's ETag and a Location when given."""
    response = jsonify(body)
    response.status_code = status
    if action is not None:
        with_etag(response, action)
    if location:
        response.headers["Location"] = location
    return response


def expected_version(action: Action, *, required: bool) -> int | None:
    """The version the client's If-Match stands for, for the service to compare.

    None when there is no If-Match and it is optional; 428 when it is required. A list of tags
    matches when any does; weak tags (W/"3") are accepted too.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApiError(
                428,
                "precondition_required",
                f"Send If-Match with the ETag from GET of this action (now {etag_of(action)}), "
                "so that you do not overwrite a change you have not seen.",
            )
        return None
    tags = parse_etags(header)
    if tags.star_tag:
        raise ApiError(
            428,
            "precondition_required",
            f"If-Match: * does not protect against lost updates; send the action's ETag "
            f"({etag_of(action)}).",
        )
    given = tags.as_set(include_weak=True)
    if str(action.version) in given:
        return action.version
    numbers = sorted(int(tag) for tag in given if tag.isdigit())
    if numbers:
        return numbers[0]  # not the current version: the service refuses it as stale
    raise StaleVersion(
        f"If-Match {header} is not an ETag of {action.ref}; its ETag is now {etag_of(action)}.",
        current_version=action.version,
    )


@contextmanager
def fields_renamed(names: Mapping[str, str]) -> Iterator[None]:
    """Report the service's field names (``owner``) as the API's (``owner_email``)."""
    try:
        yield
    except ValidationFailed as exc:
        if not set(exc.fields) & set(names):
            raise
        raise ValidationFailed({names.get(k, k): v for k, v in exc.fields.items()}) from exc
