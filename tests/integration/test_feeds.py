"""Calendar feeds: made, shown once, read by a calendar, revoked and remade; stored as hashes."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.integration import transfer_support
from tracker import create_app
from tracker.actions.rag import RAG_LABELS, rag_of
from tracker.extensions import db, limiter
from tracker.links.privacy import redact
from tracker.people.services import set_active
from tracker.transfer.feed_models import FeedToken
from tracker.transfer.feeds import TOUCH_EVERY, create_board_feed, create_person_feed

clock, plan, sign_in_as = transfer_support.clock, transfer_support.plan, transfer_support.sign_in_as
TODAY = transfer_support.TODAY
FEED_URL = re.compile(r'value="(https?://[^"]+/feeds/([A-Za-z0-9_-]+)\.ics)"')


def press(client, page: str, action: str):
    """Press a button on ``page`` whose form posts to ``action``."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token})


def events_of(response) -> dict:
    assert response.status_code == 200, response.status_code
    calendar = Calendar.from_ical(response.data)
    return calendar, {str(e["summary"]).split(":")[0]: e for e in calendar.walk("VEVENT")}


def test_a_person_makes_their_feed_and_sees_its_address_once(
    app, client, sign_in_as, session, plan
):
    sign_in_as(plan.owner)

    made = press(client, "/my/calendar", "/my/calendar")
    first = client.get("/my/calendar")
    again = client.get("/my/calendar")

    assert made.status_code == 302 and made.headers["Location"] == "/my/calendar"
    url, secret = FEED_URL.search(first.get_data(as_text=True)).groups()
    assert url == f"{app.config['BASE_URL']}/feeds/{secret}.ics"
    assert "Add calendar" in first.get_data(as_text=True)
    assert first.headers["Referrer-Policy"] == "no-referrer"
    assert first.headers["Cache-Control"] == "no-store"
    assert secret not in again.get_data(as_text=True)
    assert "calendar feed is on" in again.get_data(as_text=True)
    # Only the hash is kept: the secret is in no column of the row.
    token = session.scalar(select(FeedToken).where(FeedToken.person_id == plan.owner.id))
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr([getattr(token, c.key) for c in FeedToken.__table__.columns])
    assert len(secret) >= 43


def test_a_persons_feed_holds_their_open_actions_with_due_dates(
    app, client, session, make_action, make_person, plan
):
    elsewhere = make_action(title="On another board", owner=plan.owner, due_on=date(2027, 2, 1))
    make_action(plan.board, title="Someone else's", owner=make_person(), due_on=date(2027, 2, 1))
    feed = create_person_feed(plan.owner, channel="cli")
    session.commit()

    response = client.get(f"/feeds/{feed.secret}.ics")

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"].startswith("private")
    calendar, events = events_of(response)
    assert str(calendar["X-WR-CALNAME"]) == "Assure: actions of Olu Ówner"
    # Not the completed one, not the draft without a date, not someone else's.
    assert sorted(events) == sorted(["A1.1", "A1.2", "A2.2", elsewhere.ref])
    full = plan.actions["A1.1"]
    base = app.config["BASE_URL"]
    event = events["A1.1"]
    assert str(event["summary"]) == "A1.1: Train every health visitor in safe sleep"
    assert event["uid"] == f"action-{full.id}@{urlsplit(base).hostname}"
    assert event.decoded("dtstart") == date(2027, 3, 31)
    assert event["dtstart"].params["VALUE"] == "DATE"
    assert event.decoded("dtend") == date(2027, 4, 1)
    assert event["sequence"] == full.version
    assert event.decoded("last-modified") == full.updated_at
    description = str(event["description"])
    assert "Status: In progress" in description
    assert f"RAG: {RAG_LABELS[rag_of(full, plan.board, TODAY)]}" in description
    assert f"{base}/actions/{full.id}" in description
    assert str(event["url"]) == f"{base}/actions/{full.id}"
    assert "RAG: Off track" in str(events["A1.2"]["description"])


def test_a_boards_feed_holds_the_boards_open_actions_with_owners(
    client, sign_in_as, session, make_action, plan
):
    make_action(title="On another board", owner=plan.owner, due_on=date(2027, 2, 1))
    sign_in_as(plan.secretary)

    press(client, "/boards/tscp/calendar", "/boards/tscp/calendar")
    page = client.get("/boards/tscp/calendar").get_data(as_text=True)
    _, secret = FEED_URL.search(page).groups()
    calendar, events = events_of(client.get(f"/feeds/{secret}.ics"))

    assert str(calendar["X-WR-CALNAME"]) == "Assure: Tameside Safeguarding Children Partnership"
    assert sorted(events) == ["A1.1", "A1.2", "A2.2"]
    assert "Owner: Olu Ówner" in str(events["A2.2"]["description"])


def test_revoking_a_feed_makes_its_address_404(client, sign_in_as, session, plan):
    feed = create_person_feed(plan.owner, channel="cli")
    session.commit()
    assert client.get(f"/feeds/{feed.secret}.ics").status_code == 200
    sign_in_as(plan.owner)

    press(client, "/my/calendar", "/my/calendar/revoke")

    page = client.get("/my/calendar").get_data(as_text=True)
    assert "Your calendar feed is stopped" in page and "calendar feed is off" in page
    assert client.get(f"/feeds/{feed.secret}.ics").status_code == 404


