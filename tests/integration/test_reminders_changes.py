"""A reminder is for the current owner and the current due date: reassigning, rescheduling,
completing or cancelling stops reminders that no longer apply; deactivated people get none."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import date

from test_reminders_support import at, decided, emails, run, world  # noqa: F401  (fixtures)

from tracker.actions.services import assign_owner, change_due_date, fire_transition
from tracker.boards.services import add_member, remove_member
from tracker.notify.reminders.models import DUE, ESCALATE_SECRETARY, SENT, VOID, WAITING
from tracker.people.services import set_active

DUE_ON = "2027-03-17"


def test_reassignment_voids_the_old_owners_reminder_and_the_new_owner_hears(world, at, make_person):
    action = world.action(DUE_ON)
    run("2027-03-03 07:00")  # decided before 08:00: it waits
    (waiting,) = decided(kind=DUE)
    assert waiting.state == WAITING and emails() == []

    newcomer = make_person(name="Nia Newcomer")
    with at("2027-03-03 07:30"):
        assign_owner(None, action, newcomer, channel="cli")
    report = run("2027-03-03 08:00")

    old, new = decided(kind=DUE)
    assert (old.recipient_id, old.state, old.note) == (world.owner.id, VOID, "reassigned")
    assert (new.recipient_id, new.state) == (newcomer.id, SENT)
    assert report.voided == 1
    assert emails(world.owner) == []
    (email,) = emails(newcomer)
    assert action.ref in email.body_text


def test_rescheduling_voids_reminders_for_the_old_date_and_starts_the_new_dates(world, at):
    action = world.action(DUE_ON)
    run("2027-03-15 07:00")  # the 3-days-before reminder, waiting for 08:00
    with at("2027-03-15 07:30"):
        change_due_date(None, action, date(2027, 4, 30), reason="More time.", channel="cli")

    run("2027-03-15 08:00")
    (old,) = decided(kind=DUE)
    assert (old.key_on, old.state, old.note) == (date(2027, 3, 17), VOID, "rescheduled")
    assert emails(world.owner) == []

    run("2027-04-16 08:00")  # 14 days before the new date
    new = decided(kind=DUE, key_on=date(2027, 4, 30))
    assert [(n.period, n.state) for n in new] == [(14, SENT)]
    assert "Due: 30 April 2027 (due in 2 weeks)" in emails(world.owner)[0].body_text


def test_completing_or_cancelling_stops_waiting_reminders(world, at):
    done = world.action(DUE_ON, status="in_progress")
    dropped = world.action(DUE_ON)
    run("2027-03-15 07:00")
    with at("2027-03-15 07:30"):
        fire_transition(None, done, "complete", {"evidence": "Report."}, channel="cli")
        fire_transition(None, dropped, "cancel", {"comment": "Not needed."}, channel="cli")
    run("2027-03-15 08:00")
    assert {(n.action_id, n.state, n.note) for n in decided(kind=DUE)} == {
        (done.id, VOID, "action completed"),
        (dropped.id, VOID, "action cancelled"),
    }
    assert emails(world.owner) == []


def test_a_deactivated_owner_gets_nothing(world, make_person, at):
    leaver = make_person(name="Lee Leaver")
    world.action(DUE_ON, owner=leaver)
    with at("2027-03-02 10:00"):
        set_active(None, leaver, False, channel="cli")
    run("2027-03-24 09:00")
    assert decided(recipient_id=leaver.id) == [] and emails(leaver) == []


def test_someone_deactivated_after_a_decision_gets_nothing(world, at):
    world.action(DUE_ON)
    run("2027-03-31 07:00")  # overdue and escalated to the secretary, waiting for 08:00
    with at("2027-03-31 07:30"):
        set_active(None, world.secretary, False, channel="cli")
    run("2027-03-31 08:00")
    (escalation,) = decided(kind=ESCALATE_SECRETARY)
    assert (escalation.state, escalation.note) == (VOID, "recipient deactivated")
    assert emails(world.secretary) == []
    assert len(emails(world.owner)) == 1  # the owner still hears


def test_a_secretary_who_steps_down_gets_no_escalation(world, at, make_person):
    world.action(DUE_ON)
    run("2027-03-31 07:00")
    successor = make_person(name="Sue Successor")
    with at("2027-03-31 07:30"):
        add_member(None, world.board, successor, "secretary", channel="cli")
        remove_member(None, world.board, world.secretary, channel="cli")
    run("2027-03-31 08:00")
    escalations = {(n.recipient_id, n.state, n.note) for n in decided(kind=ESCALATE_SECRETARY)}
    # The successor is decided for at the same sweep, and hears that day.
    assert escalations == {
        (world.secretary.id, VOID, "no longer secretary"),
        (successor.id, SENT, ""),
    }
