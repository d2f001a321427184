"""New links: the owner's "send a new link" from a link that no longer works, the secretary's
"resend link" from the action page, and tokens kept out of logs and throttled."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
import test_links_support as support
import time_machine
from test_board_pages_support import events, forget_request_state
from test_links_support import link_in, outbox, tampered
from test_web_pages import parse

from tests.conftest import csrf_token_from
from tracker import create_app
from tracker.actions.services import assign_owner, fire_transition
from tracker.common.time import LONDON
from tracker.extensions import db, limiter
from tracker.links.privacy import RedactTokens

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
no_throttling = support.no_throttling
world = support.world
NOW = datetime(2027, 3, 14, 12, 0, tzinfo=LONDON)
SAME_ANSWER = "If the action is still open, we have emailed a new link to its owner."


@pytest.fixture
def ask_for_new_link(client):
    """Press "Send a new link to the current owner" on a link's page; the page it leads to."""

    def press(path: str):
        token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
        response = client.post(path + "/new-link", data={"csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"] == "/link-requested"
        return parse(client.get("/link-requested"))

    return press


def test_only_the_current_owner_gets_the_new_link(
    client, world, make_person, ask_for_new_link, session
):
    old_link = world.link()
    new_owner = make_person(name="Nia New", email="nia@trust.example")
    assign_owner(None, world.action, new_owner, channel="cli")
    session.commit()
    version = world.action.link_version
    sent_before = len(outbox(session))

    page = ask_for_new_link(old_link)  # pressed by the previous owner, who holds the old link

    assert SAME_ANSWER in page.main_text
    [message] = outbox(session, "update_link_resent")[-1:]
    assert len(outbox(session)) == sent_before + 1
    assert (message.to_address, message.to_person_id) == ("nia@trust.example", new_owner.id)
    assert message.action_id == world.action.id
    assert message.subject == f"New link to update {world.action.ref} by 13 May"
    session.refresh(world.action)
    assert world.action.link_version == version  # nothing revoked
    # The emailed link works, for the new owner.
    page = parse(client.get(link_in(message)))
    assert "Nia New, you own this action" in page.main_text


def test_an_expired_link_asks_for_a_fresh_one(client, world, ask_for_new_link, session):
    link = world.link()
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        assert client.get(link).status_code == 410
        ask_for_new_link(link)
        [message] = outbox(session, "update_link_resent")
        assert message.to_address == "olu@trust.example"
        assert client.get(link_in(message)).status_code == 200
    assert "Someone asked for a new link" in message.body_text


@pytest.mark.parametrize(
    "how", ["tampered", "made up", "closed", "cancelled", "no owner", "deactivated owner"]
)
def test_the_same_answer_and_no_email_when_there_is_no_one_to_send_to(
    world, ask_for_new_link, session, how
):
    from tracker.people.services import set_active

    link = world.link()
    if how == "tampered":
        link = tampered(link)
    elif how == "made up":
        link = "/u/anything-at-all"
    elif how in ("closed", "cancelled"):
        steps = ["complete", "close"] if how == "closed" else ["cancel"]
        for step in steps:
            fire_transition(None, world.action, step, {"evidence": "x", "comment": "y"})
    elif how == "no owner":
        world.action.owner = None
    else:
        set_active(None, world.owner, False, channel="cli")
    session.commit()

    page = ask_for_new_link(link)

    assert SAME_ANSWER in page.main_text
    assert outbox(session, "update_link_resent") == []


def test_pressing_again_and_again_sends_one_email(world, ask_for_new_link, session):
    link = world.link()
    for _ in range(4):
        assert SAME_ANSWER in ask_for_new_link(link).main_text
    assert len(outbox(session, "update_link_resent")) == 1

    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        ask_for_new_link(link)
    assert len(outbox(session, "update_link_resent")) == 2


def test_asking_needs_a_csrf_token(client, world, session):
    assert client.post(world.link() + "/new-link").status_code == 400
    assert outbox(session, "update_link_resent") == []


def test_asking_is_only_a_post(client, world):
    assert client.get(world.link() + "/new-link").status_code == 405


# The secretary's "resend link"


def action_page(client, world):
    return parse(client.get(f"/actions/{world.action.id}"))


def resend_buttons(page) -> list[str]:
    return [b.text for b in page.root.tags("button") if "data-resend-link" in b.attrs]


def test_the_secretary_resends_the_link(client, world, sign_in, post_form, session):
    old_link = world.link()
    sign_in(world.secretary)
    version = world.action.link_version
    page = action_page(client, world)
    assert resend_buttons(page) == [f"Email a new update link for {world.action.ref} to Olu Owner"]

    response = post_form(
        f"/actions/{world.action.id}", {}, action=f"/actions/{world.action.id}/resend-link"
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{world.action.id}"
    session.refresh(world.action)
    assert world.action.link_version == version + 1
    [message] = outbox(session, "update_link_resent")
    assert message.to_address == "olu@trust.example"
    assert "The secretary of Tameside Safeguarding Children Partnership has sent you" in (
        message.body_text
    )
    [event] = events(session, "update_link_resent")
    assert (event.actor_id, event.action_id) == (world.secretary.id, world.action.id)
    flashed = parse(client.get(f"/actions/{world.action.id}")).main_text
    assert f"A new link to update {world.action.ref} has been emailed to Olu Owner" in flashed
    # The old link stops working; the new one works.
    forget_request_state()
    assert client.get(old_link).status_code == 410
    assert client.get(link_in(message)).status_code == 200


@pytest.mark.parametrize("who", ["member", "owner"])
def test_only_managers_see_and_may_press_resend(client, world, sign_in, session, who):
    person = world.member if who == "member" else world.owner
    sign_in(person)
    page = action_page(client, world)
    assert resend_buttons(page) == []
    token = csrf_token_from(client.get("/accessibility").get_data(as_text=True))

    response = client.post(f"/actions/{world.action.id}/resend-link", data={"csrf_token": token})

    assert response.status_code == 403
    assert outbox(session, "update_link_resent") == []


def test_strangers_get_a_404(client, world, sign_in, make_person, session):
    sign_in(make_person())
    token = csrf_token_from(client.get("/accessibility").get_data(as_text=True))
    response = client.post(f"/actions/{world.action.id}/resend-link", data={"csrf_token": token})
    assert response.status_code == 404


def test_resend_needs_a_csrf_token(client, world, sign_in, session):
    sign_in(world.secretary)
    assert client.post(f"/actions/{world.action.id}/resend-link").status_code == 400
    assert outbox(session, "update_link_resent") == []


def test_no_resend_for_a_finished_action(client, world, sign_in, post_form, session):
    fire_transition(None, world.action, "cancel", {"comment": "Not needed."})
    session.commit()
    sign_in(world.secretary)
    assert resend_buttons(action_page(client, world)) == []

    response = post_form(
        f"/actions/{world.action.id}", {}, action=f"/actions/{world.action.id}/resend-link"
    )

    assert response.status_code == 302
    assert outbox(session, "update_link_resent") == []
    assert "is finished: there is nothing to report" in action_page(client, world).main_text


# Tokens in logs


WERKZEUG_LINE = '"%s" %s %s'


@pytest.mark.parametrize(
    ("logger", "message", "args"),
    [
        ("werkzeug", WERKZEUG_LINE, ("GET /u/WzEsMiwxXQ.Z_abc.sig-123 HTTP/1.1", "200", "-")),
        ("werkzeug", WERKZEUG_LINE, ("POST /u/WzEsMiwxXQ.Z_abc.sig/new-link HTTP/1.1", "302", "-")),
        ("gunicorn.access", "%(r)s %(s)s", {"r": "GET /set-password/eyJ.x.y HTTP/1.1", "s": "200"}),
        ("tracker", "Exception on %s [%s]", ("/u/WzEsMiwxXQ.Z_abc.sig", "POST")),
    ],
)
def test_tokens_never_reach_the_logs(app, caplog, logger, message, args):
    caplog.set_level(logging.INFO)
    if isinstance(args, dict):
        logging.getLogger(logger).info(message, args)
    else:
        logging.getLogger(logger).info(message, *args)

    [record] = [r for r in caplog.records if r.name == logger]
    text = record.getMessage()
    assert "<redacted>" in text
    assert "WzEsMiwxXQ" not in text and "eyJ" not in text


def test_the_filter_keeps_other_lines_as_they_were(caplog, app):
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info(WERKZEUG_LINE, "GET /actions/7 HTTP/1.1", "200", "-")
    assert caplog.records[-1].getMessage() == '"GET /actions/7 HTTP/1.1" 200 -'
    assert any(isinstance(f, RedactTokens) for f in logging.getLogger("werkzeug").filters)


def test_the_development_servers_access_log_has_no_token(app, caplog):
    """A real request through werkzeug's server: its access log line, as printed."""
    import threading
    import urllib.error
    import urllib.request

    from werkzeug.serving import make_server

    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    token = "WzEsMiwxXQ.Z_secret.not-a-real-signature"  # refused before any database read
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/u/{token}", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    thread.join(timeout=10)
    server.server_close()

    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/u/<redacted>" in line for line in lines), lines
    assert not any(token in line for line in lines)


# Throttling


@pytest.fixture
def throttled_client(empty_database_url):
    """A client of an app with throttling on (Flask-Limiter keeps one limiter per process,
    so the suite's setting is put back afterwards)."""
    was_enabled = limiter.enabled
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "WTF_CSRF_ENABLED": False})
    limiter.reset()  # counts left by earlier tests' requests
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()
    limiter.reset()
    limiter.enabled = was_enabled


def test_link_pages_are_throttled(throttled_client):
    statuses = [throttled_client.get("/u/made-up-token").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_asking_for_new_links_is_throttled(throttled_client):
    statuses = [throttled_client.post("/u/made-up-token/new-link").status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
