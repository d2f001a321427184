"""The read-only first pages in a real browser: they load, pass axe-core, and need no mouse."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tameside import PASSWORD, SECRETARY

from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import create_board
from tracker.people.services import create_person

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(seed_board):
    seed_board(add_a_late_action_and_another_board)


def add_a_late_action_and_another_board(board, secretary):
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
        None, board, title="Smokefree homes", owner=owner, due_on=date.today() + timedelta(90)
    )


def test_sign_in_then_see_only_your_boards(page, seeded):
    page.goto("/")
    assert page.url.endswith("/sign-in?next=%2F")
    page.check_accessibility()
    page.sign_in(SECRETARY, "wrong password")
    assert page.get_by_text("Enter a correct email address and password").count() >= 1
    page.check_accessibility()
    page.sign_in(SECRETARY.upper(), PASSWORD)
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
