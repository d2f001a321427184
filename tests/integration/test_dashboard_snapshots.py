"""Daily snapshots: one row per board per day, right, and the same however often taken."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select

from tests.integration import dashboard_world
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.oversight.dashboard import TREND_WEEKS, board_dashboard
from tracker.oversight.snapshots import BoardSnapshot, take_snapshots
from tracker.web.queries import board_figures

world = dashboard_world.world  # the fixture


def snapshot(board, on):
    return db.session.scalar(
        select(BoardSnapshot).where(
            BoardSnapshot.board_id == board.id, BoardSnapshot.taken_on == on
        )
    )


def test_a_snapshot_records_each_boards_figures_for_the_day(session, world, make_board):
    empty = make_board()
    taken = take_snapshots(world.today)
    session.flush()
    boards = session.scalar(select(func.count()).select_from(db.Model.metadata.tables["boards"]))
    assert taken == boards
    row = snapshot(world.board, world.today)
    # Counted independently of Figures, from the world as built.
    assert (row.total, row.open, row.overdue, row.blocked, row.completed) == (14, 10, 3, 2, 3)
    assert (row.blue, row.green, row.amber, row.red) == (4, 4, 2, 4)
    assert row.blue + row.green + row.amber + row.red == row.total
    assert snapshot(world.other_board, world.today).blocked == 1
    blank = snapshot(empty, world.today)
    assert (blank.total, blank.open, blank.red) == (0, 0, 0)


def test_taking_it_again_the_same_day_replaces_the_row(session, world, make_action):
    take_snapshots(world.today)
    session.flush()
    make_action(world.board, status="blocked")
    take_snapshots(world.today)
    take_snapshots(world.today)
    session.flush()
    session.expire_all()
    rows = session.scalars(
        select(BoardSnapshot).where(BoardSnapshot.board_id == world.board.id)
    ).all()
    assert len(rows) == 1
    assert (rows[0].total, rows[0].blocked) == (15, 3)


def test_another_day_adds_a_row_with_overdue_for_that_day(session, world):
    take_snapshots(world.today)
    later = world.today + timedelta(days=1)
    take_snapshots(later)
    session.flush()
    # A-DUE-TODAY is overdue tomorrow.
    assert snapshot(world.board, later).overdue == snapshot(world.board, world.today).overdue + 1


def test_take_snapshots_leaves_the_commit_to_its_caller(session, world):
    take_snapshots(world.today)
    session.rollback()
    assert session.scalar(select(func.count(BoardSnapshot.id))) == 0


def test_the_number_of_statements_does_not_grow_with_boards(session, make_board, make_action):
    def count() -> int:
        seen = []

        def before(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            take_snapshots(london_today())
            session.flush()
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(seen)

    make_action(make_board())
    few = count()
    for _ in range(12):
        make_action(make_board(), status="blocked")
    assert count() == few


def test_the_trend_shows_the_last_snapshot_of_each_week_then_today(session, world):
    today = world.today
    for days_ago in range(1, 7 * TREND_WEEKS + 10):
        take_snapshots(today - timedelta(days=days_ago))
    session.flush()
    found = board_dashboard(world.chair, world.board, today)
    points = found.trend
    assert len(points) == TREND_WEEKS + 1
    # Each week's last day: the day before the next point.
    assert [p.on for p in points[:-1]] == [
        today - timedelta(weeks=w - 1, days=1) for w in range(TREND_WEEKS, 0, -1)
    ]
    assert all(not p.is_live for p in points[:-1])
    live = points[-1]
    figures = board_figures([world.board.id], today)[world.board.id]
    assert (live.on, live.is_live) == (today, True)
    assert (live.open, live.overdue, live.completed) == (
        figures.open,
        figures.overdue,
        figures.delivered,
    )
    # Overdue was worked out for each day: twelve weeks ago no action was past its due date.
    assert points[0].overdue == 0 < live.overdue
