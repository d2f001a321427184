"""The admin pages for email: the outbox (tabs, retry) and the mailbox (each email as it
would arrive, its HTML in a sandboxed frame, its links working)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import test_board_pages_support as support
from sqlalchemy import select
from test_board_pages_support import events, forget_request_state, queries_for

from tests.integration.test_web_pages import Page, parse
from tracker.common.time import LONDON
from tracker.notify.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from tracker.notify.outbox import enqueue

frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
NOW = datetime(2027, 3, 14, 12, 0, tzinfo=LONDON)
# Each page, and what a secretary gets for an email about no action of theirs (a sign-in
# email, say): the outbox is for admins; the mailbox lists only their boards' emails.
PAGES = [
    ("/admin/outbox", 403),
    ("/admin/outbox?show=sent", 403),
    ("/admin/mailbox", 200),
    ("/admin/mailbox/{id}", 404),
    ("/admin/mailbox/{id}.html", 404),
]


@pytest.fixture
def admin(make_person):
    return make_person(name="Ada Admin", email="ada@assure.example", is_admin=True)


@pytest.fixture
def board(make_board, make_person):
    return make_board(ref="tscp", name="Tameside Partnership")


@pytest.fixture
def secretary(make_person, board):
    from tracker.boards.services import add_member

    person = make_person(name="Sam Secretary", email="sam@tameside.example")
    add_member(None, board, person, "secretary", channel="cli")
    return person


@pytest.fixture
def as_admin(sign_in, admin):
    return sign_in(admin)


@pytest.fixture
def action(make_action, board, make_person):
    """An open action: its owner's assignment email is in the outbox."""
    owner = make_person(name="Olive Owner", email="olive@trust.example")
    return make_action(board, ref="TSCP-IM-01", title="Safe sleep briefings", owner=owner)


def write(session, *, subject="Hello", to="olive@trust.example", status=PENDING, **values):
    message = enqueue(
        "note",
        to_address=to,
        subject=subject,
        template="signed_off",
        context={"action": None, "board": None, "who": "Someone", "person": None},
    )
    message.status = status
    for name, value in values.items():
        setattr(message, name, value)
    session.commit()
    return message


def all_statuses(session) -> list[tuple[str, int]]:
    session.expire_all()
    rows = session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)
    )
    return [tuple(row) for row in rows]


# Who may


@pytest.mark.parametrize(("path", "for_secretary"), PAGES)
def test_email_pages_are_for_admins_and_partly_secretaries(
    client, session, sign_in, secretary, admin, path, for_secretary
):
    message = write(session)
    path = path.format(id=message.id)

    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    forget_request_state()
    response = sign_in(secretary).get(path)
    assert response.status_code == for_secretary
    assert message.subject not in response.get_data(as_text=True)
    forget_request_state()
    assert sign_in(admin).get(path).status_code == 200


def test_an_unknown_email_is_not_found(as_admin):
    assert as_admin.get("/admin/mailbox/999999").status_code == 404
    assert as_admin.get("/admin/mailbox/999999.html").status_code == 404


def test_a_secretary_cannot_retry(client, session, sign_in, post_form, secretary):
    message = write(session, status=FAILED, attempts=6)
    sign_in(secretary)

    response = post_form("/", {}, action=f"/admin/outbox/{message.id}/retry")

    assert response.status_code == 403
    assert all_statuses(session) == [(FAILED, 6)]


# The outbox


def test_the_outbox_shows_waiting_emails_by_default(session, as_admin):
    write(session, subject="Due later", next_attempt_at=NOW + timedelta(minutes=5), attempts=1,
          last_error="Could not reach the mail server (ConnectionRefusedError).")  # fmt: skip
    write(session, subject="Being sent", status=SENDING, claimed_at=NOW)
    write(session, subject="Went", status=SENT, sent_at=NOW)
    write(session, subject="Gave up", status=FAILED, attempts=6, last_error="550 No such user")

    page = parse(as_admin.get("/admin/outbox"))

    assert page.title == "Outbox: waiting – Assure"
    assert page.headings()[0] == (1, "Outbox")
    nav = [a for a in page.root.tags("a") if a.text.startswith(("Waiting", "Sent", "Failed"))]
    assert [(a.text, a.attrs.get("aria-current")) for a in nav] == [
        ("Waiting (2)", "page"),
        ("Sent (1)", None),
        ("Failed (1)", None),
    ]
    table = page.table("2 waiting emails")
    assert table.header_line() == "Email | Written | Next try | Tries | Last error | Retry"
    assert table.visible_row_lines() == [
        "Being sent To olive@trust.example | 14 March 2027 at midday | Sending | 0 | None | ",
        "Due later To olive@trust.example | 14 March 2027 at midday | 14 March 2027 at 12:05pm"
        " | 1 | Could not reach the mail server (ConnectionRefusedError). | Retry now",
    ]
    assert "No mail server is set" in page.main_text


