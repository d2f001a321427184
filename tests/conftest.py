"""Shared fixtures: the app, a database rolled back after every test, and factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import itertools
import os
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from config import normalise_database_url
from tracker import create_app
from tracker.extensions import db

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


@pytest.fixture(scope="session")
def app():
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind the suite runs on."""
    test_url = os.environ.get("TEST_DATABASE_URL")
    if not test_url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = make_url(normalise_database_url(test_url))
    name = f"assure_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def session(app):
    """A database session whose work is rolled back at the end of the test.

    Requests made during the test share the connection, so what a route commits is only
    released to a savepoint of the outer transaction that the test rolls back.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own picks the engine per table and
        # would ignore the connection we bind here.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc,
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def runner(app, session):
    return app.test_cli_runner()


@pytest.fixture
def make_person(session):
    from tracker.people.services import create_person

    def make(**overrides):
        n = next(_counter)
        values = {
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "organisation": "Example Council",
        }
        values.update(overrides)
        person = create_person(None, channel="cli", **values)
        session.flush()
        return person

    return make


@pytest.fixture
def make_board(session):
    from tracker.boards.services import add_member, create_board

    def make(*, members=(), **overrides):
        ref = overrides.pop("ref", unique("b"))
        values = {"name": f"Board {ref}", "kind": "safeguarding children partnership"}
        values.update(overrides)
        board = create_board(None, ref=ref, channel="cli", **values)
        for person, role in members:
            add_member(None, board, person, role, channel="cli")
        session.flush()
        return board

    return make


@pytest.fixture
def make_review(session):
    from tracker.reviews.services import create_review

    def make(**overrides):
        values = {"title": unique("Review "), "publisher": "North West DsPH"}
        values.update(overrides)
        return create_review(None, channel="cli", **values)

    return make


@pytest.fixture
def make_recommendation(session, make_review):
    from tracker.reviews.services import add_recommendation

    def make(review=None, **overrides):
        values = {"ref": unique("R"), "text": "Do the right thing.", "level": "local"}
        values.update(overrides)
        return add_recommendation(None, review or make_review(), channel="cli", **values)

    return make


@pytest.fixture
def make_action(session, make_board, make_person):
    from tracker.actions.services import create_action, fire_transition

    def make(board=None, *, status="open", **overrides):
        board = board or make_board()
        values = {"title": unique("Action "), "due_on": date.today() + timedelta(days=60)}
        if "owner" not in overrides:
            values["owner"] = make_person()
        values.update(overrides)
        action = create_action(None, board, channel="cli", **values)
        # Walk the standard path to the status asked for.
        path = {
            "draft": [],
            "open": ["open"],
            "in_progress": ["open", "start"],
            "blocked": ["open", "start", "block"],
            "completed": ["open", "start", "complete"],
            "closed": ["open", "start", "complete", "close"],
            "cancelled": ["open", "cancel"],
        }[status]
        for step in path:
            fire_transition(
                None, action, step, {"comment": "Because.", "evidence": "Report."}, channel="cli"
            )
        session.flush()
        return action

    return make


@pytest.fixture
def make_token(session):
    from tracker.people.services import issue_api_token

    def make(person):
        token = issue_api_token(person, "test")
        session.flush()
        return token

    return make


@pytest.fixture
def sign_in(client):
    """Sign the test client in as ``person`` (as the sign-in page would)."""

    def sign(person):
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = person.get_id()
            flask_session["_fresh"] = True
        return client

    return sign


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """POST a form the way a browser would: fetch the page first for its CSRF token."""

    def post(page_path: str, data: dict, *, action: str | None = None, **kwargs):
        token = csrf_token_from(client.get(page_path).get_data(as_text=True))
        return client.post(action or page_path, data={"csrf_token": token, **data}, **kwargs)

    return post


@pytest.fixture
def call(client, session):
    """An API request as the person whose token is given.

    What the test set up is committed (to the test's savepoint) first, so that a failed
    request's rollback returns to that state, as it would in production.
    """

    def request(method, url, token=None, **kwargs):
        session.commit()
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(url, method=method, headers=headers, **kwargs)

    return request


@pytest.fixture(autouse=True)
def no_throttling_left_behind():
    """Flask-Limiter keeps one limiter for every app in the process: an app that a test makes
    with throttling on must not leave it on for the tests after it."""
    yield
    from tracker.extensions import limiter

    if limiter.enabled and getattr(limiter, "_storage", None) is not None:
        limiter.reset()
    limiter.enabled = False


@pytest.fixture(autouse=True)
def fixed_example_date(monkeypatch):
    """Date messages give an example in the coming year; pin it so that expected messages do
    not depend on the day the suite runs (tests/unit/test_forms.py checks the real one)."""
    monkeypatch.setattr("tracker.web.forms.example_date", lambda: "31 3 2027")


# --- Email (issue 4): a real SMTP server, and a guard against reaching SMTP unexpectedly ---


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on a free loopback port, with the app's MAIL_* settings pointing at
    it; ``smtp_server.messages`` is what arrived. Only tests that ask for it may reach SMTP."""
    from tests.smtp import HOST, SmtpServer

    server = SmtpServer()
    server.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", HOST)
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def no_unexpected_smtp(request, monkeypatch):
    """Fail any test that opens an SMTP connection without the ``smtp_server`` fixture.

    Delivery treats a refused connection as "retry later", so raising alone could pass
    unnoticed: the attempt is also remembered, and the test fails at its end.
    """
    if "smtp_server" in request.fixturenames:
        yield
        return
    import smtplib

    attempts: list[str] = []

    def refuse(self, host="localhost", port=0, source_address=None):
        attempts.append(f"{host}:{port}")
        raise ConnectionRefusedError(f"unexpected SMTP connection to {host}:{port} in a test")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)
    yield
    if attempts:
        pytest.fail(
            f"the test reached SMTP ({', '.join(attempts)}) without the smtp_server fixture",
            pytrace=False,
        )
