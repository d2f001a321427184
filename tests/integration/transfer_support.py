"""A board whose plan uses every column, for the export and feed tests (imported as fixtures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from flask import g

from tracker.actions import updates as action_updates

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
TODAY = date(2026, 11, 28)


@pytest.fixture
def sign_in_as(sign_in):
    """Sign in as ``person``, forgetting whoever the test signed in before (the test's app
    context outlives each request, and Flask-Login keeps the last person in it)."""

    def sign(person):
        g.pop("_login_user", None)
        return sign_in(person)

    return sign


@pytest.fixture
def clock():
    """The whole test at NOW, the clock stopped."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Plan:
    board: Any
    secretary: Any
    member: Any
    owner: Any
    actions: dict[str, Any]  # by ref


@pytest.fixture
def plan(clock, session, make_person, make_board, make_action, make_recommendation):
    """A board with a secretary and a member; five actions: one with everything filled in and
    two accepted updates (the later one is the "latest"), one blocked, one completed, one with
    a submitted update only, and one with no owner, recommendation or due date."""
    secretary = make_person(name="Sam Secretary", email="sam.secretary@example.org")
    member = make_person(name="Mo Member", email="mo.member@example.org")
    owner = make_person(name="Olu Ówner", email="olu.owner@example.org")
    board = make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[(secretary, "secretary"), (member, "member")],
    )
    recommendation = make_recommendation(ref="R7", boards=[board])
    full = make_action(
        board,
        status="in_progress",
        ref="A1.1",
        title="Train every health visitor in safe sleep",
        description="Line one.\nLine two, with “quotes”, commas and a ; semicolon.",
        owner=owner,
        lead_organisation="Tameside and Glossop ICB",
        due_on=date(2027, 3, 31),
        success_measure="Fewer unsafe sleep incidents.",
        recommendation=recommendation,
    )
    first = action_updates.submit_update(
        None, full, narrative="Half trained.", progress=50, evidence="Register, March.",
        author=owner, channel="web",
    )  # fmt: skip
    action_updates.accept_update(None, first)
    second = action_updates.submit_update(
        None, full, narrative="Most trained.", progress=80, evidence="Register, May.",
        author=owner, channel="web",
    )  # fmt: skip
    action_updates.accept_update(None, second)
    action_updates.submit_update(
        None, full, narrative="Not yet accepted.", progress=90, author=owner, channel="web"
    )
    blocked = make_action(
        board, status="blocked", ref="A1.2", title="Audit referrals", owner=owner,
        due_on=date(2027, 1, 15), lead_organisation="Tameside Council",
    )  # fmt: skip
    completed = make_action(
        board, status="completed", ref="A2.1", title="Publish the leaflet", owner=owner,
        due_on=date(2026, 10, 1),
    )  # fmt: skip
    waiting = make_action(board, status="open", ref="A2.2", title="Waiting", owner=owner,
                          due_on=date(2027, 6, 30))  # fmt: skip
    action_updates.submit_update(
        None, waiting, narrative="Submitted only.", evidence="Nothing yet.", author=owner,
        channel="web",
    )  # fmt: skip
    bare = make_action(board, status="draft", ref="A3", title="Bare", owner=None, due_on=None)
    session.commit()
    actions = {a.ref: a for a in (full, blocked, completed, waiting, bare)}
    return Plan(board, secretary, member, owner, actions)
