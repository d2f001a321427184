"""Signing in and out."""

from __future__ import annotations

import pytest

from tracker import create_app
from tracker.extensions import db, limiter
from tracker.people.services import set_password

PASSWORD = "correct horse battery staple"
BAD = "Enter a correct email address and password"


@pytest.fixture
def secretary(make_person, make_board):
    person = make_person(email="sec@example.org", password=PASSWORD)
    make_board(ref="tscp", members=[(person, "secretary")])
    return person


def test_pages_need_a_sign_in(client):
    response = client.get("/boards/tscp")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fboards%2Ftscp"


def test_sign_in_and_go_where_you_were_going(client, post_form, secretary):
    response = post_form(
        "/sign-in?next=/boards/tscp", {"email": " SEC@example.org ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/boards/tscp"
    assert client.get("/boards/tscp").status_code == 200


@pytest.mark.parametrize("email", ["sec@example.org", "nobody@example.org"])
def test_the_same_message_whether_or_not_the_email_is_known(post_form, secretary, email):
    response = post_form("/sign-in", {"email": email, "password": "wrong password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert BAD in html and "There is a problem" in html
    assert f'value="{email}"' in html  # what was typed is kept


def test_next_never_leads_off_the_site(post_form, secretary):
    response = post_form(
        "/sign-in?next=https://evil.example/", {"email": "sec@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_sign_in_without_a_csrf_token_is_refused(client, secretary):
    response = client.post("/sign-in", data={"email": "sec@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_out_is_a_post_and_ends_the_session(client, post_form, secretary, sign_in):
    sign_in(secretary)
    assert client.get("/sign-out").status_code == 405
    response = post_form("/", {}, action="/sign-out")
    assert response.headers["Location"] == "/sign-in"
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_password_change_ends_other_sessions(client, secretary, sign_in, session):
    sign_in(secretary)
    assert client.get("/").status_code == 200
    set_password(None, secretary, "a brand new password 2027")
    session.flush()
    from flask import g

    g.pop("_login_user", None)
    assert client.get("/").status_code == 302


def test_deactivated_people_are_signed_out(client, secretary, sign_in, session):
    sign_in(secretary)
    secretary.is_active = False
    session.flush()
    from flask import g

    g.pop("_login_user", None)
    assert client.get("/").status_code == 302


@pytest.fixture
def throttled_app(empty_database_url):
    """An app with throttling on. Flask-Limiter keeps one limiter for every app in the
    process, so the suite's setting is put back afterwards."""
    was_enabled = limiter.enabled
    yield create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "WTF_CSRF_ENABLED": False})
    limiter.reset()
    limiter.enabled = was_enabled


def test_sign_in_is_throttled(throttled_app):
    app = throttled_app
    with app.app_context():
        db.create_all()
        client = app.test_client()
        statuses = [
            client.post(
                "/sign-in", data={"email": "sec@example.org", "password": "guess"}
            ).status_code
            for _ in range(7)
        ]
        db.session.remove()
        db.engine.dispose()
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
