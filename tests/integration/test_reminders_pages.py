"""The reminder policy page: what members see, what the secretary changes, and what the
sweep then does with it."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from test_reminders_support import at, decided, london, run, world  # noqa: F401  (fixtures)
from test_web_pages import parse

from tracker.audit.models import Event
from tracker.boards.services import add_meeting, add_member
from tracker.extensions import db
from tracker.notify.reminders.models import DUE, ReminderPolicy

POLICY = {
    "days_before": "21, 7",
    "on_due_date": "y",
    "overdue_every_days": "14",
    "escalate_secretary_days": "10",
    "escalate_chair_days": "30",
    "blocked_days": "7",
    "request_days_before": "12",
    "chaser_working_days": "3",
    "digest_weekday": "4",
}


@pytest.fixture
def page(world, client, session, at):
    """The board's reminders page, on Monday 1 March 2027 (the sample action is due 12 April)."""
    session.commit()
    with at("2027-03-01 10:00"):
        yield f"/boards/{world.board.ref}/reminders"


def rows(response, caption: str) -> list[str]:
    return parse(response).table(caption).row_lines()


SAMPLE = "For a sample action due on 12 April 2027, 6 weeks from today"
MEETING = "For the next meeting, on 7 April 2027, with papers due on 31 March 2027"


def test_members_see_when_each_default_reminder_would_go(world, page, sign_in, make_person):
    member = make_person(name="Mo Member")
    add_member(None, world.board, member, "member", channel="cli")
    add_meeting(None, world.board, held_on=date(2027, 4, 7), papers_due_on=date(2027, 3, 31))

    response = sign_in(member).get(page)

    assert response.status_code == 200
    assert rows(response, SAMPLE) == [
        "2 weeks before the due date | Owner | "
        "Tuesday 30 March 2027 29 March 2027 is Easter Monday, a bank holiday",
        "3 days before the due date | Owner | Friday 9 April 2027",
        "On the due date | Owner | Monday 12 April 2027",
        "Overdue by 7 days | Owner | Monday 19 April 2027",
        "Overdue by 2 weeks | Owner | Monday 26 April 2027",
        "Overdue by 2 weeks | Secretary | Monday 26 April 2027",
        "Overdue by 3 weeks | Owner | Tuesday 4 May 2027 3 May 2027 is May Day, a bank holiday",
        "Overdue by 4 weeks | Chair | Monday 10 May 2027",
    ]
    assert rows(response, MEETING) == [
        "Update request, 10 days before the papers deadline | Every owner of an open action | "
        "Monday 22 March 2027 21 March 2027 is a Sunday",
        # Two working days before Wednesday 31 March, over Easter.
        "Chaser, 2 working days before the deadline | Owners who have not sent an update | "
        "Thursday 25 March 2027",
    ]
    text = parse(response).main_text
    assert "blocked for 14 days" in text
    assert "The weekly digest goes to the secretary on Mondays; the next on Monday 1 March" in text
    assert "Only the board’s secretary can change the reminders." in text
    assert "Save reminders" not in text


def test_the_board_page_links_to_its_reminders(world, client, sign_in, session):
    session.commit()
    html = sign_in(world.chair).get(f"/boards/{world.board.ref}").get_data(as_text=True)
    assert f'href="/boards/{world.board.ref}/reminders">Reminders</a>' in html


def test_the_secretary_changes_the_policy_and_the_sweep_follows_it(world, page, sign_in, post_form):
    sign_in(world.secretary)
    response = post_form(page, POLICY)

    assert response.status_code == 302
    row = db.session.query(ReminderPolicy).filter_by(board_id=world.board.id).one()
    assert (row.days_before, row.overdue_every_days, row.digest_weekday) == ("21,7", 14, 4)
    (event,) = [e for e in db.session.query(Event) if e.verb == "reminder_policy_changed"]
    assert event.changes["days_before"] == ["14,3", "21,7"]
    shown = sign_in(world.secretary).get(page)
    assert rows(shown, SAMPLE)[0].startswith(
        "3 weeks before the due date | Owner | Monday 22 March"
    )

    world.action("2027-03-24")
    run("2027-03-03 09:00")  # 21 days before: a stage now; 14 days before is not
    assert [(n.kind, n.period) for n in decided(kind=DUE)] == [(DUE, 21)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"days_before": "14, soon"}, "days_before", "separated by commas, like 14, 3"),
        ({"overdue_every_days": ""}, "overdue_every_days", "Enter a number of days"),
        ({"overdue_every_days": "weekly"}, "overdue_every_days", "must be a whole number"),
        ({"escalate_chair_days": "7"}, "escalate_chair_days", "later than to the secretary"),
        ({"chaser_working_days": "11"}, "chaser_working_days", "from 0 to 10"),
        ({"digest_weekday": "sunday"}, "digest_weekday", "Choose a day for the weekly digest"),
    ],
)
def test_the_page_says_what_to_fix_and_keeps_what_was_typed(
    world, page, sign_in, post_form, changes, field, message
):
    sign_in(world.secretary)
    response = post_form(page, {**POLICY, **changes})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert f'href="#{field}' in html
    assert f'value="{changes.get("days_before", "21, 7")}"' in html  # what was typed
    assert db.session.query(ReminderPolicy).filter_by(board_id=world.board.id).count() == 0


def queue_line(response) -> str:
    (found,) = parse(response).elements_with("data-queue")
    return found["text"]


def test_the_page_says_what_waits_to_go_and_when(world, client, sign_in, session, at, make_person):
    other = make_person(name="Otto Other")
    # Due on Tuesday 9 March: "3 days before" is Saturday 6 March, decided then, sent Monday.
    world.action("2027-03-09")
    world.action("2027-03-09")
    world.action("2027-03-09", owner=other)
    path = f"/boards/{world.board.ref}/reminders"
    session.commit()
    sign_in(world.secretary)
    with at("2027-03-05 10:00"):
        assert queue_line(client.get(path)) == ("No reminders about this board are waiting to go.")

    run("2027-03-06 10:00")  # Saturday: decided, not sent (with the secretary's digest)
    with at("2027-03-06 11:00"):
        shown = client.get(path)
    assert queue_line(shown) == (
        "4 reminders about this board, to 3 people, will go at 08:00 on Monday 8 March 2027."
    )
    assert "The emails that went are in the mailbox" in parse(shown).main_text

    run("2027-03-08 08:00")
    with at("2027-03-08 09:00"):
        assert queue_line(client.get(path)) == (
            "No reminders about this board are waiting to go. "
            "Reminders last went on Monday 8 March 2027."
        )


def test_reminders_waiting_at_a_sending_time_go_with_the_next_sweep(world, client, sign_in, at):
    from tracker.notify.reminders.rules import decide

    world.action("2027-03-11")  # 3 days before: Monday 8 March
    sign_in(world.secretary)
    with at("2027-03-08 10:00"):
        decide(london("2027-03-08 10:00"))  # decided between sweeps (with Monday's digest)
        db.session.commit()
        line = queue_line(client.get(f"/boards/{world.board.ref}/reminders"))
    assert line == (
        "2 reminders about this board, to 2 people, will go within a few minutes, "
        "with the scheduler’s next sweep."
    )


def test_members_who_cannot_read_the_mailbox_are_not_sent_there(world, page, sign_in):
    text = parse(sign_in(world.chair).get(page)).main_text
    assert "mailbox" not in text
    assert "No reminders about this board are waiting to go." in text
