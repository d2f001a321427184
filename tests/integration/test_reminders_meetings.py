"""Update requests before a board meeting, the one chaser, and the secretary's weekly digest."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import date

from test_reminders_support import at, decided, emails, run, world  # noqa: F401  (fixtures)

from tracker.actions.updates import submit_update
from tracker.boards.services import add_meeting
from tracker.notify.reminders.models import DIGEST, SENT, UPDATE_CHASER, UPDATE_REQUEST

PAPERS = date(2027, 3, 17)  # a Wednesday; the meeting is a week later


def test_owners_are_asked_for_an_update_before_the_papers_deadline_and_chased_once(
    world, at, make_person
):
    quiet = world.action("2027-06-30")
    other = make_person(name="Ann Answers")
    answered = world.action("2027-06-30", owner=other)
    world.action("2027-06-30", status="completed")
    with at("2027-03-01 10:00"):
        add_meeting(None, world.board, held_on=date(2027, 3, 24), papers_due_on=PAPERS)

    run("2027-03-06 09:00")  # 11 days before the deadline: too soon
    assert decided(kind=UPDATE_REQUEST) == []

    run("2027-03-08 09:00")  # Monday, 9 days before (10 days before was a Sunday)
    requests = decided(kind=UPDATE_REQUEST)
    assert {(n.action_id, n.key_on, n.state) for n in requests} == {
        (quiet.id, PAPERS, SENT),
        (answered.id, PAPERS, SENT),
    }
    (email,) = emails(world.owner)
    assert "Please send an update by 17 March 2027" in email.body_text

    with at("2027-03-10 12:00"):
        submit_update(other, answered, narrative="On track.", progress=50, channel="web")
    run("2027-03-12 09:00")  # Friday: too soon for the chaser
    assert decided(kind=UPDATE_CHASER) == []

    run("2027-03-15 09:00")  # two working days before the deadline
    (chaser,) = decided(kind=UPDATE_CHASER)
    assert (chaser.action_id, chaser.recipient_id) == (quiet.id, world.owner.id)
    chased = emails(world.owner)[-1]
    assert "We have not had your update yet: please send it by 17 March 2027" in chased.body_text
    assert len(emails(other)) == 1  # the request only

    run("2027-03-16 09:00")
    assert len(decided(kind=UPDATE_CHASER)) == 1  # one chaser only


def test_a_request_after_the_deadline_is_not_sent(world, at):
    world.action("2027-06-30")
    with at("2027-03-01 10:00"):
        add_meeting(None, world.board, held_on=date(2027, 3, 24), papers_due_on=PAPERS)
    run("2027-03-17 07:00")  # on the deadline, before 08:00: decided
    run("2027-03-18 09:00")  # the sweep at 08:00 on the 17th never ran
    (request,) = decided(kind=UPDATE_REQUEST)
    assert (request.state, request.note) == ("void", "deadline passed")


def test_the_weekly_digest_tells_the_secretary_what_needs_attention(world, at, make_person):
    with at("2027-03-01 09:00"):
        waiting = world.action("2027-06-30")
        late = world.action("2027-03-05")
        soon = world.action("2027-03-12")
        old = world.action("2027-02-01")  # overdue before the digest's week
    with at("2027-03-04 11:00"):
        submit_update(world.owner, waiting, narrative="Half done.", progress=50, channel="web")

    run("2027-03-08 08:00")  # Monday

    digests = decided(kind=DIGEST)
    assert [(n.recipient_id, n.key_on, n.state) for n in digests] == [
        (world.secretary.id, date(2027, 3, 8), SENT)
    ]
    body = emails(world.secretary)[-1].body_text
    assert "Weekly digest for Tameside Safeguarding Children Partnership" in body
    assert "Updates waiting for you to accept: 1" in body
    assert f"- {waiting.ref}: {waiting.title} (sent 04/03/2027)" in body
    assert "Newly overdue since 1 March 2027: 1" in body
    assert f"- {late.ref}: {late.title} (overdue by 3 days)" in body
    assert old.ref not in body.split("Newly overdue")[1].split("Due in the next")[0]
    assert "Due in the next 14 days: 1" in body
    assert f"- {soon.ref}: {soon.title} (due in 4 days)" in body
    assert "Progress reported: 1" in body

    run("2027-03-09 08:00")
    assert len(decided(kind=DIGEST)) == 1  # once a week
    run("2027-03-15 08:00")
    assert len(decided(kind=DIGEST)) == 2
