"""What a meeting pack holds: figures as at the papers deadline, exceptions, actions grouped by
recommendation with their latest accepted update; and how many statements it takes."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from tests.integration.packs_world import PAPERS_DUE_ON, TODAY, pack_world_for
from tracker.extensions import db
from tracker.oversight.packs.queries import as_at_for, pack_data


@pytest.fixture
def pack_world(request):
    with pack_world_for(request) as world:
        yield world


def data_for(world, today=TODAY):
    return pack_data(world.board, world.meeting, today)


def refs(group):
    return [action["ref"] for action in group["actions"]]


def test_figures_are_as_at_the_papers_deadline_when_it_is_still_to_come(pack_world):
    data = data_for(pack_world)

    assert data["as_at"] == PAPERS_DUE_ON.isoformat() == "2027-03-13"
    assert data["as_at_rule"] == "papers deadline"
    # A1 is due on 10 March: not overdue today (1 March), overdue by the papers deadline.
    a1 = next(a for g in data["groups"] for a in g["actions"] if a["ref"] == "A1")
    assert a1["overdue_days"] == 3
    assert a1["rag"] == "red"
    assert data["figures"]["overdue"] == 1


def test_once_the_deadline_has_passed_figures_are_as_at_the_day_generated(pack_world):
    later = date(2027, 3, 16)

    data = data_for(pack_world, today=later)

    assert data["as_at"] == "2027-03-16"
    assert data["as_at_rule"] == "date generated"
    a1 = next(a for g in data["groups"] for a in g["actions"] if a["ref"] == "A1")
    assert a1["overdue_days"] == 6
    assert as_at_for(pack_world.meeting, later) == later


def test_the_figures_count_every_action_by_rag_and_what_needs_attention(pack_world):
    figures = data_for(pack_world)["figures"]

    assert figures["total"] == 6
    assert figures["open"] == 5
    assert figures["blocked"] == 1
    assert figures["awaiting_sign_off"] == 1
    assert figures["due_date_requests"] == 1
    # A4's date request and A6's fourth report wait for the secretary.
    assert figures["updates_waiting"] == 2
    # Red: A1 (overdue by the deadline), A2 (blocked), A3 (owner says red); blue: A5.
    assert figures["by_rag"]["red"] == 3
    assert figures["by_rag"]["blue"] == 1
    assert sum(figures["by_rag"].values()) == 6


def test_exceptions_list_overdue_blocked_off_track_and_due_date_requests(pack_world):
    exceptions = data_for(pack_world)["exceptions"]

    assert exceptions["overdue"] == ["A1"]
    assert exceptions["blocked"] == ["A2"]
    # Off track for another reason: A1 and A2 are red too, but already listed above.
    assert exceptions["off_track"] == ["A3"]
    [request] = exceptions["due_date_requests"]
    assert request["ref"] == "A4"
    assert request["proposed_due_on"] == "2027-10-01"
    assert request["due_on"] == "2027-08-01"
    assert request["asked_by"] == "Olu Owner"


def test_open_actions_are_grouped_by_recommendation_in_order_unlinked_last(pack_world):
    groups = data_for(pack_world)["groups"]

    assert [g["recommendation"]["ref"] if g["recommendation"] else None for g in groups] == [
        "R1",
        "R2",
        None,
    ]
    assert [refs(g) for g in groups] == [["A1", "A2", "A6"], ["A3"], ["A4"]]
    assert groups[0]["recommendation"]["review"] == "Infant mortality peer review"
    # Completed A5 is not open: it counts in the figures, not in the list.
    assert "A5" not in [ref for g in groups for ref in refs(g)]


def test_each_action_carries_its_latest_accepted_update_only(pack_world):
    actions = {a["ref"]: a for g in data_for(pack_world)["groups"] for a in g["actions"]}

    # Rejected "Third report" and waiting "Fourth report" came later; neither counts.
    assert actions["A6"]["latest_update"] == {
        "narrative": "Second report",
        "progress": 40,
        "on": "2027-03-01",
    }
    assert actions["A6"]["progress"] == 40
    assert actions["A3"]["latest_update"]["narrative"] == "Supplier has gone bust."
    assert actions["A1"]["latest_update"] is None
    assert actions["A2"]["status_label"] == "Blocked"
    assert actions["A2"]["status_reason"]
    assert actions["A1"]["owner"] == "Olu Owner"
    assert actions["A1"]["lead_organisation"] == "Tameside Council"


def test_the_data_is_plain_json(pack_world):
    import json

    data = data_for(pack_world)

    assert json.loads(json.dumps(data)) == data


@contextmanager
def counted():
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def board_with(count, make_board, make_action, make_recommendation, session):
    from tracker.actions import updates
    from tracker.boards.services import add_meeting

    board = make_board()
    recommendations = [make_recommendation(boards=[board]) for _ in range(3)]
    for i in range(count):
        action = make_action(
            board,
            status=("open", "in_progress", "blocked")[i % 3],
            recommendation=recommendations[i % 3],
            lead_organisation="Example Council",
        )
        if i % 2:
            update = updates.submit_update(
                None, action, narrative="Going well.", progress=50, author=action.owner
            )
            updates.accept_update(None, update, channel="cli")
        if i % 5 == 0:
            updates.submit_update(
                None,
                action,
                narrative="Later.",
                proposed_due_on=date(2099, 1, 1),
                comment="Why.",
                author=action.owner,
            )
    meeting = add_meeting(None, board, held_on=date(2099, 6, 1), channel="cli")
    session.commit()
    ids = board.id, meeting.id
    # An empty identity map: a lazy load per action cannot hide behind loaded objects.
    session.expunge_all()
    return ids


def test_building_a_pack_takes_the_same_number_of_statements_for_20_or_200_actions(
    session, make_board, make_action, make_recommendation
):
    from tracker.boards.models import Board, Meeting

    counts = {}
    for size in (20, 200):
        board_id, meeting_id = board_with(
            size, make_board, make_action, make_recommendation, session
        )
        board, meeting = session.get(Board, board_id), session.get(Meeting, meeting_id)
        with counted() as statements:
            data = pack_data(board, meeting, TODAY)
        assert sum(len(g["actions"]) for g in data["groups"]) == size
        counts[size] = len(statements)

    assert counts[20] == counts[200]
    assert counts[200] <= 6


def test_a_pack_too_long_to_print_counts_actions_by_recommendation(pack_world):
    from tracker.oversight.packs.render import PackView, csv_bytes, html_document

    data = pack_data(pack_world.board, pack_world.meeting, TODAY, list_limit=3)
    data["exceptions_shown"] = 0  # as if each kind had more than a page can hold
    view = PackView(data)

    html = html_document(view)

    assert view.is_long
    assert "5 open actions, too many to list here one by one" in html
    counts = {
        (row["recommendation"] or {}).get("ref"): (
            row["total"],
            row["overdue"],
            row["by_rag"]["red"],
        )
        for row in view.recommendation_counts
    }
    assert counts == {"R1": (3, 1, 2), "R2": (1, 0, 1), None: (1, 0, 0)}
    assert "Second report" not in html  # no action-by-action list
    assert "The first 0 of 1 by reference" in html
    # The spreadsheet formats always carry every action.
    assert csv_bytes(view).decode("utf-8-sig").count("\r\n") == 6
    assert not PackView(data_for(pack_world)).is_long
