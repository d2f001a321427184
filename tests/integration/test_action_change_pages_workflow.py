"""The pages that move an action through its workflow: a secretary's steps with the fields
each needs, and a chair's sign-off."""

# The fixtures come from the helpers module; tests naming them as arguments is what pytest
# expects, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from
from tests.integration.test_action_change_pages_helpers import (  # noqa: F401  (fixtures)
    act_as,
    action,
    board,
    error_summary,
    events,
    field_errors,
    flashes,
    fresh,
    frozen_time,
    options,
    owner,
    parse,
    parse_value,
    people,
    token,
    value_of,
)
from tracker.actions import services


def step_url(action, name: str) -> str:
    return f"/actions/{action.id}/transitions/{name}"


# Transitions


def test_a_step_that_needs_a_reason_asks_for_it(client, session, act_as, people, action):
    act_as(people.secretary)
    before = len(events(session, action.id))

    page = parse(client.get(step_url(action, "block")))

    assert page.title == "Mark as blocked: TSCP-01 – Assure"
    assert page.headings()[0] == (1, "Mark as blocked")
    assert "TSCP-01 will move from In progress to Blocked (cannot go on until" in page.main_text
    assert value_of(page, "comment") == ""
    assert value_of(page, "version") == str(action.version)
    assert len(events(session, action.id)) == before  # GET changes nothing
    assert fresh(session, action).status == "in_progress"


def test_fire_a_step_with_its_reason(client, session, act_as, people, action, post_form):
    act_as(people.secretary)

    response = post_form(step_url(action, "block"), {"comment": "No trainer until May."})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{action.id}"
    saved = fresh(session, action)
    assert (saved.status, saved.status_reason) == ("blocked", "No trainer until May.")
    [event] = events(session, action.id, "transition:block")
    assert (event.channel, event.actor_id, event.comment) == (
        "web",
        people.secretary.id,
        "No trainer until May.",
    )
    assert event.changes == {"status": ["in_progress", "blocked"]}
    assert flashes(client) == [("success", "TSCP-01 is now blocked.")]


def test_forgetting_the_reason_changes_nothing(client, session, act_as, people, action, post_form):
    act_as(people.secretary)

    response = post_form(step_url(action, "block"), {"comment": "   "})

    page = parse(response)
    assert response.status_code == 200
    assert page.title == "Error: Mark as blocked: TSCP-01 – Assure"
    assert error_summary(page) == [("Give a reason to mark as blocked.", "#comment")]
    assert field_errors(page) == ["Give a reason to mark as blocked."]
    assert fresh(session, action).status == "in_progress"
    assert events(session, action.id, "transition:block") == []


def test_forgetting_the_evidence_keeps_the_comment(
    client, session, act_as, people, action, post_form
):
    act_as(people.secretary)

    page = parse(
        post_form(step_url(action, "complete"), {"evidence": "", "comment": "All briefed."})
    )

    assert error_summary(page) == [("Give evidence to mark as complete.", "#evidence")]
    assert value_of(page, "comment") == "All briefed."
    assert [n.text for n in page.root.find_all(lambda n: n.attrs.get("id") == "evidence-hint")] == [
        "What shows the work is done: a report, an audit, a link"
    ]
    assert fresh(session, action).status == "in_progress"


def test_a_one_click_button_fires_a_step_that_needs_nothing(
    client, session, act_as, people, action
):
    action_ = fresh(session, action)
    services.fire_transition(None, action_, "block", {"comment": "Waiting."}, channel="cli")
    session.commit()
    act_as(people.secretary)

    # What a button on the action page posts: the token, and nothing else.
    response = client.post(step_url(action, "unblock"), data={"csrf_token": token(client)})

    assert response.status_code == 302
    assert fresh(session, action).status == "in_progress"
    [event] = events(session, action.id, "transition:unblock")
    assert event.channel == "web"


def test_unknown_steps_are_not_found(client, act_as, people, action):
    act_as(people.secretary)
    assert client.get(step_url(action, "explode")).status_code == 404
    response = client.post(step_url(action, "explode"), data={"csrf_token": token(client)})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "name", "message"),
    [
        ("member", "block", "Only the owner or secretary can mark as blocked."),
        ("chair", "cancel", "Only the secretary can cancel action."),
    ],
)
def test_a_role_that_may_not_take_a_step_is_refused(
    client, session, act_as, people, action, who, name, message
):
    act_as(getattr(people, who))

    response = client.get(step_url(action, name))
    assert response.status_code == 403
    assert message in parse(response).main_text
    response = client.post(
        step_url(action, name), data={"csrf_token": token(client), "comment": "Because."}
    )
    assert response.status_code == 403
    assert fresh(session, action).status == "in_progress"


