"""The layout every page shares: Assure's own branding, the CSP, accessible structure, assets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from test_web_pages import parse  # the small HTML reader the page tests use

from tracker import create_app
from tracker.common.security import CONTENT_SECURITY_POLICY

STATIC = Path(__file__).resolve().parents[2] / "tracker" / "static"
BUILT_CSS = STATIC / "govuk" / "assure.css"
# What GOV.UK branding would leave in a page: the crown is in GOV.UK Frontend's logo SVG, the
# crest in the footer's copyright link, the licence in the footer's meta.
CROWN_MARKS = (
    "govuk-logo",
    "govuk-header__logotype",
    "govuk-footer__crown",
    "govuk-footer__copyright-logo",
    "Crown copyright",
    "Open Government Licence",
    "GOV.UK",
    "<svg",
    "/assets/images/",
)


@pytest.fixture(autouse=True)
def signed_in_admin(sign_in, make_person):
    """The boards pages need a signed-in person; an admin sees every board."""
    return sign_in(make_person(is_admin=True))


@pytest.fixture
def pages(client, make_board, make_action):
    """Every kind of page there is, with data on it."""
    board = make_board(ref="tscp", name="Tameside Safeguarding Children Partnership")
    make_action(board, due_on=date(2020, 1, 1))
    make_action(board, status="completed")
    return {path: client.get(path) for path in ("/", "/boards/tscp", "/accessibility", "/nope")}


def test_every_page_carries_the_content_security_policy(pages):
    for path, response in pages.items():
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_no_inline_script_or_style(pages):
    for path, response in pages.items():
        page = parse(response)
        scripts = page.root.tags("script")
        assert scripts, path
        for script in scripts:
            assert script.attrs.get("src", "").startswith("/static/"), (path, script)
            assert script.text == "", (path, script)
        assert page.root.tags("style") == [], path
        assert page.elements_with("style") == [], path
        handlers = page.root.find_all(lambda n: any(k.startswith("on") for k in n.attrs))
        assert list(handlers) == [], path


def test_branded_as_assure_without_the_crown(pages):
    for path, response in pages.items():
        html = response.get_data(as_text=True)
        page = parse(response)
        assert page.root.tags("html")[0].attrs["lang"] == "en-GB"
        assert page.title.endswith(" – Assure"), path
        header = page.root.tags("header")[0]
        assert header.tags("a")[0].text == "Assure"
        for mark in CROWN_MARKS:
            assert mark not in html, (path, mark)


def test_layout_has_skip_link_navigation_and_footer(pages):
    page = parse(pages["/"])
    skip = page.root.tags("a")[0]
    assert (skip.attrs["href"], skip.text) == ("#main-content", "Skip to main content")
    assert page.root.find_all(lambda n: n.attrs.get("id") == "main-content")
    nav = page.root.tags("nav")[0]
    links = [(a.attrs["href"], a.text) for a in nav.tags("a")]
    assert links[0] == ("/", "Boards")
    assert ("/boards/tscp", "Tameside Safeguarding Children Partnership") in links
    assert "Sign out" in [b.text for b in nav.tags("button")]
    footer = page.root.tags("footer")[0]
    assert ("/accessibility", "Accessibility statement") in [
        (a.attrs["href"], a.text) for a in footer.tags("a")
    ]
    assert {(link.attrs["rel"], link.attrs["href"]) for link in page.root.tags("link")} == {
        ("stylesheet", "/static/govuk/assure.css"),
        ("icon", "/static/images/favicon.ico"),
        ("icon", "/static/images/favicon.svg"),
    }


def test_headings_in_order_with_one_h1(pages):
    for path, response in pages.items():
        levels = [level for level, _ in parse(response).headings()]
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_tables_have_captions_and_scoped_headers(pages):
    for path, response in pages.items():
        for table in parse(response).tables():
            assert table.tags("caption") and table.tags("caption")[0].text, path
            for th in table.tags("th"):
                assert th.attrs.get("scope") in {"col", "row"}, (path, th.text)


def test_static_files_are_served(client):
    for path in ("/static/js/init.js", "/static/images/favicon.svg", "/static/images/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_init_script_starts_gov_uk_frontend_as_a_module():
    script = (STATIC / "js" / "init.js").read_text()
    assert 'import { initAll } from "../govuk/govuk-frontend.min.js";' in script
    assert '"govuk-frontend-supported"' in script
    assert "initAll();" in script


def test_favicon_is_ours():
    assert "Assure" in (STATIC / "images" / "favicon.svg").read_text()


@pytest.mark.skipif(not BUILT_CSS.exists(), reason="assets not built: run `make assets`")
def test_served_stylesheet_uses_arial_not_gds_transport(client):
    response = client.get("/static/govuk/assure.css")
    css = response.get_data(as_text=True)
    response.close()

    assert response.status_code == 200
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    # The print rules: no navigation or footer on paper, links as plain words.
    assert "@media print" in css and ".govuk-service-navigation" in css


@pytest.mark.skipif(not BUILT_CSS.exists(), reason="assets not built: run `make assets`")
def test_only_our_stylesheet_and_the_frontend_script_are_built():
    built = sorted(p.name for p in BUILT_CSS.parent.iterdir() if not p.name.startswith("."))
    assert built == ["assure.css", "govuk-frontend.min.js"]


@pytest.fixture
def failing_app() -> Flask:
    app = create_app({"RATELIMIT_ENABLED": False, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("boom")

    return app


def test_server_error_is_a_gov_uk_styled_500(failing_app):
    response = failing_app.test_client().get("/boom")

    assert response.status_code == 500
    page = parse(response)
    assert page.headings()[0] == (1, "Sorry, there is a problem with the service")
    assert "boom" not in page.text


def test_server_error_under_api_stays_json(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")

    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_server_error"
