"""``flask import actions|recommendations``: exit codes and messages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.integration.import_helpers import DATA, workbook_bytes
from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.reviews.models import Recommendation

PLAN, PICTURE = DATA / "messy_plan.xlsx", DATA / "picture.xlsx"
RECOMMENDATIONS = DATA / "recommendations.csv"


@pytest.fixture
def board(session, make_board, make_person, make_recommendation):
    make_person(name="Jo Bloggs", email="jo.bloggs@example.org")
    board = make_board(ref="tscp")
    make_recommendation(ref="R1", boards=[board])
    make_recommendation(ref="R3", boards=[board])
    # Committed (inside the test's outer transaction): a refused command rolls back.
    session.commit()
    return board


def count_actions() -> int:
    return db.session.scalar(select(func.count(Action.id)))


def run(runner, *args):
    return runner.invoke(args=["import", *map(str, args)])


def test_importing_a_plan_prints_what_it_did_and_exits_0(runner, board):
    result = run(runner, "actions", DATA / "messy_plan.xlsx", "--board", "tscp")

    assert result.exit_code == 0, result.output
    assert "4 rows: 4 to create, 0 to change, 0 unchanged, 0 problems." in result.output
    assert f"Imported into {board.name}." in result.output
    assert count_actions() == 4
    channels = set(db.session.scalars(select(Event.channel).where(Event.board_id == board.id)))
    assert "import" in channels

    again = run(runner, "actions", DATA / "messy_plan.xlsx", "--board", "tscp")
    assert "0 to create, 0 to change, 4 unchanged" in again.output


def test_a_dry_run_changes_nothing(runner, board):
    result = run(runner, "actions", DATA / "messy_plan.xlsx", "--board", "tscp", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Row 5 (IM1): create: New action; Lead officer: Jo Bloggs" in result.output
    assert result.output.rstrip().endswith("Dry run: nothing was changed.")
    assert count_actions() == 0


def test_problems_are_printed_one_per_line_and_exit_1(runner, board):
    result = run(runner, "actions", DATA / "problem_plan.xlsx", "--board", "tscp")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Error: 5 rows: 1 to create, 0 to change, 0 unchanged, 7 problems." in lines
    assert (
        "Row 2, Target date: '31/13/2017' is not a date. Write it like 31/03/2027 "
        "(day/month/year)." in lines
    )
    assert (
        "Row 3, Ref: 'P2' is also the reference on row 4. Give each action its own "
        "reference, or skip the rows that repeat it." in lines
    )
    assert lines[-1] == "Nothing was changed."
    assert count_actions() == 0


def test_skipping_problem_rows_on_purpose(runner, board):
    result = run(
        runner, "actions", DATA / "problem_plan.xlsx", "--board", "tscp", "--skip-problem-rows"
    )

    assert result.exit_code == 0, result.output
    assert "Row 2 (P1): skipped on purpose." in result.output
    assert count_actions() == 1


def test_creating_people_from_the_command_line(runner, board, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        workbook_bytes([["Ref", "Action", "Lead officer"], ["A1", "Train", "Pat <pat@x.org>"]])
    )
    refused = run(runner, "actions", path, "--board", "tscp")
    assert refused.exit_code == 1 and "no one called 'Pat'" in refused.output

    result = run(runner, "actions", path, "--board", "tscp", "--create-people")

    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(Action)).one().owner.email == "pat@x.org"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actions", PICTURE, "--board", "tscp"], "picture.xlsx is not a spreadsheet"),
        (["actions", PLAN, "--board", "nope"], "There is no board with the reference 'nope'"),
        (["actions", DATA / "missing.xlsx", "--board", "tscp"], "does not exist"),
        (["actions", PLAN], "Missing option '--board'"),
        (["recommendations", RECOMMENDATIONS, "--review", "999999"], "No such review."),
    ],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_what_to_fix(runner, board, args, message):
    result = run(runner, *args)

    assert result.exit_code != 0
    assert message in result.output
    assert count_actions() == 0


@pytest.mark.parametrize(
    "name", ["recommendations.csv", "recommendations.xlsx", "recommendations.yaml"]
)
def test_importing_recommendations_in_each_format(runner, board, make_review, name):
    review = make_review()

    result = run(runner, "recommendations", DATA / name, "--review", review.id)

    assert result.exit_code == 0, result.output
    assert "2 recommendations: 2 to add, 0 to change, 0 unchanged, 0 problems." in result.output
    found = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.review_id == review.id)
        .order_by(Recommendation.position)
    ).all()
    assert [(r.ref, r.level, [b.ref for b in r.boards]) for r in found] == [
        ("R1", "local", ["tscp"]),
        ("R2", "sub-regional", []),
    ]
    again = run(runner, "recommendations", DATA / name, "--review", review.id)
    assert "0 to add, 0 to change, 2 unchanged" in again.output


def test_a_bad_recommendations_file_exits_1_with_each_problem(runner, board, make_review, tmp_path):
    review = make_review()
    path = tmp_path / "recs.csv"
    path.write_text("Ref,Text,Level,Boards\nR1,,national,nope\nR1,Twice,local,\n")

    result = run(runner, "recommendations", path, "--review", review.id)

    assert result.exit_code == 1
    for line in (
        "Row 2, Level: 'national' is not a level. Write Local, Sub-regional or Regional.",
        "Row 2, Boards: there is no board with the reference 'nope'. Correct it.",
        "Row 2, Text: the cell is empty. Write the text of the recommendation.",
        "Row 3, Ref: 'R1' is used on rows 2 and 3. Use it once.",
    ):
        assert line in result.output.splitlines(), result.output
    assert review.recommendations == []
