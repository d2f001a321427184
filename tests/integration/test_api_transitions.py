"""API: the steps an action may take, and taking them, with the workflow's answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.audit.models import Event


@pytest.fixture
def people(make_person):
    roles = ("secretary", "chair", "member", "owner", "stranger")
    return {role: make_person(name=role.title()) for role in roles}


@pytest.fixture
def tokens(people, make_token):
    return {role: make_token(person) for role, person in people.items()}


@pytest.fixture
def make_board_with_people(make_board, people):
    def make(**kwargs):
        members = [(people[r], r) for r in ("secretary", "chair", "member")]
        return make_board(members=members, **kwargs)

    return make


@pytest.fixture
def board(make_board_with_people):
    return make_board_with_people()


@pytest.fixture
def action_in(make_action, board, people):
    def make(status, on=None):
        return make_action(on or board, status=status, owner=people["owner"])

    return make


def fire(call, token, action, body, **kwargs):
    return call("POST", f"/api/v1/actions/{action.id}/transitions", token, json=body, **kwargs)


def status_of(session, action):
    session.expire_all()
    return session.get(Action, action.id).status


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", ["start", "block", "complete"]),
        ("secretary", ["start", "block", "complete", "cancel"]),
        ("chair", []),
        ("member", []),
    ],
)
def test_each_role_sees_the_steps_it_may_take(call, tokens, action_in, role, expected):
    action = action_in("open")
    response = call("GET", f"/api/v1/actions/{action.id}/transitions", tokens[role])
    assert response.status_code == 200
    assert [t["name"] for t in response.json["items"]] == expected


def test_a_step_says_where_it_leads_and_what_it_needs(call, tokens, action_in):
    action = action_in("in_progress")
    items = call("GET", f"/api/v1/actions/{action.id}/transitions", tokens["owner"]).json["items"]
    by_name = {t["name"]: t for t in items}
    assert by_name["complete"] == {
        "name": "complete",
        "label": "Mark as complete",
        "target": "completed",
        "target_label": "Completed",
        "requires": ["evidence"],
        "description": "",
    }
    assert by_name["block"]["requires"] == ["comment"]


def test_the_owner_starts_work(call, tokens, action_in, session, people):
    action = action_in("open")
    response = fire(call, tokens["owner"], action, {"transition": "start"})
    assert response.status_code == 200
    assert response.json["status"] == "in_progress"
    assert response.json["status_label"] == "In progress"
    assert response.headers["ETag"] == f'"{response.json["version"]}"'
    event = session.scalars(
        select(Event).where(Event.action_id == action.id, Event.verb == "transition:start")
    ).one()
    assert (event.actor_id, event.channel) == (people["owner"].id, "api")


def test_completing_with_evidence_sets_progress_and_rag(call, tokens, action_in, session):
    action = action_in("in_progress")
    body = {"transition": "complete", "evidence": "Audit report, March 2027"}
    response = fire(call, tokens["owner"], action, body)
    assert response.status_code == 200
    assert response.json["status"] == "completed"
    assert response.json["progress"] == 100
    assert response.json["rag"] == "blue"
    event = session.scalars(
        select(Event).where(Event.action_id == action.id, Event.verb == "transition:complete")
    ).one()
    assert "Audit report, March 2027" in event.comment


def test_blocking_keeps_the_reason(call, tokens, action_in):
    action = action_in("in_progress")
    body = {"transition": "block", "comment": "No data sharing agreement yet"}
    response = fire(call, tokens["secretary"], action, body)
    assert response.json["status"] == "blocked"
    assert response.json["status_reason"] == "No data sharing agreement yet"
    assert response.json["rag"] == "red"


@pytest.mark.parametrize(
    ("role", "status", "transition", "words"),
    [
        ("member", "open", "start", "Only the owner or secretary can start work."),
        ("owner", "open", "cancel", "Only the secretary can cancel action."),
        ("owner", "completed", "close", "Only the secretary or chair can sign off and close."),
        ("chair", "in_progress", "block", "Only the owner or secretary can mark as blocked."),
    ],
)
def test_a_step_your_role_may_not_take_is_403(
    call, tokens, action_in, session, role, status, transition, words
):
    action = action_in(status)
    body = {"transition": transition, "comment": "Because", "evidence": "Report"}
    response = fire(call, tokens[role], action, body)
    assert response.status_code == 403
    assert response.json["error"] == {"code": "forbidden", "message": words}
    assert status_of(session, action) == status


@pytest.mark.parametrize(
    ("status", "transition"),
    [("open", "close"), ("draft", "start"), ("closed", "block"), ("blocked", "complete")],
)
def test_a_step_the_state_does_not_allow_is_409(
    call, tokens, action_in, session, status, transition
):
    action = action_in(status)
    body = {"transition": transition, "comment": "Because", "evidence": "Report"}
    response = fire(call, tokens["secretary"], action, body)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "invalid_transition"
    assert error["message"].startswith("Cannot ")
    assert status_of(session, action) == status


@pytest.mark.parametrize(
    ("status", "body", "field"),
    [
        ("in_progress", {"transition": "block"}, "comment"),
        ("in_progress", {"transition": "block", "comment": "   "}, "comment"),
        ("open", {"transition": "cancel", "evidence": "not a reason"}, "comment"),
        ("in_progress", {"transition": "complete"}, "evidence"),
    ],
)
def test_a_missing_reason_or_evidence_is_422_naming_the_field(
    call, tokens, action_in, session, status, body, field
):
    action = action_in(status)
    response = fire(call, tokens["secretary"], action, body)
    assert response.status_code == 422
    error = response.json["error"]
    assert list(error["fields"]) == [field]
    assert error["fields"][field].startswith("Give ")  # the key names the field
    assert status_of(session, action) == status


def test_an_unknown_step_is_409_naming_it(call, tokens, action_in, session):
    action = action_in("open")
    response = fire(call, tokens["secretary"], action, {"transition": "finish"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_transition"
    assert "no 'finish' step" in response.json["error"]["message"]
    assert status_of(session, action) == "open"


def test_the_step_must_be_named(call, tokens, action_in):
    response = fire(call, tokens["secretary"], action_in("open"), {"comment": "Go"})
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["transition"]


def test_if_match_is_honoured_when_sent(call, tokens, action_in, session):
    action = action_in("open")
    old = f'"{action.version}"'
    started = fire(
        call, tokens["owner"], action, {"transition": "start"}, headers={"If-Match": old}
    )
    assert started.status_code == 200
    stale = fire(
        call, tokens["owner"], action, {"transition": "block", "comment": "Stuck"},
        headers={"If-Match": old},
    )  # fmt: skip
    assert stale.status_code == 412
    assert stale.json["error"]["current_version"] == started.json["version"]
    assert status_of(session, action) == "in_progress"


def test_a_stranger_gets_404(call, tokens, action_in):
    action = action_in("open")
    assert fire(call, tokens["stranger"], action, {"transition": "start"}).status_code == 404
    url = f"/api/v1/actions/{action.id}/transitions"
    assert call("GET", url, tokens["stranger"]).status_code == 404


def test_on_an_assured_board_only_the_chair_signs_off(
    call, tokens, make_board_with_people, action_in, session
):
    action = action_in("completed", on=make_board_with_people(workflow="assured"))
    refused = fire(call, tokens["secretary"], action, {"transition": "close"})
    assert refused.status_code == 403
    assert refused.json["error"]["message"] == "Only the chair can sign off and close."
    closed = fire(call, tokens["chair"], action, {"transition": "close"})
    assert closed.status_code == 200
    assert closed.json["status"] == "closed"
