"""The journeys of issue 3 in a real browser, with the keyboard alone and axe-core on every page.

Each test starts where a person would (the sign-in page, or an address typed in), moves only by
Tab, Shift+Tab, arrow keys, Enter and typing, and checks every page it reaches with axe-core
(WCAG 2.2 A and AA) and for console errors. Data is seeded through the service functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from tameside import BOARD_NAME as BOARD
from tameside import PASSWORD, SECRETARY

from tracker.actions.services import create_action, fire_transition
from tracker.boards.services import add_member, create_board
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.people.services import create_person
from tracker.reviews.services import add_recommendation, create_review

pytestmark = pytest.mark.e2e
OTHER_BOARD = "Oldham Safeguarding Children Partnership"
REVIEW = "Child Q: learning from a rapid review"
CHAIR = "chair@tameside.example"
MEMBER = "member@tameside.example"
# How long a page may take to react (a focus moved by GOV.UK Frontend's script, say).
QUICK = 5_000


@dataclass(frozen=True)
class World:
    """Ids of what the tests open by address."""

    in_progress: int
    completed: tuple[int, int]
    other_board_action: int


@pytest.fixture
def world(live_app) -> World:
    """Two boards; Tameside has a secretary, a chair, a member, a review's recommendation it
    adopted, an action in progress and two completed ones; Oldham has an action of its own."""
    with live_app.app_context():
        board = create_board(None, ref="tscp", name=BOARD, kind="safeguarding children partnership")
        for email, name, role in (
            (SECRETARY, "Sam Secretary", "secretary"),
            (CHAIR, "Chris Chair", "chair"),
            (MEMBER, "Morgan Member", "member"),
        ):
            person = create_person(None, name=name, email=email, password=PASSWORD)
            add_member(None, board, person, role)
        owner = create_person(
            None, name="Head of Midwifery", email="hom@trust.example", organisation="The Trust"
        )
        review = create_review(None, title=REVIEW, publisher="Safeguarding Practice Review Panel")
        add_recommendation(
            None,
            review,
            ref="R1",
            text="Midwives screen every pregnant woman for carbon monoxide at booking.",
            boards=[board],
        )
        due = london_today() + timedelta(days=60)
        working = create_action(None, board, title="Audit CO screening", owner=owner, due_on=due)
        fire_transition(None, working, "open")
        fire_transition(None, working, "start")
        completed = []
        for title in ("Train midwives in CO screening", "Buy CO monitors for every team"):
            action = create_action(None, board, title=title, owner=owner, due_on=due)
            fire_transition(None, action, "open")
            fire_transition(None, action, "start")
            fire_transition(
                None, action, "complete", {"evidence": "Audit report of March: 98% screened."}
            )
            completed.append(action)
        other = create_board(None, ref="oscp", name=OTHER_BOARD)
        secret = create_action(None, other, title="Oldham's own action", due_on=due)
        db.session.commit()
        return World(working.id, (completed[0].id, completed[1].id), secret.id)


def main(page):
    return page.locator("main")


def banner(page):
    """The message a page shows after a change (a GOV.UK notification banner)."""
    return page.locator(".govuk-notification-banner")


def summary_value(page, key: str):
    """The value beside ``key`` in the action page's summary list."""
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key)).locator(
        ".govuk-summary-list__value"
    )


