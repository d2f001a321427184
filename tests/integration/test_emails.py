"""The emails about actions: who gets which, what each says, and the link in it."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.integration.test_web_pages import Page
from tracker.actions import services as actions
from tracker.actions import updates
from tracker.common.time import LONDON
from tracker.links.tokens import read_update_link
from tracker.notify.models import PENDING, OutboxMessage
from tracker.notify.outbox import enqueue

DUE = date(2027, 5, 14)
LINK = re.compile(r"http://assure\.test/u/([\w.-]+)")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sam Secretary", email="sam@tameside.example")


@pytest.fixture
def owner(make_person):
    return make_person(name="Olive Owner", email="olive@trust.example")


@pytest.fixture
def board(make_board, secretary, make_person):
    chair = make_person(name="Chris Chair", email="chris@tameside.example")
    return make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[(secretary, "secretary"), (chair, "chair")],
    )


@pytest.fixture
def action(make_action, board, owner, make_recommendation):
    recommendation = make_recommendation(
        ref="R7", text="Every midwife gives safe sleep advice.", boards=[board]
    )
    return make_action(
        board,
        ref="TSCP-IM-01",
        title="Safe sleep briefings for every midwife",
        owner=owner,
        due_on=DUE,
        recommendation=recommendation,
    )


def messages(session, kind: str | None = None) -> list[OutboxMessage]:
    session.flush()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.scalars(query))


def link_in(message: OutboxMessage) -> str:
    tokens = set(LINK.findall(message.body_text)) | set(LINK.findall(message.body_html))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def no_link_in(message: OutboxMessage) -> bool:
    return "/u/" not in message.body_text + message.body_html


# Assignment


def test_opening_an_action_tells_its_owner_with_a_link(session, action, owner):
    [message] = messages(session)

    assert (message.kind, message.to_address, message.to_person_id) == (
        "assignment",
        "olive@trust.example",
        owner.id,
    )
    assert message.action_id == action.id
    assert message.subject == "You own action TSCP-IM-01: Safe sleep briefings for every midwife"
    assert (message.status, message.attempts) == (PENDING, 0)
    text = message.body_text
    assert text.startswith("Dear Olive Owner,\n\n")
    # Opened from the command line (no person acting): nobody is named.
    assert "You are now the owner of an action for Tameside" in text
    assert "TSCP-IM-01: Safe sleep briefings for every midwife\nDue: 14 May 2027\n" in text
    assert "Recommendation R7: Every midwife gives safe sleep advice." in text
    assert "Complete the action by 14 May 2027." in text
    assert "It works for 28 days" in text
    assert "Contact Sam Secretary, secretary of Tameside Safeguarding Children Partnership" in text
    assert "\n\n\n" not in text
    link = read_update_link(link_in(message))
    assert (link.action_id, link.person_id, link.link_version) == (
        action.id,
        owner.id,
        action.link_version,
    )


def test_a_draft_action_sends_nothing_until_it_opens(session, make_action, board, owner):
    action = make_action(board, status="draft", owner=owner)
    assert messages(session) == []

    actions.fire_transition(None, action, "open", channel="cli")

    [message] = messages(session)
    assert message.kind == "assignment" and message.to_address == owner.email


def test_reassigning_emails_the_new_owner_a_link_naming_them(
    session, action, owner, make_person, secretary
):
    new_owner = make_person(name="Nia New", email="nia@police.example")
    first_link = read_update_link(link_in(messages(session)[0]))

    actions.assign_owner(secretary, action, new_owner)

    assignment = messages(session, "assignment")[-1]
    assert assignment.to_address == "nia@police.example"
    assert "Sam Secretary has made you the owner of an action" in assignment.body_text
    link = read_update_link(link_in(assignment))
    assert link.person_id == new_owner.id
    # The previous owner's link names an older version: the link pages refuse it.
    assert link.link_version == action.link_version > first_link.link_version


def test_a_deactivated_owner_is_not_emailed(session, make_action, board, make_person):
    from tracker.people.services import set_active

    person = make_person()
    action = make_action(board, owner=person, status="draft")
    set_active(None, person, False, channel="cli")

    actions.fire_transition(None, action, "open", channel="cli")

    assert messages(session) == []


def test_an_html_email_is_accessible_and_self_contained(session, action):
    [message] = messages(session)
    page = Page(message.body_html)

    html = page.root.tags("html")[0]
    assert html.attrs["lang"] == "en"
    assert page.title == message.subject
    assert page.headings() == [(1, "You own action TSCP-IM-01"), (2, "What you need to do")]
    links = [(a.attrs["href"], a.text) for a in page.root.tags("a")]
    assert links[0][1] == "Update action TSCP-IM-01"
    assert links[0][0].startswith("http://assure.test/u/")
    assert links[1] == ("mailto:sam@tameside.example", "sam@tameside.example")
    # Nothing to fetch: no images, stylesheets, scripts or frames.
    assert page.root.tags("img", "link", "script", "iframe", "style") == []


def test_html_email_escapes_what_people_typed(session, make_action, board, owner):
    make_action(board, owner=owner, title="<script>alert(1)</script> & more")

    [message] = messages(session)
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in message.body_html
    # The plain text says it as typed.
    assert "<script>alert(1)</script> & more" in message.body_text


def test_a_long_title_is_cut_in_the_subject(session, make_action, board, owner):
    make_action(board, ref="L-1", owner=owner, title="Word " * 60)

    [message] = messages(session)
    assert message.subject.startswith("You own action L-1: Word Word")
    assert message.subject.endswith("…") and len(message.subject) < 110


# Sign-off and send-back


def test_signing_off_tells_the_owner_without_a_link(session, action, board, make_person):
    chair = board.memberships[1].person
    for step in ("start", "complete"):
        actions.fire_transition(None, action, step, {"evidence": "Audit."}, channel="cli")

    actions.fire_transition(chair, action, "close")

    [message] = messages(session, "signed_off")
    assert message.subject == "TSCP-IM-01 was signed off"
    assert message.to_address == "olive@trust.example"
    assert "Chris Chair signed off your action for Tameside" in message.body_text
    assert "You do not need to do anything else." in message.body_text
    assert no_link_in(message)


def test_sending_back_gives_the_reason_and_a_fresh_link(session, action, board, owner):
    chair = board.memberships[1].person
    for step in ("start", "complete"):
        actions.fire_transition(None, action, step, {"evidence": "Audit."}, channel="cli")

    actions.fire_transition(
        chair, action, "send_back", {"comment": "The audit covers one ward of three."}
    )

    [message] = messages(session, "sent_back")
    assert message.subject == "TSCP-IM-01 was sent back: The audit covers one ward of three."
    text = message.body_text
    assert "Why it was sent back\n\nThe audit covers one ward of three.\n" in text
    assert "Status: In progress" in text
    assert "then tell the board by 14 May 2027" in text
    link = read_update_link(link_in(message))
    assert (link.person_id, link.link_version) == (owner.id, action.link_version)


# Updates decided


def test_an_accepted_update_tells_its_author(session, action, owner, secretary):
    update = updates.submit_update(owner, action, narrative="Briefed 12 midwives.", progress=40)

    updates.accept_update(secretary, update, comment="Thank you.")

    [message] = messages(session, "update_accepted")
    assert message.subject == "Your update on TSCP-IM-01 was accepted"
    assert message.to_address == owner.email
    text = message.body_text
    assert "Sam Secretary accepted your update of 14 March 2027" in text
    assert "Progress: 40%" in text
    assert "Sam Secretary added:\nThank you." in text
    assert read_update_link(link_in(message)).person_id == owner.id


def test_a_rejected_update_gives_the_reason_and_a_fresh_link(session, action, owner, secretary):
    update = updates.submit_update(owner, action, narrative="Going well.", progress=10)

    updates.reject_update(secretary, update, reason="Say which wards were briefed.")

    [message] = messages(session, "update_rejected")
    assert message.subject == "Your update on TSCP-IM-01 needs changes"
    text = message.body_text
    assert "What needs to change\n\nSay which wards were briefed.\n" in text
    assert "Nothing in it was applied to the action." in text
    assert "(the action is due on 14 May 2027)" in text
    link = read_update_link(link_in(message))
    assert (link.action_id, link.person_id) == (action.id, owner.id)


def test_an_update_by_someone_no_longer_owning_the_action_gets_no_link(
    session, action, owner, secretary, make_person
):
    update = updates.submit_update(owner, action, narrative="Going well.", progress=10)
    actions.assign_owner(secretary, action, make_person())

    updates.reject_update(secretary, update, reason="Out of date.")

    [message] = messages(session, "update_rejected")
    assert message.to_address == owner.email
    assert no_link_in(message)
    assert "You no longer own this action" in message.body_text


def test_an_update_applied_at_once_sends_nothing(session, make_board, make_action, owner):
    board = make_board(updates_need_acceptance=False)
    action = make_action(board, owner=owner)
    before = len(messages(session))

    updates.submit_update(owner, action, narrative="Done the first part.", progress=30)

    assert len(messages(session)) == before


# The outbox row itself


def test_enqueue_fixes_a_message_id_with_the_senders_domain(session, app, monkeypatch, owner):
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "Assure <noreply@assure.example.org>")

    message = enqueue(
        "test",
        to_person=owner,
        subject="Line one\nline two",
        template="signed_off",
        context={"action": _FakeAction(), "board": None, "who": "Someone", "person": owner},
    )

    assert re.fullmatch(r"<[0-9a-f]{32}@assure\.example\.org>", message.message_id)
    assert message.subject == "Line one line two"  # one line: a header cannot break
    assert message in session.new


def test_enqueue_needs_a_recipient(session):
    with pytest.raises(ValueError, match="recipient"):
        enqueue("test", subject="Hello", template="signed_off", context={})


class _FakeAction:
    ref, title, due_on = "X-1", "A title", None
