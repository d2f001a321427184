"""The reminders page in a real browser: reached from the board page, passes axe-core with
and without errors, and saves with the keyboard alone."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from tameside import PASSWORD, SECRETARY
from test_first_pages import seeded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_the_secretary_changes_the_reminders(page, seeded):
    page.goto("/sign-in")
    page.sign_in(SECRETARY, PASSWORD)
    page.goto("/boards/tscp")
    page.get_by_role("link", name="Reminders").click()
    page.wait_for_url("**/boards/tscp/reminders")
    assert page.get_by_role("heading", level=1).inner_text() == "Reminders"
    assert page.get_by_role("table").count() == 1  # the sample action's dates
    page.check_accessibility()

    page.get_by_label("Tell the chair when an action is overdue by").fill("7")
    page.get_by_role("button", name="Save reminders").click()
    assert page.get_by_text("There is a problem").count() == 1
    assert page.get_by_text("Escalate to the chair later than to the secretary").count() >= 1
    page.check_accessibility()

    page.get_by_label("Tell the chair when an action is overdue by").fill("35")
    page.get_by_label("Tell the chair when an action is overdue by").press("Enter")
    page.wait_for_url("**/boards/tscp/reminders")
    assert (
        page.get_by_text("Reminders for Tameside Safeguarding Children Partnership saved.").count()
        == 1
    )
    assert page.get_by_text("Overdue by 5 weeks").count() == 1
