"""API: reading and creating one action, and its history (changing it: test_api_actions_patch)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.audit.models import Event

ACTION_KEYS = {
    "id", "ref", "board_id", "recommendation_id", "title", "description", "owner",
    "lead_organisation", "due_on", "original_due_on", "status", "rag", "is_overdue", "progress",
    "success_measure", "version", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def people(make_person):
    return {
        "secretary": make_person(name="Sam Secretary"),
        "member": make_person(name="Mo Member"),
        "stranger": make_person(name="Stan Stranger"),
        "owner": make_person(name="Olu Owner", email="olu@example.org"),
    }


@pytest.fixture
def tokens(people, make_token):
    return {role: make_token(person) for role, person in people.items()}


@pytest.fixture
def board(make_board, people):
    return make_board(
        ref="tscp", members=[(people["secretary"], "secretary"), (people["member"], "member")]
    )


@pytest.fixture
def action(make_action, board, people):
    return make_action(
        board, title="Audit safe sleep advice", owner=people["owner"], due_on=date(2027, 3, 31)
    )


def events(session, action_id, verb=None):
    query = select(Event).where(Event.action_id == action_id).order_by(Event.id)
    if verb:
        query = query.where(Event.verb == verb)
    return session.scalars(query).all()


# --- reading ---------------------------------------------------------------------------------


def test_an_action_reads_with_its_etag(call, tokens, action, people, board):
    response = call("GET", f"/api/v1/actions/{action.id}", tokens["member"])
    assert response.status_code == 200
    body = response.json
    assert set(body) >= ACTION_KEYS
    assert response.headers["ETag"] == f'"{action.version}"'
    assert body["version"] == action.version
    assert body["ref"] == action.ref
    assert body["board_id"] == board.id
    assert body["title"] == "Audit safe sleep advice"
    assert body["owner"] == {
        "id": people["owner"].id,
        "name": "Olu Owner",
        "email": "olu@example.org",
    }
    assert body["due_on"] == body["original_due_on"] == "2027-03-31"
    assert body["status"] == "open"
    assert body["progress"] == 0
    assert body["created_at"].endswith("+00:00")
    assert body["links"]["history"] == f"http://localhost/api/v1/actions/{action.id}/history"


def test_an_action_on_another_board_is_404_like_a_missing_one(call, tokens, action):
    for action_id in (action.id, action.id + 1000):
        for method, url in [
            ("GET", f"/api/v1/actions/{action_id}"),
            ("GET", f"/api/v1/actions/{action_id}/history"),
            ("PATCH", f"/api/v1/actions/{action_id}"),
        ]:
            response = call(method, url, tokens["stranger"], json={})
            assert response.status_code == 404, (method, url)
            assert response.json["error"] == {"code": "not_found", "message": "No such action."}


def test_the_owner_reads_their_action_on_a_board_they_do_not_belong_to(
    call, tokens, action, make_action, board
):
    assert call("GET", f"/api/v1/actions/{action.id}", tokens["owner"]).status_code == 200
    not_theirs = make_action(board)
    assert call("GET", f"/api/v1/actions/{not_theirs.id}", tokens["owner"]).status_code == 404
    # The board itself stays out of sight.
    assert call("GET", f"/api/v1/boards/{board.id}", tokens["owner"]).status_code == 404


# --- creating --------------------------------------------------------------------------------


def test_the_secretary_creates_an_action(call, tokens, board, people, make_recommendation, session):
    recommendation = make_recommendation(boards=[board])
    response = call(
        "POST",
        "/api/v1/actions",
        tokens["secretary"],
        json={
            "board_id": board.id,
            "title": "  Train midwives in safe sleep advice ",
            "recommendation_id": recommendation.id,
            "ref": "tscp-12",
            "description": "All community midwives.",
            "owner_email": "OLU@example.org",
            "lead_organisation": "Tameside and Glossop ICB",
            "due_on": "2027-06-30",
            "success_measure": "95% trained",
        },
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert response.headers["Location"] == f"http://localhost/api/v1/actions/{body['id']}"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["ref"] == "TSCP-12"
    assert body["title"] == "Train midwives in safe sleep advice"
    assert body["recommendation_id"] == recommendation.id
    assert body["owner"]["id"] == people["owner"].id
    assert body["lead_organisation"] == "Tameside and Glossop ICB"
    assert body["due_on"] == body["original_due_on"] == "2027-06-30"
    assert body["status"] == "draft"
    assert body["status_label"] == "Draft"
    assert body["success_measure"] == "95% trained"
    (created,) = events(session, body["id"], "created")
    assert created.channel == "api"
    assert created.actor_id == people["secretary"].id


def test_an_action_needs_only_a_board_and_a_title(call, tokens, board):
    response = call(
        "POST", "/api/v1/actions", tokens["secretary"], json={"board_id": board.id, "title": "X"}
    )
    assert response.status_code == 201
    assert response.json["ref"] == "TSCP-01"
    assert response.json["owner"] is None
    assert response.json["due_on"] is None
    assert response.json["lead_organisation"] is None


def test_the_owner_can_be_named_by_id(call, tokens, board, people):
    body = {"board_id": board.id, "title": "X", "owner_id": people["owner"].id}
    response = call("POST", "/api/v1/actions", tokens["secretary"], json=body)
    assert response.json["owner"]["email"] == "olu@example.org"


def test_a_member_may_not_create_actions(call, tokens, board, session):
    response = call(
        "POST", "/api/v1/actions", tokens["member"], json={"board_id": board.id, "title": "X"}
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert "secretary" in response.json["error"]["message"]
    assert session.scalars(select(Action).where(Action.board_id == board.id)).all() == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"board_id", "title"}),
        ({"title": "   "}, {"board_id", "title"}),
        ({"title": "X" * 301}, {"title"}),
        ({"title": "X", "due_on": "31/03/2027"}, {"due_on"}),
        ({"title": "X", "due_on": "2027-03-31T09:00:00"}, {"due_on"}),
        ({"title": "X", "owner_email": "nobody@example.org"}, {"owner_email"}),
        ({"title": "X", "owner_email": "not-an-email"}, {"owner_email"}),
        ({"title": "X", "owner_id": 999999}, {"owner_id"}),
        ({"title": "X", "owner_id": "7"}, {"owner_id"}),
        ({"title": "X", "recommendation_id": 999999}, {"recommendation_id"}),
        ({"title": "X", "status": "closed"}, {"status"}),
    ],
)
def test_invalid_new_actions_are_422_naming_each_field(call, tokens, board, body, fields):
    body = {"board_id": board.id, **body} if "board_id" not in fields else body
    response = call("POST", "/api/v1/actions", tokens["secretary"], json=body)
    assert response.status_code == 422, response.json
    assert set(response.json["error"]["fields"]) == fields


def test_both_owner_fields_at_once_are_refused(call, tokens, board, people):
    body = {"board_id": board.id, "title": "X", "owner_id": people["owner"].id,
            "owner_email": "olu@example.org"}  # fmt: skip
    response = call("POST", "/api/v1/actions", tokens["secretary"], json=body)
    assert response.json["error"]["fields"] == {
        "owner_email": "Give owner_id or owner_email, not both."
    }


def test_service_rules_come_back_under_the_apis_field_names(
    call, tokens, board, action, make_recommendation
):
    not_adopted = make_recommendation()
    body = {"board_id": board.id, "title": "X", "ref": action.ref,
            "recommendation_id": not_adopted.id}  # fmt: skip
    response = call("POST", "/api/v1/actions", tokens["secretary"], json=body)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {"ref", "recommendation_id"}
    assert "already has an action" in fields["ref"]
    assert "has not adopted" in fields["recommendation_id"]


@pytest.mark.parametrize("which", ["invisible", "missing"])
def test_a_board_you_cannot_see_is_an_invalid_board_id(call, tokens, make_board, which):
    other = make_board()
    board_id = other.id if which == "invisible" else other.id + 1000
    response = call(
        "POST", "/api/v1/actions", tokens["secretary"], json={"board_id": board_id, "title": "X"}
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "board_id": "No such board among those you can see."
    }


# --- history ---------------------------------------------------------------------------------


def test_the_history_lists_every_event_oldest_first(call, tokens, action, people):
    call(
        "POST", f"/api/v1/actions/{action.id}/transitions", tokens["secretary"],
        json={"transition": "block", "comment": "Waiting for the data sharing agreement"},
    )  # fmt: skip
    response = call("GET", f"/api/v1/actions/{action.id}/history", tokens["member"])
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["verb"] for i in items] == ["created", "transition:open", "transition:block"]
    created, _, blocked = items
    assert created["actor"] is None  # made at the command line
    assert created["channel"] == "cli"
    assert created["changes"]["status"] == [None, "draft"]
    assert blocked["actor"] == {"id": people["secretary"].id, "name": "Sam Secretary"}
    assert blocked["channel"] == "api"
    assert blocked["changes"] == {"status": ["open", "blocked"]}
    assert blocked["comment"] == "Waiting for the data sharing agreement"
    assert blocked["occurred_at"] >= created["occurred_at"]
