"""A review taken up by three boards, with a cell in every state: shared by the matrix tests.

A test module takes the fixtures by assigning them to its own names (``matrix_world =
fixtures.matrix_world``; ``on_now`` too, which it needs).
Everything happens on NOW (London), so that RAG ratings do not depend on the day the suite runs.

The matrix it makes (A, B, C are the boards; "x of y" complete, cancelled left out):

    R1 local, Safe sleep           A Off track 1/2   B At risk 0/1       C On track 0/1
    R2 regional, Smoking           A Complete 2/2    B On track 0/1      C Not started
    R3 sub-regional, Safe sleep    A Not started 0/3 B Not adopted       C Not started (cancelled)
    R4 local, no theme             A Off track 0/1   B On track 1/2      C Not adopted
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine

from tracker.common.time import LONDON

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=LONDON)
TODAY = NOW.date()

EXPECTED_STATES = {
    "R1": ["red", "amber", "green"],
    "R2": ["blue", "green", "not_started"],
    "R3": ["not_started", "not_adopted", "not_started"],
    "R4": ["red", "green", "not_adopted"],
}
# (complete, live) per row and per board.
ROW_TOTALS = {"R1": (1, 4), "R2": (2, 3), "R3": (0, 3), "R4": (1, 3)}
BOARD_TOTALS = [(3, 8), (1, 4), (0, 1)]


@dataclass
class MatrixWorld:
    review: object
    recommendations: dict
    boards: list  # A, B, C, in the matrix's order (by name)
    people: dict


@pytest.fixture
def on_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def matrix_world(
    on_now, session, make_person, make_board, make_action, make_review, make_recommendation
):
    """The review above; people: ``admin``; ``lead`` (member of A and B); ``a_member``
    (member of A only); ``c_owner`` (owns an action on C, member of nothing); ``stranger``."""
    people = {
        "admin": make_person(name="Ada Admin", is_admin=True),
        "lead": make_person(name="Lee Lead"),
        "a_member": make_person(name="Amy Member"),
        "c_owner": make_person(name="Cal Owner"),
        "stranger": make_person(name="Stan Stranger"),
    }
    a = make_board(
        ref="alpha",
        name="Alpha Safeguarding Partnership",
        members=[(people["lead"], "member"), (people["a_member"], "chair")],
    )
    b = make_board(ref="bravo", name="Bravo Health Board", members=[(people["lead"], "member")])
    c = make_board(ref="charlie", name="Charlie Panel")
    # A board of the lead's that takes no part in the review: not a column.
    make_board(ref="delta", name="Delta Board", members=[(people["lead"], "member")])
    review = make_review(title="Infant mortality peer review")
    recs = {
        "R1": make_recommendation(
            review, ref="R1", level="local", themes=["Safe sleep"], boards=[a, b, c]
        ),
        "R2": make_recommendation(
            review, ref="R2", level="regional", themes=["Smoking"], boards=[a, b, c]
        ),
        "R3": make_recommendation(
            review, ref="R3", level="sub-regional", themes=["Safe sleep"], boards=[a, c]
        ),
        "R4": make_recommendation(review, ref="R4", level="local", boards=[a, b]),
    }
    far, soon, past = TODAY + timedelta(days=100), TODAY + timedelta(days=5), TODAY - timedelta(1)

    def action(board, ref, status, due_on=far, progress=None, owner=None):
        kwargs = {"owner": owner} if owner else {}
        made = make_action(board, status=status, recommendation=recs[ref], due_on=due_on, **kwargs)
        if progress is not None:
            made.progress = progress
        return made

    # R1: A off track (one overdue, one completed); B at risk (due soon, little progress);
    # C on track (under way, plenty of time), its action owned by someone on no board.
    action(a, "R1", "in_progress", due_on=past, progress=40)
    action(a, "R1", "completed")
    action(b, "R1", "in_progress", due_on=soon, progress=10)
    action(c, "R1", "in_progress", progress=50, owner=people["c_owner"])
    # R2: A complete (the cancelled action does not count); B on track; C adopted, no actions.
    action(a, "R2", "closed")
    action(a, "R2", "completed")
    action(a, "R2", "cancelled")
    action(b, "R2", "in_progress", progress=50)
    # R3: A not started (drafts and open with no progress); C's only action was cancelled.
    action(a, "R3", "open", progress=0)
    action(a, "R3", "open", progress=0)
    action(a, "R3", "draft")
    action(c, "R3", "cancelled")
    # R4: A off track although not started (open, overdue); B on track (half done).
    action(a, "R4", "open", due_on=past, progress=0)
    action(b, "R4", "completed")
    action(b, "R4", "open", progress=0)
    # Another review's action on A: never counted here.
    other = make_recommendation(make_review(title="Another review"), ref="X1", boards=[a])
    make_action(a, status="completed", recommendation=other, due_on=far)
    session.flush()
    return MatrixWorld(review, recs, [a, b, c], people)
