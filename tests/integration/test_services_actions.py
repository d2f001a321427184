"""Action services: who may do what, what changes, and what is recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tracker.actions import services as actions
from tracker.actions import updates
from tracker.audit.models import Event
from tracker.common.errors import (
    InvalidTransition,
    NotAllowed,
    NotFound,
    StaleVersion,
    ValidationFailed,
)


@pytest.fixture
def people(make_person):
    return {
        role: make_person(name=role.title())
        for role in ("secretary", "chair", "member", "stranger", "other_secretary", "owner")
    }


@pytest.fixture
def board(make_board, people):
    return make_board(
        members=[
            (people["secretary"], "secretary"),
            (people["chair"], "chair"),
            (people["member"], "member"),
        ]
    )


@pytest.fixture
def admin(make_person):
    return make_person(is_admin=True)


@pytest.fixture
def action(make_action, board, people):
    return make_action(board, owner=people["owner"], status="in_progress")


def events_for(session, action, verb=None):
    query = select(Event).where(Event.action_id == action.id)
    if verb:
        query = query.where(Event.verb == verb)
    return session.scalars(query.order_by(Event.id)).all()


def test_secretary_creates_an_action_in_the_first_state_with_an_event(
    session, board, people, make_recommendation
):
    recommendation = make_recommendation(boards=[board])
    action = actions.create_action(
        people["secretary"],
        board,
        title="  Audit safe sleep advice ",
        recommendation=recommendation,
        owner=people["owner"],
        due_on=date(2027, 3, 31),
        lead_organisation="NHS Trust",
        success_measure="95% recorded",
    )
    assert action.status == "draft"
    assert action.title == "Audit safe sleep advice"
    assert action.ref == f"{board.ref.upper()}-01"
    assert action.original_due_on == date(2027, 3, 31)
    assert action.lead_organisation.name == "NHS Trust"
    [event] = events_for(session, action)
    assert event.verb == "created" and event.actor_id == people["secretary"].id
    assert event.channel == "web"
    assert event.changes["status"] == [None, "draft"]


@pytest.mark.parametrize("who", ["chair", "member", "owner", "stranger", "other_secretary"])
def test_only_secretaries_and_admins_create_actions(board, people, who):
    error = NotFound if who in ("stranger", "other_secretary", "owner") else NotAllowed
    with pytest.raises(error):
        actions.create_action(people[who], board, title="Something")


def test_admin_may_create_actions_on_any_board(board, admin):
    assert actions.create_action(admin, board, title="Admin made").id


def test_create_refuses_bad_fields_all_at_once(board, people, make_recommendation, make_action):
    existing = make_action(board, ref="DUP-1")
    other_rec = make_recommendation()  # not adopted by this board
    with pytest.raises(ValidationFailed) as caught:
        actions.create_action(
            people["secretary"],
            board,
            title=" ",
            ref=existing.ref,
            due_on="31/02/2027",
            recommendation=other_rec,
        )
    assert set(caught.value.fields) == {"title", "ref", "due_on", "recommendation"}
    assert "adopt it first" in caught.value.fields["recommendation"]


def test_deactivated_owner_is_refused(board, people, make_person):
    gone = make_person()
    gone.is_active = False
    with pytest.raises(ValidationFailed, match="deactivated"):
        actions.create_action(people["secretary"], board, title="X", owner=gone)


def test_edit_records_from_and_to(session, action, people):
    actions.edit_action(
        people["secretary"], action, title="New title", expected_version=action.version
    )
    [event] = events_for(session, action, "edited")
    assert event.changes["title"][1] == "New title"


def test_edit_with_a_stale_version_changes_nothing(session, action, people):
    old_title, version = action.title, action.version
    actions.edit_action(people["secretary"], action, description="first edit")
    with pytest.raises(StaleVersion) as caught:
        actions.edit_action(people["secretary"], action, title="Second", expected_version=version)
    assert action.title == old_title
    assert caught.value.current_version == action.version


def test_reassign_records_the_old_and_new_owner(session, action, people, make_person):
    new_owner = make_person(email="new.owner@example.org")
    actions.assign_owner(people["secretary"], action, new_owner, comment="Left the trust")
    [event] = events_for(session, action, "owner_assigned")
    assert event.changes["owner"] == [people["owner"].email, "new.owner@example.org"]
    assert event.comment == "Left the trust"
    with pytest.raises(NotAllowed):
        actions.assign_owner(people["chair"], action, people["owner"])


def test_due_date_change_keeps_the_original_and_needs_a_reason(session, action, people):
    original = action.due_on
    with pytest.raises(ValidationFailed) as caught:
        actions.change_due_date(
            people["secretary"], action, original + timedelta(days=30), reason="  "
        )
    assert "reason" in caught.value.fields
    actions.change_due_date(
        people["secretary"], action, original + timedelta(days=30), reason="Waiting for funding"
    )
    assert action.due_on == original + timedelta(days=30)
    assert action.original_due_on == original
    [event] = events_for(session, action, "due_date_changed")
    assert event.comment == "Waiting for funding"


def test_owner_blocks_with_a_reason_and_the_reason_is_kept(session, action, people):
    with pytest.raises(ValidationFailed) as caught:
        actions.fire_transition(people["owner"], action, "block", {"comment": ""})
    assert list(caught.value.fields) == ["comment"]
    assert action.status == "in_progress"
    actions.fire_transition(people["owner"], action, "block", {"comment": "No data sharing"})
    assert (action.status, action.status_reason) == ("blocked", "No data sharing")
    actions.fire_transition(people["owner"], action, "unblock")
    assert (action.status, action.status_reason) == ("in_progress", "")
    verbs = [e.verb for e in events_for(session, action)]
    assert verbs[-2:] == ["transition:block", "transition:unblock"]


def test_transition_errors_say_which_check_failed(action, people):
    with pytest.raises(InvalidTransition, match="no 'fly' step"):
        actions.fire_transition(people["secretary"], action, "fly")
    with pytest.raises(InvalidTransition, match="must be completed"):
        actions.fire_transition(people["secretary"], action, "close")
    with pytest.raises(NotAllowed, match="secretary"):
        actions.fire_transition(people["member"], action, "cancel", {"comment": "x"})
    with pytest.raises(NotFound):
        actions.fire_transition(people["stranger"], action, "start")


def test_completing_sets_progress_and_chair_signs_off(action, people):
    actions.fire_transition(people["owner"], action, "complete", {"evidence": "Audit report"})
    assert (action.status, action.progress) == ("completed", 100)
    with pytest.raises(NotAllowed):
        actions.fire_transition(people["owner"], action, "close")
    actions.fire_transition(people["chair"], action, "close")
    assert action.status == "closed"


def test_assured_board_lets_only_the_chair_close(make_board, make_action, people):
    board = make_board(
        workflow="assured", members=[(people["secretary"], "secretary"), (people["chair"], "chair")]
    )
    action = make_action(board, status="completed")
    with pytest.raises(NotAllowed, match="chair"):
        actions.fire_transition(people["secretary"], action, "close")
    actions.fire_transition(people["chair"], action, "close")
    assert action.status == "closed"


def test_available_transitions_depend_on_role_and_state(action, people):
    names = lambda who: [t.name for t in actions.available_transitions(people[who], action)]  # noqa: E731
    assert set(names("owner")) == {"block", "complete"}
    assert set(names("secretary")) == {"block", "complete", "cancel"}
    assert names("member") == []


def test_update_waits_for_acceptance_then_applies(session, action, people):
    update = updates.submit_update(
        people["owner"],
        action,
        narrative="Half done",
        progress=50,
        rag="amber",
        channel="email_link",
    )
    assert update.state == "submitted" and action.progress == 0
    updates.accept_update(people["secretary"], update, comment="Thanks")
    assert (update.state, update.decided_by_id) == ("accepted", people["secretary"].id)
    assert (action.progress, action.owner_rag) == (50, "amber")
    verbs = [e.verb for e in events_for(session, action)][-2:]
    assert verbs == ["update_submitted", "update_accepted"]
    with pytest.raises(InvalidTransition, match="already accepted"):
        updates.accept_update(people["secretary"], update)


def test_update_with_a_status_change_and_new_date_applies_both_on_acceptance(action, people):
    new_date = action.due_on + timedelta(days=45)
    update = updates.submit_update(
        people["owner"],
        action,
        narrative="Finished",
        transition="complete",
        evidence="Audit",
        proposed_due_on=new_date,
        comment="Audit took longer",
    )
    updates.accept_update(people["secretary"], update)
    assert action.status == "completed"
    assert action.due_on == new_date


def test_update_is_applied_at_once_where_the_board_does_not_ask(make_board, make_action, people):
    board = make_board(updates_need_acceptance=False)
    action = make_action(board, owner=people["owner"], status="in_progress")
    update = updates.submit_update(people["owner"], action, narrative="Going well", progress=30)
    assert update.state == "accepted" and action.progress == 30
    # ...but a new due date always waits for the secretary.
    later = updates.submit_update(
        people["owner"],
        action,
        narrative="Need time",
        proposed_due_on=action.due_on + timedelta(days=7),
        comment="Staff sickness",
    )
    assert later.state == "submitted"


def test_update_validation_names_each_field(action, people):
    with pytest.raises(ValidationFailed) as caught:
        updates.submit_update(
            people["owner"],
            action,
            narrative="",
            progress=140,
            rag="purple",
            transition="block",
            proposed_due_on=date(2027, 1, 1),
        )
    assert set(caught.value.fields) == {"narrative", "progress", "rag", "comment"}


def test_only_owner_or_secretary_report_progress(action, people):
    with pytest.raises(NotAllowed):
        updates.submit_update(people["chair"], action, narrative="Not mine")
    with pytest.raises(NotFound):
        actions.get_action(people["stranger"], action.id)


def test_reject_needs_a_reason_and_changes_nothing(session, action, people):
    update = updates.submit_update(people["owner"], action, narrative="Done", progress=100)
    with pytest.raises(ValidationFailed):
        updates.reject_update(people["secretary"], update, reason="")
    with pytest.raises(NotAllowed):
        updates.reject_update(people["chair"], update, reason="No")
    updates.reject_update(people["secretary"], update, reason="No evidence attached")
    assert update.state == "rejected" and action.progress == 0


def test_history_is_in_order_and_hidden_from_strangers(session, action, people):
    events = actions.history(people["chair"], action)
    assert [e.verb for e in events][:2] == ["created", "transition:open"]
    assert events == sorted(events, key=lambda e: (e.occurred_at, e.id))
    with pytest.raises(NotFound):
        actions.history(people["stranger"], action)
