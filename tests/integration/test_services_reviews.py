"""Reviews, recommendations and their workflow."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.common.errors import InvalidTransition, NotAllowed, ValidationFailed
from tracker.reviews import services as reviews


@pytest.fixture
def board(make_board, make_person):
    return make_board(members=[(make_person(), "secretary")])


@pytest.fixture
def secretary(board):
    return board.memberships[0].person


def test_recommendations_keep_order_themes_and_boards(secretary, board, make_review):
    review = make_review(published_on=date(2016, 9, 30))
    r2 = reviews.add_recommendation(
        secretary,
        review,
        ref="R2",
        text="Second",
        themes=["Safe sleep", "safe sleep ", "Poverty"],
        boards=[board],
    )
    r10 = reviews.add_recommendation(secretary, review, ref="R10", text="Tenth", level="regional")
    assert [r.ref for r in review.recommendations] == ["R2", "R10"]
    assert sorted(t.name for t in r2.themes) == ["Poverty", "Safe sleep"]
    assert r2.boards == [board] and r10.boards == []
    assert r2.status == "proposed"


def test_bad_recommendations_are_refused(secretary, make_review):
    review = make_review()
    reviews.add_recommendation(secretary, review, ref="R1", text="One")
    with pytest.raises(ValidationFailed) as caught:
        reviews.add_recommendation(secretary, review, ref="R1", text="", level="global")
    assert set(caught.value.fields) == {"ref", "text", "level"}


def test_only_managers_add_reviews_and_adopt(make_person, board, make_review, make_recommendation):
    outsider = make_person()
    with pytest.raises(NotAllowed):
        reviews.create_review(outsider, title="Mine")
    recommendation = make_recommendation()
    with pytest.raises(Exception, match="No such board"):
        reviews.adopt_recommendation(outsider, recommendation, board)


def test_recommendation_workflow(secretary, board, make_recommendation):
    recommendation = make_recommendation(boards=[board])
    reviews.fire_recommendation_transition(secretary, recommendation, "adopt")
    assert recommendation.status == "adopted"
    with pytest.raises(InvalidTransition):
        reviews.fire_recommendation_transition(secretary, recommendation, "adopt")
    other = make_recommendation(boards=[board])
    with pytest.raises(ValidationFailed, match="reason"):
        reviews.fire_recommendation_transition(secretary, other, "decline")
    reviews.fire_recommendation_transition(secretary, other, "decline", {"comment": "Done"})
    assert other.status == "not_adopted"


def test_update_review_records_changes(secretary, make_review):
    review = make_review()
    reviews.update_review(secretary, review, summary="Infant mortality")
    assert review.summary == "Infant mortality"
    with pytest.raises(ValidationFailed):
        reviews.update_review(secretary, review, title="")
