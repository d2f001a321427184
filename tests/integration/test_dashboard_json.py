"""The oversight JSON matches its schema in the OpenAPI document, field by field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.integration import dashboard_world
from tracker.oversight.snapshots import take_snapshots

world = dashboard_world.world  # the fixture

JSON_TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def check(value, schema: dict, document: dict, where: str = "$") -> list[str]:
    """What is wrong with ``value`` by ``schema`` (the JSON Schema subset the document uses)."""
    if "$ref" in schema:
        node = document
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        return check(value, node, document, where)
    if "anyOf" in schema:
        tries = [check(value, option, document, where) for option in schema["anyOf"]]
        return [] if any(not t for t in tries) else min(tries, key=len)
    problems = []
    types = schema.get("type")
    if types:
        types = [types] if isinstance(types, str) else types
        if not any(JSON_TYPES[t](value) for t in types):
            return [f"{where}: {value!r} is not {' or '.join(types)}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and schema.get("format") == "date":
        date.fromisoformat(value)
    if isinstance(value, str) and schema.get("format") == "date-time":
        datetime.fromisoformat(value)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name} missing")
        for name, item in value.items():
            if name in properties:
                problems += check(item, properties[name], document, f"{where}.{name}")
            elif "additionalProperties" in schema:
                problems += check(item, schema["additionalProperties"], document, f"{where}.{name}")
            elif properties:
                problems.append(f"{where}: {name} is not documented")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += check(item, schema["items"], document, f"{where}[{i}]")
    return problems


def test_the_oversight_answer_matches_its_documented_schema(
    call, client, session, world, make_token
):
    for weeks_ago in (2, 1):
        take_snapshots(world.today - timedelta(weeks=weeks_ago))
    document = client.get("/api/v1/openapi.json").json
    schema = document["paths"]["/boards/{board_id}/oversight"]["get"]["responses"]["200"]
    schema = schema["content"]["application/json"]["schema"]
    body = call("GET", f"/api/v1/boards/{world.board.id}/oversight", make_token(world.chair)).json
    # Every list the schema describes has something in it, so that its items are checked too.
    for name in ("by_recommendation", "by_theme", "by_level", "by_lead_organisation",
                 "overdue_actions", "blocked_actions", "trend"):  # fmt: skip
        assert body[name], name
    assert body["changes"]["counts"] and body["changes"]["latest"]
    assert check(body, schema, document) == []
    assert len(body["trend"]) == 3 and body["trend"][-1]["is_live"] is True
    assert body["last_meeting_on"] == world.meeting_on.isoformat()
    assert body["next_meeting_on"] == (world.today + timedelta(days=20)).isoformat()


def test_the_checker_finds_what_is_wrong(client, session):
    document = client.get("/api/v1/openapi.json").json
    schema = {"$ref": "#/components/schemas/TrendPoint"}
    good = {"on": "2026-11-28", "open": 1, "overdue": 0, "completed": 2, "is_live": False}
    assert check(good, schema, document) == []
    assert check({**good, "open": "1"}, schema, document) == ["$.open: '1' is not integer"]
    assert check({**good, "extra": 1}, schema, document) == ["$: extra is not documented"]
