"""API: the OpenAPI document describes every route, and every reference in it resolves."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, fields

from tracker.api.schema_json import Components

DESIGN_FILTERS = {"board", "status", "owner", "rag", "overdue", "due_before", "theme",
                  "recommendation"}  # fmt: skip
DESIGN_ACTION_FIELDS = {
    "id", "ref", "board_id", "recommendation_id", "title", "description", "owner",
    "lead_organisation", "due_on", "original_due_on", "status", "rag", "is_overdue", "progress",
    "success_measure", "version", "created_at", "updated_at",
}  # fmt: skip
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client, session):
    response = client.get("/api/v1/openapi.json")  # no token: the document is public
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert method in HTTP_METHODS, (path, method)
            yield path, method, op


def refs_in(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


def resolve(document, ref):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def test_the_document_is_openapi_3_1_with_bearer_security(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Assure API"
    assert document["info"]["version"] == "1"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from 'flask --app wsgi users token EMAIL'.",
    }


def test_every_api_route_and_method_is_in_the_document(app, document):
    expected = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            expected |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, method, _ in operations(document)}
    assert expected == documented
    # The routes DESIGN.md names are among them.
    for path in ["/boards", "/boards/{board_id}", "/boards/{board_id}/oversight", "/reviews",
                 "/reviews/{review_id}", "/reviews/{review_id}/recommendations", "/actions",
                 "/actions/{action_id}", "/actions/{action_id}/transitions",
                 "/actions/{action_id}/updates", "/updates/{update_id}/accept",
                 "/updates/{update_id}/reject", "/actions/{action_id}/history"]:  # fmt: skip
        assert path in document["paths"], path


def test_every_reference_resolves(document):
    refs = set(refs_in(document))
    assert "#/components/schemas/Action" in refs
    for ref in refs:
        resolve(document, ref)


def test_every_operation_is_complete(document):
    seen_ids = set()
    for path, method, op in operations(document):
        where = f"{method.upper()} {path}"
        assert op["operationId"] not in seen_ids, where
        seen_ids.add(op["operationId"])
        assert op["summary"], where
        assert op["tags"], where
        statuses = set(op["responses"])
        assert any(s.startswith("2") for s in statuses), where
        for response in op["responses"].values():
            assert "description" in response or "$ref" in response, where
        template_params = set(re.findall(r"{(\w+)}", path))
        path_params = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert template_params == path_params, where
        assert all(p["required"] for p in op["parameters"] if p["in"] == "path")
        if op.get("security") != []:
            assert "401" in statuses, where
        if template_params:
            assert "404" in statuses, where
        if "requestBody" in op:
            assert {"400", "422"} <= statuses, where
            schema = resolve(
                document, op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            )
            assert schema["additionalProperties"] is False, where


def test_the_action_list_documents_every_filter_and_its_paging(document):
    op = document["paths"]["/actions"]["get"]
    names = {p["name"] for p in op["parameters"] if p["in"] == "query"}
    # The design's filters, and those the board dashboard's figures link to.
    dashboard = {"due_from", "level", "completed_since", "awaiting_acceptance", "lead_organisation"}
    assert names == DESIGN_FILTERS | dashboard | {"q", "sort", "page", "per_page"}
    params = {p["name"]: p for p in op["parameters"]}
    assert params["status"]["schema"]["type"] == "array"
    assert params["status"]["explode"] is True
    assert params["rag"]["schema"]["items"]["enum"] == ["blue", "green", "amber", "red"]
    assert params["due_before"]["schema"] == {"type": "string", "format": "date"}
    assert "-due_on" in params["sort"]["schema"]["enum"]
    page = resolve(
        document, op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert set(page["required"]) == {"items", "page", "per_page", "total", "links"}


def test_the_action_schema_has_the_fields_design_names(document):
    action = document["components"]["schemas"]["Action"]
    assert set(action["required"]) >= DESIGN_ACTION_FIELDS
    props = action["properties"]
    assert props["rag"]["enum"] == ["blue", "green", "amber", "red"]
    assert props["due_on"] == {"type": ["string", "null"], "format": "date"}
    assert props["created_at"] == {"type": "string", "format": "date-time"}
    assert props["owner"] == {
        "anyOf": [{"$ref": "#/components/schemas/PersonSummary"}, {"type": "null"}]
    }
    assert props["lead_organisation"] == {"type": ["string", "null"]}


def test_changing_an_action_documents_if_match_and_its_errors(document):
    patch = document["paths"]["/actions/{action_id}"]["patch"]
    (if_match,) = [p for p in patch["parameters"] if p["in"] == "header"]
    assert (if_match["name"], if_match["required"]) == ("If-Match", True)
    assert {"403", "412", "428", "422"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    transition = document["paths"]["/actions/{action_id}/transitions"]["post"]
    (if_match,) = [p for p in transition["parameters"] if p["in"] == "header"]
    assert if_match["required"] is False
    assert {"403", "409", "412", "422"} <= set(transition["responses"])
    create = document["paths"]["/actions"]["post"]
    assert set(create["responses"]) >= {"201", "403", "422"}
    assert set(create["responses"]["201"]["headers"]) == {"ETag", "Location"}


def test_request_schemas_say_what_is_required(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["ActionCreate"]["required"]) == {"board_id", "title"}
    assert "required" not in schemas["ActionPatch"]
    assert schemas["TransitionRequest"]["required"] == ["transition"]
    assert schemas["UpdateReject"]["required"] == ["reason"]
    assert schemas["UpdateSubmit"]["properties"]["progress"] == {
        "type": ["integer", "null"], "minimum": 0, "maximum": 100,
    }  # fmt: skip


def test_errors_are_described_once_with_the_error_shape(document):
    responses = document["components"]["responses"]
    for name in ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
                 "PreconditionFailed", "UnprocessableContent", "PreconditionRequired"):  # fmt: skip
        schema = responses[name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    assert set(detail["properties"]) == {"code", "message", "fields", "current_version"}


def test_the_converter_refuses_a_field_type_it_does_not_know():
    class Odd(Schema):
        pair = fields.Tuple((fields.String(), fields.Integer()))

    with pytest.raises(TypeError, match="Tuple"):
        Components().ref(Odd, output=True)


def test_a_schema_used_both_ways_is_refused():
    class Thing(Schema):
        name = fields.String()

    components = Components()
    components.ref(Thing, output=True)
    with pytest.raises(ValueError, match="both as a request and as a response"):
        components.ref(Thing, output=False)
