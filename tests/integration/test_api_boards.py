"""API: boards, what each person sees of them, and a board's oversight counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tracker.actions.updates import submit_update
from tracker.common.time import london_today


@pytest.fixture
def chair(make_person):
    return make_person(name="Chris Chair")


@pytest.fixture
def board(make_board, chair):
    return make_board(name="Tameside Safeguarding Children Partnership", members=[(chair, "chair")])


@pytest.fixture
def other_board(make_board, make_person):
    return make_board(members=[(make_person(), "secretary")])


def test_a_member_lists_only_their_boards(call, make_token, chair, board, other_board):
    response = call("GET", "/api/v1/boards", make_token(chair))
    assert response.status_code == 200
    (item,) = response.json["items"]
    assert item["id"] == board.id
    assert item["ref"] == board.ref
    assert item["name"] == "Tameside Safeguarding Children Partnership"
    assert item["kind"] == "safeguarding children partnership"
    assert item["kind_label"] == "Safeguarding children partnership"
    assert item["workflow"] == "standard"
    assert item["roles"] == ["chair"]
    assert item["links"]["self"] == f"http://localhost/api/v1/boards/{board.id}"
    assert item["links"]["actions"] == f"http://localhost/api/v1/actions?board={board.id}"


def test_an_admin_lists_every_board_with_admin_powers(
    call, make_token, make_person, board, other_board
):
    admin = make_person(is_admin=True)
    response = call("GET", "/api/v1/boards", make_token(admin))
    by_id = {b["id"]: b for b in response.json["items"]}
    assert {board.id, other_board.id} <= set(by_id)
    assert by_id[board.id]["roles"] == ["admin", "secretary"]


def test_a_board_reads_by_id(call, make_token, chair, board):
    response = call("GET", f"/api/v1/boards/{board.id}", make_token(chair))
    assert response.status_code == 200
    assert response.json["ref"] == board.ref
    assert response.json["amber_window_days"] == 14
    assert response.json["updates_need_acceptance"] is True


@pytest.mark.parametrize("which", ["other", "missing"])
def test_another_board_or_no_board_is_404_alike(call, make_token, chair, other_board, which):
    board_id = other_board.id if which == "other" else other_board.id + 1000
    for url in (f"/api/v1/boards/{board_id}", f"/api/v1/boards/{board_id}/oversight"):
        response = call("GET", url, make_token(chair))
        assert response.status_code == 404
        assert response.json["error"] == {"code": "not_found", "message": "No such board."}


def test_oversight_counts_by_status_and_rag_and_what_needs_attention(
    call, make_token, make_action, chair, board, other_board
):
    today = london_today()
    make_action(board, status="in_progress", due_on=today - timedelta(days=3))  # overdue, red
    make_action(board, status="in_progress", due_on=today + timedelta(days=5))  # amber
    make_action(board, status="open", due_on=today + timedelta(days=90))  # green
    make_action(board, status="blocked", due_on=today + timedelta(days=90))  # red
    make_action(board, status="completed", due_on=today - timedelta(days=10))  # blue, not overdue
    make_action(board, status="closed")  # blue
    waiting = make_action(board, status="in_progress", due_on=today + timedelta(days=90))
    submit_update(None, waiting, narrative="Half way", progress=50, author=waiting.owner)
    make_action(other_board, status="blocked")  # another board's: not counted

    response = call("GET", f"/api/v1/boards/{board.id}/oversight", make_token(chair))
    assert response.status_code == 200
    body = response.json
    assert body["board"] == {"id": board.id, "ref": board.ref, "name": board.name}
    assert body["as_of"] == today.isoformat()
    assert body["total"] == 7
    assert body["by_status"] == [
        {"status": "draft", "label": "Draft", "count": 0},
        {"status": "open", "label": "Open", "count": 1},
        {"status": "in_progress", "label": "In progress", "count": 3},
        {"status": "blocked", "label": "Blocked", "count": 1},
        {"status": "completed", "label": "Completed", "count": 1},
        {"status": "closed", "label": "Closed", "count": 1},
        {"status": "cancelled", "label": "Cancelled", "count": 0},
    ]
    assert body["by_rag"] == [
        {"rag": "blue", "label": "Complete", "count": 2},
        {"rag": "green", "label": "On track", "count": 2},
        {"rag": "amber", "label": "At risk", "count": 1},
        {"rag": "red", "label": "Off track", "count": 2},
    ]
    assert body["overdue"] == 1
    assert body["blocked"] == 1
    assert body["awaiting_sign_off"] == 1
    assert body["updates_awaiting_acceptance"] == 1


def test_oversight_of_an_empty_board_is_all_zeros(call, make_token, chair, board):
    body = call("GET", f"/api/v1/boards/{board.id}/oversight", make_token(chair)).json
    assert body["total"] == 0
    assert {row["count"] for row in body["by_status"] + body["by_rag"]} == {0}
    assert body["overdue"] == body["blocked"] == body["updates_awaiting_acceptance"] == 0
