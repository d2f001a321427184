"""Choosing a password from an emailed link: "forgot your password" and the admin's invitation.

The same answer whether or not an address is known; a link works once, for a few hours; it
signs the person in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import test_links_support as support
import time_machine
from flask import g
from test_board_pages_support import error_summary, events, forget_request_state
from test_links_support import PRIVATE_HEADERS, link_in, outbox, tampered
from test_web_pages import parse

from tests.conftest import csrf_token_from
from tracker import create_app
from tracker.common.time import LONDON
from tracker.extensions import db, limiter
from tracker.links.tokens import password_link_token, update_link_token
from tracker.people.services import check_password, set_password

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
no_throttling = support.no_throttling
NOW = datetime(2027, 3, 14, 12, 0, tzinfo=LONDON)
NEW_PASSWORD = "a long new password for 2027"
SAME_ANSWER = "If that address belongs to someone in Assure, we have emailed it a link"


@pytest.fixture
def secretary(make_person, session):
    person = make_person(
        name="Sam Secretary", email="sam@tameside.example", password="old password 2026"
    )
    session.commit()
    return person


@pytest.fixture
def forgot(client, post_form):
    def ask(email: str):
        response = post_form("/forgot-password", {"email": email})
        assert response.status_code == 302
        assert response.headers["Location"] == "/forgot-password/sent"
        return parse(client.get("/forgot-password/sent"))

    return ask


@pytest.fixture
def choose(client):
    def post(path: str, password: str = NEW_PASSWORD, again: str | None = None):
        token = csrf_token_from(client.get(path).get_data(as_text=True))
        data = {"csrf_token": token, "password": password, "password_again": again or password}
        return client.post(path, data=data)

    return post


def test_the_sign_in_page_links_to_forgot_password(client):
    page = parse(client.get("/sign-in"))
    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["Forgot your password?"] == "/forgot-password"
    assert parse(client.get("/forgot-password")).headings()[0] == (1, "Forgot your password?")


@pytest.mark.parametrize(
    "email",
    ["sam@tameside.example", " SAM@Tameside.example ", "nobody@example.org", "not-an-address"],
)
def test_the_same_answer_whether_or_not_the_address_is_known(forgot, secretary, email):
    page = forgot(email)
    assert page.headings()[0] == (1, "Check your email")
    assert SAME_ANSWER in page.main_text
    assert "The link works once, for 24 hours" in page.main_text


def test_only_a_known_active_address_gets_an_email(forgot, secretary, make_person, session):
    gone = make_person(email="gone@example.org", password="old password 2026")
    gone.is_active = False
    session.commit()
    for email in ("nobody@example.org", "gone@example.org", " SAM@tameside.example"):
        forgot(email)

    [message] = outbox(session, "password_reset")
    assert (message.to_address, message.to_person_id) == ("sam@tameside.example", secretary.id)
    assert message.subject == "Choose a new password for Assure"
    assert "The link works once, for 24 hours." in message.body_text


def test_an_empty_address_is_asked_for(post_form):
    response = post_form("/forgot-password", {"email": ""})
    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == ["Enter your email address"]


def test_the_reset_link_works_once(client, forgot, choose, secretary, session):
    forgot("sam@tameside.example")
    [message] = outbox(session, "password_reset")
    path = link_in(message, "/set-password/")

    page = parse(client.get(path))
    assert page.headings()[0] == (1, "Choose a new password")
    response = choose(path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    session.refresh(secretary)
    assert check_password(secretary, NEW_PASSWORD)
    assert not check_password(secretary, "old password 2026")
    [event] = events(session, "password_set")
    assert event.actor_id == secretary.id
    g.pop("_login_user", None)
    home = client.get("/")
    assert home.status_code == 200  # signed in
    assert "Your password is saved and you are signed in." in parse(home).main_text

    # Used once: the link says so, and points to "forgot your password" again.
    forget_request_state()
    response = client.get(path)
    page = parse(response)
    assert response.status_code == 410
    assert page.headings()[0] == (1, "This link has been used")
    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["ask for a new link to choose a password"] == "/forgot-password"
    assert choose_again_refused(client, path)


def choose_again_refused(client, path) -> bool:
    token = csrf_token_from(client.get("/forgot-password").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "password": "yet another password",
        "password_again": "yet another password",
    }
    return client.post(path, data=data).status_code == 410


def test_any_new_password_ends_earlier_links(client, secretary, session):
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    set_password(None, secretary, "set by an admin meanwhile", channel="cli")
    session.commit()
    assert client.get(path).status_code == 410


def test_a_reset_link_expires(client, secretary):
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    with time_machine.travel(NOW + timedelta(hours=23), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        response = client.get(path)
    assert response.status_code == 410
    assert parse(response).headings()[0] == (1, "This link has expired")


def test_the_lifetime_is_a_setting(app, client, secretary, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LINK_MAX_AGE_HOURS", 2)
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert client.get(path).status_code == 410


def test_a_tampered_or_foreign_link_is_a_404(client, secretary, make_action, session):
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    response = client.get(tampered(path))
    assert response.status_code == 404
    assert parse(response).headings()[0] == (1, "This link does not work")
    # An update link's token is no password link, even for the action's owner.
    action = make_action(owner=secretary)
    session.commit()
    assert client.get("/set-password/" + update_link_token(action)).status_code == 404


def test_a_deactivated_persons_link_does_not_work(client, secretary, session):
    path = "/set-password/" + password_link_token(secretary, "invitation")
    secretary.is_active = False
    session.commit()
    assert client.get(path).status_code == 404


def test_the_password_is_typed_twice_and_long_enough(client, choose, secretary, session):
    path = "/set-password/" + password_link_token(secretary, "password_reset")

    page = parse(choose(path, "short"))
    assert page.title.startswith("Error: ")
    assert error_summary(page) == ["Use a password of at least 12 characters"]

    page = parse(choose(path, NEW_PASSWORD, "a different long password"))
    assert error_summary(page) == ["The two passwords are not the same: type them again"]
    # Passwords are never sent back to the browser.
    assert all(
        not i.attrs.get("value")
        for i in page.root.tags("input")
        if i.attrs.get("type") == "password"
    )
    session.refresh(secretary)
    assert check_password(secretary, "old password 2026")
    assert client.get(path).status_code == 200  # still usable: nothing was set


def test_set_password_pages_are_private(client, secretary):
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    for response in (client.get(path), client.get(tampered(path)), client.post(path)):
        assert {n: response.headers.get(n) for n in PRIVATE_HEADERS} == PRIVATE_HEADERS
    robots = [
        m.attrs
        for m in parse(client.get(path)).root.tags("meta")
        if m.attrs.get("name") == "robots"
    ]
    assert robots == [{"name": "robots", "content": "noindex, nofollow"}]


def test_setting_a_password_needs_a_csrf_token(client, secretary, session):
    path = "/set-password/" + password_link_token(secretary, "password_reset")
    response = client.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 400
    session.refresh(secretary)
    assert check_password(secretary, "old password 2026")


# The invitation


@pytest.fixture
def admin(make_person, session):
    person = make_person(
        name="Ada Admin", email="ada@assure.example", password="admin password 2026", is_admin=True
    )
    session.commit()
    return person


@pytest.fixture
def newcomer(make_person, session):
    person = make_person(name="Nia Newcomer", email="nia@tameside.example")
    session.commit()
    return person


def test_an_admin_invites_someone_who_chooses_a_password(
    app, client, sign_in, post_form, admin, newcomer, session
):
    sign_in(admin)
    page = parse(client.get(f"/admin/people/{newcomer.id}"))
    assert "Send an invitation" in [b.text for b in page.root.tags("button")]

    response = post_form(
        f"/admin/people/{newcomer.id}", {}, action=f"/admin/people/{newcomer.id}/invite"
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/people/{newcomer.id}"
    flashed = parse(client.get(f"/admin/people/{newcomer.id}")).main_text
    assert (
        "Invitation emailed to nia@tameside.example. Its link works once, for 24 hours." in flashed
    )
    [message] = outbox(session, "invitation")
    assert (message.to_address, message.subject) == (
        "nia@tameside.example",
        "Choose your password for Assure, Nia Newcomer",
    )
    [event] = events(session, "invitation_sent")
    assert (event.actor_id, event.subject_id) == (admin.id, newcomer.id)

    # Nia, in her own browser.
    path = link_in(message, "/set-password/")
    forget_request_state()
    browser = app.test_client()
    page = parse(browser.get(path))
    assert page.headings()[0] == (1, "Choose your password")
    assert "Nia Newcomer, choose the password you will sign in to Assure with" in page.main_text
    token = csrf_token_from(browser.get(path).get_data(as_text=True))
    response = browser.post(
        path, data={"csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.headers["Location"] == "/"
    session.refresh(newcomer)
    assert check_password(newcomer, NEW_PASSWORD)
    g.pop("_login_user", None)
    assert "Nia Newcomer" in parse(browser.get("/")).text  # signed in as Nia
    forget_request_state()
    assert browser.get(path).status_code == 410


def test_only_admins_invite(client, sign_in, secretary, newcomer, session):
    sign_in(secretary)
    token = csrf_token_from(client.get("/accessibility").get_data(as_text=True))
    response = client.post(f"/admin/people/{newcomer.id}/invite", data={"csrf_token": token})
    assert response.status_code == 403
    assert outbox(session, "invitation") == []


def test_inviting_needs_a_csrf_token(client, sign_in, admin, newcomer, session):
    sign_in(admin)
    assert client.post(f"/admin/people/{newcomer.id}/invite").status_code == 400
    assert outbox(session, "invitation") == []


def test_a_deactivated_person_is_not_invited(client, sign_in, post_form, admin, newcomer, session):
    newcomer.is_active = False
    session.commit()
    sign_in(admin)
    page = parse(client.get(f"/admin/people/{newcomer.id}"))
    assert "Send an invitation" not in [b.text for b in page.root.tags("button")]

    post_form(f"/admin/people/{newcomer.id}", {}, action=f"/admin/people/{newcomer.id}/invite")

    assert outbox(session, "invitation") == []
    text = parse(client.get(f"/admin/people/{newcomer.id}")).main_text
    assert "Nia Newcomer is deactivated: reactivate them before inviting them." in text


# Throttling


@pytest.fixture
def throttled_client(empty_database_url):
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


def test_forgot_password_is_throttled_per_address(throttled_client):
    post = throttled_client.post
    statuses = [
        post("/forgot-password", data={"email": "sam@example.org"}).status_code for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    # Another address from the same place still gets an answer (up to the overall limit).
    assert post("/forgot-password", data={"email": "kim@example.org"}).status_code == 302
