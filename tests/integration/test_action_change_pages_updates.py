"""The pages that decide owners' updates (accept, reject with a reason) and record an update
on an owner's behalf."""

# The fixtures come from the helpers module; tests naming them as arguments is what pytest
# expects, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.integration.test_action_change_pages_helpers import (  # noqa: F401  (fixtures)
    act_as,
    action,
    board,
    error_summary,
    events,
    field_errors,
    flashes,
    fresh,
    frozen_time,
    options,
    owner,
    parse,
    parse_value,
    people,
    token,
    value_of,
)
from tracker.actions import services
from tracker.actions import updates as action_updates
from tracker.actions.models import Update
from tracker.audit.models import Event

# Owners' updates


@pytest.fixture
def update(session, action, owner):
    """An update the owner sent from their email link, waiting for the secretary."""
    update = action_updates.submit_update(
        owner,
        fresh(session, action),
        narrative="Briefed 30 of 40 visitors.",
        progress=75,
        rag="amber",
        channel="email_link",
    )
    session.commit()
    assert update.state == "submitted"
    return update


def accept_url(update) -> str:
    return f"/updates/{update.id}/accept"


def test_accept_an_update(client, session, act_as, people, action, update):
    act_as(people.secretary)

    response = client.post(
        accept_url(update), data={"csrf_token": token(client), "comment": "Thanks."}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{action.id}"
    session.expire_all()
    decided = session.get(Update, update.id)
    assert (decided.state, decided.decided_by_id, decided.decision_reason) == (
        "accepted",
        people.secretary.id,
        "Thanks.",
    )
    assert (decided.action.progress, decided.action.owner_rag) == (75, "amber")
    [event] = events(session, action.id, "update_accepted")
    assert event.channel == "web"
    assert flashes(client) == [("success", "Update from Jo Bloggs accepted.")]


def test_an_update_decided_already_is_not_decided_again(client, session, act_as, people, update):
    act_as(people.secretary)
    csrf = token(client)  # before the posts: the page would show (and take) their messages
    client.post(accept_url(update), data={"csrf_token": csrf})
    flashes(client)  # seen
    before = len(events(session, update.action_id))

    again = client.post(accept_url(update), data={"csrf_token": csrf})
    rejected = client.post(
        f"/updates/{update.id}/reject", data={"csrf_token": csrf, "reason": "Late."}
    )

    assert (again.status_code, rejected.status_code) == (302, 302)
    assert flashes(client) == [
        ("info", "This update was already accepted; nothing was changed."),
        ("info", "This update was already accepted; nothing was changed."),
    ]
    assert len(events(session, update.action_id)) == before
    response = client.get(f"/updates/{update.id}/reject")
    assert response.status_code == 302
    assert flashes(client) == [
        ("info", "This update was already accepted; there is nothing to decide.")
    ]


def test_an_update_whose_step_no_longer_fits_is_not_accepted(
    client, session, act_as, people, action, owner
):
    asking = action_updates.submit_update(
        owner,
        fresh(session, action),
        narrative="Stuck.",
        transition="block",
        comment="No trainer.",
        channel="email_link",
    )
    services.fire_transition(
        None, fresh(session, action), "complete", {"evidence": "Done."}, channel="cli"
    )
    session.commit()
    act_as(people.secretary)

    response = client.post(accept_url(asking), data={"csrf_token": token(client)})

    assert response.status_code == 302
    assert flashes(client) == [
        (
            "info",
            "Cannot mark as blocked while the action is completed; it must be open or in progress.",
        )
    ]
    session.expire_all()
    assert session.get(Update, asking.id).state == "submitted"
    assert fresh(session, action).status == "completed"


@pytest.mark.parametrize(("who", "status"), [("chair", 403), ("member", 403), ("stranger", 404)])
def test_only_the_secretary_decides_updates(client, session, act_as, people, update, who, status):
    act_as(getattr(people, who))
    csrf = token(client)

    assert client.post(accept_url(update), data={"csrf_token": csrf}).status_code == status
    assert client.get(f"/updates/{update.id}/reject").status_code == status
    response = client.post(
        f"/updates/{update.id}/reject", data={"csrf_token": csrf, "reason": "No."}
    )
    assert response.status_code == status
    session.expire_all()
    assert session.get(Update, update.id).state == "submitted"


def test_deciding_an_update_needs_a_csrf_token(client, session, act_as, people, update):
    act_as(people.secretary)
    assert client.post(accept_url(update)).status_code == 400
    assert client.post(f"/updates/{update.id}/reject", data={"reason": "No."}).status_code == 400
    session.expire_all()
    assert session.get(Update, update.id).state == "submitted"


def test_reject_an_update_with_a_reason(client, session, act_as, people, action, update, post_form):
    act_as(people.secretary)
    url = f"/updates/{update.id}/reject"

    page = parse(client.get(url))
    assert page.headings()[0] == (1, "Reject the update")
    assert "Briefed 30 of 40 visitors." in page.main_text
    assert "From Jo Bloggs" in page.main_text
    assert "through email link" in page.main_text

    page = parse(post_form(url, {"reason": ""}))
    assert page.title.startswith("Error: ")
    assert error_summary(page) == [
        ("Say why the update is rejected; the owner will see it.", "#reason")
    ]
    session.expire_all()
    assert session.get(Update, update.id).state == "submitted"

    response = post_form(url, {"reason": "Which visitors? Send the list."})
    assert response.headers["Location"] == f"/actions/{action.id}"
    session.expire_all()
    decided = session.get(Update, update.id)
    assert (decided.state, decided.decision_reason) == (
        "rejected",
        "Which visitors? Send the list.",
    )
    assert decided.action.progress == 0  # the action does not change
    [event] = events(session, action.id, "update_rejected")
    assert event.channel == "web"


# Recording an update for an owner


def add_url(action) -> str:
    return f"/actions/{action.id}/updates/new"


def test_record_an_update_for_the_owner(client, session, act_as, people, action, owner, post_form):
    act_as(people.secretary)

    page = parse(client.get(add_url(action)))
    assert [label for _, label in options(page, "transition")] == [
        "No change",
        "Mark as blocked (to blocked)",
        "Mark as complete (to completed)",
    ]
    assert [
        r.text
        for r in page.root.find_all(lambda n: "govuk-radios__label" in n.attrs.get("class", ""))
    ] == [
        "On track",
        "At risk",
        "Off track",
    ]

    response = post_form(
        add_url(action),
        {"narrative": "Jo phoned: half done.", "progress": "50", "rag": "green"},
    )

    assert response.status_code == 302
    [update] = session.scalars(select(Update).where(Update.action_id == action.id)).all()
    assert (update.author_id, update.channel, update.state) == (owner.id, "web", "submitted")
    assert (update.progress, update.rag, update.narrative) == (50, "green", "Jo phoned: half done.")
    [event] = events(session, action.id, "update_submitted")
    assert (event.actor_id, event.channel) == (people.secretary.id, "web")
    assert flashes(client) == [
        ("success", "Update recorded for Jo Bloggs. It is waiting to be accepted.")
    ]


@pytest.mark.parametrize(
    ("data", "summary"),
    [
        (
            {"narrative": "", "progress": "lots"},
            [
                ("Enter progress as a whole number from 0 to 100.", "#progress"),
            ],
        ),
        (
            {"narrative": "", "progress": "40"},
            [("Describe what has happened since the last update.", "#narrative")],
        ),
        (
            {"narrative": "Done.", "transition": "complete", "comment": "All done."},
            [("Give evidence to mark as complete.", "#evidence")],
        ),
        (
            {"narrative": "Slipping.", "proposed_due_on": ["31", "8", "2027"]},
            [("Say why a new due date is needed.", "#comment")],
        ),
        (
            {"narrative": "Slipping.", "proposed_due_on": ["31", "2", "2027"]},
            [
                (
                    "Proposed new due date must be a real date, for example 31 3 2027",
                    "#proposed_due_on-day",
                )
            ],
        ),
    ],
)
def test_a_wrong_update_saves_nothing(
    client, session, act_as, people, action, post_form, data, summary
):
    act_as(people.secretary)

    response = post_form(add_url(action), data)

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == summary
    for name, typed in data.items():
        assert value_of(page, name) == typed
    assert session.scalars(select(Update).where(Update.action_id == action.id)).all() == []


@pytest.mark.parametrize(("who", "status"), [("chair", 403), ("member", 403), ("stranger", 404)])
def test_only_the_secretary_records_updates(client, session, act_as, people, action, who, status):
    act_as(getattr(people, who))
    assert client.get(add_url(action)).status_code == status
    response = client.post(
        add_url(action), data={"csrf_token": token(client), "narrative": "Hello."}
    )
    assert response.status_code == status
    assert session.scalars(select(Update).where(Update.action_id == action.id)).all() == []


def test_recording_an_update_needs_a_csrf_token(client, session, act_as, people, action):
    act_as(people.secretary)
    assert client.post(add_url(action), data={"narrative": "Hello."}).status_code == 400


def test_an_update_on_a_board_that_needs_no_acceptance_applies_at_once(
    client, session, act_as, people, action, post_form
):
    board_ = fresh(session, action).board
    board_.updates_need_acceptance = False
    session.commit()
    act_as(people.secretary)

    post_form(add_url(action), {"narrative": "All done.", "progress": "100%"})

    assert fresh(session, action).progress == 100
    assert flashes(client) == [
        ("success", "Update recorded for Jo Bloggs. It has been applied to the action.")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/boards/tscp/actions/new",
        "/actions/{action}/edit",
        "/actions/{action}/owner",
        "/actions/{action}/due-date",
        "/actions/{action}/transitions/block",
        "/actions/{action}/transitions/complete",
        "/actions/{action}/updates/new",
        "/updates/{update}/reject",
    ],
)
def test_opening_a_page_changes_nothing(client, session, act_as, people, action, update, path):
    def state():
        session.expire_all()
        saved = session.get(Update, update.id)
        return (
            fresh(session, action).version,
            saved.state,
            len(events(session, action.id)),
            session.scalar(select(func.count(Event.id))),
        )

    act_as(people.secretary)
    before = state()

    response = client.get(path.format(action=action.id, update=update.id))

    assert response.status_code == 200
    assert state() == before
