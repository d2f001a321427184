"""The owner's update posted from the link page: recorded through the "email link" channel as
the owner's, waiting for the secretary or applied at once, with the workflow's rules."""

from __future__ import annotations

import pytest
import test_links_support as support
from sqlalchemy import select
from test_board_pages_support import checked, error_summary, events, value_of
from test_links_support import snapshot
from test_web_pages import parse

from tests.conftest import csrf_token_from
from tracker.actions.models import Update
from tracker.actions.services import fire_transition

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
no_throttling = support.no_throttling
world = support.world


@pytest.fixture
def send(client):
    """Open the link page (for its CSRF token) and post the form as the owner would."""

    def post(path: str, **data):
        token = csrf_token_from(client.get(path).get_data(as_text=True))
        fields = {"transition": "none", "proposed_due_on": ["", "", ""], **data}
        return client.post(path, data={"csrf_token": token, **fields})

    return post


def updates(session) -> list[Update]:
    session.expire_all()
    return list(session.scalars(select(Update).order_by(Update.id)))


def test_the_owner_sends_an_update_that_waits_for_the_secretary(client, world, send, session):
    link = world.link()
    response = send(link, narrative="Audited 40 booking records.", progress="40", rag="amber")

    [update] = updates(session)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{link}/sent?update={update.id}"
    assert (update.channel, update.author_id, update.state) == (
        "email_link",
        world.owner.id,
        "submitted",
    )
    assert (update.narrative, update.progress, update.rag) == (
        "Audited 40 booking records.",
        40,
        "amber",
    )
    [event] = events(session, "update_submitted")
    assert (event.actor_id, event.channel) == (world.owner.id, "email_link")
    session.refresh(world.action)
    assert world.action.progress == 0  # nothing applies until the secretary accepts

    page = parse(client.get(response.headers["Location"]))
    assert page.headings()[0] == (1, "Update sent")
    assert "Your update has been sent to the board secretary" in page.main_text
    assert "You can use the same link to send another update until 11 April 2027" in page.main_text


def test_the_link_keeps_working_for_later_updates(client, world, send, session):
    link = world.link()
    send(link, narrative="First.")
    second = send(link, narrative="Second.", progress="50")

    assert second.status_code == 302
    assert [u.narrative for u in updates(session)] == ["First.", "Second."]
    assert client.get(link).status_code == 200


def test_on_a_board_that_does_not_ask_to_accept_updates_they_apply_at_once(
    client, world, send, session
):
    world.action.board.updates_need_acceptance = False
    session.commit()
    response = send(world.link(), narrative="Half done.", progress="50", rag="green")

    [update] = updates(session)
    assert update.state == "accepted"
    assert update.channel == "email_link"
    session.refresh(world.action)
    assert (world.action.progress, world.action.owner_rag) == (50, "green")
    page = parse(client.get(response.headers["Location"]))
    assert page.headings()[0] == (1, "Update applied")
    assert f"Your update has been applied to {world.action.ref}" in page.main_text


def test_a_new_due_date_always_waits_for_the_secretary(client, world, send, session):
    world.action.board.updates_need_acceptance = False
    session.commit()
    due = world.action.due_on
    response = send(
        world.link(),
        narrative="The audit team is short-staffed.",
        proposed_due_on=["30", "6", "2027"],
        reason="Two auditors are on leave in May.",
    )

    [update] = updates(session)
    assert update.state == "submitted"
    assert str(update.proposed_due_on) == "2027-06-30"
    assert update.comment == "Two auditors are on leave in May."
    session.refresh(world.action)
    assert world.action.due_on == due
    text = parse(client.get(response.headers["Location"])).main_text
    assert "The new due date you asked for, 30 June 2027" in text
    assert "changes only when the secretary accepts it" in text


def test_complete_with_evidence(world, send, session):
    send(world.link(), narrative="All done.", transition="complete", evidence="Audit report, May.")

    [update] = updates(session)
    assert (update.transition, update.evidence) == ("complete", "Audit report, May.")


def test_blocked_with_a_reason_applies_at_once_without_acceptance(world, send, session):
    world.action.board.updates_need_acceptance = False
    session.commit()
    send(world.link(), narrative="Stuck.", transition="block", reason="No access to the records.")

    session.refresh(world.action)
    assert world.action.status == "blocked"
    assert world.action.status_reason == "No access to the records."


