"""One email per person per day, each action once, with its own link."""

# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import date

from test_reminders_support import at, decided, emails, run, world  # noqa: F401  (fixtures)

from tracker.actions.services import change_due_date
from tracker.boards.services import add_meeting
from tracker.links.tokens import read_update_link
from tracker.notify.reminders.models import SENT, VOID, WAITING


def links_in(body: str) -> list[str]:
    return re.findall(r"http://assure\.test/u/(\S+)", body)


def test_all_of_an_owners_reminders_and_requests_go_in_one_email(world, at, make_board):
    other_board = make_board(name="Oldham Safeguarding Adults Board")
    soon = world.action("2027-03-17")
    today = world.action("2027-03-03")
    late = world.action("2027-02-24")
    elsewhere = world.make_action(other_board, owner=world.owner, due_on=date(2027, 3, 5))
    with at("2027-03-01 10:00"):
        add_meeting(None, world.board, held_on=date(2027, 3, 17), papers_due_on=date(2027, 3, 10))

    report = run("2027-03-03 08:00")

    (email,) = emails(world.owner)
    assert email.subject == "Reminder: 4 of your actions, 1 overdue"
    body = email.body_text
    for action in (soon, today, late, elsewhere):
        assert body.count(f"{action.ref}: {action.title}") == 1
    with at("2027-03-03 08:05"):
        links = [read_update_link(t) for t in links_in(body)]
    assert sorted(link.action_id for link in links) == sorted(
        a.id for a in (soon, today, late, elsewhere)
    )
    assert {link.person_id for link in links} == {world.owner.id}
    # The update request for each open action on the board is in the same email.
    assert body.count("Please send an update by 10 March 2027") == 3
    assert "\nOldham Safeguarding Adults Board\n" in body
    # Across two boards: only admins read it in the mailbox, not either board's secretary.
    assert email.action_id is None
    assert report.emails == 2  # the owner's and the secretary's digest


def test_a_secretarys_escalations_digest_and_own_actions_share_one_email(world):
    world.action("2027-03-10", owner=world.secretary)
    world.action("2027-02-01")
    world.action("2027-02-02")
    run("2027-03-01 09:30")
    (email,) = emails(world.secretary)
    body = email.body_text
    assert "This is a reminder about an action you own." in body
    assert "These 2 actions need the board's attention:" in body
    assert "Weekly digest for Tameside" in body
    assert email.subject.endswith("is due in 9 days; 2 actions to chase; your weekly digest")
    assert email.action_id is not None  # one board's: its secretary may read it


def test_what_is_decided_after_the_days_email_waits_for_the_next_working_day(world, at):
    first = world.action("2027-03-17")
    second = world.action("2027-06-30")
    run("2027-03-03 08:00")  # Wednesday: "due in 2 weeks" for the first
    with at("2027-03-03 12:00"):
        change_due_date(None, second, date(2027, 3, 8), reason="Sooner.", channel="cli")

    noon = run("2027-03-03 12:05")
    assert noon.deferred == 1 and noon.emails == 0
    (later,) = decided(action_id=second.id)
    assert (later.state, later.send_on) == (WAITING, date(2027, 3, 4))
    assert len(emails(world.owner)) == 1

    run("2027-03-04 08:00")
    _, thursday = emails(world.owner)
    assert second.ref in thursday.body_text and first.ref not in thursday.body_text
    assert decided(action_id=second.id)[0].state == SENT


def test_every_reminder_in_an_email_is_marked_with_it_however_many(world, at, monkeypatch):
    from tracker.notify.reminders import writing

    # Marked a few at a time, as an email of thousands of reminders would be.
    monkeypatch.setattr(writing, "IDS_PER_STATEMENT", 2)
    late = [world.action(f"2027-02-0{day}") for day in range(1, 6)]
    moved = world.action("2027-03-03")
    run("2027-03-03 07:00")  # decided before the day's sending time
    with at("2027-03-03 07:30"):
        change_due_date(None, moved, date(2027, 6, 30), reason="Later.", channel="cli")

    run("2027-03-03 08:00")

    (email,) = emails(world.owner)
    sent = [n for a in late for n in decided(action_id=a.id, recipient_id=world.owner.id)]
    assert len(sent) == 5
    assert {(n.state, n.outbox_message_id, n.send_on) for n in sent} == {
        (SENT, email.id, date(2027, 3, 3))
    }
    (void,) = decided(action_id=moved.id)
    assert (void.state, void.note, void.outbox_message_id) == (VOID, "rescheduled", None)
