"""When reminders go: 08:00 London on working days, across weekends, bank holidays and the
clocks changing; and the catch-up after the scheduler was down."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from test_reminders_support import at, decided, emails, run, world  # noqa: F401  (fixtures)

from tracker.extensions import db
from tracker.notify.reminders.models import DUE, OVERDUE, SENT, WAITING
from tracker.notify.reminders.sweep import sweep


def sweep_utc(*args):
    moment = datetime(*args, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        report = sweep(moment)
        db.session.flush()
    return report


def test_a_reminder_due_at_the_weekend_waits_for_monday_at_eight(world):
    world.action("2027-03-23")  # 3 days before: Saturday 20 March
    saturday = run("2027-03-20 09:00")
    (reminder,) = decided(kind=DUE)
    assert (reminder.send_on, reminder.state) == (date(2027, 3, 22), WAITING)
    assert not saturday.composed and emails() == []

    assert not run("2027-03-22 07:59").composed
    assert emails(world.owner) == []
    run("2027-03-22 08:00")
    (email,) = emails(world.owner)
    assert "Due: 23 March 2027 (due tomorrow)" in email.body_text


def test_nothing_goes_on_a_bank_holiday(world):
    world.action("2027-03-26")  # due on Good Friday
    assert not run("2027-03-26 09:00").composed  # Good Friday
    assert not run("2027-03-29 09:00").composed  # Easter Monday
    assert emails() == []
    (reminder,) = decided(kind=DUE)
    assert reminder.period == 0 and reminder.send_on == date(2027, 3, 30)

    run("2027-03-30 08:00")
    (email,) = emails(world.owner)
    assert "Due: 26 March 2027 (overdue by 4 days)" in email.body_text


def test_eight_in_the_morning_follows_the_clocks(world):
    world.action("2027-03-30")  # due the Tuesday after the clocks go forward
    assert not sweep_utc(2027, 3, 30, 6, 59).composed  # 07:59 BST
    assert emails() == []
    assert sweep_utc(2027, 3, 30, 7, 0).composed  # 08:00 BST
    assert len(emails(world.owner)) == 1


def test_after_three_days_down_each_missed_reminder_goes_once_in_one_email(world):
    """Down from Thursday's sweep to Monday's: Friday's and Saturday's reminders go on Monday,
    once each, in the owner's one email; a stage that a later one overtook says the later
    thing."""
    due_today = world.action("2027-03-15")  # 3 days before was Friday; due on Monday
    due_tuesday = world.action("2027-03-16")  # 3 days before: Saturday
    two_weeks = world.action("2027-03-27")  # 14 days before: Saturday
    a_week_late = world.action("2027-03-05")  # a week overdue on Friday
    run("2027-03-11 09:00")  # Thursday: the last sweep before the outage
    before = {n.id for n in decided(recipient_id=world.owner.id)}

    monday = run("2027-03-15 09:00")

    new = [n for n in decided(recipient_id=world.owner.id) if n.id not in before]
    assert {(n.action_id, n.kind, n.period) for n in new} == {
        (due_today.id, DUE, 0),  # Friday's "due in 3 days" was overtaken by "due today"
        (due_tuesday.id, DUE, 3),
        (two_weeks.id, DUE, 14),
        (a_week_late.id, OVERDUE, 1),
    }
    _thursday, email = emails(world.owner)
    assert {n.state for n in new} == {SENT} and {n.outbox_message_id for n in new} == {email.id}
    body = email.body_text
    assert "Due: 15 March 2027 (due today)" in body
    assert "Due: 16 March 2027 (due tomorrow)" in body
    assert "Due: 27 March 2027 (due in 12 days)" in body
    assert "Due: 5 March 2027 (overdue by 10 days)" in body
    assert body.count("/u/") == 4
    assert monday.emails == 2  # the owner's, and the secretary's weekly digest

    again = run("2027-03-15 09:05")
    assert again.total_decided == 0 and again.emails == 0


def test_reminders_decided_but_not_sent_before_an_outage_fold_into_one_line(world):
    action = world.action("2027-03-15")
    run("2027-03-12 07:00")  # Friday before 08:00: "due in 3 days" decided; then down
    run("2027-03-15 08:30")  # Monday: "due today" decided too

    three_days, on_the_day = decided(kind=DUE, action_id=action.id)
    assert (three_days.period, on_the_day.period) == (3, 0)
    (email,) = emails(world.owner)
    assert three_days.outbox_message_id == on_the_day.outbox_message_id == email.id
    assert email.body_text.count(f"{action.ref}: ") == 1
    assert "(due today)" in email.body_text and "due in 3 days" not in email.body_text
