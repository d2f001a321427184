"""Email in a real browser and through a real SMTP server: the admin reads an email in the
mailbox and follows its link; a failed email is retried from the outbox and then delivered.

Every page is checked with axe-core (WCAG 2.2 A and AA) and for console errors (the email's
frame included: a blocked style or script would show there).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from tameside import PASSWORD

from tests.smtp import HOST
from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import add_member, create_board
from tracker.common.time import london_today, utcnow
from tracker.extensions import db
from tracker.notify.delivery import MAX_ATTEMPTS, deliver_due
from tracker.notify.models import FAILED, SENT, OutboxMessage
from tracker.people.services import create_person

pytestmark = pytest.mark.e2e
ADMIN = "admin@assure.example"
QUICK = 5_000


@pytest.fixture
def assigned(live_app, live_server):
    """An admin, and an action just opened: its owner's assignment email is in the outbox,
    with a link to this server."""
    live_app.config["BASE_URL"] = live_server
    with live_app.app_context():
        create_person(None, name="Ada Admin", email=ADMIN, password=PASSWORD, is_admin=True)
        board = create_board(None, ref="tscp", name="Tameside Safeguarding Children Partnership")
        secretary = create_person(None, name="Sam Secretary", email="sam@tameside.example")
        add_member(None, board, secretary, "secretary")
        owner = create_person(None, name="Olive Owner", email="olive@trust.example")
        action = create_action(
            None,
            board,
            ref="TSCP-IM-01",
            title="Safe sleep briefings",
            owner=owner,
            due_on=london_today() + timedelta(days=60),
        )
        fire_transition(None, action, "open")
        db.session.commit()
        return db.session.scalar(select(OutboxMessage.id))


def test_the_admin_reads_an_email_in_the_mailbox_and_follows_its_link(page, assigned):
    page.sign_in(ADMIN, PASSWORD)
    page.goto("/admin/outbox")
    page.check_accessibility()
    expect(page.get_by_text("No mail server is set")).to_be_visible()

    page.get_by_role("link", name="mailbox", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/mailbox")
    page.check_accessibility()

    page.get_by_role("link", name="You own action TSCP-IM-01: Safe sleep briefings").click()
    page.wait_for_load_state()
    page.check_accessibility()
    email = page.frame_locator("iframe[title^='The email']")
    expect(email.get_by_role("heading", level=1)).to_have_text("You own action TSCP-IM-01")

    with page.expect_navigation():
        email.get_by_role("link", name="Update action TSCP-IM-01").click()
    # The link opened in the whole tab (not the frame, which our pages refuse to be shown in).
    assert "/u/" in page.url
    expect(page.get_by_text("Safe sleep briefings").first).to_be_visible(timeout=QUICK)
    assert not page.console_errors, page.console_errors


def test_a_failed_email_is_retried_from_the_outbox_and_delivered(
    page, live_app, assigned, smtp_server
):
    live_app.config.update(MAIL_SERVER=HOST, MAIL_PORT=smtp_server.port)
    with live_app.app_context():
        message = db.session.get(OutboxMessage, assigned)
        message.status, message.attempts = FAILED, MAX_ATTEMPTS
        message.last_error = "The mail server refused the recipient: 550 user unknown"
        db.session.commit()

    page.sign_in(ADMIN, PASSWORD)
    page.goto("/admin/outbox?show=failed")
    page.check_accessibility()
    expect(page.get_by_text("550 user unknown")).to_be_visible()
    page.tab_to(page.get_by_role("button", name="Retry now"))
    page.press_and_wait("Enter")
    page.check_accessibility()
    expect(
        page.get_by_text("gets one more try: it will be sent at the next delivery")
    ).to_be_visible()

    with live_app.app_context():
        report = deliver_due(now=utcnow())
        assert report.sent == 1
        assert db.session.get(OutboxMessage, assigned).status == SENT
        db.session.remove()
    [received] = smtp_server.messages
    assert received.subject == "You own action TSCP-IM-01: Safe sleep briefings"

    page.goto("/admin/outbox?show=sent")
    page.check_accessibility()
    expect(
        page.get_by_role("link", name="You own action TSCP-IM-01: Safe sleep briefings")
    ).to_be_visible()
