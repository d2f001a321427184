"""A board's plan as XLSX and CSV: exactly PLAN_COLUMNS, each holding what it means."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from tests.integration import transfer_support
from tests.integration.transfer_support import TODAY
from tracker.actions.rag import RAG_LABELS, rag_of
from tracker.common.workbook import RAG_FILLS
from tracker.extensions import db
from tracker.transfer.columns import PLAN_COLUMNS, PLAN_HEADERS
from tracker.transfer.export_rows import ROW_KEYS, plan_rows
from tracker.web.templating import status_label

clock, plan, sign_in_as = transfer_support.clock, transfer_support.plan, transfer_support.sign_in_as
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def expected_row(action, board) -> dict:
    """What each column must hold for ``action``, as the columns' meanings say, from the
    action itself (not from the export's own code)."""
    accepted = [u for u in action.updates if u.state == "accepted"]
    latest = max(accepted, key=lambda u: (u.decided_at, u.id)) if accepted else None
    return {
        "Reference": action.ref,
        "Recommendation": action.recommendation.ref if action.recommendation else "",
        "Action": action.title,
        "Description": action.description,
        "Lead officer": action.owner.name if action.owner else "",
        "Lead officer email": action.owner.email if action.owner else "",
        "Lead agency": action.lead_organisation.name if action.lead_organisation else "",
        "Target date": action.due_on,
        "Status": status_label(action.status, board.workflow),
        "RAG": RAG_LABELS[rag_of(action, board, TODAY)],
        "Progress (%)": action.progress,
        "Progress update": latest.narrative if latest else "",
        "Evidence": latest.evidence if latest else "",
        "Impact": action.success_measure,
    }


def test_plan_rows_hold_the_columns_in_order():
    assert tuple(column.key for column in PLAN_COLUMNS) == ROW_KEYS


def test_the_xlsx_plan_holds_each_action_as_its_columns_mean(client, sign_in_as, plan):
    sign_in_as(plan.member)

    response = client.get("/boards/tscp/export.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tscp-actions-2026-11-28.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Action plan", "About"]
    sheet = workbook["Action plan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PLAN_HEADERS
    assert [row[0] for row in rows[1:]] == ["A1.1", "A1.2", "A2.1", "A2.2", "A3"]
    for cells, action in zip(sheet.iter_rows(min_row=2), plan.actions.values(), strict=True):
        got = {header: cell.value for header, cell in zip(PLAN_HEADERS, cells, strict=True)}
        # openpyxl reads an empty cell as None and a date cell as a datetime at midnight.
        got = {k: "" if v is None else v for k, v in got.items()}
        if isinstance(got["Target date"], datetime):
            got["Target date"] = got["Target date"].date()
        want = expected_row(action, plan.board)
        if want["Target date"] is None:
            want["Target date"] = ""
        assert got == want, action.ref
        date_cell = cells[PLAN_HEADERS.index("Target date")]
        if action.due_on:
            assert date_cell.is_date and date_cell.number_format == "dd/mm/yyyy"
        rag_cell = cells[PLAN_HEADERS.index("RAG")]
        colour = rag_of(action, plan.board, TODAY)
        assert rag_cell.fill.start_color.rgb.endswith(RAG_FILLS[colour][0])


def test_the_plan_shows_the_latest_accepted_update_and_the_rag_words(client, sign_in_as, plan):
    """The values the fixture set, spelled out: a check on expected_row itself."""
    sign_in_as(plan.secretary)

    sheet = load_workbook(io.BytesIO(client.get("/boards/tscp/export.xlsx").data))["Action plan"]

    rows = {row[0]: dict(zip(PLAN_HEADERS, row, strict=True)) for row in sheet.iter_rows(
        min_row=2, values_only=True)}  # fmt: skip
    full = rows["A1.1"]
    assert full["Recommendation"] == "R7"
    assert full["Lead officer"] == "Olu Ówner"
    assert full["Lead agency"] == "Tameside and Glossop ICB"
    assert full["Status"] == "In progress"
    assert full["Progress (%)"] == 80
    assert (full["Progress update"], full["Evidence"]) == ("Most trained.", "Register, May.")
    assert rows["A1.2"]["RAG"] == "Off track"  # blocked
    assert rows["A2.1"]["RAG"] == "Complete"
    assert rows["A2.2"]["Progress update"] is None  # only a submitted update
    assert rows["A3"]["Lead officer"] is None and rows["A3"]["Target date"] is None


def test_the_about_sheet_says_what_when_who_and_what_each_column_means(client, sign_in_as, plan):
    sign_in_as(plan.member)

    about = load_workbook(io.BytesIO(client.get("/boards/tscp/export.xlsx").data))["About"]

    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row and row[0]}
    assert facts["Board"] == "Tameside Safeguarding Children Partnership (tscp)"
    assert facts["Exported"] == "28 November 2026 at 10:30am"
    assert facts["Exported by"] == "Mo Member <mo.member@example.org>"
    assert facts["Actions"] == 5
    for header in PLAN_HEADERS:
        assert facts[header], header


def test_the_csv_plan_is_utf8_with_a_bom_and_iso_dates(client, sign_in_as, plan):
    sign_in_as(plan.member)

    response = client.get("/boards/tscp/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tscp-actions-2026-11-28.csv"'
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == PLAN_HEADERS
    for row, action in zip(rows[1:], plan.actions.values(), strict=True):
        want = expected_row(action, plan.board)
        want["Target date"] = action.due_on.isoformat() if action.due_on else ""
        want["Progress (%)"] = str(action.progress)
        assert dict(zip(PLAN_HEADERS, row, strict=True)) == want, action.ref
    assert rows[1][PLAN_HEADERS.index("Target date")] == "2027-03-31"
    assert "Line one.\nLine two, with “quotes”, commas" in rows[1][3]


def test_a_board_without_actions_exports_the_headers_alone(client, sign_in_as, make_person,
                                                            make_board, session):  # fmt: skip
    person = make_person()
    make_board(ref="empty", members=[(person, "member")])
    session.commit()
    sign_in_as(person)

    text = client.get("/boards/empty/export.csv").data.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(client.get("/boards/empty/export.xlsx").data)).active

    assert list(csv.reader(io.StringIO(text))) == [list(PLAN_HEADERS)]
    assert list(sheet.iter_rows(values_only=True)) == [PLAN_HEADERS]


@pytest.mark.parametrize("path", ["/boards/tscp/export.xlsx", "/boards/tscp/export.csv"])
def test_strangers_and_owners_off_the_board_do_not_find_the_plan(
    client, sign_in_as, make_person, plan, path
):
    stranger = make_person()
    for person in (stranger, plan.owner):
        sign_in_as(person)
        assert client.get(path).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, plan):
    response = client.get("/boards/tscp/export.csv")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


