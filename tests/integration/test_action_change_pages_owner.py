"""The pages that give an action a new owner or a new due date (with a reason), each carrying
the version the person saw."""

# The fixtures come from the helpers module; tests naming them as arguments is what pytest
# expects, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import csrf_token_from
from tests.integration.test_action_change_pages_helpers import (  # noqa: F401  (fixtures)
    NEW,
    Page,
    act_as,
    action,
    board,
    count,
    error_summary,
    events,
    field_errors,
    flashes,
    fresh,
    frozen_time,
    new_action,
    options,
    owner,
    parse,
    parse_value,
    people,
    recommendation,
    value_of,
)
from tracker.actions import services

# A new owner


def test_reassign_to_someone_in_assure(
    client, session, act_as, people, action, make_person, post_form
):
    kim = make_person(name="Kim Health Visitor", email="kim@icb.example")
    session.commit()
    act_as(people.secretary)

    page = parse(client.get(f"/actions/{action.id}/owner"))
    assert value_of(page, "owner_choice") == "existing"
    assert value_of(page, "owner_id") == str(action.owner_id)

    response = post_form(
        f"/actions/{action.id}/owner",
        {"owner_choice": "existing", "owner_id": str(kim.id), "comment": "Jo is on leave."},
    )

    assert response.status_code == 302
    assert fresh(session, action).owner_id == kim.id
    [event] = events(session, action.id, "owner_assigned")
    assert (event.channel, event.comment) == ("web", "Jo is on leave.")
    assert event.changes == {"owner": ["jo@icb.example", "kim@icb.example"]}
    assert flashes(client) == [("success", "Kim Health Visitor now owns TSCP-01.")]


def test_reassign_to_someone_new(client, session, act_as, people, action, post_form):
    act_as(people.secretary)

    post_form(
        f"/actions/{action.id}/owner",
        {
            "owner_choice": "new",
            "new_owner_name": "Lee New",
            "new_owner_email": "lee@council.example",
        },
    )

    assert fresh(session, action).owner.email == "lee@council.example"
    assert flashes(client) == [
        ("success", "Lee New now owns TSCP-01. Lee New was added to Assure.")
    ]


def test_reassign_without_choosing_anyone_saves_nothing(
    client, session, act_as, people, action, post_form
):
    act_as(people.secretary)

    response = post_form(
        f"/actions/{action.id}/owner",
        {"owner_choice": "existing", "owner_id": "", "comment": "Handing over."},
    )

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == [("Choose the person who will own this action", "#owner_id")]
    assert value_of(page, "comment") == "Handing over."
    assert fresh(session, action).owner.name == "Jo Bloggs"


def test_reassign_after_someone_else_moved_the_date(
    client, session, act_as, people, action, make_person
):
    kim = make_person(name="Kim Health Visitor", email="kim@icb.example")
    session.commit()
    act_as(people.secretary)
    html = client.get(f"/actions/{action.id}/owner").get_data(as_text=True)
    services.change_due_date(None, action, date(2027, 7, 31), reason="Agreed.", channel="cli")
    session.commit()

    response = client.post(
        f"/actions/{action.id}/owner",
        data={
            "csrf_token": csrf_token_from(html),
            "version": parse_value(html, "version"),
            "seen": parse_value(html, "seen"),
            "owner_choice": "existing",
            "owner_id": str(kim.id),
            "comment": "Jo is on leave.",
        },
    )

    page = parse(response)
    assert response.status_code == 409
    assert page.table("What changed").row_lines() == ["Due date | 30 June 2027 | 31 July 2027"]
    assert value_of(page, "owner_id") == str(kim.id)
    assert value_of(page, "comment") == "Jo is on leave."
    assert fresh(session, action).owner.name == "Jo Bloggs"
    assert events(session, action.id, "owner_assigned") == []


# A new due date


def test_due_date_page_shows_the_current_and_original_dates(
    client, session, act_as, people, action
):
    services.change_due_date(None, action, date(2027, 7, 31), reason="Agreed.", channel="cli")
    session.commit()
    act_as(people.secretary)

    page = parse(client.get(f"/actions/{action.id}/due-date"))

    assert "Due date now 31 July 2027" in page.main_text
    assert "Original due date 30 June 2027" in page.main_text
    assert value_of(page, "due_on") == ["31", "07", "2027"]


def test_change_the_due_date_with_a_reason(client, session, act_as, people, action, post_form):
    act_as(people.secretary)

    response = post_form(
        f"/actions/{action.id}/due-date",
        {"due_on": ["30", "9", "2027"], "reason": "Training dates moved."},
    )

    assert response.status_code == 302
    saved = fresh(session, action)
    assert (saved.due_on, saved.original_due_on) == (date(2027, 9, 30), date(2027, 6, 30))
    [event] = events(session, action.id, "due_date_changed")
    assert (event.channel, event.comment) == ("web", "Training dates moved.")
    assert event.changes == {"due_on": ["2027-06-30", "2027-09-30"]}
    assert flashes(client) == [("success", "TSCP-01 is now due on 30 September 2027.")]


@pytest.mark.parametrize(
    ("typed", "reason", "summary"),
    [
        (
            ["31", "2", "2027"],
            "",
            [
                ("New due date must be a real date, for example 31 3 2027", "#due_on-day"),
                ("Say why the due date is changing; the board will see the reason.", "#reason"),
            ],
        ),
        (
            ["30", "6", "2027"],
            "No change really.",
            [("New due date must be different from the current due date", "#due_on-day")],
        ),
        (["", "", ""], "Because.", [("Enter the new due date", "#due_on-day")]),
    ],
)
def test_a_wrong_due_date_change_saves_nothing(
    client, session, act_as, people, action, post_form, typed, reason, summary
):
    act_as(people.secretary)

    response = post_form(f"/actions/{action.id}/due-date", {"due_on": typed, "reason": reason})

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == summary
    assert value_of(page, "due_on") == typed
    assert value_of(page, "reason") == reason
    assert fresh(session, action).due_on == date(2027, 6, 30)
    assert events(session, action.id, "due_date_changed") == []


def test_due_date_change_from_a_stale_page(client, session, act_as, people, action):
    act_as(people.secretary)
    html = client.get(f"/actions/{action.id}/due-date").get_data(as_text=True)
    services.fire_transition(None, action, "block", {"comment": "No trainer."}, channel="cli")
    session.commit()

    response = client.post(
        f"/actions/{action.id}/due-date",
        data={
            "csrf_token": csrf_token_from(html),
            "version": parse_value(html, "version"),
            "seen": parse_value(html, "seen"),
            "due_on": ["30", "9", "2027"],
            "reason": "Training dates moved.",
        },
    )

    page = parse(response)
    assert response.status_code == 409
    assert page.table("What changed").row_lines() == ["Status | In progress | Blocked"]
    assert value_of(page, "due_on") == ["30", "9", "2027"]
    assert value_of(page, "reason") == "Training dates moved."
    assert fresh(session, action).due_on == date(2027, 6, 30)
