"""API: reviews and their recommendations."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def member(make_person):
    return make_person()


@pytest.fixture
def token(make_token, member):
    return make_token(member)


@pytest.fixture
def board(make_board, member):
    return make_board(members=[(member, "member")])


@pytest.fixture
def review(make_review):
    return make_review(
        title="Infant mortality in the North West",
        publisher="North West DsPH",
        published_on=date(2016, 9, 1),
        summary="Peer review.",
    )


def test_reviews_list_newest_first_with_undated_last(call, token, make_review, review):
    newer = make_review(published_on=date(2020, 1, 1))
    undated = make_review()
    response = call("GET", "/api/v1/reviews", token)
    assert response.status_code == 200
    ids = [r["id"] for r in response.json["items"]]
    assert ids.index(newer.id) < ids.index(review.id) < ids.index(undated.id)


def test_a_review_reads_by_id(call, token, review):
    body = call("GET", f"/api/v1/reviews/{review.id}", token).json
    assert body["title"] == "Infant mortality in the North West"
    assert body["publisher"] == "North West DsPH"
    assert body["published_on"] == "2016-09-01"
    assert body["links"]["recommendations"].endswith(f"/api/v1/reviews/{review.id}/recommendations")


def test_an_unknown_review_is_404(call, token, review):
    for url in (
        f"/api/v1/reviews/{review.id + 999}",
        f"/api/v1/reviews/{review.id + 999}/recommendations",
    ):
        response = call("GET", url, token)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"


def test_recommendations_come_in_order_with_themes_and_only_visible_boards(
    call, token, review, board, make_board, make_recommendation
):
    hidden_board = make_board()
    second = make_recommendation(review, ref="R2", text="Second.", themes=["Smoking in pregnancy"])
    first_ = make_recommendation(
        review,
        ref="R1",
        text="First.",
        level="sub-regional",
        themes=["Safe sleep", "Breastfeeding"],
        boards=[board, hidden_board],
    )
    response = call("GET", f"/api/v1/reviews/{review.id}/recommendations", token)
    assert response.status_code == 200
    items = response.json["items"]
    # The review's own order is the order they were added in.
    assert [i["ref"] for i in items] == ["R2", "R1"]
    assert items[0]["id"] == second.id
    assert items[0]["themes"] == ["Smoking in pregnancy"]
    assert items[0]["board_ids"] == []
    assert items[1]["id"] == first_.id
    assert items[1]["themes"] == ["Breastfeeding", "Safe sleep"]
    assert items[1]["board_ids"] == [board.id]
    assert items[1]["level"] == "sub-regional"
    assert items[1]["level_label"] == "Sub-regional"
    assert items[1]["status"] == "proposed"
    assert items[1]["status_label"] == "Proposed"
    assert items[1]["links"]["actions"].endswith(f"/api/v1/actions?recommendation={first_.id}")


def test_reviews_need_a_token(call, review):
    assert call("GET", "/api/v1/reviews").status_code == 401
