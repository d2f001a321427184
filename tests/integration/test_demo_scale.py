"""``flask demo --scale N``: synthetic actions in the shape of a peer benchmark."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.boards.models import Board
from tracker.demo import scale
from tracker.demo.scale import Shape

TODAY = date(2026, 3, 2)
N = 2000


@pytest.fixture
def generated(runner, session, monkeypatch):
    # Small chunks, so that a small N still goes through more than one.
    monkeypatch.setattr(scale, "CHUNK", 300)
    result = runner.invoke(args=["demo", "--scale", str(N), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return result


def per_board(session) -> Counter:
    return Counter(
        dict(session.execute(select(Action.board_id, func.count()).group_by(Action.board_id)).all())
    )


def test_boards_and_the_big_board(session, generated):
    sizes = per_board(session)
    assert len(sizes) == 100 == session.scalar(select(func.count(Board.id)))
    assert sum(sizes.values()) == N
    biggest = sizes.most_common(1)[0][1]
    assert biggest == N // 10
    rest = sorted(sizes.values())[:-1]
    assert max(rest) - min(rest) <= 1
    assert "Added 2000 synthetic actions (2000 events) on 100 boards for 40 owners" in (
        generated.output
    )


def test_owners_have_actions_on_several_boards(session, generated):
    rows = session.execute(select(Action.owner_id, Action.board_id)).all()
    boards_of = {}
    for owner, board in rows:
        boards_of.setdefault(owner, set()).add(board)
    assert len(boards_of) == N // 50
    assert min(len(b) for b in boards_of.values()) >= 5
    assert Counter(owner for owner, _ in rows).most_common(1)[0][1] == 50


def test_due_dates_spread_evenly(session, generated):
    dues = session.scalars(select(Action.due_on)).all()
    assert min(dues) == TODAY - timedelta(days=60)
    assert max(dues) == TODAY + timedelta(days=120)
    # Six 30-day slices of the 180 days hold about a sixth each.
    slices = Counter(min(5, (d - min(dues)).days // 30) for d in dues)
    assert all(abs(count - N / 6) < N / 60 for count in slices.values()), slices
    big = per_board(session).most_common(1)[0][0]
    big_dues = session.scalars(select(Action.due_on).where(Action.board_id == big)).all()
    assert (max(big_dues) - min(big_dues)).days >= 170


def test_actions_are_open_with_one_event_each(session, generated):
    statuses = Counter(session.scalars(select(Action.status)))
    assert set(statuses) == {"open", "in_progress"}
    events = session.execute(
        select(Event.verb, func.count()).where(Event.action_id.is_not(None)).group_by(Event.verb)
    ).all()
    assert events == [("created", N)]
    refs = session.execute(select(Action.board_id, Action.ref)).all()
    assert len(set(refs)) == N


def test_runs_again_and_after_the_demo(runner, session, generated):
    assert runner.invoke(args=["demo", "--today", TODAY.isoformat()]).exit_code == 1
    again = runner.invoke(args=["demo", "--scale", "1000", "--today", TODAY.isoformat()])
    assert again.exit_code == 0, again.output
    assert "The biggest board is scale2-00" in again.output
    assert session.scalar(select(func.count(Action.id))) == N + 1000


def test_scale_after_the_demo(runner, session):
    assert runner.invoke(args=["demo", "--today", TODAY.isoformat()]).exit_code == 0
    before = session.scalar(select(func.count(Action.id)))
    result = runner.invoke(args=["demo", "--scale", "1000", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count(Action.id))) == before + 1000


def test_too_small_a_scale_is_a_usage_error(runner, session):
    result = runner.invoke(args=["demo", "--scale", "999"])
    assert result.exit_code == 2
    assert "Invalid value for '--scale'" in result.output
    assert session.scalar(select(func.count(Board.id))) == 0


@pytest.mark.parametrize("n", [1000, 2000, 100_000, 250_000])
def test_shape(n):
    shape = Shape.for_actions(n)
    assert shape.boards == max(100, n // 1000)
    assert shape.owners == n // 50
    assert Counter(shape.board_of(i) for i in range(n))[0] == n // 10
    offsets = [shape.due_offset(i, scale._stride(n)) for i in range(n)]
    assert (min(offsets), max(offsets)) == (-60, 120)