def type_date(page, day_field, when) -> None:
    """Tab to a GOV.UK date's day box and type the date, a box at a time."""
    page.tab_to(day_field)
    page.keyboard.type(str(when.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(when.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(when.year))


def test_a_secretary_turns_a_recommendation_into_two_actions(page, world):
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your boards")
    page.follow("Reviews")
    page.follow(REVIEW)
    page.follow("R1 (recommendation)")
    expect(
        main(page).get_by_text(f"{BOARD} has no actions for this recommendation yet")
    ).to_be_visible()
    page.follow(f"Add an action for this recommendation ({BOARD})")

    # The first action, for someone already in Assure.
    recommendation = page.get_by_label("Recommendation", exact=True)
    expect(recommendation.locator("option:checked")).to_contain_text("R1:")
    page.tab_to("Title")
    page.keyboard.type("Screen for CO at every booking appointment")
    page.tab_to(page.get_by_role("radio", name="Someone already in Assure"))
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Someone already in Assure")).to_be_checked()
    person = page.tab_to(page.get_by_role("combobox", name="Someone already in Assure"))
    page.keyboard.type("Head")  # a closed select jumps to the option typed
    expect(person.locator("option:checked")).to_have_text("Head of Midwifery (The Trust)")
    first_due = london_today() + timedelta(days=90)
    type_date(page, page.get_by_role("textbox", name="Day"), first_due)
    page.follow("Save and add another for this recommendation")

    # Back on the same form, for the same recommendation, with the first action listed (the
    # board's three seeded actions are TSCP-01 to TSCP-03).
    expect(banner(page)).to_contain_text(
        "Action TSCP-04 added. Add another action for recommendation R1."
    )
    expect(
        page.get_by_label("Recommendation", exact=True).locator("option:checked")
    ).to_contain_text("R1:")
    expect(
        main(page).get_by_text("TSCP-04: Screen for CO at every booking appointment")
    ).to_be_visible()

    # The second, for someone added on the spot.
    page.tab_to("Title")
    page.keyboard.type("Give every team a CO monitor")
    page.tab_to(page.get_by_role("radio", name="Someone already in Assure"))
    page.keyboard.press("ArrowDown")  # arrows move through a radio group, and choose
    expect(page.get_by_role("radio", name="Someone new to Assure")).to_be_checked()
    page.tab_to("Full name")
    page.keyboard.type("Pat Procurement")
    page.keyboard.press("Tab")
    page.keyboard.type("pat@council.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Tameside Council")
    second_due = london_today() + timedelta(days=120)
    type_date(page, page.get_by_role("textbox", name="Day"), second_due)
    page.follow("Save action")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "TSCP-05: Give every team a CO monitor"
    )
    expect(banner(page)).to_contain_text(
        "Action TSCP-05 added. Pat Procurement was added to Assure."
    )
    expect(summary_value(page, "Owner")).to_contain_text("Pat Procurement")

    # Both are on the recommendation's page...
    page.follow("R1")
    rows = main(page).get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="TSCP-04")).to_contain_text("Head of Midwifery")
    expect(rows.filter(has_text="TSCP-05")).to_contain_text("Pat Procurement")

    # ...and on the board's list of actions.
    page.follow(BOARD)  # in the header
    page.follow("All actions")
    rows = main(page).get_by_role("row")
    expect(rows.filter(has_text="TSCP-04")).to_contain_text("Head of Midwifery")
    expect(rows.filter(has_text="TSCP-04")).to_contain_text(first_due.strftime("%-d %B %Y"))
    expect(rows.filter(has_text="TSCP-05")).to_contain_text("Pat Procurement")
    expect(rows.filter(has_text="TSCP-05")).to_contain_text(second_due.strftime("%-d %B %Y"))


def test_a_secretary_blocks_an_action_and_first_forgets_the_reason(page, world):
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    page.follow(BOARD)
    page.follow("All actions")
    page.follow("TSCP-01", 120)
    expect(summary_value(page, "Status")).to_have_text("In progress")
    page.follow("Mark as blocked")

    submit = page.get_by_role("button", name="Mark as blocked")
    page.tab_to(submit)
    page.press_and_wait("Enter")
    page.check_accessibility()
    expect(page.page).to_have_title("Error: Mark as blocked: TSCP-01 – Assure")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused(timeout=QUICK)  # GOV.UK Frontend moves focus to it
    problem = page.tab_to(summary.get_by_role("link"), 1)  # the next Tab is its first link
    expect(problem).to_contain_text("Give a reason")
    reason = page.get_by_label("Reason")
    # The same words beside the box, read out with it.
    expect(reason).to_have_accessible_description(re.compile(re.escape(problem.inner_text())))
    page.keyboard.press("Enter")
    expect(reason).to_be_focused(timeout=QUICK)

    page.keyboard.type("Waiting for the CO monitors the council is buying.")
    page.tab_to(submit)
    page.press_and_wait("Enter")
    page.check_accessibility()
    expect(banner(page)).to_contain_text("TSCP-01 is now blocked.")
    expect(summary_value(page, "Status")).to_contain_text("Blocked")
    expect(summary_value(page, "Status")).to_contain_text(
        "Waiting for the CO monitors the council is buying."
    )
    latest = page.locator(".app-timeline__entry").first
    expect(latest).to_contain_text("Sam Secretary")
    expect(latest.locator(".app-timeline__change")).to_contain_text("In progress")
    expect(latest.locator(".app-timeline__change")).to_contain_text("Blocked")
    expect(latest).to_contain_text("Waiting for the CO monitors the council is buying.")


