"""The demo's review-wide matrix: what the demo chair and the admin see after `make run`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tracker.oversight.matrix import build_matrix
from tracker.people.services import find_person_by_email
from tracker.reviews.models import Review

TODAY = date(2026, 3, 2)


@pytest.fixture
def demo(app, runner, monkeypatch, tmp_path, session):
    monkeypatch.setitem(app.config, "INSTANCE_DIR", tmp_path)
    # Midday UTC, so that "now" and London's today are the same date.
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        result = runner.invoke(args=["demo", "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output
        yield session.scalar(select(Review))


def states(matrix) -> dict[str, list[str]]:
    return {row.recommendation.ref: [cell.state for cell in row.cells] for row in matrix.rows}


def test_the_demo_chair_sees_her_two_boards_in_varied_states(demo):
    chair = find_person_by_email("chair@tameside.example")

    matrix = build_matrix(chair, demo, TODAY)

    assert [b.ref for b in matrix.boards] == ["tsab", "tscp"]
    seen = states(matrix)
    assert seen["R1"] == ["not_adopted", "red"]  # overdue
    assert seen["R2"] == ["not_adopted", "not_started"]  # open, nothing done
    assert seen["R3"] == ["not_adopted", "blue"]
    assert seen["R4"] == ["not_started", "red"]  # TSAB's only action cancelled; TSCP blocked
    assert seen["R8"] == ["not_adopted", "amber"]
    assert seen["R9"] == ["not_adopted", "green"]
    assert seen["R11"] == ["not_started", "blue"]
    assert seen["R18"] == ["not_started", "not_started"]  # regional: every board, no actions
    assert [(t.complete, t.live) for t in matrix.board_completion] == [(0, 1), (2, 8)]


def test_the_demo_admin_sees_every_board_and_every_state(demo):
    admin = find_person_by_email("admin@assure.example")

    matrix = build_matrix(admin, demo, TODAY)

    assert len(matrix.boards) == 5
    assert "Stockport, Tameside and Trafford Child Death Overview Panel" in [
        b.name for b in matrix.boards
    ]
    every = {state for row in states(matrix).values() for state in row}
    assert every == {"red", "amber", "green", "blue", "not_started", "not_adopted"}
