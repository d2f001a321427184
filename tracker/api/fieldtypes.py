"""marshmallow fields the API needs beyond marshmallow's own.

A field that knows its JSON Schema says so with ``json_schema()``; ``schema_json`` asks it.
"""

from __future__ import annotations

from flask import url_for
from marshmallow import ValidationError, fields


def described(text: str) -> dict:
    """A field's ``metadata``: its description in the OpenAPI document."""
    return {"description": text}


DATE_MESSAGE = "Enter a date as YYYY-MM-DD, for example 2027-03-31."


def Date(*, error_messages: dict | None = None, **kwargs) -> fields.Date:
    """A calendar date (never a datetime: due dates have no time of day)."""
    messages = {"invalid": DATE_MESSAGE, **(error_messages or {})}
    return fields.Date(error_messages=messages, **kwargs)


class Links(fields.Field):
    """Absolute URLs of related resources, each an endpoint with arguments from the object.

    ``Links({"self": ("api.get_action", {"action_id": "id"})})`` dumps
    ``{"self": "https://.../api/v1/actions/7"}``; arguments that are not part of the URL rule
    become query parameters.
    """

    _CHECK_ATTRIBUTE = False

    def __init__(self, links: dict[str, tuple[str, dict[str, str]]]) -> None:
        super().__init__(dump_only=True)
        self.links = links

    def _serialize(self, value, attr, obj, **kwargs):
        return {
            name: url_for(
                endpoint, _external=True, **{arg: getattr(obj, src) for arg, src in args.items()}
            )
            for name, (endpoint, args) in self.links.items()
        }

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "properties": {name: {"type": "string", "format": "uri"} for name in self.links},
            "required": list(self.links),
            "description": "URLs of this resource and the ones related to it.",
        }


class CommaList(fields.List):
    """A query parameter given more than once (``status=open&status=blocked``) or as a comma
    list (``status=open,blocked``), or both."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise self.make_error("invalid")
        items = [part.strip() for item in value for part in str(item).split(",")]
        return super()._deserialize([i for i in items if i], attr, data, **kwargs)


class IdOrKey(fields.Field):
    """A number (an id) or a text key (a board's reference, a person's email, a theme's name).

    Digits are read as an id; anything else is kept as text, stripped.
    """

    default_error_messages = {"invalid": "Give an id (a number) or {what}."}

    def __init__(self, key: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.key = key

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.make_error("invalid", what=self.key)
        text = str(value).strip()
        if not text:
            raise self.make_error("invalid", what=self.key)
        return int(text) if text.isdigit() else text

    def json_schema(self) -> dict:
        return {"anyOf": [{"type": "integer"}, {"type": "string"}]}


def one_of(choices, what: str):
    """A validator like ``OneOf`` whose message lists the choices in plain words."""
    choices = tuple(choices)

    def validate(value):
        if value not in choices:
            raise ValidationError(f"Unknown {what} {value!r}; use one of {', '.join(choices)}.")

    validate.choices = choices  # read by schema_json for the JSON Schema "enum"
    return validate
