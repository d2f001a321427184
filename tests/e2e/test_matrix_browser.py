"""The review-wide matrix in a real browser, on the demo data: axe-core finds nothing, the
keyboard reaches the scrolling table, and the page prints on A4 landscape."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from tameside import PASSWORD

from tracker.common.time import london_today
from tracker.demo.loader import load_demo
from tracker.extensions import db
from tracker.reviews.models import Review

pytestmark = pytest.mark.e2e
# A4 landscape in PostScript points, and its width less the 10 mm margins in CSS pixels.
A4_LANDSCAPE_POINTS = (841.89, 595.28)
PRINTABLE_WIDTH_PX = round((297 - 20) / 25.4 * 96)
# Set to a file name to keep the printed matrix and look at it.
SAVE_PDF = os.environ.get("ASSURE_MATRIX_PDF")


@pytest.fixture
def review_id(live_app) -> int:
    with live_app.app_context():
        load_demo(london_today(), PASSWORD)
        db.session.commit()
        return db.session.scalar(select(Review.id).order_by(Review.id).limit(1))


def test_the_demo_chair_opens_the_matrix_from_the_review(page, review_id):
    page.sign_in("chair@tameside.example", PASSWORD)
    page.goto(f"/reviews/{review_id}")
    page.check_accessibility()

    page.follow("Compare boards’ progress on each recommendation (review-wide matrix)")

    assert page.get_by_role("heading", level=1).inner_text() == "Review-wide matrix"
    table = page.get_by_role("table", name="Progress on each recommendation, by board")
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers == [
        "Recommendation",
        "Tameside Adult Safeguarding Partnership Board",
        "Tameside Safeguarding Children Partnership",
        "Completion",
    ]
    # The region that scrolls the wide table is reachable and shows its focus.
    page.tab_to(page.get_by_role("region", name="Progress on each recommendation, by board"))


def test_the_admins_matrix_filtered_and_unfiltered_passes_axe(page, review_id):
    page.sign_in("admin@assure.example", PASSWORD)
    page.goto(f"/reviews/{review_id}/matrix")
    page.check_accessibility()
    states = set(
        page.locator("td[data-state]").evaluate_all("(cells) => cells.map(c => c.dataset.state)")
    )
    assert states == {"red", "amber", "green", "blue", "not_started", "not_adopted"}

    page.get_by_label("Level").select_option(label="Regional")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "level=regional" in page.url
    page.check_accessibility()

    page.goto(f"/reviews/{review_id}/matrix?level=national")
    page.check_accessibility()


def test_the_matrix_prints_on_a4_landscape(page, review_id):
    page.sign_in("admin@assure.example", PASSWORD)
    page.set_viewport_size({"width": PRINTABLE_WIDTH_PX, "height": 800})
    page.goto(f"/reviews/{review_id}/matrix")

    page.emulate_media(media="print")
    # On paper the table cannot scroll: at the printable width of A4 landscape it fits whole.
    fits = page.evaluate(
        """() => {
          const table = document.querySelector('.app-matrix');
          return {table: table.scrollWidth, page: document.documentElement.clientWidth};
        }"""
    )
    assert fits["table"] <= fits["page"], fits
    assert page.get_by_role("button", name="Apply filters").is_hidden()
    page.check_accessibility()

    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    if SAVE_PDF:
        Path(SAVE_PDF).write_bytes(printed)
    pdf = PdfReader(BytesIO(printed))
    for sheet in pdf.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == tuple(round(x) for x in A4_LANDSCAPE_POINTS)
    text = " ".join(" ".join(sheet.extract_text().split()) for sheet in pdf.pages)
    assert "Review-wide matrix" in text
    assert "Completion by board" in text
    assert "Child Death Overview Panel" in text