# Bounded SQL


def statements_for(function) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_plan_is_read_in_the_same_number_of_statements_for_20_and_200_actions(
    session, make_board, make_person, make_action, make_recommendation
):
    from tracker.actions import updates
    from tracker.boards.models import Board

    board_id = make_board(ref="counted").id

    def add(n):
        board = session.get(Board, board_id)
        recommendation = make_recommendation(boards=[board])
        for i in range(n):
            action = make_action(board, recommendation=recommendation, owner=make_person(),
                                 lead_organisation=f"Trust {n}-{i}")  # fmt: skip
            update = updates.submit_update(
                None, action, narrative=f"Done {i}.", author=action.owner, channel="web"
            )
            updates.accept_update(None, update)
        session.commit()
        session.expunge_all()

    def read():
        board = session.get(Board, board_id)
        return statements_for(lambda: list(plan_rows(board, TODAY)))

    add(20)
    few = read()
    add(180)
    many = read()

    assert few == many == 1
    assert len(list(plan_rows(session.get(Board, board_id), TODAY))) == 200


def test_the_board_and_its_list_link_to_the_downloads_each_reader_may_have(
    client, sign_in_as, plan
):
    sign_in_as(plan.member)
    member_board = client.get("/boards/tscp").get_data(as_text=True)
    member_list = client.get("/boards/tscp/actions").get_data(as_text=True)
    sign_in_as(plan.secretary)
    secretary_board = client.get("/boards/tscp").get_data(as_text=True)

    for page in (member_board, member_list, secretary_board):
        assert 'href="/boards/tscp/export.xlsx"' in page
        assert 'href="/boards/tscp/export.csv"' in page
    assert 'href="/my/calendar"' in member_list
    for link in ('href="/boards/tscp/archive.json"', 'href="/boards/tscp/calendar"'):
        assert link not in member_board
        assert link in secretary_board
