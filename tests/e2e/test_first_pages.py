"""The read-only first pages in a real browser: they load, pass axe-core, and need no mouse."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import add_member, create_board
from tracker.extensions import db
from tracker.people.services import create_person

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture
def seeded(live_app):
    with live_app.app_context():
        board = create_board(
            None,
            ref="tscp",
            name="Tameside Safeguarding Children Partnership",
            kind="safeguarding children partnership",
        )
        secretary = create_person(
            None, name="Board Secretary", email="sec@tameside.example", password=PASSWORD
        )
        add_member(None, board, secretary, "secretary")
        create_board(None, ref="oscp", name="Oldham Safeguarding Children Partnership")
        owner = create_person(None, name="Head of Midwifery", email="hom@trust.example")
        late = create_action(
            None,
            board,
            title="CO screening at booking",
            owner=owner,
            due_on=date.today() - timedelta(days=10),
        )
        fire_transition(None, late, "open")
        create_action(
            None,
            board,
            title="Smokefree homes",
            owner=owner,
            due_on=date.today() + timedelta(days=90),
        )
        db.session.commit()


def test_sign_in_then_see_only_your_boards(page, seeded):
    page.goto("/")
    assert page.url.endswith("/sign-in?next=%2F")
    page.check_accessibility()
    page.sign_in("sec@tameside.example", "wrong password")
    assert page.get_by_text("Enter a correct email address and password").count() >= 1
    page.check_accessibility()
    page.sign_in("SEC@tameside.example", PASSWORD)
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_text("Oldham Safeguarding Children Partnership").count() == 0
    page.check_accessibility()
    page.get_by_role("link", name="Tameside Safeguarding Children Partnership").first.click()
    page.wait_for_url("**/boards/tscp")
    assert page.get_by_text("Overdue by 10 days").count() == 1
    page.check_accessibility()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, seeded):
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
