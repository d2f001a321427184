"""The review-wide matrix as a spreadsheet: rows, state words and their fills, totals, the key."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from tests.integration import matrix_fixtures as fixtures
from tests.integration.matrix_fixtures import TODAY
from tests.integration.test_security_headers import assert_security_headers
from tracker.common.workbook import RAG_FILLS
from tracker.reviews.models import Theme

on_now, matrix_world = fixtures.on_now, fixtures.matrix_world
BOARDS = ["Alpha Safeguarding Partnership", "Bravo Health Board", "Charlie Panel"]


def download(client, world, query: str = ""):
    response = client.get(
        f"/reviews/{world.review.id}/matrix.xlsx" + (f"?{query}" if query else "")
    )
    assert response.status_code == 200, response.status_code
    return response, load_workbook(BytesIO(response.data))


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def fill_of(cell) -> str:
    return cell.fill.start_color.rgb[-6:] if cell.fill.fill_type == "solid" else ""


def test_one_row_per_recommendation_and_a_column_per_board(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    response, workbook = download(client, matrix_world)

    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="review-{matrix_world.review.id}-matrix-{TODAY.isoformat()}.xlsx"'
    )
    assert_security_headers(response)
    assert workbook.sheetnames == ["Matrix", "Key"]
    rows = values(workbook["Matrix"])
    assert rows[0] == [
        "Ref",
        "Recommendation",
        "Level",
        "Themes",
        *BOARDS,
        "Complete",
        "Actions",
        "% complete",
    ]
    assert [row[0] for row in rows[1:5]] == ["R1", "R2", "R3", "R4"]
    assert rows[1][2:] == [
        "Local",
        "Safe sleep",
        "Off track",
        "At risk",
        "On track",
        1,
        4,
        25,
    ]
    assert rows[2][4:7] == ["Complete", "On track", "Not started"]
    assert rows[3][4:7] == ["Not started", "Not adopted", "Not started"]
    assert rows[4][3:10] == [None, "Off track", "On track", "Not adopted", 1, 3, 33]
    # A blank row, then each board's completion and the overall figure.
    assert rows[5] == [None] * 10
    assert rows[6][1:] == [
        "Completion by board",
        None,
        None,
        "37% (3 of 8)",
        "25% (1 of 4)",
        "0% (0 of 1)",
        4,
        13,
        30,
    ]


def test_each_state_word_has_its_fill(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    _, workbook = download(client, matrix_world)

    sheet = workbook["Matrix"]
    fills = {cell.value: fill_of(cell) for row in sheet["E2":"G5"] for cell in row}
    assert fills == {
        "Off track": RAG_FILLS["red"][0],
        "At risk": RAG_FILLS["amber"][0],
        "On track": RAG_FILLS["green"][0],
        "Complete": RAG_FILLS["blue"][0],
        "Not started": "E5E6E7",
        "Not adopted": "",
    }
    # The header is the workbook's usual: bold, frozen, filtered.
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J5"


def test_the_key_sheet(client, sign_in, matrix_world):
    sign_in(matrix_world.people["lead"])

    _, workbook = download(client, matrix_world)

    key = workbook["Key"]
    rows = values(key)
    assert rows[0] == ["State", "Meaning"]
    assert [row[0] for row in rows[1:]] == [
        "Off track",
        "At risk",
        "On track",
        "Complete",
        "Not started",
        "Not adopted",
    ]
    assert all(row[1] for row in rows[1:])
    assert fill_of(key["A2"]) == RAG_FILLS["red"][0]


def test_the_same_filters_and_boards_as_the_page(client, sign_in, matrix_world, session):
    sign_in(matrix_world.people["lead"])
    safe_sleep = session.scalar(select(Theme.id).where(Theme.name == "Safe sleep"))

    _, workbook = download(client, matrix_world, f"theme={safe_sleep}")

    rows = values(workbook["Matrix"])
    assert rows[0][4:6] == BOARDS[:2]  # the lead does not see Charlie
    assert "Charlie Panel" not in rows[0]
    assert [row[0] for row in rows[1:3]] == ["R1", "R3"]
    assert rows[1][4:6] == ["Off track", "At risk"]
    assert rows[2][4:6] == ["Not started", "Not adopted"]


def test_no_matching_recommendation_gives_the_headers_alone(client, sign_in, matrix_world, session):
    sign_in(matrix_world.people["admin"])
    smoking = session.scalar(select(Theme.id).where(Theme.name == "Smoking"))

    _, workbook = download(client, matrix_world, f"level=sub-regional&theme={smoking}")

    rows = values(workbook["Matrix"])
    assert len(rows) == 1 and rows[0][0] == "Ref"


def test_a_wrong_filter_goes_back_to_the_page_that_explains(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    response = client.get(f"/reviews/{matrix_world.review.id}/matrix.xlsx?level=national")

    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/reviews/{matrix_world.review.id}/matrix?level=national"
    )
