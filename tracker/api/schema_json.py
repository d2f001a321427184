"""marshmallow schemas as JSON Schema (draft 2020-12, as OpenAPI 3.1 uses), for the document.

Only the field types the API uses are known; any other raises, so that a new field type cannot
slip into the document as an empty schema.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.validate import Length, Range

REF_PREFIX = "#/components/schemas/"

# Order matters: subclasses before the classes they extend.
SIMPLE_TYPES: tuple[tuple[type[fields.Field], dict[str, Any]], ...] = (
    (fields.Email, {"type": "string", "format": "email"}),
    (fields.Url, {"type": "string", "format": "uri"}),
    (fields.String, {"type": "string"}),
    (fields.Integer, {"type": "integer"}),
    (fields.Number, {"type": "number"}),
    (fields.Boolean, {"type": "boolean"}),
    (fields.DateTime, {"type": "string", "format": "date-time"}),
    (fields.Date, {"type": "string", "format": "date"}),
    (fields.Raw, {}),
)


class Components:
    """Component schemas, each made once and referred to by ``$ref``.

    A schema is "output" (a representation: every field is always present) or "input" (a
    request: only ``required`` fields must be given, nothing else is accepted).
    """

    def __init__(self) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}
        self.modes: dict[str, bool] = {}

    def ref(self, schema: type[Schema], *, output: bool) -> dict[str, str]:
        name = component_name(schema)
        if name in self.modes:
            if self.modes[name] != output:
                raise ValueError(f"{name} is used both as a request and as a response")
        else:
            self.modes[name] = output
            self.schemas[name] = {}  # a placeholder, in case the schema refers to itself
            self.schemas[name] = self.object_schema(schema, output=output)
        return {"$ref": REF_PREFIX + name}

    def object_schema(self, schema: type[Schema], *, output: bool) -> dict[str, Any]:
        instance = schema()
        properties, required = {}, []
        for name, field in instance.fields.items():
            key = field.data_key or name
            properties[key] = self.field_schema(field, output=output)
            if field.required or (output and not field.metadata.get("optional")):
                required.append(key)
        result: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
        if not output:
            result["additionalProperties"] = False
        doc = (schema.__doc__ or "").strip()
        if doc and schema.__doc__ != Schema.__doc__:
            result["description"] = " ".join(doc.split())
        return result

    def field_schema(self, field: fields.Field, *, output: bool) -> dict[str, Any]:
        if hasattr(field, "json_schema"):
            result = field.json_schema()
        elif isinstance(field, fields.Pluck):
            plucked = self.field_schema(field.schema.fields[field.field_name], output=output)
            result = {"type": "array", "items": plucked} if field.many else dict(plucked)
        elif isinstance(field, fields.Nested):
            ref = self.ref(_schema_class(field), output=output)
            result = {"type": "array", "items": ref} if field.many else ref
        elif isinstance(field, fields.List):
            result = {"type": "array", "items": self.field_schema(field.inner, output=output)}
        elif isinstance(field, fields.Dict):
            result = {"type": "object"}
            if field.value_field is not None:
                result["additionalProperties"] = self.field_schema(field.value_field, output=output)
        else:
            result = _simple(field)
        result.update(_validation(field, result))
        for key in ("description", "format", "examples"):
            if key in field.metadata:
                result[key] = field.metadata[key]
        if not output and field.load_default is not missing and not callable(field.load_default):
            result["default"] = field.load_default
        if field.allow_none:
            result = _nullable(result)
        return result


def component_name(schema: type[Schema]) -> str:
    return schema.__name__.removesuffix("Schema")


def _schema_class(field: fields.Nested) -> type[Schema]:
    nested = field.nested
    if isinstance(nested, Schema):
        return type(nested)
    if isinstance(nested, type) and issubclass(nested, Schema):
        return nested
    raise TypeError(f"Nested field {field.name!r}: give the schema class itself")


def _simple(field: fields.Field) -> dict[str, Any]:
    for cls, schema in SIMPLE_TYPES:
        if isinstance(field, cls):
            return dict(schema)
    raise TypeError(f"No JSON Schema for the field type {type(field).__name__}")


def _validation(field: fields.Field, schema: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema keywords for the field's validators: choices, ranges, lengths."""
    result: dict[str, Any] = {}
    for validator in field.validators:
        choices = getattr(validator, "choices", None)
        if choices is not None:
            result["enum"] = list(choices)
        elif isinstance(validator, Range):
            if validator.min is not None:
                result["minimum" if validator.min_inclusive else "exclusiveMinimum"] = validator.min
            if validator.max is not None:
                result["maximum" if validator.max_inclusive else "exclusiveMaximum"] = validator.max
        elif isinstance(validator, Length):
            prefix = "Items" if schema.get("type") == "array" else "Length"
            if validator.min is not None:
                result[f"min{prefix}"] = validator.min
            if validator.max is not None:
                result[f"max{prefix}"] = validator.max
    return result


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" in schema and isinstance(schema["type"], str):
        nullable = {**schema, "type": [schema["type"], "null"]}
        if "enum" in nullable:
            nullable["enum"] = [*nullable["enum"], None]
        return nullable
    return {"anyOf": [schema, {"type": "null"}]}
