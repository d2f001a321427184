"""Meeting packs in a real browser: the draft and an issued version pass axe-core, the secretary
issues with the keyboard, and the page prints on A4 with the pack alone."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from tameside import PASSWORD, SECRETARY

from tracker.actions.services import create_action, fire_transition
from tracker.actions.updates import accept_update, submit_update
from tracker.boards.services import add_meeting
from tracker.people.services import create_person
from tracker.reviews.services import add_recommendation, create_review

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(seed_board):
    seed_board(add_a_late_action_a_stuck_one_and_a_meeting)


def add_a_late_action_a_stuck_one_and_a_meeting(board, secretary):
    owner = create_person(None, name="Head of Midwifery", email="hom@trust.example")
    review = create_review(None, title="Infant mortality peer review")
    recommendation = add_recommendation(
        None, review, ref="R1", text="Screen for carbon monoxide.", boards=[board]
    )
    today = date.today()
    late = create_action(
        None,
        board,
        title="CO screening at booking",
        owner=owner,
        recommendation=recommendation,
        due_on=today + timedelta(days=3),
    )
    fire_transition(None, late, "open")
    stuck = create_action(
        None, board, title="Smokefree homes", owner=owner, due_on=today + timedelta(days=90)
    )
    fire_transition(None, stuck, "open")
    fire_transition(None, stuck, "start")
    update = submit_update(None, stuck, narrative="Leaflets printed.", author=owner)
    accept_update(None, update)
    fire_transition(None, stuck, "block", {"comment": "Waiting for the printer."})
    add_meeting(None, board, held_on=today + timedelta(days=14), papers_due_on=today + timedelta(7))


def test_the_secretary_previews_and_issues_a_pack_that_passes_axe(page, seeded):
    page.sign_in(SECRETARY, PASSWORD)
    page.goto("/boards/tscp/meetings")
    page.check_accessibility()
    page.follow(page.get_by_role("link", name="Meeting pack").first)
    assert page.get_by_role("heading", name="Draft, not issued").count() == 1
    # Due in 3 days: overdue by the papers deadline, a week away.
    assert page.get_by_text("Overdue by 4 days").count() >= 1

    page.follow("Issue pack")

    assert page.get_by_role("heading", level=1).inner_text().endswith("version 1")
    assert page.get_by_text("Leaflets printed.").count() >= 1
    assert page.get_by_role("link", name="PDF of version 1").count() == 1


def test_the_pack_page_prints_on_a4_with_the_pack_alone(page, seeded):
    page.sign_in(SECRETARY, PASSWORD)
    page.goto("/boards/tscp/meetings")
    page.get_by_role("link", name="Meeting pack").first.click()
    page.wait_for_load_state()

    page.emulate_media(media="print")
    assert not page.locator(".app-pack-controls").is_visible()
    assert page.locator(".app-pack__summary").is_visible()
    # The page size comes from the stylesheet's @page rule, not from Playwright.
    body = page.pdf(prefer_css_page_size=True, print_background=True)

    reader = PdfReader(io.BytesIO(body))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    # The summary, the exceptions and the actions each start a page.
    assert len(reader.pages) >= 3
    assert "Issue pack" not in "".join(p.extract_text() for p in reader.pages)
