"""Each default rule decides the right reminder on the right day, once."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from test_reminders_support import at, decided, emails, keys, run, world  # noqa: F401  (fixtures)

from tracker.actions.services import fire_transition
from tracker.notify.reminders.models import (
    BLOCKED,
    DIGEST,
    DUE,
    ESCALATE_CHAIR,
    ESCALATE_SECRETARY,
    OVERDUE,
    SENT,
)

DUE_ON = "2027-03-17"  # a Wednesday


@pytest.mark.parametrize(
    ("when", "kind", "period", "says"),
    [
        ("2027-03-03 08:30", DUE, 14, "due in 2 weeks"),
        ("2027-03-14 12:00", DUE, 3, None),  # a Sunday: decided, sent on Monday
        ("2027-03-15 08:00", DUE, 3, "due in 2 days"),
        ("2027-03-17 08:00", DUE, 0, "due today"),
        ("2027-03-24 08:01", OVERDUE, 1, "overdue by 7 days"),
        ("2027-03-31 09:00", OVERDUE, 2, "overdue by 2 weeks"),
        ("2027-04-13 09:00", OVERDUE, 3, "overdue by 3 weeks and 6 days"),
    ],
)
def test_the_owner_hears_before_on_and_after_the_due_date(world, when, kind, period, says):
    action = world.action(DUE_ON)

    report = run(when)

    mine = decided(recipient_id=world.owner.id)
    assert [(n.kind, n.period, n.key_on) for n in mine] == [(kind, period, date(2027, 3, 17))]
    if says is None:
        assert not report.composed and emails() == []
        assert mine[0].send_on == date(2027, 3, 15) and mine[0].state == "waiting"
        return
    (email,) = emails(world.owner)
    assert mine[0].state == SENT and mine[0].outbox_message_id == email.id
    assert f"{action.ref}: {action.title}" in email.body_text
    assert f"Due: 17 March 2027 ({says})" in email.body_text, email.body_text
    assert "http://assure.test/u/" in email.body_text


def test_nothing_is_decided_before_the_first_stage(world):
    world.action(DUE_ON)
    report = run("2027-03-02 09:00")  # 15 days before
    assert report.decided[DUE] == 0 and decided(recipient_id=world.owner.id) == []


def test_a_second_sweep_decides_and_sends_nothing_new(world):
    world.action(DUE_ON)
    first = run("2027-03-03 08:30")
    second = run("2027-03-03 08:31")
    assert dict(first.decided) == {DUE: 1, DIGEST: 1} and first.emails == 2
    assert second.total_decided == 0 and second.emails == 0
    assert len(emails()) == 2


def test_escalations_go_to_the_secretary_at_14_and_the_chair_at_28_days(world):
    action = world.action(DUE_ON)
    run("2027-03-30 09:00")  # 13 days overdue
    assert decided(kind=ESCALATE_SECRETARY) == []

    run("2027-03-31 09:00")  # 14 days
    (to_secretary,) = decided(kind=ESCALATE_SECRETARY)
    assert to_secretary.recipient_id == world.secretary.id and to_secretary.state == SENT
    email = emails(world.secretary)[-1]  # the day's; Monday's digest went the day before
    assert "Actions to chase" in email.body_text
    assert f"{action.ref}: {action.title}" in email.body_text
    assert "Owner: Olive Owner" in email.body_text
    assert f"http://assure.test/actions/{action.id}" in email.body_text
    assert decided(kind=ESCALATE_CHAIR) == []

    run("2027-04-14 09:00")  # 28 days
    (to_chair,) = decided(kind=ESCALATE_CHAIR)
    assert to_chair.recipient_id == world.chair.id
    assert len(emails(world.chair)) == 1
    assert len(decided(kind=ESCALATE_SECRETARY)) == 1  # once per due date


def test_an_action_blocked_for_14_days_goes_to_the_secretary(world, at):
    with at("2027-03-02 10:00"):
        action = world.action("2027-06-30", status="blocked")
    run("2027-03-15 09:00")  # 13 days blocked
    assert decided(kind=BLOCKED) == []

    run("2027-03-16 10:00")
    (blocked,) = decided(kind=BLOCKED)
    assert (blocked.recipient_id, blocked.key_on) == (world.secretary.id, date(2027, 3, 2))
    email = emails(world.secretary)[-1]
    assert "Blocked since 2 March 2027: Because." in email.body_text

    # Unblocked and blocked again: a new blocking, a new escalation a fortnight later.
    with at("2027-03-20 10:00"):
        fire_transition(None, action, "unblock", {"comment": "Moving."}, channel="cli")
        fire_transition(None, action, "block", {"comment": "Stuck again."}, channel="cli")
    run("2027-04-05 10:00")
    assert {n.key_on for n in decided(kind=BLOCKED)} == {date(2027, 3, 2), date(2027, 3, 20)}


def test_finished_draft_and_unowned_actions_get_no_reminders(world):
    for status in ("draft", "completed", "closed", "cancelled"):
        world.action(DUE_ON, status=status)
    world.make_action(world.board, owner=None, due_on=date(2027, 3, 17))
    run("2027-03-24 09:00")
    assert {k[0] for k in keys()} == {DIGEST}
