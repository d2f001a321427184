"""GET /api/v1/reviews/<id>/matrix: the matrix as JSON, with the page's rules."""

from __future__ import annotations

from tests.integration import matrix_fixtures as fixtures
from tests.integration.matrix_fixtures import EXPECTED_STATES, TODAY

on_now, matrix_world = fixtures.on_now, fixtures.matrix_world


def url(world, query: str = "") -> str:
    return f"/api/v1/reviews/{world.review.id}/matrix" + (f"?{query}" if query else "")


def test_the_matrix_as_json(call, make_token, matrix_world):
    token = make_token(matrix_world.people["admin"])

    response = call("GET", url(matrix_world), token=token)

    assert response.status_code == 200
    body = response.get_json()
    assert body["as_of"] == TODAY.isoformat()
    assert body["total_recommendations"] == 4
    assert [b["ref"] for b in body["boards"]] == ["alpha", "bravo", "charlie"]
    states = {r["recommendation"]["ref"]: [c["state"] for c in r["cells"]] for r in body["rows"]}
    assert states == EXPECTED_STATES
    first = body["rows"][0]
    assert first["recommendation"]["themes"] == ["Safe sleep"]
    assert first["cells"][0] == {
        "board_id": matrix_world.boards[0].id,
        "state": "red",
        "label": "Off track",
        "complete": 1,
        "actions": 2,
        "percent": 50,
    }
    assert first["completion"] == {"complete": 1, "actions": 4, "percent": 25}
    assert [c["percent"] for c in body["board_completion"]] == [37, 25, 0]
    assert body["completion"] == {"complete": 4, "actions": 13, "percent": 30}
    no_actions = body["rows"][1]["cells"][2]
    assert (no_actions["state"], no_actions["percent"]) == ("not_started", None)


def test_filters_and_visibility(call, make_token, matrix_world):
    token = make_token(matrix_world.people["lead"])

    body = call("GET", url(matrix_world, "level=local&theme=safe sleep"), token=token).get_json()

    assert [b["ref"] for b in body["boards"]] == ["alpha", "bravo"]
    assert [r["recommendation"]["ref"] for r in body["rows"]] == ["R1"]


def test_wrong_filters_say_what_to_fix(call, make_token, matrix_world):
    token = make_token(matrix_world.people["admin"])

    response = call("GET", url(matrix_world, "level=national&theme=Knitting"), token=token)

    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "level" in fields
    response = call("GET", url(matrix_world, "theme=Knitting"), token=token)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"theme": "There is no theme 'Knitting'."}


def test_unknown_review_and_no_token(call, make_token, matrix_world):
    token = make_token(matrix_world.people["admin"])

    assert call("GET", "/api/v1/reviews/999999/matrix", token=token).status_code == 404
    assert call("GET", url(matrix_world)).status_code == 401


def test_the_openapi_document_describes_it(call, make_token, matrix_world):
    token = make_token(matrix_world.people["admin"])

    document = call("GET", "/api/v1/openapi.json", token=token).get_json()

    operation = document["paths"]["/reviews/{review_id}/matrix"]["get"]
    assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} == {"level", "theme"}
