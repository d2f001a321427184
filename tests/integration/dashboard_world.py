"""A board with every kind of action the dashboard counts, for the dashboard's tests.

Import the ``world`` fixture into a test module (``from tests.integration.dashboard_world
import world``). Today is London's today; the board met ten days ago and meets again in twenty.
One action was completed before that meeting (time travel), others since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import time_machine

from tracker.actions.services import fire_transition
from tracker.actions.updates import submit_update
from tracker.boards.services import add_meeting
from tracker.common.time import london_today


@dataclass
class World:
    board: object
    other_board: object
    chair: object
    secretary: object
    today: date
    meeting_on: date
    recommendations: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)


@pytest.fixture
def world(session, make_person, make_board, make_action, make_review, make_recommendation):
    today = london_today()
    chair, secretary = make_person(name="Chris Chair"), make_person(name="Sam Secretary")
    board = make_board(
        name="Tameside Safeguarding Children Partnership",
        members=[(chair, "chair"), (secretary, "secretary")],
    )
    other_board = make_board(members=[(make_person(), "secretary")])
    review = make_review()
    recs = {
        "R1": make_recommendation(
            review, ref="R1", level="local", themes=["Safe sleep"], boards=[board]
        ),
        "R2": make_recommendation(
            review,
            ref="R2",
            level="sub-regional",
            themes=["Safe sleep", "Smoking in pregnancy"],
            boards=[board],
        ),
        "R3": make_recommendation(
            review, ref="R3", level="regional", themes=["Smoking in pregnancy"], boards=[board]
        ),
    }
    meeting_on = today - timedelta(days=10)
    add_meeting(None, board, held_on=meeting_on, papers_due_on=meeting_on - timedelta(days=7))
    add_meeting(None, board, held_on=today + timedelta(days=20))
    w = World(board, other_board, chair, secretary, today, meeting_on, recs)

    def add(key, status, due_in, rec, organisation="Tameside Council", **extra):
        w.actions[key] = make_action(
            board,
            status=status,
            due_on=today + timedelta(days=due_in) if due_in is not None else None,
            recommendation=recs[rec] if rec else None,
            lead_organisation=organisation,
            ref=key,
            **extra,
        )
        return w.actions[key]

    add("A-OVERDUE-1", "in_progress", -30, "R1")
    add("A-OVERDUE-2", "open", -3, "R2", "Tameside NHS Trust")
    add("A-DUE-TODAY", "in_progress", 0, "R1")  # due today: not overdue, due soon
    add("A-DUE-SOON", "open", 12, "R3", "Tameside NHS Trust")
    add("A-DUE-30", "in_progress", 30, "R3")  # the last day of the 30
    add("A-DUE-31", "in_progress", 31, "R2")  # one day too late for "due soon"
    add("A-BLOCKED", "blocked", 45, "R2", "Greater Manchester Police")
    add("A-BLOCKED-LATE", "blocked", -5, "R3", "Greater Manchester Police")  # overdue too
    add("A-DRAFT", "draft", None, None, None)
    add("A-COMPLETED", "completed", 5, "R1")  # since the meeting, awaiting sign-off
    add("A-CLOSED", "closed", -20, "R2", "Tameside NHS Trust")  # since the meeting
    add("A-CANCELLED", "cancelled", 60, "R3")
    # Completed before the last meeting, signed off since: not "completed since".
    with time_machine.travel(today - timedelta(days=15)):
        early = add("A-EARLY", "completed", 40, "R1")
    fire_transition(None, early, "close", {"comment": "Seen."}, channel="cli")
    # Sent back since the meeting: completed once, but not now.
    back = add("A-SENT-BACK", "completed", 50, "R3")
    fire_transition(None, back, "send_back", {"comment": "Not yet."}, channel="cli")
    # Two updates waiting on one action, one on another.
    waiting = w.actions["A-DUE-31"]
    for text in ("Half way.", "Nearly there."):
        submit_update(None, waiting, narrative=text, progress=60, author=waiting.owner)
    other = w.actions["A-OVERDUE-1"]
    submit_update(None, other, narrative="Stuck on data.", progress=20, author=other.owner)
    make_action(other_board, status="blocked")  # another board's: never counted
    session.flush()
    return w
