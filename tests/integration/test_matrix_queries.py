"""The review-wide matrix's query: each cell's state, the totals, the filters, who sees which
boards, and a number of SQL statements that does not grow with the actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.integration import matrix_fixtures as fixtures
from tests.integration.matrix_fixtures import BOARD_TOTALS, EXPECTED_STATES, ROW_TOTALS, TODAY
from tracker.extensions import db
from tracker.oversight.matrix import build_matrix
from tracker.reviews.models import Theme

on_now, matrix_world = fixtures.on_now, fixtures.matrix_world


def states(matrix) -> dict[str, list[str]]:
    return {row.recommendation.ref: [cell.state for cell in row.cells] for row in matrix.rows}


def test_every_cell_state_and_its_counts(matrix_world):
    matrix = build_matrix(matrix_world.people["admin"], matrix_world.review, TODAY)

    assert [b.ref for b in matrix.boards] == ["alpha", "bravo", "charlie"]
    assert states(matrix) == EXPECTED_STATES
    cells = {row.recommendation.ref: row.cells for row in matrix.rows}
    assert cells["R1"][0].summary == "Off track — 1 of 2 complete"
    assert cells["R1"][1].summary == "At risk — 0 of 1 complete"
    # The cancelled action counts on neither side.
    assert cells["R2"][0].summary == "Complete — 2 of 2 complete"
    assert cells["R2"][2].summary == "Not started"
    assert cells["R3"][0].summary == "Not started — 0 of 3 complete"
    assert cells["R3"][1].summary == "Not adopted"
    # Only a cancelled action: nothing live, but the board's list has something to show.
    assert (cells["R3"][2].live, cells["R3"][2].has_actions) == (0, True)
    assert cells["R4"][0].summary == "Off track — 0 of 1 complete"


def test_totals_per_recommendation_per_board_and_overall(matrix_world):
    matrix = build_matrix(matrix_world.people["admin"], matrix_world.review, TODAY)

    rows = {
        row.recommendation.ref: (row.completion.complete, row.completion.live)
        for row in matrix.rows
    }
    assert rows == ROW_TOTALS
    assert [(t.complete, t.live) for t in matrix.board_completion] == BOARD_TOTALS
    assert [t.percent for t in matrix.board_completion] == [37, 25, 0]  # rounded down
    assert (matrix.completion.complete, matrix.completion.live) == (4, 13)
    assert matrix.completion.text == "30% (4 of 13)"
    assert {r.recommendation.ref: r.completion.percent for r in matrix.rows}["R2"] == 66


def test_the_ratings_are_as_of_the_day_asked(matrix_world):
    # A week on, B's action for R1 is overdue: off track, not at risk.
    later = build_matrix(
        matrix_world.people["admin"], matrix_world.review, TODAY + timedelta(days=7)
    )
    assert states(later)["R1"] == ["red", "red", "green"]


@pytest.mark.parametrize(
    ("level", "theme", "refs"),
    [
        ("local", None, ["R1", "R4"]),
        ("regional", None, ["R2"]),
        ("sub-regional", None, ["R3"]),
        (None, "Safe sleep", ["R1", "R3"]),
        ("local", "Safe sleep", ["R1"]),
        ("regional", "Safe sleep", []),
    ],
)
def test_filters_by_level_and_theme(matrix_world, session, level, theme, refs):
    theme_id = session.scalar(select(Theme.id).where(Theme.name == theme)) if theme else None

    matrix = build_matrix(
        matrix_world.people["admin"], matrix_world.review, TODAY, level=level, theme_id=theme_id
    )

    assert [row.recommendation.ref for row in matrix.rows] == refs
    assert matrix.total_recommendations == 4
    # The columns stay: a filtered matrix compares the same boards.
    assert [b.ref for b in matrix.boards] == ["alpha", "bravo", "charlie"]
    # Totals are over the rows shown.
    assert matrix.completion.live == sum(row.completion.live for row in matrix.rows)


@pytest.mark.parametrize(
    ("who", "columns"),
    [
        ("admin", ["alpha", "bravo", "charlie"]),
        # The lead's Delta board takes no part in the review: no column.
        ("lead", ["alpha", "bravo"]),
        ("a_member", ["alpha"]),
        # Owning an action on Charlie shows the owner that action, not Charlie's record.
        ("c_owner", []),
        ("stranger", []),
    ],
)
def test_columns_are_the_boards_the_person_can_see(matrix_world, who, columns):
    matrix = build_matrix(matrix_world.people[who], matrix_world.review, TODAY)

    assert [b.ref for b in matrix.boards] == columns
    assert len(matrix.rows) == 4  # the review's recommendations are public
    assert all(len(row.cells) == len(columns) for row in matrix.rows)
    # Totals count only the boards shown.
    boards = ["alpha", "bravo", "charlie"]
    expected = [t for b, t in zip(boards, BOARD_TOTALS, strict=True) if b in columns]
    assert [(t.complete, t.live) for t in matrix.board_completion] == expected


def test_a_deactivated_admin_sees_no_board(matrix_world, session):
    admin = matrix_world.people["admin"]
    admin.is_active = False
    session.flush()

    assert build_matrix(admin, matrix_world.review, TODAY).boards == []


def count_statements(run) -> int:
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return seen


def test_statements_do_not_grow_with_the_actions(matrix_world, session, make_action):
    admin, review = matrix_world.people["admin"], matrix_world.review
    a, b, _ = matrix_world.boards
    recs = list(matrix_world.recommendations.values())
    session.flush()
    session.expire_all()
    few = count_statements(lambda: build_matrix(admin, review, TODAY))

    for i in range(180):
        status = "in_progress" if i % 10 == 0 else "draft"
        make_action(a if i % 2 else b, status=status, recommendation=recs[i % 2])
    session.flush()
    session.expire_all()
    many = count_statements(lambda: build_matrix(admin, review, TODAY))

    assert len(few) == len(many)
    # The matrix's six, and the review and the person reloaded after expire_all.
    assert len(many) <= 8, "\n".join(many)
