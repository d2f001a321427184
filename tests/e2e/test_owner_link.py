"""The owner's journey in a real browser: open the link from the email, send an update with the
keyboard alone, then the secretary accepts it and the action shows the new progress.

Every page reached is checked with axe-core (WCAG 2.2 A and AA) and for console errors.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from tameside import BOARD_NAME as BOARD
from tameside import PASSWORD, SECRETARY

from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import add_member, create_board
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.links.tokens import update_link_token
from tracker.notify import triggers
from tracker.people.services import create_person
from tracker.reviews.services import add_recommendation, create_review

pytestmark = pytest.mark.e2e


@pytest.fixture
def link(live_app) -> dict:
    """A board with a secretary; an action in progress owned by someone from a partner agency
    who never signs in; the path of the link emailed to them, and of one it replaced."""
    with live_app.app_context():
        board = create_board(None, ref="tscp", name=BOARD, kind="safeguarding children partnership")
        secretary = create_person(None, name="Sam Secretary", email=SECRETARY, password=PASSWORD)
        add_member(None, board, secretary, "secretary")
        owner = create_person(
            None, name="Head of Midwifery", email="hom@trust.example", organisation="The Trust"
        )
        review = create_review(
            None, title="Child Q: learning from a rapid review", publisher="Panel"
        )
        recommendation = add_recommendation(
            None,
            review,
            ref="R1",
            text="Midwives screen every pregnant woman for carbon monoxide at booking.",
            boards=[board],
        )
        due = london_today() + timedelta(days=60)
        action = create_action(
            None,
            board,
            title="Audit CO screening",
            owner=owner,
            due_on=due,
            recommendation=recommendation,
        )
        fire_transition(None, action, "open")
        fire_transition(None, action, "start")
        db.session.commit()
        replaced = "/u/" + update_link_token(action)
        triggers.revoke_links(action)  # as "resend link" does: the first email's link stops
        db.session.commit()
        return {
            "path": "/u/" + update_link_token(action),
            "replaced": replaced,
            "id": action.id,
            "ref": action.ref,
        }


def summary_value(page, key: str):
    """The value beside ``key`` in the page's first summary list (the action's facts)."""
    return (
        page.locator(".govuk-summary-list")
        .first.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))
        .locator(".govuk-summary-list__value")
    )


def test_the_owner_updates_from_the_link_and_the_secretary_accepts(page, link):
    response = page.goto(link["path"])
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{link['ref']}: Audit CO screening")
    expect(summary_value(page, "Recommendation")).to_contain_text(
        "Midwives screen every pregnant woman for carbon monoxide at booking."
    )

    # The form, with the keyboard alone.
    page.tab_to("What has happened since the last update?")
    page.keyboard.type("Audited 120 booking records: 96 had a CO reading.")
    progress = page.tab_to("How much of the work is done?")
    page.keyboard.press("Control+A")
    page.keyboard.type("60")
    expect(progress).to_have_value("60")
    page.tab_to(page.get_by_role("radio", name="On track"))
    page.keyboard.press("ArrowDown")  # arrows move through a radio group, and choose
    expect(page.get_by_role("radio", name="At risk")).to_be_checked()
    page.follow(page.get_by_role("button", name="Send update"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Update sent")
    expect(page.locator("main")).to_contain_text("Your update has been sent to the board secretary")

    # The secretary accepts it on the action's page.
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    page.goto(f"/actions/{link['id']}")
    page.check_accessibility()
    expect(summary_value(page, "Progress")).to_have_text("0%")
    waiting = page.locator(".app-update").first
    expect(waiting).to_contain_text("Audited 120 booking records: 96 had a CO reading.")
    expect(waiting).to_contain_text("Head of Midwifery")
    page.follow(waiting.get_by_role("button", name="Accept update from Head of Midwifery"), 200)

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Update from Head of Midwifery accepted."
    )
    expect(summary_value(page, "Progress")).to_have_text("60%")
    latest = page.locator(".app-timeline__entry", has_text="Update accepted").first
    expect(latest).to_be_visible()


def test_a_replaced_link_explains_and_offers_a_new_one(page, link):
    response = page.goto(link["replaced"])
    assert response.status == 410
    page.check_accessibility(expected_status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has been replaced")

    page.follow(page.get_by_role("button", name="Send a new link to the current owner"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text(
        "If the action is still open, we have emailed a new link to its owner."
    )
