"""The meeting pack pages: the draft preview, issuing a version, each version's downloads."""

from __future__ import annotations

import io

import pytest
from flask import g
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.integration.packs_world import pack_world_for
from tracker.oversight.packs.models import MeetingPack

PACK = "/boards/tscp/meetings/2027-03-20/pack"


@pytest.fixture
def pack_world(request):
    with pack_world_for(request) as world:
        yield world


def switch_to(sign_in, person):
    """Sign in as someone else: the test's app context outlives each request, and with it
    Flask-Login's cached user."""
    g.pop("_login_user", None)
    sign_in(person)


def versions(session) -> list[int]:
    return list(session.scalars(select(MeetingPack.version).order_by(MeetingPack.version)))


def issue(post_form, session):
    response = post_form(PACK, {})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_each_meeting_links_to_its_pack(pack_world, sign_in, client):
    sign_in(pack_world.member)

    page = client.get("/boards/tscp/meetings").get_data(as_text=True)

    assert f'href="{PACK}"' in page


def test_a_member_sees_the_draft_but_cannot_issue(pack_world, sign_in, client):
    sign_in(pack_world.member)

    response = client.get(PACK)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Draft, not issued" in page
    assert "No version has been issued yet." in page
    assert "Issue pack" not in page
    assert "Figures as at" in page and "13 March 2027" in page
    assert "Second report" in page and "Third report" not in page


def test_the_secretary_issues_versions_that_all_stay(
    pack_world, sign_in, client, post_form, session
):
    sign_in(pack_world.secretary)
    assert "Issue pack" in client.get(PACK).get_data(as_text=True)

    first = issue(post_form, session)
    second = issue(post_form, session)

    page = client.get(first).get_data(as_text=True)
    assert "Pack for the meeting on 20 March 2027, version 1" in page
    assert "Version 2" in page and "Sam Secretary" in page
    assert client.get(second).status_code == 200
    assert versions(session) == [1, 2]
    draft = client.get(PACK).get_data(as_text=True)
    assert "Issuing stores this pack as version 3" in draft


def test_a_member_may_not_issue(pack_world, sign_in, client, post_form, session):
    sign_in(pack_world.member)

    response = post_form("/accessibility", {}, action=PACK)

    assert response.status_code == 403
    assert versions(session) == []


def test_each_version_downloads_in_every_format_with_its_filename(
    pack_world, sign_in, client, post_form, session
):
    sign_in(pack_world.secretary)
    page = issue(post_form, session)
    switch_to(sign_in, pack_world.member)

    expected = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
        "html": "text/html; charset=utf-8",
    }
    for fmt, media_type in expected.items():
        response = client.get(f"{page}.{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Type"] == media_type
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="tscp-2027-03-20-pack-v1.{fmt}"'
        )
        body = response.get_data()
        if fmt == "pdf":
            text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
            assert "Tameside Safeguarding Children Partnership" in text
        elif fmt == "xlsx":
            assert load_workbook(io.BytesIO(body))["Actions"].max_row == 6
        elif fmt == "csv":
            assert body.decode("utf-8-sig").count("\r\n") == 6
        else:
            assert b"<style>" in body and b"size: A4" in body


@pytest.mark.parametrize(
    "path",
    [
        "/boards/tscp/meetings/2027-03-21/pack",  # no meeting that day
        "/boards/tscp/meetings/not-a-date/pack",
        "/boards/tscp/meetings/2027-02-30/pack",
        "/boards/nope/meetings/2027-03-20/pack",
        "/packs/999999",
        "/packs/999999.pdf",
    ],
)
def test_unknown_meetings_and_packs_are_not_found(pack_world, sign_in, client, path):
    sign_in(pack_world.secretary)

    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_someone_off_the_board_cannot_see_its_packs(
    pack_world, sign_in, client, post_form, session, make_person
):
    sign_in(pack_world.secretary)
    page = issue(post_form, session)
    stranger = make_person()
    session.commit()
    switch_to(sign_in, stranger)

    assert client.get(PACK).status_code == 404
    assert client.get(page).status_code == 404
    assert client.get(f"{page}.pdf").status_code == 404


def test_two_secretaries_issuing_at_once_keep_the_first_version(
    pack_world, sign_in, client, post_form, session, monkeypatch
):
    from tracker.oversight.packs import routes

    sign_in(pack_world.secretary)
    issue(post_form, session)
    real = routes.issue_pack

    def racing(actor, meeting, channel):
        # As if another secretary's version 2 had been committed after this one was numbered.
        pack = real(actor, meeting, channel=channel)
        pack.version = 1
        return pack

    monkeypatch.setattr(routes, "issue_pack", racing)

    response = post_form(PACK, {}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else issued a version of this pack at the same moment" in page
    assert versions(session) == [1]
