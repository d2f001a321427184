"""The board dashboard in a real browser: it passes axe-core, and it prints on A4 without the
site's header and navigation."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from tameside import PASSWORD

from tracker.actions.services import create_action, fire_transition
from tracker.actions.updates import submit_update
from tracker.boards.services import add_meeting, add_member, create_board
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.oversight.snapshots import take_snapshots
from tracker.people.services import create_person
from tracker.reviews.services import add_recommendation, create_review

pytestmark = pytest.mark.e2e
A4_POINTS = (595, 842)  # 210 mm by 297 mm


@pytest.fixture
def seeded(live_app):
    with live_app.app_context():
        today = london_today()
        board = create_board(
            None,
            ref="tscp",
            name="Tameside Safeguarding Children Partnership",
            kind="safeguarding children partnership",
        )
        chair = create_person(
            None, name="Independent Chair", email="chair@tameside.example", password=PASSWORD
        )
        add_member(None, board, chair, "chair")
        add_meeting(None, board, held_on=today - timedelta(days=14))
        review = create_review(None, title="Infant mortality peer review")
        rec = add_recommendation(
            None,
            review,
            ref="R1",
            text="Carbon monoxide screening at booking.",
            themes=["Smoking in pregnancy"],
            boards=[board],
        )
        owner = create_person(None, name="Head of Midwifery", email="hom@trust.example")
        steps = {
            "late": ["open", "start"],
            "blocked": ["open", "start", "block"],
            "done": ["open", "start", "complete"],
            "soon": ["open"],
        }
        for n, (kind, path) in enumerate(steps.items()):
            action = create_action(
                None,
                board,
                title=f"Action {kind}",
                recommendation=rec,
                owner=owner,
                lead_organisation="Tameside and Glossop NHS Trust",
                due_on=date.today() + timedelta(days=-10 if kind == "late" else 10 + n),
            )
            for step in path:
                fire_transition(None, action, step, {"comment": "Waiting.", "evidence": "Done."})
            if kind == "late":
                submit_update(None, action, narrative="Two clinics to go.", author=owner)
        for weeks_ago in (3, 2, 1):
            take_snapshots(today - timedelta(weeks=weeks_ago))
        db.session.commit()


def test_the_dashboard_passes_axe_and_every_chart_has_its_table(page, seeded):
    page.sign_in("chair@tameside.example", PASSWORD)
    page.goto("/boards/tscp")
    page.get_by_role("button", name="Dashboard").click()
    page.wait_for_url("**/boards/tscp/dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    # Each chart is an image named by its title, with a table of the same figures.
    for name in ("Actions by RAG rating", "Open, overdue and completed actions over time"):
        assert page.get_by_role("img", name=name).count() == 1
        assert page.get_by_role("table", name=name).count() == 1
    page.check_accessibility()


def test_the_dashboard_prints_on_a4_without_navigation(page, seeded):
    page.sign_in("chair@tameside.example", PASSWORD)
    page.goto("/boards/tscp/dashboard")
    header = page.locator(".govuk-template__header")
    assert header.is_visible()
    page.emulate_media(media="print")
    assert not header.is_visible()
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
    assert page.get_by_role("img", name="Actions by RAG rating").is_visible()
    # The stylesheet's @page asks for A4, which Chromium honours when printing.
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) >= 2
    for sheet in pdf.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == A4_POINTS
    text = "".join(sheet.extract_text() for sheet in pdf.pages)
    assert "Overdue (1)" in text
    assert "Sign out" not in text


def test_a_figure_opens_its_list_with_the_new_filters_shown_and_accessible(page, seeded):
    page.sign_in("chair@tameside.example", PASSWORD)
    page.goto("/boards/tscp/dashboard")
    page.get_by_role("link", name="1 action completed since the last meeting").first.click()
    page.wait_for_url("**/boards/tscp/actions?completed_since=*")
    assert page.get_by_role("group", name="Completed on or after").is_visible()
    assert page.get_by_text("Showing 1 action").count() == 1
    page.check_accessibility()
