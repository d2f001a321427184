"""Two people saving the same action at once: one wins, the other is told, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tracker import create_app
from tracker.actions import services as actions
from tracker.actions.models import Action
from tracker.boards.services import create_board
from tracker.common.errors import StaleVersion
from tracker.extensions import db


@pytest.fixture
def committed_app(empty_database_url):
    """An app on its own database, where work is really committed (not rolled back)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        db.create_all()
        board = create_board(None, ref="race", name="Race board")
        actions.create_action(None, board, title="Contested action")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_only_one_of_two_simultaneous_edits_is_saved(committed_app):
    with committed_app.app_context():
        action = db.session.scalars(select(Action)).one()
        action_id, version = action.id, action.version
        db.session.remove()

    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(title: str) -> None:
        with committed_app.app_context():
            start.wait(timeout=10)
            try:
                mine = db.session.get(Action, action_id)
                actions.edit_action(None, mine, title=title, expected_version=version)
                db.session.commit()
                outcomes[title] = "saved"
            except StaleVersion:
                db.session.rollback()
                outcomes[title] = "stale"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["saved", "stale"]
    with committed_app.app_context():
        saved = db.session.get(Action, action_id)
        winner = next(t for t, o in outcomes.items() if o == "saved")
        assert (saved.title, saved.version) == (winner, version + 1)
