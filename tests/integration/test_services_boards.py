"""Board, membership and meeting services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.audit.models import Event
from tracker.boards import services as boards
from tracker.common.errors import NotAllowed, NotFound, ValidationFailed


@pytest.fixture
def secretary(make_person):
    return make_person()


@pytest.fixture
def board(make_board, secretary):
    return make_board(members=[(secretary, "secretary")])


def test_a_secretary_creating_a_board_becomes_its_secretary(session, board, secretary):
    new = boards.create_board(
        secretary, ref="NEWB", name="New board", kind="safeguarding adults board"
    )
    assert new.ref == "newb"
    assert [(m.person, m.role) for m in new.memberships] == [(secretary, "secretary")]
    verbs = session.scalars(select(Event.verb).where(Event.board_id == new.id)).all()
    assert verbs == ["created", "member_added"]


def test_people_without_a_secretary_role_cannot_create_boards(make_person):
    with pytest.raises(NotAllowed):
        boards.create_board(make_person(), ref="nope", name="Nope")


def test_create_board_explains_every_bad_field(board, secretary):
    with pytest.raises(ValidationFailed) as caught:
        boards.create_board(
            secretary, ref=board.ref, name="", kind="club", workflow="magic", amber_window_days=0
        )
    assert set(caught.value.fields) == {"ref", "name", "kind", "workflow", "amber_window_days"}
    assert "already uses" in caught.value.fields["ref"]


def test_settings_change_is_recorded_and_limited_to_managers(
    session, board, secretary, make_person
):
    boards.update_board(secretary, board, amber_window_days=21, workflow="assured")
    event = session.scalars(select(Event).where(Event.verb == "settings_changed")).one()
    assert event.changes == {"amber_window_days": [14, 21], "workflow": ["standard", "assured"]}
    chair = make_person()
    boards.add_member(secretary, board, chair, "chair")
    with pytest.raises(NotAllowed):
        boards.update_board(chair, board, name="Chair's board")
    with pytest.raises(NotFound):
        boards.update_board(make_person(), board, name="Stranger's board")
    with pytest.raises(ValidationFailed):
        boards.update_board(secretary, board, ref="changed")


def test_members_are_added_changed_and_removed(session, board, secretary, make_person):
    person = make_person()
    boards.add_member(secretary, board, person, "member")
    boards.add_member(secretary, board, person, "chair")
    assert {m.person: m.role for m in board.memberships}[person] == "chair"
    with pytest.raises(ValidationFailed):
        boards.add_member(secretary, board, person, "king")
    boards.remove_member(secretary, board, person)
    session.flush()
    assert person not in [m.person for m in board.memberships]
    with pytest.raises(NotFound):
        boards.remove_member(secretary, board, person)


def test_visible_boards_are_those_a_person_belongs_to(board, secretary, make_board, make_person):
    other = make_board()
    assert boards.visible_boards(secretary) == [board]
    admin = make_person(is_admin=True)
    assert {board, other} <= set(boards.visible_boards(admin))
    with pytest.raises(NotFound):
        boards.get_board(secretary, other.id)
    assert boards.get_board(secretary, ref=board.ref.upper()) == board


def test_meetings_default_papers_a_week_before(board, secretary):
    meeting = boards.add_meeting(secretary, board, held_on=date(2027, 3, 10))
    assert meeting.papers_due_on == date(2027, 3, 3)
    with pytest.raises(ValidationFailed) as caught:
        boards.add_meeting(
            secretary, board, held_on=date(2027, 3, 10), papers_due_on=date(2027, 3, 11)
        )
    assert set(caught.value.fields) == {"held_on", "papers_due_on"}


def test_a_board_keeps_its_last_secretary(session, board, secretary, make_person):
    with pytest.raises(ValidationFailed, match="needs a secretary"):
        boards.remove_member(None, board, secretary)
    with pytest.raises(ValidationFailed, match="needs a secretary"):
        boards.add_member(None, board, secretary, "member")
    deputy = make_person()
    boards.add_member(None, board, deputy, "secretary")
    boards.add_member(None, board, secretary, "member")
    assert {m.person: m.role for m in board.memberships}[secretary] == "member"
