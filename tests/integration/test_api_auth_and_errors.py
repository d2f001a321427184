"""API: bearer tokens, and the JSON shape of every error, including routing errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.people.services import revoke_api_tokens


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sam Secretary")


@pytest.fixture
def board(make_board, secretary):
    return make_board(members=[(secretary, "secretary")])


@pytest.fixture
def token(make_token, secretary):
    return make_token(secretary)


@pytest.fixture
def action(make_action, board):
    return make_action(board, status="open")


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def test_a_request_without_a_token_is_refused_with_a_bearer_challenge(call, board):
    response = call("GET", "/api/v1/boards")
    error = assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Assure"'
    assert "Authorization: Bearer" in error["message"]


@pytest.mark.parametrize(
    "header", ["Bearer not-a-real-token", "Bearer ", "Basic c2FtOnNlY3JldA==", "assure_abc"]
)
def test_a_wrong_or_malformed_authorization_header_is_401(call, token, header):
    response = call("GET", "/api/v1/boards", headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_named_invalid_in_the_challenge(call, token):
    response = call("GET", "/api/v1/boards", "assure_" + "x" * 43)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_good_token_reads_as_its_person(call, token, board):
    response = call("GET", "/api/v1/boards", token)
    assert response.status_code == 200
    assert [b["ref"] for b in response.json["items"]] == [board.ref]
    assert response.json["items"][0]["roles"] == ["secretary"]


def test_a_revoked_token_no_longer_works(call, token, secretary, session):
    assert call("GET", "/api/v1/boards", token).status_code == 200
    revoke_api_tokens(None, secretary)
    assert_error(call("GET", "/api/v1/boards", token), 401, "unauthorized")


def test_a_deactivated_persons_token_no_longer_works(call, token, secretary):
    secretary.is_active = False
    assert_error(call("GET", "/api/v1/boards", token), 401, "unauthorized")


def test_an_unknown_api_url_is_a_json_404(call, token):
    error = assert_error(call("GET", "/api/v1/no-such-thing", token), 404, "not_found")
    assert "openapi.json" in error["message"]


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(call, token, action):
    response = call("DELETE", f"/api/v1/actions/{action.id}", token)
    error = assert_error(response, 405, "method_not_allowed")
    assert "GET, PATCH" in error["message"]
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET", "PATCH"}


def test_html_pages_keep_their_own_errors(call):
    response = call("GET", "/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_body_that_is_not_json_is_a_400(call, token, action):
    response = call(
        "POST",
        f"/api/v1/actions/{action.id}/transitions",
        token,
        data="{not json",
        content_type="application/json",
    )
    error = assert_error(response, 400, "bad_request")
    assert "not valid JSON" in error["message"]


@pytest.mark.parametrize(("body", "named"), [([1, 2], "an array"), ("start", "a string")])
def test_a_body_that_is_not_a_json_object_is_a_400(call, token, action, body, named):
    response = call("POST", f"/api/v1/actions/{action.id}/transitions", token, json=body)
    error = assert_error(response, 400, "bad_request")
    assert named in error["message"]


def test_an_unknown_body_field_is_a_422_naming_it(call, token, action):
    response = call(
        "POST",
        f"/api/v1/actions/{action.id}/transitions",
        token,
        json={"transition": "start", "colour": "red"},
    )
    error = assert_error(response, 422, "invalid")
    assert list(error["fields"]) == ["colour"]
    assert "Unknown field" in error["fields"]["colour"]


def test_posts_need_no_csrf_token_because_tokens_authenticate(app, call, token, action):
    assert app.config["WTF_CSRF_ENABLED"] is True
    response = call(
        "POST", f"/api/v1/actions/{action.id}/transitions", token, json={"transition": "start"}
    )
    assert response.status_code == 200
    assert response.json["status"] == "in_progress"


def test_an_unexpected_failure_is_a_json_500_and_nothing_is_saved(
    app, call, token, action, session, monkeypatch
):
    from tracker.actions import services

    real_fire = services.fire_transition

    def fire_then_fail(*args, **kwargs):
        real_fire(*args, **kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "fire_transition", fire_then_fail)
    # As in production: the error is answered, not raised into the test.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = call(
        "POST", f"/api/v1/actions/{action.id}/transitions", token, json={"transition": "start"}
    )
    assert_error(response, 500, "server_error")
    session.expire_all()
    assert session.get(Action, action.id).status == "open"
    verbs = session.scalars(select(Event.verb).where(Event.action_id == action.id)).all()
    assert verbs == ["created", "transition:open"]