def test_what_each_status_change_needs_is_asked_for(client, world, send, session):
    link = world.link()
    response = send(link, narrative="", progress="140", transition="complete")
    page = parse(response)

    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == [
        "Describe what has happened since the last update",
        "Enter progress as a whole number from 0 to 100, like 60",
        "Describe the evidence that the work is done",
    ]
    assert value_of(page, "progress") == "140"  # what was typed is kept
    assert checked(page, "transition") == ["complete"]

    page = parse(send(link, narrative="Stuck.", transition="block"))
    assert error_summary(page) == ["Give the reason to mark as blocked"]

    page = parse(send(link, narrative="Late.", proposed_due_on=["30", "6", "2027"]))
    assert error_summary(page) == ["Say why you need a new due date"]
    assert value_of(page, "proposed_due_on") == "30"
    assert updates(session) == []


def test_typed_text_is_kept_when_something_is_wrong(world, send):
    page = parse(send(world.link(), narrative="Some progress.", progress="lots", rag="red"))
    assert error_summary(page) == ["Enter progress as a whole number from 0 to 100, like 60"]
    assert "Some progress." in [t.text for t in page.root.tags("textarea")]
    assert checked(page, "rag") == ["red"]


def test_a_date_in_the_past_is_refused(world, send, session):
    page = parse(
        send(world.link(), narrative="Late.", proposed_due_on=["1", "1", "2027"], reason="x")
    )
    assert error_summary(page) == ["New due date must be today or in the future"]
    assert updates(session) == []


@pytest.mark.parametrize("transition", ["close", "cancel", "send_back", "open", "reinstate"])
def test_a_step_owners_may_not_take_is_refused(world, send, session, transition):
    response = send(world.link(), narrative="Trying.", transition=transition, reason="Because.")
    page = parse(response)

    assert response.status_code == 200
    assert error_summary(page) == ["Choose one of the status changes listed"]
    assert transition not in [
        i.attrs["value"] for i in page.root.tags("input") if i.attrs.get("name") == "transition"
    ]
    assert updates(session) == []


def test_an_owner_who_is_also_the_secretary_gets_only_the_owners_steps(
    client, world, make_action, send, session
):
    action = make_action(world.action.board, status="in_progress", owner=world.secretary)
    session.commit()
    path = world.link(action)
    values = [
        i.attrs["value"]
        for i in parse(client.get(path)).root.tags("input")
        if i.attrs.get("name") == "transition"
    ]
    assert values == ["none", "block", "complete"]  # not "cancel", which is a secretary's
    page = parse(send(path, narrative="x", transition="cancel", reason="y"))
    assert error_summary(page) == ["Choose one of the status changes listed"]


def test_a_step_no_longer_possible_is_explained(client, world, make_action, session):
    action = make_action(world.action.board, status="open", owner=world.owner)
    session.commit()
    path = world.link(action)
    token = csrf_token_from(client.get(path).get_data(as_text=True))  # offers "start"
    fire_transition(None, action, "start")  # the secretary starts it meanwhile
    session.commit()

    response = client.post(
        path,
        data={"csrf_token": token, "narrative": "Starting.", "transition": "start"},
    )

    assert response.status_code == 200
    assert error_summary(parse(response)) == [
        "The action is now in progress, so you cannot start work: choose again"
    ]
    assert updates(session) == []


def test_posting_without_a_csrf_token_is_refused(client, world, session):
    before = snapshot(world.action)
    response = client.post(world.link(), data={"narrative": "Forged.", "transition": "none"})

    assert response.status_code == 400
    session.expire_all()
    assert snapshot(world.action) == before


def test_posting_to_a_link_that_no_longer_works_records_nothing(client, world, send, session):
    from tracker.notify import triggers

    link = world.link()
    token = csrf_token_from(client.get(link).get_data(as_text=True))
    triggers.revoke_links(world.action)
    session.commit()

    response = client.post(link, data={"csrf_token": token, "narrative": "Late update."})

    assert response.status_code == 410
    assert updates(session) == []


def test_the_sent_page_shows_only_the_links_own_updates(client, world, send, session, make_action):
    other = make_action(world.action.board, owner=world.owner)
    session.commit()
    response = send(world.link(other), narrative="On the other action.")
    update_id = response.headers["Location"].rsplit("=", 1)[1]

    answer = client.get(f"{world.link()}/sent?update={update_id}")

    assert answer.status_code == 302
    assert answer.headers["Location"] == world.link()
