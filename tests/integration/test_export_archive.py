"""A board's JSON archive: everything about the board, for its secretary, and no secrets."""

from __future__ import annotations

import json

from tests.integration import transfer_support
from tracker.actions.rag import rag_of
from tracker.boards.services import add_meeting
from tracker.people.services import set_password
from tracker.transfer.archive import SCHEMA, SCHEMA_VERSION
from tracker.transfer.feeds import create_board_feed

clock, plan, sign_in_as = transfer_support.clock, transfer_support.plan, transfer_support.sign_in_as
TODAY = transfer_support.TODAY


def archive_of(client, sign_in_as, person, ref="tscp"):
    sign_in_as(person)
    response = client.get(f"/boards/{ref}/archive.json")
    assert response.status_code == 200, response.status_code
    response.get_data()  # read the stream to its end, as a browser would
    return response


def test_the_archive_holds_the_board_its_people_actions_updates_and_events(
    client, sign_in_as, session, plan
):
    add_meeting(None, plan.board, held_on=TODAY.replace(year=2027), channel="cli")
    session.commit()

    response = archive_of(client, sign_in_as, plan.secretary)

    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tscp-archive-2026-11-28.json"'
    )
    archive = json.loads(response.data)
    assert archive["schema"] == SCHEMA and archive["schema_version"] == SCHEMA_VERSION
    assert archive["exported_at"] == "2026-11-28T10:30:00+00:00"
    assert archive["exported_by"] == "Sam Secretary <sam.secretary@example.org>"
    board = archive["board"]
    assert (board["ref"], board["workflow"], board["amber_window_days"]) == ("tscp", "standard", 14)
    assert {(m["person"]["email"], m["role"]) for m in board["members"]} == {
        ("sam.secretary@example.org", "secretary"),
        ("mo.member@example.org", "member"),
    }
    assert [m["held_on"] for m in board["meetings"]] == ["2027-11-28"]
    assert [r["ref"] for r in archive["recommendations"]] == ["R7"]
    assert archive["recommendations"][0]["review"]["title"]

    actions = {a["ref"]: a for a in archive["actions"]}
    assert list(actions) == ["A1.1", "A1.2", "A2.1", "A2.2", "A3"]
    full = plan.actions["A1.1"]
    got = actions["A1.1"]
    assert got["due_on"] == "2027-03-31" and got["original_due_on"] == "2027-03-31"
    assert got["owner"] == {
        "id": plan.owner.id,
        "name": "Olu Ówner",
        "email": "olu.owner@example.org",
    }
    assert got["recommendation_ref"] == "R7"
    assert got["lead_organisation"] == "Tameside and Glossop ICB"
    assert (got["status"], got["progress"], got["version"]) == ("in_progress", 80, full.version)
    assert got["rag"] == rag_of(full, plan.board, TODAY)
    assert got["success_measure"] == "Fewer unsafe sleep incidents."
    assert "link_version" not in got
    assert actions["A1.2"]["status_reason"] == "Because."
    assert actions["A3"]["owner"] is None and actions["A3"]["due_on"] is None

    updates = archive["updates"]
    assert [(u["action_ref"], u["state"]) for u in updates] == [
        ("A1.1", "accepted"),
        ("A1.1", "accepted"),
        ("A1.1", "submitted"),
        ("A2.2", "submitted"),
    ]
    assert updates[0]["author"]["email"] == "olu.owner@example.org"
    assert updates[0]["evidence"] == "Register, March."
    assert updates[0]["decided_at"] == "2026-11-28T10:30:00+00:00"
    assert updates[2]["decided_by"] is None

    verbs = [e["verb"] for e in archive["events"]]
    assert verbs.count("update_accepted") == 2
    assert "created" in verbs and "meeting_added" in verbs
    created = next(e for e in archive["events"] if e["action_id"] == full.id)
    assert created["changes"]["ref"] == [None, "A1.1"]


def test_the_archive_holds_no_secrets(client, sign_in_as, session, plan, make_token):
    # Secrets that exist for the board's people and the board itself.
    set_password(None, plan.secretary, "a long enough passphrase", channel="cli")
    api_token = make_token(plan.secretary)
    feed = create_board_feed(None, plan.board, channel="cli")
    session.commit()

    text = archive_of(client, sign_in_as, plan.secretary).get_data(as_text=True)

    assert plan.secretary.password_hash not in text
    for secret in (api_token, api_token.split("_", 1)[-1], feed.secret, feed.token.digest):
        assert secret not in text
    for word in ("password", "digest", "link_version", "token"):
        assert word not in text


def test_only_the_secretary_and_admins_may_download_the_archive(
    client, sign_in_as, session, make_person, plan
):
    admin = make_person(is_admin=True)
    chair = make_person()
    from tracker.boards.services import add_member

    add_member(None, plan.board, chair, "chair", channel="cli")
    stranger = make_person()
    session.commit()  # the refusals roll back

    assert archive_of(client, sign_in_as, admin).status_code == 200
    for person, status in ((plan.member, 403), (chair, 403), (plan.owner, 404), (stranger, 404)):
        sign_in_as(person)
        assert client.get("/boards/tscp/archive.json").status_code == status


def test_the_archive_of_a_board_leaves_other_boards_out(client, sign_in_as, make_action, plan):
    other = make_action(title="Somebody else's business")
    from tracker.actions import updates

    updates.submit_update(None, other, narrative="Elsewhere.", author=other.owner, channel="web")

    text = archive_of(client, sign_in_as, plan.secretary).get_data(as_text=True)

    assert "Somebody else's business" not in text and "Elsewhere." not in text


def test_the_archive_is_read_in_the_same_number_of_statements_for_few_and_many_actions(
    session, make_board, make_person, make_action, make_recommendation
):
    from datetime import UTC, datetime

    from sqlalchemy import event

    from tracker.actions import updates
    from tracker.boards.models import Board
    from tracker.extensions import db
    from tracker.transfer.archive import archive_chunks

    board_id = make_board(ref="counted", members=[(make_person(), "member")]).id

    def add(n):
        board = session.get(Board, board_id)
        recommendation = make_recommendation(boards=[board], themes=[f"Theme {n}"])
        for i in range(n):
            action = make_action(board, recommendation=recommendation, owner=make_person())
            update = updates.submit_update(
                None, action, narrative=f"Done {i}.", author=action.owner, channel="web"
            )
            updates.accept_update(None, update)
        session.commit()
        session.expunge_all()

    def statements() -> int:
        board = session.get(Board, board_id)
        seen = []

        def count(conn, cursor, statement, *args):
            if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            now = datetime(2026, 11, 28, tzinfo=UTC)
            "".join(archive_chunks(board, exported_by=None, exported_at=now, today=now.date()))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    add(3)
    few = statements()
    add(12)
    many = statements()

    assert few == many <= 8  # members, meetings, recommendations (3), actions, updates, events
