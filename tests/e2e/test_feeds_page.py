"""The calendar feed pages in a real browser: axe-core clean, usable with the keyboard alone,
and the address they show works in a calendar program's place (a plain GET)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.request import urlopen

import pytest
from icalendar import Calendar
from tameside import PASSWORD, SECRETARY

from tracker.actions.services import create_action, fire_transition

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(seed_board):
    seed_board(add_the_secretarys_action)


def add_the_secretarys_action(board, secretary):
    action = create_action(
        None, board, title="Smokefree homes", owner=secretary, due_on=date.today() + timedelta(90)
    )
    fire_transition(None, action, "open")


def test_make_a_feed_with_the_keyboard_and_read_it(page, seeded, live_server):
    page.sign_in(SECRETARY, PASSWORD)
    page.goto("/my/calendar")
    page.check_accessibility()

    page.follow("Make a calendar feed")

    address = page.get_by_label("Calendar feed address").input_value()
    assert "/feeds/" in address and address.endswith(".ics")
    # BASE_URL names the production host; the feed itself is read from the test server.
    path = address[address.index("/feeds/") :]
    with urlopen(live_server + path) as response:  # noqa: S310 (our own test server)
        calendar = Calendar.from_ical(response.read())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["TSCP-01: Smokefree homes"]

    page.goto("/my/calendar")  # the address is shown once only
    assert page.get_by_label("Calendar feed address").count() == 0
    page.check_accessibility()
    page.follow("Stop the feed")
    assert page.get_by_text("Your calendar feed is stopped").count() == 1


def test_the_boards_feed_page(page, seeded):
    page.sign_in(SECRETARY, PASSWORD)
    page.goto("/boards/tscp/calendar")
    page.check_accessibility()
    page.follow("Make a calendar feed")
    assert page.get_by_label("Calendar feed address").count() == 1