def test_a_chair_signs_off_one_completed_action_and_sends_another_back(page, world):
    page.sign_in_with_keyboard(CHAIR, PASSWORD)
    page.follow(BOARD)
    waiting = page.get_by_role("table", name="Actions awaiting sign-off")
    expect(waiting.get_by_role("row")).to_have_count(3)  # the header and two actions

    page.follow(waiting.get_by_role("link", name="TSCP-02"), 120)
    expect(summary_value(page, "Status")).to_have_text("Completed")
    page.follow("Sign off and close")
    expect(main(page).get_by_text("Audit report of March: 98% screened.")).to_be_visible()
    page.follow(page.get_by_role("button", name="Sign off and close"))
    expect(banner(page)).to_contain_text("TSCP-02 is now closed.")
    expect(summary_value(page, "Status")).to_have_text("Closed")

    page.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=BOARD))
    expect(waiting.get_by_role("row")).to_have_count(2)
    page.follow(waiting.get_by_role("link", name="TSCP-03"), 120)
    page.follow("Refuse sign-off")
    page.tab_to("Reason")
    page.keyboard.type("The audit covers one team; we need all three.")
    page.follow(page.get_by_role("button", name="Refuse sign-off"))
    expect(summary_value(page, "Status")).to_have_text("In progress")
    latest = page.locator(".app-timeline__entry").first
    expect(latest).to_contain_text("Chris Chair")
    expect(latest).to_contain_text("The audit covers one team; we need all three.")


def test_a_member_cannot_open_another_boards_pages(page, world):
    page.sign_in_with_keyboard(MEMBER, PASSWORD)
    action = world.other_board_action
    for path in (
        "/boards/oscp",
        "/boards/oscp/actions",
        f"/actions/{action}",
        f"/actions/{action}/transitions/cancel",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text(OTHER_BOARD)).to_have_count(0)
        expect(page.get_by_text("Oldham's own action")).to_have_count(0)
        page.check_accessibility(expected_status=404)
    # The way out works from the keyboard too.
    page.follow("see every board")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your boards")


FOCUSABLE_LIMIT = 200
# "first" the first time an element has focus, "again" when Tab has come round to it, "page"
# when focus has left the elements for the page itself.
FOCUS_ROUND = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "page";
  window.focusSeen = window.focusSeen || new WeakSet();
  if (window.focusSeen.has(el)) return "again";
  window.focusSeen.add(el);
  return "first";
}"""


def tab_through_every_control(page) -> int:
    """Tab from the top of the page to its end: each element reached shows a visible focus.
    Returns how many elements took focus."""
    for reached in range(FOCUSABLE_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_ROUND) != "first":
            return reached
        page.assert_focus_visible()
    raise AssertionError(f"Tab never came to the end of {page.url}")


def test_every_control_shows_where_the_focus_is(page, world):
    """The sign-in page, a board's overview and an action's page, Tab by Tab."""
    page.goto("/sign-in")
    page.check_accessibility()
    assert tab_through_every_control(page) >= 4  # skip link, service name, two boxes, button
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    for path in ("/boards/tscp", f"/actions/{world.in_progress}"):
        page.goto(path)
        page.check_accessibility()
        assert tab_through_every_control(page) >= 20, path
