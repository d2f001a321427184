"""What every page carries against the usual attacks: a Content-Security-Policy with no inline
script or style (and pages that need none), no framing, no sniffing, a referrer policy, a session
cookie scripts cannot read, the same 404 for other boards' objects as for missing ones, and a
sign-in that never sends the person on to another site.

The pages checked for inline script and style are every page the permission matrix renders.
"""

# The fixtures (the world; no throttling) come from the matrix module; tests naming them as
# arguments is what pytest expects, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import pytest
from flask import g
from sqlalchemy import select

from config import ProductionConfig
from tests.conftest import csrf_token_from
from tests.integration.test_permission_matrix import (  # noqa: F401  (fixtures)
    HIDDEN,
    MATRIX,
    OK,
    PASSWORD,
    ROLES,
    World,
    csrf_token,
    request,
    snapshot,
    without_throttling,
    world,
)
from tracker import create_app
from tracker.actions.models import Action, Update
from tracker.extensions import db

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def client_as(app, world: World, role: str):
    """A browser of its own, signed in as ``role`` (or not at all)."""
    # Requests share the test's app context, and with it flask.g, where Flask-Login keeps the
    # person it loaded and Flask-WTF the CSRF token: forget the previous browser's.
    for cached in ("_login_user", "csrf_token"):
        g.pop(cached, None)
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = world.person(role).get_id()
            flask_session["_fresh"] = True
    return client


def directives(csp: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}."""
    found = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


def assert_security_headers(response) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    policy = directives(csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], f"scripts may come from {scripts}"
    assert policy.get("object-src") == ["'none'"], csp
    assert policy.get("frame-ancestors") == ["'none'"], csp
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts and styles,
    style attributes, event-handler attributes and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self._script_without_src = "src" not in names
        if tag == "style":
            self.problems.append("a <style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._script_without_src and data.strip():
            self.problems.append(f"an inline <script>: {data.strip()[:80]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_without_src = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_checker_finds_inline_code():
    html = (
        '<script src="/static/a.js"></script><script>alert(1)</script>'
        '<p style="color: red" onclick="x()"><a href="javascript:x()">x</a></p><style>p{}</style>'
    )
    assert inline_code(html) == [
        "an inline <script>: 'alert(1)'",
        '<p style="color: red">',
        "<p onclick=...>",
        "<a href='javascript:x()'>",
        "a <style> element",
    ]


# Sample pages: each kind of page, and each kind of refusal.

SAMPLES = [
    # name, role, address, status
    ("sign-in", "anonymous", "/sign-in", 200),
    ("home", "secretary", "/", 200),
    ("board", "secretary", "/boards/{board}", 200),
    ("action", "secretary", "/actions/{action}", 200),
    ("404 page", "other_secretary", "/actions/{action}", 404),
    ("404 page for no such address", "secretary", "/no-such-page", 404),
    ("403 page", "member", "/actions/{action}/edit", 403),
    ("redirect to sign in", "anonymous", "/", 302),
]


@pytest.mark.parametrize(
    ("role", "url", "status"), [pytest.param(*s[1:], id=s[0]) for s in SAMPLES]
)
def test_security_headers_on_every_kind_of_page(app, world, role, url, status):
    response = client_as(app, world, role).get(world.fill(url))

    assert response.status_code == status
    assert_security_headers(response)
    if status != 302:
        assert inline_code(response.get_data(as_text=True)) == []


def test_security_headers_on_a_refused_form(app, world):
    client = client_as(app, world, "secretary")

    response = client.post(world.fill("/actions/{action}/edit"), data={"title": "No token"})

    assert response.status_code == 400
    assert_security_headers(response)


# Every page the matrix renders: no inline script or style for the policy to block.

GET_ROWS = [pytest.param(row, id=row.id()) for row in MATRIX if row.method == "GET"]
# Pages someone sees (with a 200), whose markup is ours: an email's own HTML is shown in a
# sandboxed frame under a policy of its own (test_outbox_pages.py), inline styles and all; a
# meeting pack's downloads are files saved as attachments (test_packs_pages.py), not pages.
NOT_PAGES = ("notify.mailbox_html", "packs.download")
RENDERED_ROWS = [
    pytest.param(row, id=row.id())
    for row in MATRIX
    if row.method == "GET" and OK in row.answers and row.endpoint not in NOT_PAGES
]

# Files to download (a board's plan and archive, the review-wide matrix), not pages.
DOWNLOADS = {"exports.plan_xlsx", "exports.plan_csv", "exports.archive", "matrix.xlsx"}


@pytest.mark.parametrize("row", RENDERED_ROWS)
def test_no_inline_script_or_style_on_any_page_the_matrix_renders(app, world, row):
    """Every role's view of the page (the page itself, or the 403 or 404 page); a GET changes
    nothing, so one world serves every role."""
    rendered = 0
    for role in ROLES:
        response = client_as(app, world, role).get(world.fill(row.url))
        if response.status_code == 302:
            continue
        if row.endpoint in DOWNLOADS and response.status_code == 200:
            assert_security_headers(response)  # a file: headers, but no markup to check
            response.get_data()  # read it to the end, as a browser would (it is streamed)
            rendered += 1
            continue
        assert response.mimetype == "text/html"
        assert_security_headers(response)
        assert inline_code(response.get_data(as_text=True)) == [], f"as {role}"
        rendered += response.status_code == 200
    assert rendered, "no role sees this page: the row tests nothing"


# The session cookie


def sign_in_through_the_form(client, email: str, **kwargs):
    token = csrf_token_from(client.get("/sign-in", **kwargs).get_data(as_text=True))
    return client.post(
        "/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD}, **kwargs
    )


def session_cookie(response, name: str) -> dict[str, str | bool]:
    """The attributes of the cookie ``name`` as the response sets it."""
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            morsel = cookie[name]
            return {key: morsel[key] for key in ("httponly", "samesite", "secure", "path")}
    raise AssertionError(f"no {name} cookie set: {response.headers.getlist('Set-Cookie')}")


def test_the_session_cookie_is_http_only_and_same_site_lax(app, world):
    client = app.test_client()

    response = sign_in_through_the_form(client, world.values["target_email"])

    assert response.status_code == 302
    cookie = session_cookie(response, app.config["SESSION_COOKIE_NAME"])
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Secure follows the settings: off in tests (plain http), on by default in production.
    assert bool(cookie["secure"]) is bool(app.config["SESSION_COOKIE_SECURE"])


@pytest.fixture
def secure_app(session):
    """An app whose settings ask for Secure cookies, sharing the test's database session."""
    secure = create_app(
        {"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": True}
    )
    yield secure
    with secure.app_context():
        db.engine.dispose()


