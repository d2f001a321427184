"""Why an action has its RAG colour: the words come from the rule itself, so the colour they
explain is always the rule's colour (pure Python; no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.actions.rag import RAGS, PythonOps, RagInputs, rag_of, rule
from tracker.actions.rag_reasons import PHRASES, explain, rag_reasons

TODAY = date(2027, 3, 14)
STATES = ["draft", "open", "in_progress", "blocked", "completed", "closed", "cancelled"]
INPUT_NAMES = {"status", "days_to_due", "days_since_report", "progress", "owner_rag"}

inputs = st.builds(
    RagInputs,
    status=st.sampled_from(STATES),
    days_to_due=st.none() | st.integers(-400, 400),
    days_since_report=st.none() | st.integers(0, 400),
    progress=st.integers(0, 100),
    owner_rag=st.sampled_from([None, "green", "amber", "red"]),
    amber_window_days=st.integers(0, 60),
    stale_window_days=st.integers(1, 365),
)


@given(inputs)
def test_the_colour_explained_is_the_rules_colour(x):
    explained = explain(x)

    assert explained.rag == rule(x, PythonOps)
    assert explained.rag in RAGS


@given(inputs)
def test_every_colour_but_green_has_words_for_why(x):
    explained = explain(x)

    if explained.rag == "green":
        assert explained.reasons == ()
        assert explained.text == "On track"
    else:
        assert explained.reasons
        # Every comparison the rule makes has words of its own: no input's name shows through.
        assert not any(name in reason for reason in explained.reasons for name in INPUT_NAMES)


def test_every_phrase_is_for_one_of_the_rules_inputs():
    assert {name for _, name in PHRASES} <= INPUT_NAMES


def action(**values):
    base = {
        "status": "in_progress",
        "due_on": TODAY + timedelta(days=60),
        "progress": 0,
        "owner_rag": None,
        "progress_reported_at": datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
    }
    return SimpleNamespace(**{**base, **values})


BOARD = SimpleNamespace(amber_window_days=14, stale_window_days=60)


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({}, "On track"),
        ({"due_on": TODAY - timedelta(days=12)}, "Off track: overdue by 12 days"),
        ({"due_on": TODAY - timedelta(days=1)}, "Off track: overdue by 1 day"),
        ({"status": "blocked"}, "Off track: blocked"),
        ({"owner_rag": "red"}, "Off track: owner says off track"),
        (
            {"status": "blocked", "due_on": TODAY - timedelta(days=3), "owner_rag": "red"},
            "Off track: overdue by 3 days; blocked; owner says off track",
        ),
        (
            {"due_on": TODAY + timedelta(days=14), "progress": 60},
            "At risk: due within 14 days and under 75% done",
        ),
        (
            {"progress_reported_at": datetime(2027, 1, 1, 9, 0, tzinfo=UTC)},
            "At risk: no accepted update for 72 days",
        ),
        ({"owner_rag": "amber"}, "At risk: owner says at risk"),
        (
            {"due_on": TODAY + timedelta(days=3), "owner_rag": "amber"},
            "At risk: due within 14 days and under 75% done; owner says at risk",
        ),
        ({"due_on": TODAY + timedelta(days=3), "progress": 75}, "On track"),
        (
            {"status": "closed", "due_on": TODAY - timedelta(days=90)},
            "Complete: the action is closed",
        ),
        ({"status": "cancelled"}, "Complete: the action is cancelled"),
        ({"due_on": None}, "On track"),
    ],
)
def test_reasons_in_words(values, text):
    subject = action(**values)

    explained = rag_reasons(subject, BOARD, TODAY)

    assert explained.text == text
    assert explained.rag == rag_of(subject, BOARD, TODAY)


def test_the_boards_windows_are_in_the_words():
    board = SimpleNamespace(amber_window_days=30, stale_window_days=10)

    explained = rag_reasons(action(due_on=TODAY + timedelta(days=20)), board, TODAY)

    assert explained.text == (
        "At risk: due within 30 days and under 75% done; no accepted update for 13 days"
    )
