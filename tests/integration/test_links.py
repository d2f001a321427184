"""The owner's update page from an emailed link: what it shows, that opening it changes nothing,
and when a link stops working (tampered, expired, revoked), with key rotation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import test_links_support as support
import time_machine
from test_board_pages_support import forget_request_state, value_of
from test_links_support import PRIVATE_HEADERS, snapshot, tampered
from test_web_pages import parse

from tracker.actions.services import assign_owner, fire_transition
from tracker.common.time import LONDON
from tracker.notify import triggers
from tracker.people.services import set_active

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
no_throttling = support.no_throttling
world = support.world
NOW = datetime(2027, 3, 14, 12, 0, tzinfo=LONDON)  # test_board_pages_support.frozen_time


def radio_values(page, name: str) -> list[str]:
    return [i.attrs["value"] for i in page.root.tags("input") if i.attrs.get("name") == name]


def test_the_page_shows_the_action_and_the_owners_form(client, world):
    response = client.get(world.link())
    page = parse(response)

    assert response.status_code == 200
    assert page.headings()[0] == (1, f"{world.action.ref}: Audit CO screening at booking")
    text = page.main_text
    assert "Olu Owner, you own this action" in text
    assert "Board Tameside Safeguarding Children Partnership" in text
    assert "R7: Midwives screen every pregnant woman for carbon monoxide." in text
    assert "Due date 13 May 2027" in text  # 60 days after the frozen 14 March
    assert "Status In progress" in text
    assert "Last accepted update None yet" in text
    # The status changes the standard workflow lets an owner make from "in progress".
    assert radio_values(page, "transition") == ["none", "block", "complete"]
    assert radio_values(page, "rag") == ["green", "amber", "red"]
    labels = {label.text for label in page.root.tags("label")}
    assert {"On track", "At risk", "Off track", "Mark as blocked", "Mark as complete"} <= labels
    assert {"No, leave it as in progress"} <= labels
    assert value_of(page, "progress") == "0"
    robots = [m.attrs for m in page.root.tags("meta") if m.attrs.get("name") == "robots"]
    assert robots == [{"name": "robots", "content": "noindex, nofollow"}]


def test_the_page_shows_the_latest_accepted_update(client, world, session):
    from tracker.actions.updates import accept_update, submit_update

    for narrative, progress in (("First audit done.", 30), ("Second audit done.", 60)):
        update = submit_update(
            world.owner, world.action, narrative=narrative, progress=progress, channel="web"
        )
        accept_update(world.secretary, update)
    submit_update(world.owner, world.action, narrative="Not yet accepted.", channel="web")
    session.commit()

    text = parse(client.get(world.link())).main_text

    assert "Last accepted update Second audit done. From Olu Owner" in text
    assert "60% done" in text
    assert "First audit done." not in text
    assert "An update sent 14 March 2027 at midday is waiting for the board secretary" in text


def test_opening_the_link_changes_nothing(client, world, session):
    session.expire_all()
    before = snapshot(world.action)

    for _ in range(3):  # a mail scanner, a preview, then the person
        assert client.get(world.link()).status_code == 200
    session.expire_all()

    assert snapshot(world.action) == before


def test_opening_a_link_that_no_longer_works_changes_nothing(client, world, session):
    link = world.link()
    triggers.revoke_links(world.action)
    session.commit()
    session.expire_all()
    before = snapshot(world.action)

    assert client.get(link).status_code == 410
    assert client.get(tampered(link)).status_code == 404
    session.expire_all()

    assert snapshot(world.action) == before


@pytest.mark.parametrize("page", ["", "/sent?update=1", "/../../u/x", "-bad"])
def test_link_pages_are_private(client, world, page):
    response = client.get(world.link() + page)
    for name, value in PRIVATE_HEADERS.items():
        assert response.headers[name] == value


def test_private_headers_on_every_kind_of_answer(client, world, session):
    link = world.link()
    answers = [client.get(link), client.get(tampered(link))]
    triggers.revoke_links(world.action)
    session.commit()
    answers += [client.get(link), client.post(link + "/new-link")]  # 410, and 400 (no CSRF)
    answers.append(client.get("/link-requested"))

    assert [a.status_code for a in answers] == [200, 404, 410, 400, 200]
    for answer in answers:
        assert {name: answer.headers.get(name) for name in PRIVATE_HEADERS} == PRIVATE_HEADERS


def test_a_tampered_link_gets_a_plain_404_page(client, world):
    response = client.get(tampered(world.link()))
    page = parse(response)

    assert response.status_code == 404
    assert page.headings()[0] == (1, "This link is not complete")
    assert "Check that you copied the whole address from the email" in page.main_text
    # A tampered token names no action: there is no one to send a new link to.
    assert "Send a new link" not in page.main_text
    assert not [f for f in page.root.tags("form") if "new-link" in f.attrs.get("action", "")]


def test_a_made_up_token_is_a_404_too(client, world):
    assert client.get("/u/not-a-token").status_code == 404
    assert client.get("/u/" + "x" * 500).status_code == 404


def test_a_link_expires_after_28_days(client, world):
    link = world.link()
    with time_machine.travel(NOW + timedelta(days=27), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        response = client.get(link)
    page = parse(response)

    assert response.status_code == 410
    assert page.headings()[0] == (1, "This link has expired")
    assert "Links in Assure’s emails work for 28 days" in page.main_text
    assert "Send a new link to the current owner" in page.main_text


def test_the_maximum_age_is_a_setting(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "UPDATE_LINK_MAX_AGE_DAYS", 7)
    link = world.link()
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        page = parse(client.get(link))
    assert "work for 7 days" in page.main_text


def test_a_link_works_until_its_date(client, world):
    text = parse(client.get(world.link())).main_text
    assert "This link works until 11 April 2027" in text


def test_reassigning_the_action_revokes_the_link(client, world, make_person, session):
    link = world.link()
    assign_owner(None, world.action, make_person(name="New Owner"), channel="cli")
    session.commit()

    response = client.get(link)
    page = parse(response)

    assert response.status_code == 410
    assert page.headings()[0] == (1, "This action has a new owner")
    assert "Send a new link to the current owner" in page.main_text
    assert "New Owner" not in page.main_text  # the old owner is not told who has it now


@pytest.mark.parametrize(
    ("steps", "heading"),
    [
        (["complete", "close"], "This action is finished"),
        (["cancel"], "This action is finished"),
    ],
)
def test_closing_or_cancelling_revokes_the_link(client, world, session, steps, heading):
    link = world.link()
    for step in steps:
        fire_transition(
            None, world.action, step, {"evidence": "Audit.", "comment": "No longer needed."}
        )
    session.commit()

    response = client.get(link)
    page = parse(response)

    assert response.status_code == 410
    assert page.headings()[0] == (1, heading)
    # Nothing more to report on a finished action: no new link is offered.
    assert "Send a new link" not in page.main_text


def test_a_completed_action_still_takes_updates(client, world, session):
    link = world.link()
    fire_transition(None, world.action, "complete", {"evidence": "Audit."})
    session.commit()
    page = parse(client.get(link))
    assert radio_values(page, "transition") == ["none"]  # owners cannot sign off


def test_a_newer_link_replaces_the_old_one(client, world, session):
    old = world.link()
    triggers.revoke_links(world.action)
    session.commit()
    new = world.link()

    response = client.get(old)
    assert response.status_code == 410
    assert parse(response).headings()[0] == (1, "This link has been replaced")
    assert client.get(new).status_code == 200


def test_a_deactivated_owners_link_stops_working(client, world, session):
    link = world.link()
    set_active(None, world.owner, False, channel="cli")
    session.commit()

    response = client.get(link)
    assert response.status_code == 410
    assert parse(response).headings()[0] == (1, "This link no longer works")


def test_a_link_signed_with_the_previous_key_works_after_rotation(app, client, world, monkeypatch):
    link = world.link()  # signed with the suite's SECRET_KEY
    old_key = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", "a brand new secret key, rotated in 2027")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    forget_request_state()

    assert client.get(link).status_code == 200
    assert client.get(world.link()).status_code == 200  # and new links use the new key

    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    forget_request_state()
    assert client.get(link).status_code == 404  # once the old key is dropped, it is unknown


def test_an_update_link_for_another_purpose_is_refused(client, world):
    from tracker.links.tokens import password_link_token

    token = password_link_token(world.owner, "password_reset")
    assert client.get("/u/" + token).status_code == 404
