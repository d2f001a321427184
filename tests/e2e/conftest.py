"""End-to-end fixtures: a real server on a free port, Debian's Chromium driven by Playwright,
and axe-core run on every page a test visits.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tracker import create_app
from tracker.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_app(empty_database_url):
    """An app on its own database, committed for real, so that the server thread sees it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class CheckedPage:
    """A Playwright page that fails the test on console errors (CSP violations included)."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the real form, with the keyboard, as a person would."""
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_label("Password", exact=True).press("Enter")
        self.page.wait_for_load_state()

    def check_accessibility(self) -> None:
        """Run axe-core on the page as it is now; fail on any WCAG 2.2 A or AA violation."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, results.generate_report()
        assert not self.console_errors, self.console_errors

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    checked = CheckedPage(context.new_page(), live_server)
    yield checked
    context.close()