def test_the_session_cookie_is_secure_when_the_settings_say_so(secure_app, world):
    client = secure_app.test_client()
    # Over https, Flask-WTF also wants the page the form came from.
    https = {"base_url": "https://assure.test", "headers": {"Referer": "https://assure.test/"}}

    response = sign_in_through_the_form(client, world.values["target_email"], **https)

    assert response.status_code == 302
    cookie = session_cookie(response, secure_app.config["SESSION_COOKIE_NAME"])
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_production_settings_ask_for_secure_cookies():
    settings = ProductionConfig({})
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


# 404, not 403, for what is on a board the person cannot see

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
# Objects on one board, hidden from the other board's secretary. (Not the bad-token rows,
# hidden from everyone with a page of their own, nor the mailbox, which is for secretaries
# only and hides other boards' emails: test_outbox_pages.py.)
HIDDEN_ROWS = [
    pytest.param(row, id=row.id())
    for row in MATRIX
    if row.expected("other_secretary") == HIDDEN
    and row.expected("anonymous") != HIDDEN
    and not row.endpoint.startswith("notify.")
]


@pytest.fixture
def stranger(make_person, session):
    """Signed in, on no board, owner of nothing."""
    person = make_person(name="Sam Stranger", email="stranger@matrix.example")
    session.commit()
    return person


def page_text(response) -> str:
    """The page without its CSRF tokens, which differ from one page to the next."""
    return TOKEN.sub(r"\1…\2", response.get_data(as_text=True))


@pytest.mark.parametrize("row", HIDDEN_ROWS)
def test_objects_on_a_board_the_person_cannot_see_are_not_found(app, world, stranger, row):
    """The other board's secretary and someone on no board get the very page a missing object
    gets: nothing tells them the object exists. A POST carries a valid token."""
    world.people["stranger"] = stranger
    for role in ("other_secretary", "stranger"):
        client = client_as(app, world, role)
        missing = page_text(client.get("/boards/no-such-board"))
        before = snapshot()
        token = csrf_token(client, role) if row.method == "POST" else None

        response = request(client, row, world, token=token)

        assert response.status_code == 404, f"as {role}"
        assert page_text(response) == missing, f"as {role}"
        assert snapshot() == before


@pytest.mark.parametrize("row", GET_ROWS)
def test_pages_others_may_see_say_nothing_of_the_hidden_boards_actions(app, world, stranger, row):
    """Reviews, recommendations and the lists everyone has are shared pages: for someone who
    cannot see the board, they show none of its actions or their owners' updates."""
    secrets = [value for a in db.session.scalars(select(Action)) for value in (a.ref, a.title)]
    secrets += [u.narrative for u in db.session.scalars(select(Update))]
    world.people["stranger"] = stranger
    for role in ("other_secretary", "stranger"):
        response = client_as(app, world, role).get(world.fill(row.url))
        if response.status_code != 200:
            continue
        page = readable_text(response)
        assert [s for s in secrets if s in page] == [], f"as {role}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_text(response) -> str:
    """What a person reads in the response: a spreadsheet's cells, or the page's text."""
    if response.mimetype != XLSX:
        return response.get_data(as_text=True)
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(response.data))
    return "\n".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


# Signing in never sends the person to another site

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    # Browsers read a backslash as a slash: "/\evil.example" is "//evil.example".
    "/\\evil.example/",
    "/\\/evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_redirects_off_the_site(app, world, target):
    client = client_as(app, world, "anonymous")
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"csrf_token": token, "email": world.values["target_email"], "password": PASSWORD},
    )

    assert response.status_code == 302
    location = response.headers["Location"]
    # A path on this site: one slash, then no slash or backslash that a browser would read as
    # the start of another host, and no tab or newline, which browsers drop before reading it.
    assert re.match(r"^/(?![/\\])", location), f"next={target!r} sent the person to {location!r}"
    assert not re.search(r"[\x00-\x20]", location), f"next={target!r} gave {location!r}"