def test_the_failed_tab_shows_the_last_error_and_a_retry_button(session, as_admin):
    write(session, subject="Gave up", status=FAILED, attempts=6, last_error="550 No such user")

    page = parse(as_admin.get("/admin/outbox?show=failed"))

    [row] = page.table("1 failed email").rows()
    assert row[:5] == [
        "Gave up To olive@trust.example",
        "14 March 2027 at midday",
        "Failed",
        "6",
        "550 No such user",
    ]
    assert row[5] == "Retry now : Gave up, to olive@trust.example"


def test_the_sent_tab_shows_when_each_was_sent(session, as_admin):
    write(session, subject="Went", status=SENT, sent_at=NOW + timedelta(minutes=1))

    page = parse(as_admin.get("/admin/outbox?show=sent"))

    assert page.table("1 sent email").header_line() == (
        "Email | Written | Sent | Tries | Last error"
    )
    assert page.table("1 sent email").rows()[0][2] == "14 March 2027 at 12:01pm"
    assert "Retry now" not in page.main_text


def test_an_empty_tab_says_so(as_admin):
    assert "No failed emails." in parse(as_admin.get("/admin/outbox?show=failed")).main_text


def test_retry_makes_a_failed_email_due_now(session, as_admin, post_form, admin):
    message = write(session, status=FAILED, attempts=6, next_attempt_at=NOW - timedelta(days=1))

    response = post_form(
        "/admin/outbox?show=failed", {}, action=f"/admin/outbox/{message.id}/retry?show=failed"
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/outbox?show=failed&page=1"
    session.expire_all()
    assert (message.status, message.attempts, message.next_attempt_at) == (PENDING, 6, NOW)
    [event] = events(session, "email_retried")
    assert (event.actor_id, event.subject_id, event.channel) == (admin.id, message.id, "web")
    page = parse(as_admin.get(response.headers["Location"]))
    assert (
        "The email to olive@trust.example gets one more try: it will be sent once a mail "
        "server is set." in page.main_text
    )


def test_retry_does_nothing_to_a_sent_email(session, as_admin, post_form):
    message = write(session, status=SENT, sent_at=NOW)

    response = post_form("/admin/outbox", {}, action=f"/admin/outbox/{message.id}/retry")

    assert response.status_code == 302
    assert all_statuses(session) == [(SENT, 0)]
    assert events(session, "email_retried") == []
    page = parse(as_admin.get(response.headers["Location"]))
    assert "The email to olive@trust.example was already sent or is being sent." in page.main_text


def test_retry_needs_the_csrf_token(session, as_admin):
    message = write(session, status=FAILED, attempts=6)

    response = as_admin.post(f"/admin/outbox/{message.id}/retry")

    assert response.status_code == 400
    assert all_statuses(session) == [(FAILED, 6)]


@pytest.mark.parametrize("path", [path for path, _ in PAGES])
def test_looking_changes_nothing(session, as_admin, path):
    message = write(session, status=FAILED, attempts=6)
    write(session, status=PENDING)
    before = all_statuses(session)

    assert as_admin.get(path.format(id=message.id)).status_code == 200

    assert all_statuses(session) == before
    assert events(session, "email_retried") == []


@pytest.mark.parametrize("path", ["/admin/outbox", "/admin/mailbox"])
def test_query_count_does_not_grow_with_emails(session, as_admin, admin, path):
    for _ in range(2):
        write(session)
    few = queries_for(as_admin, session, path)
    for _ in range(20):
        write(session)
    many = queries_for(as_admin, session, path)

    assert len(few) == len(many), many


# The mailbox


def test_the_mailbox_lists_every_email_newest_first(session, as_admin, action):
    earlier = NOW - timedelta(hours=2)
    write(session, subject="Older", status=SENT, created_at=earlier, sent_at=earlier)

    page = parse(as_admin.get("/admin/mailbox"))

    assert page.headings()[0] == (1, "Mailbox")
    table = page.table("2 emails")
    assert table.header_line() == "Subject | To | Date"
    assert table.row_lines() == [
        "You own action TSCP-IM-01: Safe sleep briefings | olive@trust.example"
        " | 14 March 2027 at midday",
        "Older | olive@trust.example | 14 March 2027 at 10:00am",
    ]
    links = [a.attrs["href"] for a in page.table("2 emails").node.tags("a")]
    assert all(re.fullmatch(r"/admin/mailbox/\d+", href) for href in links)
    # An empty mailbox on a Saturday is not a fault: the page says when reminders go.
    assert "Reminders go at 08:00 London time on working days" in page.main_text


def test_an_email_shows_as_it_would_arrive(session, as_admin, action):
    message = session.scalar(select(OutboxMessage))

    page = parse(as_admin.get(f"/admin/mailbox/{message.id}"))

    assert page.headings()[:2] == [
        (1, "You own action TSCP-IM-01: Safe sleep briefings"),
        (2, "The email"),
    ]
    facts = {
        dt.text: dd.text for dt, dd in zip(page.root.tags("dt"), page.root.tags("dd"), strict=False)
    }
    assert facts["From"] == "Assure <assure@localhost>"
    assert facts["To"] == "olive@trust.example"
    assert facts["Date"] == "14 March 2027 at midday"
    assert facts["Status"] == "Waiting to be sent ( see the outbox )"
    [frame] = page.root.tags("iframe")
    assert frame.attrs["src"] == f"/admin/mailbox/{message.id}.html"
    assert frame.attrs["title"] == "The email: You own action TSCP-IM-01: Safe sleep briefings"
    assert "allow-scripts" not in frame.attrs["sandbox"]
    assert "allow-same-origin" not in frame.attrs["sandbox"]
    assert "Dear Olive Owner," in page.main_text  # the plain text version, in a details


def test_the_html_is_served_sandboxed_with_links_opening_the_whole_tab(session, as_admin, action):
    message = session.scalar(select(OutboxMessage))

    response = as_admin.get(f"/admin/mailbox/{message.id}.html")

    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-popups ")
    assert "allow-scripts" not in policy and "allow-same-origin" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert '<head><base target="_top">' in html
    assert html.replace('<base target="_top">', "") == message.body_html


def test_the_link_in_a_mailbox_email_works(session, as_admin, action, client):
    message = session.scalar(select(OutboxMessage))
    html = as_admin.get(f"/admin/mailbox/{message.id}.html").get_data(as_text=True)
    [link] = [
        a.attrs["href"] for a in Page(html).root.tags("a") if a.text == "Update action TSCP-IM-01"
    ]
    forget_request_state()

    response = client.get(link.removeprefix("http://assure.test"))

    assert response.status_code == 200
    assert "Safe sleep briefings" in response.get_data(as_text=True)


def test_a_secretary_reads_only_their_boards_emails_in_the_mailbox(
    client, session, sign_in, make_person, make_board, make_action
):
    from tracker.actions.models import Action

    secretary = make_person()
    mine = make_board(members=[(secretary, "secretary")])
    theirs = make_board()
    make_action(mine, status="open")
    make_action(theirs, status="open")
    session.commit()
    messages = session.query(OutboxMessage).all()
    board_of = {a.id: a.board_id for a in session.query(Action)}
    own = [m for m in messages if board_of[m.action_id] == mine.id]
    other = [m for m in messages if board_of[m.action_id] == theirs.id]
    assert own and other
    sign_in(secretary)
    page = client.get("/admin/mailbox").get_data(as_text=True)
    assert own[0].subject in page and other[0].subject not in page
    assert client.get(f"/admin/mailbox/{own[0].id}").status_code == 200
    assert client.get(f"/admin/mailbox/{other[0].id}").status_code == 404
    assert client.get("/admin/outbox").status_code == 403


def test_people_who_are_secretary_nowhere_have_no_mailbox(client, sign_in, make_person):
    sign_in(make_person())
    assert client.get("/admin/mailbox").status_code == 403
