"""API: owners' progress reports, and the secretary accepting or rejecting them."""

from __future__ import annotations

import pytest

from tracker.actions.models import Action, Update


@pytest.fixture
def people(make_person):
    roles = ("secretary", "member", "owner", "stranger")
    return {role: make_person(name=role.title()) for role in roles}


@pytest.fixture
def tokens(people, make_token):
    return {role: make_token(person) for role, person in people.items()}


@pytest.fixture
def make_plan_board(make_board, people):
    def make(**kwargs):
        members = [(people["secretary"], "secretary"), (people["member"], "member")]
        return make_board(members=members, **kwargs)

    return make


@pytest.fixture
def action(make_action, make_plan_board, people):
    return make_action(make_plan_board(), status="in_progress", owner=people["owner"])


def submit(call, token, action, body):
    return call("POST", f"/api/v1/actions/{action.id}/updates", token, json=body)


def fresh(session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def test_the_owner_reports_progress_which_waits_for_acceptance(
    call, tokens, action, people, session
):
    response = submit(
        call, tokens["owner"], action, {"narrative": "Half the units audited", "progress": 50,
                                        "rag": "amber"},
    )  # fmt: skip
    assert response.status_code == 201, response.json
    body = response.json
    assert response.headers["Location"] == f"http://localhost/api/v1/updates/{body['id']}"
    assert body["action_id"] == action.id
    assert body["author"]["id"] == people["owner"].id
    assert body["channel"] == "api"
    assert body["narrative"] == "Half the units audited"
    assert (body["progress"], body["rag"], body["state"]) == (50, "amber", "submitted")
    assert body["decided_by"] is None
    assert fresh(session, action).progress == 0

    single = call("GET", f"/api/v1/updates/{body['id']}", tokens["member"])
    assert single.json == body
    listed = call("GET", f"/api/v1/actions/{action.id}/updates", tokens["member"])
    assert listed.json["items"] == [body]


def test_the_secretary_accepts_and_the_action_takes_the_progress(
    call, tokens, action, people, session
):
    update = submit(call, tokens["owner"], action, {"narrative": "Going well", "progress": 60,
                                                    "rag": "green"}).json  # fmt: skip
    response = call(
        "POST", f"/api/v1/updates/{update['id']}/accept", tokens["secretary"],
        json={"comment": "Thanks"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json["state"] == "accepted"
    assert response.json["decided_by"]["id"] == people["secretary"].id
    assert response.json["decision_reason"] == "Thanks"
    assert response.json["decided_at"] is not None
    stored = fresh(session, action)
    assert (stored.progress, stored.owner_rag) == (60, "green")


def test_accepting_an_update_that_asks_to_complete_completes_the_action(
    call, tokens, action, session
):
    update = submit(
        call, tokens["owner"], action,
        {"narrative": "All done", "transition": "complete", "evidence": "Audit report"},
    ).json  # fmt: skip
    assert fresh(session, action).status == "in_progress"
    response = call("POST", f"/api/v1/updates/{update['id']}/accept", tokens["secretary"])
    assert response.status_code == 200
    assert fresh(session, action).status == "completed"


def test_an_update_is_decided_once(call, tokens, action):
    update = submit(call, tokens["owner"], action, {"narrative": "Going well"}).json
    url = f"/api/v1/updates/{update['id']}"
    assert call("POST", f"{url}/accept", tokens["secretary"], json={}).status_code == 200
    again = call("POST", f"{url}/reject", tokens["secretary"], json={"reason": "Changed my mind"})
    assert again.status_code == 409
    assert again.json["error"]["message"] == (
        "This update was already accepted; nothing was changed."
    )


def test_the_secretary_rejects_with_a_reason_and_the_action_stays(call, tokens, action, session):
    update = submit(call, tokens["owner"], action, {"narrative": "Done", "progress": 100}).json
    response = call(
        "POST", f"/api/v1/updates/{update['id']}/reject", tokens["secretary"],
        json={"reason": "No evidence of the audit yet"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json["state"] == "rejected"
    assert response.json["decision_reason"] == "No evidence of the audit yet"
    assert fresh(session, action).progress == 0


@pytest.mark.parametrize("body", [{}, {"reason": "  "}])
def test_rejecting_needs_a_reason(call, tokens, action, session, body):
    update = submit(call, tokens["owner"], action, {"narrative": "Done"}).json
    response = call(
        "POST", f"/api/v1/updates/{update['id']}/reject", tokens["secretary"], json=body
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "reason": "Say why the update is rejected; the owner will see it."
    }
    assert session.get(Update, update["id"]).state == "submitted"


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_only_the_secretary_decides(call, tokens, action, session, decision):
    update = submit(call, tokens["owner"], action, {"narrative": "Done"}).json
    for role in ("owner", "member"):
        response = call(
            "POST", f"/api/v1/updates/{update['id']}/{decision}", tokens[role],
            json={"reason": "Because"} if decision == "reject" else {},
        )  # fmt: skip
        assert response.status_code == 403, role
    assert session.get(Update, update["id"]).state == "submitted"


def test_a_member_may_not_report_progress(call, tokens, action):
    response = submit(call, tokens["member"], action, {"narrative": "Not mine"})
    assert response.status_code == 403
    assert "owner" in response.json["error"]["message"]


def test_strangers_see_no_updates(call, tokens, action):
    update = submit(call, tokens["owner"], action, {"narrative": "Done"}).json
    for method, url in [
        ("POST", f"/api/v1/actions/{action.id}/updates"),
        ("GET", f"/api/v1/actions/{action.id}/updates"),
        ("GET", f"/api/v1/updates/{update['id']}"),
        ("POST", f"/api/v1/updates/{update['id']}/accept"),
        ("POST", f"/api/v1/updates/{update['id']}/reject"),
    ]:
        response = call(method, url, tokens["stranger"], json={"narrative": "x", "reason": "x"})
        assert response.status_code == 404, url
        assert response.json["error"]["code"] == "not_found"


def test_where_the_board_does_not_ask_to_accept_the_update_applies_at_once(
    call, tokens, make_action, make_plan_board, people, session
):
    action = make_action(
        make_plan_board(updates_need_acceptance=False), status="in_progress", owner=people["owner"]
    )
    response = submit(call, tokens["owner"], action, {"narrative": "Nearly", "progress": 80})
    assert response.json["state"] == "accepted"
    assert fresh(session, action).progress == 80


def test_a_proposed_due_date_needs_a_reason_and_waits_for_the_secretary(
    call, tokens, action, session
):
    missing = submit(call, tokens["owner"], action, {"narrative": "Late",
                                                     "proposed_due_on": "2028-01-31"})  # fmt: skip
    assert missing.status_code == 422
    assert list(missing.json["error"]["fields"]) == ["comment"]
    update = submit(
        call, tokens["owner"], action,
        {"narrative": "Late", "proposed_due_on": "2028-01-31", "comment": "Staff shortages"},
    ).json  # fmt: skip
    assert update["proposed_due_on"] == "2028-01-31"
    accepted = call("POST", f"/api/v1/updates/{update['id']}/accept", tokens["secretary"])
    assert accepted.status_code == 200
    stored = fresh(session, action)
    assert stored.due_on.isoformat() == "2028-01-31"
    assert stored.original_due_on != stored.due_on


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "narrative"),
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "x", "progress": 150}, "progress"),
        ({"narrative": "x", "progress": "50"}, "progress"),
        ({"narrative": "x", "rag": "blue"}, "rag"),
        ({"narrative": "x", "proposed_due_on": "next week", "comment": "x"}, "proposed_due_on"),
        ({"narrative": "x", "transition": "finish"}, "transition"),
        ({"narrative": "x", "transition": "block"}, "comment"),
        ({"narrative": "x", "author_id": 1}, "author_id"),
    ],
)
def test_invalid_updates_are_422_naming_the_field(call, tokens, action, session, body, field):
    response = submit(call, tokens["owner"], action, body)
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["fields"]) == [field]
    assert session.query(Update).filter_by(action_id=action.id).count() == 0


@pytest.mark.parametrize(("transition", "status"), [("cancel", 403), ("unblock", 409)])
def test_an_update_may_only_ask_for_a_step_the_owner_could_take(
    call, tokens, action, transition, status
):
    body = {"narrative": "x", "transition": transition, "comment": "Because"}
    assert submit(call, tokens["owner"], action, body).status_code == status


def test_accepting_a_step_the_action_has_moved_past_is_409_and_changes_nothing(
    call, tokens, action, session
):
    update = submit(
        call, tokens["owner"], action,
        {"narrative": "Done", "progress": 90, "transition": "complete", "evidence": "Report"},
    ).json  # fmt: skip
    blocked = call(
        "POST", f"/api/v1/actions/{action.id}/transitions", tokens["secretary"],
        json={"transition": "block", "comment": "Funding withdrawn"},
    )  # fmt: skip
    assert blocked.status_code == 200
    response = call("POST", f"/api/v1/updates/{update['id']}/accept", tokens["secretary"])
    assert response.status_code == 409
    stored = fresh(session, action)
    assert (stored.status, stored.progress) == ("blocked", 0)
    assert session.get(Update, update["id"]).state == "submitted"
    assert isinstance(stored, Action)
