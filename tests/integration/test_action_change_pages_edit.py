"""The page that edits an action's details, carrying the version the person saw so that
someone else's change in between is shown, not overwritten; and who may change an action."""

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
from tracker.audit.models import Event


def test_edit_page_shows_the_action_and_carries_its_version(
    client, session, act_as, people, action
):
    act_as(people.secretary)
    before = count(session, Event)

    page = parse(client.get(f"/actions/{action.id}/edit"))

    assert page.title == "Edit TSCP-01 – Assure"
    assert value_of(page, "title") == "Safe sleep briefings"
    assert value_of(page, "description") == "Brief every health visitor."
    assert value_of(page, "version") == str(action.version)
    assert count(session, Event) == before


def test_edit_saves_the_changes_and_records_them(
    client, session, act_as, people, action, recommendation, post_form
):
    act_as(people.secretary)
    version = action.version

    response = post_form(
        f"/actions/{action.id}/edit",
        {
            "recommendation": str(recommendation.id),
            "title": "Safe sleep briefings for all",
            "description": "Brief every health visitor.",
            "lead_organisation": "",
            "lead_organisation_other": "Tameside Council",
            "success_measure": "Every visitor briefed.",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{action.id}"
    saved = fresh(session, action)
    assert saved.title == "Safe sleep briefings for all"
    assert saved.lead_organisation.name == "Tameside Council"
    assert saved.recommendation_id == recommendation.id
    assert saved.version == version + 1
    [event] = events(session, action.id, "edited")
    assert event.channel == "web"
    assert event.changes["title"] == ["Safe sleep briefings", "Safe sleep briefings for all"]
    assert event.changes["lead_organisation"] == [None, "Tameside Council"]
    assert flashes(client) == [("success", "TSCP-01 saved.")]


def test_edit_without_a_title_saves_nothing(client, session, act_as, people, action, post_form):
    act_as(people.secretary)

    response = post_form(
        f"/actions/{action.id}/edit",
        {"title": "", "description": "A new description.", "success_measure": "x"},
    )

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert error_summary(page) == [("Enter a short title that says what will be done.", "#title")]
    assert value_of(page, "description") == "A new description."
    assert fresh(session, action).description == "Brief every health visitor."
    assert events(session, action.id, "edited") == []


def test_edit_after_someone_else_saved_shows_what_changed_and_saves_nothing(
    client, session, act_as, people, action
):
    act_as(people.secretary)
    page = client.get(f"/actions/{action.id}/edit").get_data(as_text=True)
    token, seen_version = csrf_token_from(page), parse_value(page, "version")
    seen = parse_value(page, "seen")
    # Meanwhile, someone else renames the action.
    services.edit_action(None, action, title="Safe sleep talks", channel="cli")
    session.commit()

    typed = {
        "title": "Safe sleep briefings",
        "description": "Brief every health visitor and GP.",
        "success_measure": "",
    }
    response = client.post(
        f"/actions/{action.id}/edit",
        data={"csrf_token": token, "version": seen_version, "seen": seen, **typed},
    )

    page = parse(response)
    assert response.status_code == 409
    assert page.title.startswith("Error: ")
    assert "Someone else changed this action since you opened it" in page.main_text
    assert page.table("What changed").row_lines() == [
        "Title | Safe sleep briefings | Safe sleep talks"
    ]
    assert value_of(page, "description") == "Brief every health visitor and GP."
    saved = fresh(session, action)
    assert saved.title == "Safe sleep talks"
    assert saved.description == "Brief every health visitor."
    assert value_of(page, "version") == str(saved.version)

    # Saving again, knowingly, from the re-rendered form works.
    again = client.post(
        f"/actions/{action.id}/edit",
        data={
            "csrf_token": token,
            "version": value_of(page, "version"),
            "seen": value_of(page, "seen"),
            **typed,
        },
    )
    assert again.status_code == 302
    assert fresh(session, action).description == "Brief every health visitor and GP."


@pytest.mark.parametrize("path", ["edit", "owner", "due-date"])
@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("stranger", 404)])
def test_only_the_secretary_changes_an_action(
    client, session, act_as, people, action, path, who, status
):
    act_as(getattr(people, who))
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    url = f"/actions/{action.id}/{path}"

    assert client.get(url).status_code == status
    data = {
        "csrf_token": token,
        "title": "Hijacked",
        "owner_choice": "existing",
        "owner_id": str(people.member.id),
        "due_on": ["1", "1", "2028"],
        "reason": "Why not",
    }
    assert client.post(url, data=data).status_code == status
    saved = fresh(session, action)
    assert (saved.title, saved.owner.name, saved.due_on) == (
        "Safe sleep briefings",
        "Jo Bloggs",
        date(2027, 6, 30),
    )


@pytest.mark.parametrize("path", ["edit", "owner", "due-date"])
def test_changing_an_action_needs_a_csrf_token(client, session, act_as, people, action, path):
    act_as(people.secretary)
    data = {
        "title": "No token",
        "owner_choice": "existing",
        "owner_id": str(people.member.id),
        "due_on": ["1", "1", "2028"],
        "reason": "Why not",
    }
    assert client.post(f"/actions/{action.id}/{path}", data=data).status_code == 400
    assert fresh(session, action).version == action.version