def test_making_a_new_address_stops_the_old_one(client, sign_in_as, session, plan):
    old = create_board_feed(None, plan.board, channel="cli")
    session.commit()
    sign_in_as(plan.secretary)

    press(client, "/boards/tscp/calendar", "/boards/tscp/calendar")
    _, secret = FEED_URL.search(client.get("/boards/tscp/calendar").get_data(as_text=True)).groups()

    assert client.get(f"/feeds/{old.secret}.ics").status_code == 404
    assert client.get(f"/feeds/{secret}.ics").status_code == 200
    live = session.scalars(select(FeedToken).where(FeedToken.revoked_at.is_(None))).all()
    assert [t.digest for t in live] == [hashlib.sha256(secret.encode()).hexdigest()]


def test_reading_a_feed_notes_when_at_most_every_quarter_hour(client, session, clock, plan):
    feed = create_person_feed(plan.owner, channel="cli")
    session.commit()

    client.get(f"/feeds/{feed.secret}.ics")
    first = session.get(FeedToken, feed.token.id).last_used_at
    clock.shift(TOUCH_EVERY - timedelta(seconds=1))
    client.get(f"/feeds/{feed.secret}.ics")
    session.expire_all()
    unchanged = session.get(FeedToken, feed.token.id).last_used_at
    clock.shift(timedelta(seconds=1))
    client.get(f"/feeds/{feed.secret}.ics")
    session.expire_all()
    later = session.get(FeedToken, feed.token.id).last_used_at

    assert first == transfer_support.NOW
    assert unchanged == first
    assert later == first + TOUCH_EVERY


def test_the_feed_of_a_deactivated_person_is_404(client, session, plan):
    feed = create_person_feed(plan.owner, channel="cli")
    set_active(None, plan.owner, False, channel="cli")
    session.commit()

    assert client.get(f"/feeds/{feed.secret}.ics").status_code == 404


def test_an_unknown_address_is_404_and_private(client, plan):
    response = client.get("/feeds/" + "x" * 43 + ".ics")

    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_only_the_secretary_and_admins_manage_a_boards_feed(client, sign_in_as, plan):
    sign_in_as(plan.member)
    assert client.get("/boards/tscp/calendar").status_code == 403
    sign_in_as(plan.owner)
    assert client.get("/boards/tscp/calendar").status_code == 404


def test_feed_addresses_are_kept_out_of_logs():
    assert redact('"GET /feeds/abcDEF_-123.ics HTTP/1.1" 200') == (
        '"GET /feeds/<redacted> HTTP/1.1" 200'
    )


def test_making_and_stopping_feeds_are_audit_events(session, plan):
    from tracker.audit.models import Event

    create_board_feed(plan.secretary, plan.board, channel="web")
    create_board_feed(plan.secretary, plan.board, channel="web")

    events = session.scalars(
        select(Event).where(Event.verb.like("calendar_feed_%")).order_by(Event.id)
    ).all()
    assert [(e.verb, e.actor_id, e.board_id) for e in events] == [
        ("calendar_feed_created", plan.secretary.id, plan.board.id),
        ("calendar_feed_revoked", plan.secretary.id, plan.board.id),
        ("calendar_feed_created", plan.secretary.id, plan.board.id),
    ]


@pytest.fixture
def throttled_client(empty_database_url):
    """A client of an app with throttling on (Flask-Limiter keeps one limiter per process,
    so the suite's setting is put back afterwards)."""
    was_enabled = limiter.enabled
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    limiter.reset()
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()
    limiter.reset()
    limiter.enabled = was_enabled


def test_each_feed_is_read_at_most_60_times_an_hour(throttled_client):
    one, other = "/feeds/" + "a" * 43 + ".ics", "/feeds/" + "b" * 43 + ".ics"

    statuses = [throttled_client.get(one).status_code for _ in range(61)]

    assert statuses == [404] * 60 + [429]
    assert throttled_client.get(other).status_code == 404  # another feed's count is its own


# Owners who never sign in: the secretary emails them their own feed.


def test_the_secretary_emails_an_owner_their_feed_without_seeing_it(
    client, sign_in_as, session, plan
):
    from tracker.notify.models import OutboxMessage

    sign_in_as(plan.secretary)
    page = client.get("/boards/tscp/calendar").get_data(as_text=True)
    assert "Olu Ówner (olu.owner@example.org)" in page

    response = client.post(
        "/boards/tscp/calendar/owners",
        data={"csrf_token": csrf_token_from(page), "owner-person": str(plan.owner.id)},
    )

    assert response.status_code == 302
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "calendar_feed"))
    assert message.to_address == "olu.owner@example.org" and message.action_id is None
    secret = re.search(r"/feeds/([A-Za-z0-9_-]+)\.ics", message.body_text).group(1)
    assert f"/feeds/{secret}.ics" in message.body_html
    after = client.get("/boards/tscp/calendar").get_data(as_text=True)
    assert "will get an email with their calendar feed" in after
    assert secret not in after
    assert secret not in client.get("/admin/mailbox").get_data(as_text=True)
    _, events = events_of(client.get(f"/feeds/{secret}.ics"))
    assert sorted(events) == ["A1.1", "A1.2", "A2.2"]


def test_only_owners_of_the_boards_actions_can_be_sent_a_feed(
    client, sign_in_as, session, make_person, plan
):
    from tracker.notify.models import OutboxMessage

    stranger = make_person(name="Not An Owner")
    session.commit()
    sign_in_as(plan.secretary)
    page = client.get("/boards/tscp/calendar").get_data(as_text=True)

    response = client.post(
        "/boards/tscp/calendar/owners",
        data={"csrf_token": csrf_token_from(page), "owner-person": str(stranger.id)},
    )

    assert response.status_code == 400
    assert "Choose the owner to send a calendar feed to" in response.get_data(as_text=True)
    assert (
        session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "calendar_feed")) is None
    )
