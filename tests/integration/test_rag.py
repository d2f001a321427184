"""The RAG rule: the Python and SQL forms agree, and each colour means what DESIGN.md says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.actions.rag import is_overdue, overdue_sql, rag_of, rag_sql
from tracker.boards.models import Board

TODAY = date(2027, 3, 1)
STATES = ["draft", "open", "in_progress", "blocked", "completed", "closed", "cancelled"]


def sql_rag(session, action):
    row = session.execute(
        select(rag_sql(Action, Board, TODAY), overdue_sql(Action, TODAY))
        .join(Board, Action.board_id == Board.id)
        .where(Action.id == action.id)
    ).one()
    return row[0], bool(row[1])


@pytest.fixture
def action(make_action):
    return make_action(status="open")


def set_fields(session, action, **values):
    for key, value in values.items():
        setattr(action, key, value)
    session.flush()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"status": "completed"}, "blue"),
        ({"status": "closed", "due_on": TODAY - timedelta(days=90)}, "blue"),
        ({"due_on": TODAY - timedelta(days=1)}, "red"),
        ({"status": "blocked"}, "red"),
        ({"owner_rag": "red"}, "red"),
        ({"due_on": TODAY + timedelta(days=14), "progress": 74}, "amber"),
        ({"due_on": TODAY + timedelta(days=14), "progress": 75}, "green"),
        ({"due_on": TODAY + timedelta(days=15), "progress": 0}, "green"),
        ({"due_on": TODAY, "progress": 10}, "amber"),
        ({"owner_rag": "amber"}, "amber"),
        ({"progress_reported_at": datetime(2026, 12, 30, 23, 30, tzinfo=UTC)}, "amber"),
        ({"progress_reported_at": datetime(2026, 12, 31, 0, 30, tzinfo=UTC)}, "green"),
        ({"due_on": None}, "green"),
    ],
)
def test_each_colour_follows_the_rule(session, action, values, expected):
    base = {
        "due_on": TODAY + timedelta(days=100),
        "progress": 0,
        "owner_rag": None,
        "progress_reported_at": datetime(2027, 2, 20, tzinfo=UTC),
    }
    set_fields(session, action, **{**base, **values})
    assert rag_of(action, action.board, TODAY) == expected
    assert sql_rag(session, action)[0] == expected


def test_overdue_means_due_before_today_and_not_finished(session, action):
    set_fields(session, action, due_on=TODAY - timedelta(days=1))
    assert is_overdue(action, TODAY) and sql_rag(session, action)[1]
    set_fields(session, action, due_on=TODAY)
    assert not is_overdue(action, TODAY) and not sql_rag(session, action)[1]
    set_fields(session, action, due_on=TODAY - timedelta(days=3), status="completed")
    assert not is_overdue(action, TODAY) and not sql_rag(session, action)[1]


def test_board_windows_are_respected(session, action):
    set_fields(
        session,
        action,
        due_on=TODAY + timedelta(days=20),
        progress=0,
        progress_reported_at=datetime(2027, 2, 28, tzinfo=UTC),
    )
    assert rag_of(action, action.board, TODAY) == "green"
    set_fields(session, action.board, amber_window_days=30)
    assert rag_of(action, action.board, TODAY) == "amber"
    assert sql_rag(session, action)[0] == "amber"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    status=st.sampled_from(STATES),
    due_offset=st.one_of(st.none(), st.integers(-400, 400)),
    report_offset=st.integers(0, 400),
    progress=st.integers(0, 100),
    owner_rag=st.sampled_from([None, "green", "amber", "red"]),
    amber=st.integers(1, 60),
    stale=st.integers(7, 120),
)
def test_python_and_sql_agree(
    session, action, status, due_offset, report_offset, progress, owner_rag, amber, stale
):
    set_fields(session, action.board, amber_window_days=amber, stale_window_days=stale)
    set_fields(
        session,
        action,
        status=status,
        progress=progress,
        owner_rag=owner_rag,
        due_on=None if due_offset is None else TODAY + timedelta(days=due_offset),
        progress_reported_at=datetime(2027, 3, 1, 12, tzinfo=UTC) - timedelta(days=report_offset),
    )
    assert sql_rag(session, action) == (
        rag_of(action, action.board, TODAY),
        is_overdue(action, TODAY),
    )
