"""Issuing meeting packs: the formats read right, an issued pack is frozen, every version stays,
and only the secretary or an admin issues."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.integration.packs_world import pack_world_for
from tracker.actions import services as actions
from tracker.audit.models import Event
from tracker.common.errors import NotAllowed, NotFound
from tracker.common.workbook import RAG_FILLS
from tracker.oversight.packs import render
from tracker.oversight.packs.services import (
    draft_pack,
    get_pack,
    issue_pack,
    pack_pdf,
    packs_for,
    view_of,
)


@pytest.fixture
def pack_world(request):
    with pack_world_for(request) as world:
        yield world


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def issued(pack_world, session):
    pack = issue_pack(pack_world.secretary, pack_world.meeting, channel="web")
    session.commit()
    return pack


def test_the_pdf_names_the_board_and_carries_the_key_figures(pack_world, issued, session):
    text = " ".join(pdf_text(pack_pdf(issued)).split())

    assert "Tameside Safeguarding Children Partnership" in text
    assert "Pack for the meeting on 20 March 2027" in text
    assert "Figures as at 13 March 2027" in text
    assert "Overdue 1" in text
    assert "Blocked 1" in text
    assert "Due-date changes asked for 1" in text
    assert "Off track 3" in text
    assert "Version 1, issued 1 March 2027 at 1:00pm by Sam Secretary" in text
    # The footer on every page: the board's name and the page number.
    reader = PdfReader(io.BytesIO(pack_pdf(issued)))
    for number, page in enumerate(reader.pages, start=1):
        page_text = " ".join(page.extract_text().split())
        assert f"Page {number} of {len(reader.pages)}" in page_text
        assert "Tameside Safeguarding Children Partnership – meeting pack" in page_text
    # A4 portrait, in points.
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert issued.pdf_sha256 == hashlib.sha256(pack_pdf(issued)).hexdigest()


def test_the_xlsx_has_one_row_per_open_action_with_its_rag_word_and_fill(pack_world, issued):
    workbook = load_workbook(io.BytesIO(render.xlsx_bytes(view_of(issued))))
    sheet = workbook["Actions"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}

    assert header == list(render.COLUMNS)
    assert sorted(rows) == ["A1", "A2", "A3", "A4", "A6"]
    rag = header.index("RAG")
    expected = {"A1": "red", "A2": "red", "A3": "red", "A4": "green", "A6": "green"}
    for ref, colour in expected.items():
        cell = rows[ref][rag]
        assert cell.value == render.RAG_LABELS[colour], ref
        assert cell.fill.start_color.rgb.endswith(RAG_FILLS[colour][0]), ref
    assert rows["A6"][header.index("Latest accepted update")].value == "Second report"
    assert rows["A1"][header.index("Due date")].value.date() == date(2027, 3, 10)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K6"
    summary = {row[0].value: row[1].value for row in workbook["Summary"].iter_rows(min_row=2)}
    assert summary["Board"] == "Tameside Safeguarding Children Partnership"
    assert summary["Overdue"] == 1
    assert summary["Off track"] == 3
    assert summary["Version"] == "Version 1"


def test_the_csv_is_utf8_with_a_bom_iso_dates_one_row_per_action(pack_world, issued):
    body = render.csv_bytes(view_of(issued))

    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(render.COLUMNS)
    by_ref = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert sorted(by_ref) == ["A1", "A2", "A3", "A4", "A6"]
    assert by_ref["A1"]["Due date"] == "2027-03-10"
    assert by_ref["A1"]["RAG"] == "Off track"
    assert by_ref["A1"]["Recommendation"] == "R1"
    assert by_ref["A4"]["Recommendation"] == ""
    assert by_ref["A6"]["Update date"] == "2027-03-01"


def test_an_issued_pack_does_not_change_when_the_actions_do(pack_world, issued, session):
    view = view_of(issued)
    before = {
        "csv": render.csv_bytes(view),
        "html": render.html_document(view),
        "xlsx": cells(render.xlsx_bytes(view)),
        "pdf": pack_pdf(issued),
    }
    a1, pack_id = pack_world.actions["A1"], issued.id
    with time_machine.travel(date(2027, 3, 5), tick=False):
        actions.fire_transition(None, a1, "start", {}, channel="cli")
        actions.edit_action(None, a1, title="A retitled action", channel="cli")
        pack_world.secretary.name = "Sam Renamed"
        session.commit()
    session.expunge_all()

    again = get_pack(None, pack_id)
    view = view_of(again)
    assert render.csv_bytes(view) == before["csv"]
    assert render.html_document(view) == before["html"]
    assert cells(render.xlsx_bytes(view)) == before["xlsx"]
    assert pack_pdf(again) == before["pdf"]
    assert hashlib.sha256(pack_pdf(again)).hexdigest() == again.pdf_sha256
    # The draft, built from the live actions, has moved on.
    assert "A retitled action" in render.csv_bytes(draft_pack(None, again.meeting)).decode()
    assert "A retitled action" not in before["csv"].decode()


def cells(body: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(body))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def test_issuing_again_makes_a_new_version_and_both_stay(pack_world, issued, session):
    actions.edit_action(None, pack_world.actions["A1"], title="Changed later", channel="cli")
    second = issue_pack(None, pack_world.meeting, channel="cli")
    session.commit()

    assert (issued.version, second.version) == (1, 2)
    assert [p.version for p in packs_for(pack_world.member, pack_world.meeting)] == [2, 1]
    assert "Changed later" in render.csv_bytes(view_of(second)).decode()
    assert "Changed later" not in render.csv_bytes(view_of(get_pack(None, issued.id))).decode()
    assert issued.filename("pdf") == "tscp-2027-03-20-pack-v1.pdf"
    assert second.filename("xlsx") == "tscp-2027-03-20-pack-v2.xlsx"


def test_issuing_records_an_audit_event(pack_world, issued, session):
    event = session.scalar(select(Event).where(Event.verb == "pack_issued"))

    assert event.actor_id == pack_world.secretary.id
    assert event.board_id == pack_world.board.id
    assert event.changes["version"] == [None, 1]


def test_only_the_secretary_or_an_admin_issues(pack_world, make_person, session):
    admin = make_person(is_admin=True)
    stranger = make_person()

    for person in (pack_world.member, pack_world.chair):
        with pytest.raises(NotAllowed):
            issue_pack(person, pack_world.meeting)
    with pytest.raises(NotFound):
        issue_pack(stranger, pack_world.meeting)
    assert issue_pack(admin, pack_world.meeting).version == 1


def test_board_members_and_admins_read_packs_and_strangers_do_not(pack_world, issued, make_person):
    for person in (pack_world.member, pack_world.chair, make_person(is_admin=True)):
        assert get_pack(person, issued.id).id == issued.id
    with pytest.raises(NotFound):
        get_pack(make_person(), issued.id)
    with pytest.raises(NotFound):
        get_pack(pack_world.member, issued.id + 1000)
