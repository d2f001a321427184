"""End-to-end fixtures: a real server on a free port, Debian's Chromium driven by Playwright,
and axe-core run on every page a test visits.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator

import pytest
from tameside import BOARD_NAME, BOARD_REF, PASSWORD, SECRETARY
from werkzeug.serving import make_server

from tracker import create_app
from tracker.boards.services import add_member, create_board
from tracker.extensions import db
from tracker.people.services import create_person

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
# How Chromium's console reports a page or file that came with an error status.
DOCUMENT_STATUS = "Failed to load resource: the server responded with a status of"
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
def seed_board(live_app) -> Callable:
    """Factory: commit (so that the server thread sees it) the board BOARD_REF with a secretary
    who signs in as SECRETARY with PASSWORD, and whatever ``build(board, secretary)`` adds."""

    def seed(build: Callable | None = None) -> None:
        with live_app.app_context():
            board = create_board(
                None, ref=BOARD_REF, name=BOARD_NAME, kind="safeguarding children partnership"
            )
            secretary = create_person(
                None, name="Board Secretary", email=SECRETARY, password=PASSWORD
            )
            add_member(None, board, secretary, "secretary")
            if build is not None:
                build(board, secretary)
            db.session.commit()

    return seed


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
        self.document_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        if message.location.get("url") == self.page.url and message.text.startswith(
            DOCUMENT_STATUS
        ):
            # Chromium's report of the page's own error status, which an error page must have:
            # check_accessibility decides whether the test expected it.
            self.document_errors.append(message.text)
        else:
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

    def check_accessibility(self, expected_status: int | None = None) -> None:
        """Run axe-core on the page as it is now; fail on any WCAG 2.2 A or AA violation, and
        on console errors. An error page (say a 404) passes ``expected_status``: Chromium then
        reports that status for the page itself, and only that is let through."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, results.generate_report()
        expected = f"{DOCUMENT_STATUS} {expected_status} " if expected_status else None
        unexpected = [e for e in self.document_errors if not expected or not e.startswith(expected)]
        self.document_errors.clear()
        assert not self.console_errors + unexpected, self.console_errors + unexpected

    def tab_to(self, target, max_presses: int = 80):
        """Press Tab until ``target`` has focus, as a keyboard user would, and check that the
        focus can be seen there.

        ``target`` is a Locator, or the accessible name of a link, button or labelled field.
        Returns the focused element's Locator; fails after ``max_presses`` presses.
        """
        locator = self._locator_for(target)
        for _ in range(max_presses):
            self.page.keyboard.press("Tab")
            if locator.evaluate_all("(els) => els.includes(document.activeElement)"):
                self.assert_focus_visible()
                return locator.and_(self.page.locator(":focus"))
        focused = self.page.evaluate(DESCRIBE_FOCUS)
        raise AssertionError(
            f"{target!r} not reached after {max_presses} presses of Tab; focus is on {focused}"
        )

    def assert_focus_visible(self) -> None:
        """Fail unless the focused element has a visible outline or box shadow."""
        found = self.page.evaluate(FOCUS_STYLE)
        assert found is not None, "nothing has focus"
        assert found["outline"] or found["boxShadow"], (
            f"no visible focus on {self.page.evaluate(DESCRIBE_FOCUS)} ({found['style']})"
        )

    def _locator_for(self, target):
        if not isinstance(target, str):
            return target
        page = self.page
        return (
            page.get_by_role("link", name=target, exact=True)
            .or_(page.get_by_role("button", name=target, exact=True))
            .or_(page.get_by_label(target, exact=True))
        )

    def press_and_wait(self, key: str = "Enter"):
        """Press ``key`` on the focused element and wait for the page it leads to (a link
        followed or a form posted); returns the main response, for its status."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        return navigation.value

    def follow(self, target, max_presses: int = 80):
        """Tab to a link or button, press Enter, wait for the page and run axe-core on it."""
        self.tab_to(target, max_presses)
        response = self.press_and_wait("Enter")
        self.check_accessibility()
        return response

    def sign_in_with_keyboard(self, email: str, password: str) -> None:
        """Open the sign-in page (checked with axe-core), and sign in with the keyboard alone:
        Tab to each box, type, Tab to the button, Enter. The page signed in to is checked too."""
        self.goto("/sign-in")
        self.check_accessibility()
        self.tab_to("Email address")
        self.page.keyboard.type(email)
        self.tab_to("Password")
        self.page.keyboard.type(password)
        self.follow("Sign in")

    def __getattr__(self, name):
        return getattr(self.page, name)


# Where focus is, in words, for failure messages.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "the page itself";
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}> ${text.slice(0, 60)}`;
}"""

# Whether the focused element shows its focus: an outline that is not transparent, or a box
# shadow. GOV.UK radios and checkboxes hide the input and draw the ring on their label.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let styled = el, pseudo = null;
  if (el.matches(".govuk-radios__input, .govuk-checkboxes__input") && el.labels.length) {
    styled = el.labels[0];
    pseudo = "::before";
  }
  const style = getComputedStyle(styled, pseudo);
  const transparent = (colour) =>
    colour === "transparent" || (colour.startsWith("rgba(") && colour.endsWith(", 0)"));
  return {
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !transparent(style.outlineColor),
    boxShadow: style.boxShadow !== "none",
    style: `outline: ${style.outline}; box-shadow: ${style.boxShadow}`,
  };
}"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    checked = CheckedPage(context.new_page(), live_server)
    yield checked
    context.close()
