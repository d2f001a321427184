"""Issue 7's import journey in a real browser: the demo secretary uploads a messy spreadsheet
plan, fixes the mapping of one column, reads the preview and imports it; axe-core on each page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from tameside import PASSWORD, SECRETARY

from tracker.boards.services import add_member, create_board
from tracker.extensions import db
from tracker.people.services import create_person
from tracker.reviews.services import add_recommendation, create_review

pytestmark = pytest.mark.e2e
PLAN = Path(__file__).resolve().parents[1] / "data" / "imports" / "messy_plan.xlsx"


@pytest.fixture
def world(live_app, tmp_path):
    live_app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    with live_app.app_context():
        board = create_board(None, ref="tscp", name="Tameside Safeguarding Children Partnership")
        secretary = create_person(None, name="Sam Secretary", email=SECRETARY, password=PASSWORD)
        add_member(None, board, secretary, "secretary")
        create_person(None, name="Jo Bloggs", email="jo.bloggs@example.org")
        review = create_review(None, title="Infant mortality peer review")
        for ref in ("R1", "R3"):
            add_recommendation(None, review, ref=ref, text=f"Recommendation {ref}.", boards=[board])
        db.session.commit()


def test_a_secretary_imports_a_spreadsheet_plan(page, world):
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    page.goto("/boards/tscp")
    page.follow("Import an action plan")

    page.get_by_label("Spreadsheet").set_input_files(str(PLAN))
    page.tab_to("Upload and check")
    page.press_and_wait("Enter")
    page.check_accessibility()
    expect(page.locator("h1")).to_have_text("Check the columns")

    # The BRAG column is the board's own view, not the owner's: the secretary ignores it.
    page.get_by_label("Assure field for BRAG").select_option(label="Ignore")
    page.tab_to("Continue to preview")
    page.press_and_wait("Enter")
    page.check_accessibility()
    expect(page.locator("h1")).to_have_text("Preview the import")
    expect(page.locator("#row-5")).to_contain_text("Lead officer: Jo Bloggs")
    expect(page.locator("#row-10")).to_contain_text("read as 31/03/2018")

    page.follow("Import 4 actions")
    expect(page.locator(".govuk-panel")).to_contain_text("Plan imported")
    page.follow("See the board’s actions")
    expect(page.locator("main")).to_contain_text("Offer CO screening at booking")


def test_the_upload_says_it_is_working_while_the_file_is_read(page, world):
    page.sign_in_with_keyboard(SECRETARY, PASSWORD)
    page.goto("/boards/tscp/import")
    status = page.get_by_role("status")
    expect(status).to_be_hidden()

    page.get_by_label("Spreadsheet").set_input_files(str(PLAN))
    # Hold the form where it is (a listener after ours), to read the page as the person does
    # while the server works.
    page.evaluate(
        "document.querySelector('form[data-busy-message]')"
        ".addEventListener('submit', event => event.preventDefault())"
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(status).to_be_visible()
    expect(status).to_contain_text("Reading the spreadsheet")
    page.check_accessibility()
