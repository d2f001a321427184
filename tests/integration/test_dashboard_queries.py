"""The dashboard's statements give the same answers whatever order the database reads in:
events that share one timestamp, and waiting updates spread over boards."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tracker.actions.models import Update
from tracker.audit.models import Event
from tracker.common.time import london_today, utcnow
from tracker.extensions import db
from tracker.oversight.changes import LIST_LIMIT, changes_since
from tracker.web.queries import board_figures


def test_the_latest_changes_are_the_newest_when_they_share_one_timestamp(
    session, make_board, make_action
):
    board = make_board()
    for _ in range(LIST_LIMIT + 5):
        make_action(board)
    make_action()  # another board's: never listed
    # As a bulk load writes them: every event at the same moment.
    mine = Event.board_id == board.id
    session.execute(update(Event).where(mine).values(occurred_at=utcnow()))
    ids = session.scalars(select(Event.id).where(mine, Event.action_id.is_not(None))).all()

    summary = changes_since(board, london_today() - timedelta(days=1))

    assert [entry.event.id for entry in summary.latest] == sorted(ids, reverse=True)[:LIST_LIMIT]
    assert summary.total == len(ids)


def test_waiting_updates_are_counted_per_board_with_the_actions_they_are_on(
    session, make_board, make_action
):
    board, other = make_board(), make_board()
    twice, once, accepted = make_action(board), make_action(board), make_action(board)
    elsewhere = make_action(other)
    for action, state in [
        (twice, "submitted"),
        (twice, "submitted"),
        (once, "submitted"),
        (accepted, "accepted"),
        (elsewhere, "submitted"),
    ]:
        db.session.add(
            Update(
                action_id=action.id,
                author_id=action.owner_id,
                channel="web",
                narrative="Going.",
                progress=10,
                state=state,
            )
        )
    session.flush()

    figures = board_figures([board.id, other.id], london_today())

    waiting = {b: (f.updates_waiting, f.actions_with_updates_waiting) for b, f in figures.items()}
    assert waiting == {board.id: (3, 2), other.id: (1, 1)}
