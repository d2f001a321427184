"""API: changing an action with PATCH: ETag and If-Match, all of it or none of it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.audit.models import Event


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


# --- changing --------------------------------------------------------------------------------


def test_patch_round_trip_with_the_etag(call, tokens, action, people, make_person, session):
    new_owner = make_person(name="Nia New", email="nia@example.org")
    read = call("GET", f"/api/v1/actions/{action.id}", tokens["secretary"])
    etag = read.headers["ETag"]
    response = call(
        "PATCH",
        f"/api/v1/actions/{action.id}",
        tokens["secretary"],
        headers={"If-Match": etag},
        json={
            "title": "Audit safe sleep advice in every maternity unit",
            "lead_organisation": "Tameside Hospital",
            "success_measure": "Every unit audited",
            "owner_email": "nia@example.org",
            "due_on": "2027-09-30",
            "due_date_reason": "The audit tool arrives late.",
        },
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["title"] == "Audit safe sleep advice in every maternity unit"
    assert body["lead_organisation"] == "Tameside Hospital"
    assert body["success_measure"] == "Every unit audited"
    assert body["owner"]["id"] == new_owner.id
    assert body["due_on"] == "2027-09-30"
    assert body["original_due_on"] == "2027-03-31"
    assert body["version"] > read.json["version"]
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert response.headers["ETag"] != etag
    # What was returned is what is stored.
    again = call("GET", f"/api/v1/actions/{action.id}", tokens["secretary"])
    assert again.headers["ETag"] == response.headers["ETag"]
    assert again.json == body
    recorded = {e.verb: e for e in events(session, action.id)}
    assert {"edited", "owner_assigned", "due_date_changed"} <= set(recorded)
    assert recorded["due_date_changed"].comment == "The audit tool arrives late."
    assert recorded["owner_assigned"].changes == {"owner": ["olu@example.org", "nia@example.org"]}
    assert all(e.channel == "api" for e in (recorded["edited"], recorded["owner_assigned"]))


def test_a_patch_with_an_old_etag_is_412_and_changes_nothing(call, tokens, action, session):
    etag = call("GET", f"/api/v1/actions/{action.id}", tokens["secretary"]).headers["ETag"]
    first = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": etag}, json={"title": "First change"},
    )  # fmt: skip
    assert first.status_code == 200
    stale = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": etag}, json={"title": "Second change", "description": "Lost?"},
    )  # fmt: skip
    assert stale.status_code == 412
    error = stale.json["error"]
    assert error["code"] == "stale_version"
    assert error["current_version"] == first.json["version"]
    assert "Nothing was saved" in error["message"]
    session.expire_all()
    row = session.get(Action, action.id)
    assert (row.title, row.description, row.version) == ("First change", "", first.json["version"])
    assert len(events(session, action.id, "edited")) == 1


@pytest.mark.parametrize("if_match", [None, "", "*"])
def test_a_patch_without_an_etag_is_428(call, tokens, action, session, if_match):
    headers = {} if if_match is None else {"If-Match": if_match}
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"], headers=headers,
        json={"title": "Changed"},
    )  # fmt: skip
    assert response.status_code == 428
    assert response.json["error"]["code"] == "precondition_required"
    assert f'"{action.version}"' in response.json["error"]["message"]
    session.expire_all()
    assert session.get(Action, action.id).title == "Audit safe sleep advice"


def test_if_match_accepts_weak_and_listed_etags(call, tokens, action):
    version = action.version
    for make_header in (lambda v: f'W/"{v}"', lambda v: f'"{v + 5}", "{v}"'):
        header = make_header(version)
        response = call(
            "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
            headers={"If-Match": header}, json={"description": f"Via {header}"},
        )  # fmt: skip
        assert response.status_code == 200, header
        version = response.json["version"]


def test_an_etag_that_is_not_a_version_is_412(call, tokens, action):
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": '"abc"'}, json={"title": "Changed"},
    )  # fmt: skip
    assert response.status_code == 412
    assert response.json["error"]["current_version"] == action.version


def test_a_patch_is_all_or_nothing(call, tokens, action, make_person, session):
    gone = make_person(name="Gone Person")
    gone.is_active = False
    version = action.version
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": f'"{version}"'},
        json={"title": "Should not stick", "owner_id": gone.id},
    )  # fmt: skip
    # The title was changed and flushed before the owner was refused: all of it is undone.
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "owner_id": "Gone Person has been deactivated; choose someone else."
    }
    session.expire_all()
    row = session.get(Action, action.id)
    assert (row.title, row.version) == ("Audit safe sleep advice", version)
    assert events(session, action.id, "edited") == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"due_on": "2027-12-31"}, "due_date_reason", "Say why"),
        ({"due_on": "2027-12-31", "due_date_reason": "  "}, "due_date_reason", "Say why"),
        ({"due_date_reason": "Because"}, "due_date_reason", "Give due_on"),
        ({"due_on": None, "due_date_reason": "Because"}, "due_on", "keeps a due date"),
        ({"owner_id": None}, "owner_id", "keeps an owner"),
        ({"title": ""}, "title", "short title"),
        ({"ref": "NEW-1"}, "ref", "Unknown field"),
        ({"version": 9}, "version", "Unknown field"),
    ],
)
def test_invalid_changes_are_422(call, tokens, action, body, field, words):
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": f'"{action.version}"'}, json=body,
    )  # fmt: skip
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == [field]
    assert words in response.json["error"]["fields"][field]


def test_the_recommendation_can_be_set_and_cleared(
    call, tokens, action, board, make_recommendation
):
    recommendation = make_recommendation(boards=[board])
    url = f"/api/v1/actions/{action.id}"
    set_ = call("PATCH", url, tokens["secretary"], headers={"If-Match": f'"{action.version}"'},
                json={"recommendation_id": recommendation.id})  # fmt: skip
    assert set_.json["recommendation_id"] == recommendation.id
    cleared = call("PATCH", url, tokens["secretary"], headers={"If-Match": set_.headers["ETag"]},
                   json={"recommendation_id": None})  # fmt: skip
    assert cleared.status_code == 200
    assert cleared.json["recommendation_id"] is None


@pytest.mark.parametrize("role", ["member", "owner"])
def test_only_the_secretary_changes_an_action(call, tokens, action, session, role):
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens[role], json={"title": "Mine now"},
    )  # fmt: skip
    # Refused before If-Match or the body is looked at.
    assert response.status_code == 403
    assert response.json["error"] == {
        "code": "forbidden",
        "message": "Only the board's secretary can change actions.",
    }
    session.expire_all()
    assert session.get(Action, action.id).title == "Audit safe sleep advice"


def test_a_stale_etag_is_answered_before_the_fields_are_checked(call, tokens, action):
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": f'"{action.version + 1}"'}, json={"title": ""},
    )  # fmt: skip
    assert response.status_code == 412


def test_a_malformed_body_is_answered_before_the_etag_is_checked(call, tokens, action):
    response = call(
        "PATCH", f"/api/v1/actions/{action.id}", tokens["secretary"],
        headers={"If-Match": f'"{action.version + 1}"'}, data="{", content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