def test_other_boards_secretaries_cannot_see_the_action(client, session, act_as, people, action):
    act_as(people.stranger)
    assert client.get(step_url(action, "block")).status_code == 404
    response = client.post(
        step_url(action, "block"), data={"csrf_token": token(client), "comment": "Mine now."}
    )
    assert response.status_code == 404
    assert fresh(session, action).status == "in_progress"


def test_a_step_from_the_wrong_state_says_why(client, session, act_as, people, action, post_form):
    act_as(people.secretary)
    message = "Cannot sign off and close while the action is in progress; it must be completed."

    response = client.get(step_url(action, "close"))
    assert response.status_code == 409
    assert message in parse(response).main_text

    page = parse(post_form(f"/actions/{action.id}/edit", {}, action=step_url(action, "close")))
    assert error_summary(page) == [(message, None)]
    assert fresh(session, action).status == "in_progress"


def test_a_step_needs_a_csrf_token(client, session, act_as, people, action):
    act_as(people.secretary)
    response = client.post(step_url(action, "block"), data={"comment": "No token."})
    assert response.status_code == 400
    assert fresh(session, action).status == "in_progress"


def test_a_step_from_a_stale_page_shows_what_changed(client, session, act_as, people, action):
    act_as(people.secretary)
    html = client.get(step_url(action, "block")).get_data(as_text=True)
    services.edit_action(None, action, title="Safe sleep talks", channel="cli")
    session.commit()

    response = client.post(
        step_url(action, "block"),
        data={
            "csrf_token": csrf_token_from(html),
            "version": parse_value(html, "version"),
            "seen": parse_value(html, "seen"),
            "comment": "No trainer.",
        },
    )

    page = parse(response)
    assert response.status_code == 409
    assert page.table("What changed").row_lines() == [
        "Title | Safe sleep briefings | Safe sleep talks"
    ]
    assert value_of(page, "comment") == "No trainer."
    assert fresh(session, action).status == "in_progress"


def test_cancelling_is_a_warning_button(client, act_as, people, action):
    act_as(people.secretary)
    page = parse(client.get(step_url(action, "cancel")))
    [button] = page.root.find_all(lambda n: n.tag == "button" and n.attrs.get("name") == "submit")
    assert "govuk-button--warning" in button.attrs["class"]
    assert button.text == "Cancel action"


# A chair's sign-off


@pytest.fixture
def completed(client, session, act_as, people, action, post_form):
    """The action, marked complete by the secretary through the page, with evidence."""
    act_as(people.secretary)
    post_form(
        step_url(action, "complete"),
        {"evidence": "Audit report, March 2027.", "comment": "All 40 visitors briefed."},
    )
    assert fresh(session, action).status == "completed"
    flashes(client)  # seen on the action page
    return action


def test_the_chair_sees_what_they_sign_off(client, session, act_as, people, completed):
    act_as(people.chair)

    page = parse(client.get(step_url(completed, "close")))

    assert page.headings()[0] == (1, "Sign off and close")
    assert "TSCP-01 will move from Completed to Closed (signed off as done)." in page.main_text
    assert "Evidence that it is done" in page.main_text
    assert "by Sam Secretary (web)" in page.main_text
    assert "All 40 visitors briefed. Evidence: Audit report, March 2027." in page.main_text


def test_the_chair_signs_off(client, session, act_as, people, completed, post_form):
    act_as(people.chair)

    response = post_form(step_url(completed, "close"), {})

    assert response.status_code == 302
    assert fresh(session, completed).status == "closed"
    [event] = events(session, completed.id, "transition:close")
    assert (event.actor_id, event.channel) == (people.chair.id, "web")
    assert flashes(client) == [("success", "TSCP-01 is now closed.")]


def test_the_chair_refuses_sign_off_only_with_a_reason(
    client, session, act_as, people, completed, post_form
):
    act_as(people.chair)

    page = parse(post_form(step_url(completed, "send_back"), {"comment": ""}))
    assert error_summary(page) == [("Give a reason to refuse sign-off.", "#comment")]
    assert fresh(session, completed).status == "completed"

    post_form(step_url(completed, "send_back"), {"comment": "GPs were not briefed."})
    saved = fresh(session, completed)
    assert saved.status == "in_progress"
    [event] = events(session, completed.id, "transition:send_back")
    assert (event.actor_id, event.comment) == (people.chair.id, "GPs were not briefed.")


def test_on_an_assured_board_only_the_chair_signs_off(
    client, session, act_as, make_board, make_action, people
):
    assured = make_board(
        ref="assured",
        workflow="assured",
        members=[(people.secretary, "secretary"), (people.chair, "chair")],
    )
    done = make_action(assured, status="completed")
    session.commit()

    act_as(people.secretary)
    response = client.get(step_url(done, "close"))
    assert response.status_code == 403
    assert "Only the chair can sign off and close." in parse(response).main_text
    act_as(people.chair)
    assert client.get(step_url(done, "close")).status_code == 200
