"""The page that creates actions: from a recommendation, with the owner chosen from people or
added on the spot, and "save and add another" for several actions from one recommendation."""

# The fixtures come from the helpers module; tests naming them as arguments is what pytest
# expects, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from flask import g
from sqlalchemy import select

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
from tests.integration.test_web_pages import statements
from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.people.models import Person
from tracker.people.services import set_active


def test_create_page_offers_what_the_board_adopted_and_who_can_own_it(
    client, session, act_as, people, recommendation, owner, make_person
):
    gone = make_person(name="Aaron Gone", email="gone@example.org")
    set_active(people.admin, gone, False)
    session.commit()
    act_as(people.secretary)
    before = (count(session, Action), count(session, Event))

    page = parse(client.get(f"{NEW}?recommendation={recommendation.id}"))

    assert page.title == "Add an action – Tameside Safeguarding Children Partnership – Assure"
    assert page.headings()[0] == (1, "Add an action")
    assert options(page, "recommendation") == [
        ("", "Not from a recommendation"),
        (str(recommendation.id), "R7: Promote safe sleep. (NW infant mortality peer review)"),
    ]
    assert value_of(page, "recommendation") == str(recommendation.id)
    assert "R7 (NW infant mortality peer review): Promote safe sleep." in page.main_text
    assert "has no actions for it yet" in page.main_text
    people_offered = [label for _, label in options(page, "owner_id")]
    assert people_offered[0] == "Choose a person"
    assert people_offered[1:] == sorted(people_offered[1:])  # by name
    assert "Jo Bloggs (Tameside ICB)" in people_offered
    assert not any("Aaron Gone" in label for label in people_offered)
    assert ("Tameside ICB", "Tameside ICB") in options(page, "lead_organisation")
    assert value_of(page, "open_now") is None  # offered, not ticked
    assert (count(session, Action), count(session, Event)) == before  # GET changes nothing


def test_create_with_an_existing_owner(
    client, session, act_as, people, recommendation, owner, post_form
):
    act_as(people.secretary)

    response = post_form(
        NEW,
        new_action(
            recommendation,
            owner_choice="existing",
            owner_id=str(owner.id),
            lead_organisation="Tameside ICB",
            lead_organisation_other="",
        ),
    )

    created = session.scalar(select(Action).where(Action.title == "Train midwives in safe sleep"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{created.id}"
    assert (created.ref, created.status, created.owner_id) == ("TSCP-01", "draft", owner.id)
    assert created.recommendation_id == recommendation.id
    assert created.lead_organisation.name == "Tameside ICB"
    assert (created.due_on, created.original_due_on) == (date(2027, 9, 30), date(2027, 9, 30))
    assert created.success_measure == "All midwives trained."
    [event] = events(session, created.id)
    assert (event.verb, event.channel, event.actor_id) == ("created", "web", people.secretary.id)
    assert flashes(client) == [("success", "Action TSCP-01 added.")]


def test_create_adds_a_new_owner_on_the_spot_and_can_open_the_action(
    client, session, act_as, people, recommendation, post_form
):
    act_as(people.secretary)

    response = post_form(NEW, new_action(recommendation, open_now="y"))

    assert response.status_code == 302
    pat = session.scalar(select(Person).where(Person.email == "pat@trust.example"))
    assert (pat.name, pat.organisation.name) == ("Pat Midwife", "Tameside Hospital")
    created = session.scalar(select(Action).where(Action.owner_id == pat.id))
    assert created.status == "open"
    assert created.lead_organisation.name == "Tameside Hospital NHS FT"
    assert [(e.verb, e.channel) for e in events(session, created.id)] == [
        ("created", "web"),
        ("transition:open", "web"),
    ]
    person_event = session.scalar(
        select(Event).where(Event.subject_type == "person", Event.subject_id == pat.id)
    )
    assert (person_event.verb, person_event.channel) == ("created", "web")
    assert flashes(client) == [
        ("success", "Action TSCP-01 added. It is open for work. Pat Midwife was added to Assure.")
    ]


def test_an_email_already_in_assure_means_that_person(
    client, session, act_as, people, recommendation, owner, post_form
):
    act_as(people.secretary)
    people_before = count(session, Person)

    post_form(
        NEW, new_action(recommendation, new_owner_name="J Bloggs", new_owner_email="JO@icb.example")
    )

    created = session.scalar(select(Action).where(Action.title == "Train midwives in safe sleep"))
    assert created.owner_id == owner.id
    assert count(session, Person) == people_before
    assert flashes(client) == [
        (
            "success",
            "Action TSCP-01 added. jo@icb.example already belonged to Jo Bloggs in Assure, "
            "so Jo Bloggs is the owner.",
        )
    ]


def test_save_and_add_another_makes_two_actions_for_one_recommendation(
    client, session, act_as, people, recommendation, owner, post_form
):
    act_as(people.secretary)

    first = post_form(
        NEW,
        new_action(
            recommendation,
            title="Safe sleep leaflet",
            owner_choice="existing",
            owner_id=str(owner.id),
            save=None,
            save_and_add="y",
        ),
    )

    assert first.status_code == 302
    assert first.headers["Location"] == f"{NEW}?recommendation={recommendation.id}"
    assert flashes(client) == [
        ("success", "Action TSCP-01 added. Add another action for recommendation R7.")
    ]
    page = parse(client.get(first.headers["Location"]))
    assert value_of(page, "recommendation") == str(recommendation.id)
    assert value_of(page, "title") == ""
    assert "TSCP-01: Safe sleep leaflet" in page.main_text  # what it already has

    second = post_form(
        first.headers["Location"], new_action(recommendation, title="Safe sleep audit")
    )

    assert second.status_code == 302
    made = session.execute(
        select(Action.ref, Action.title)
        .where(Action.recommendation_id == recommendation.id)
        .order_by(Action.ref)
    ).all()
    assert made == [("TSCP-01", "Safe sleep leaflet"), ("TSCP-02", "Safe sleep audit")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (["31", "2", "2027"], "Due date must be a real date, for example 31 3 2027"),
        (["tomorrow", "", ""], "Due date must be a real date, for example 31 3 2027"),
        (["1", "", "2027"], "Due date must include a month"),
        (
            ["1", "4", "27"],
            "Due date must be a real date, with a year of 4 numbers, for example 31 3 2027",
        ),
        (["", "", ""], "Enter the due date"),
        (["13", "3", "2027"], "Due date must be today or in the future"),
    ],
)
def test_a_wrong_due_date_saves_nothing_and_keeps_what_was_typed(
    client, session, act_as, people, recommendation, post_form, typed, message
):
    act_as(people.secretary)
    before = (count(session, Action), count(session, Person), count(session, Event))

    response = post_form(NEW, new_action(recommendation, due_on=typed))

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: Add an action")
    assert error_summary(page) == [(message, "#due_on-day")]
    assert field_errors(page) == [message]
    assert value_of(page, "due_on") == typed
    assert value_of(page, "title") == "Train midwives in safe sleep"
    assert value_of(page, "description") == "Two sessions a year."
    assert value_of(page, "owner_choice") == "new"
    assert value_of(page, "new_owner_email") == "Pat@Trust.example"
    assert value_of(page, "lead_organisation_other") == "Tameside Hospital NHS FT"
    assert (count(session, Action), count(session, Person), count(session, Event)) == before


def test_every_missing_answer_is_listed_at_once(
    client, session, act_as, people, recommendation, post_form
):
    act_as(people.secretary)

    page = parse(
        post_form(NEW, new_action(recommendation, title=" ", new_owner_name="", new_owner_email=""))
    )

    assert error_summary(page) == [
        ("Enter a short title that says what will be done.", "#title"),
        ("Enter the new owner's full name", "#new_owner_name"),
        ("Enter the new owner's email address", "#new_owner_email"),
    ]
    page = parse(post_form(NEW, new_action(recommendation, owner_choice=None)))
    assert error_summary(page) == [("Choose who will own this action", "#owner_choice")]


def test_a_service_refusal_rolls_back_the_new_owner_too(
    client, session, act_as, people, board, make_recommendation, post_form
):
    not_adopted = make_recommendation(ref="R9")
    session.commit()
    act_as(people.secretary)
    before = (count(session, Action), count(session, Person))

    page = parse(post_form(NEW, new_action(not_adopted, new_owner_email="new@trust.example")))

    assert error_summary(page) == [
        (
            "Tameside Safeguarding Children Partnership has not adopted recommendation R9; "
            "adopt it first.",
            "#recommendation",
        )
    ]
    assert (count(session, Action), count(session, Person)) == before
    assert value_of(page, "new_owner_email") == "new@trust.example"


def test_service_messages_land_on_the_owner_fields(
    client, session, act_as, people, recommendation, make_person, post_form
):
    gone = make_person(name="Gail Gone", email="gail@example.org")
    set_active(people.admin, gone, False)
    session.commit()
    act_as(people.secretary)

    page = parse(post_form(NEW, new_action(recommendation, new_owner_email="not an email")))
    assert error_summary(page) == [
        ("Enter an email address like name@example.org.", "#new_owner_email")
    ]
    page = parse(
        post_form(NEW, new_action(recommendation, owner_choice="existing", owner_id=str(gone.id)))
    )
    assert error_summary(page) == [
        ("Gail Gone has been deactivated; choose someone else.", "#owner_id")
    ]
    assert count(session, Action) == 0


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("stranger", 404)])
def test_only_the_boards_secretary_may_add_actions(
    client, session, act_as, people, recommendation, who, status
):
    act_as(getattr(people, who))
    token = csrf_token_from(client.get("/").get_data(as_text=True))

    assert client.get(NEW).status_code == status
    response = client.post(NEW, data={"csrf_token": token, **new_action(recommendation)})
    assert response.status_code == status
    assert count(session, Action) == 0
    if status == 403:
        assert "Only the board's secretary can add actions." in parse(response).main_text


def test_admins_may_add_actions_and_strangers_must_sign_in(client, act_as, people, recommendation):
    assert client.get(NEW).status_code == 302  # not signed in: to the sign-in page
    act_as(people.admin)
    assert client.get(NEW).status_code == 200


def test_create_without_a_csrf_token_is_refused(client, session, act_as, people, recommendation):
    act_as(people.secretary)
    assert client.post(NEW, data=new_action(recommendation)).status_code == 400
    assert count(session, Action) == 0


def test_the_create_page_costs_the_same_queries_however_many_people(
    client, session, act_as, people, recommendation, make_person
):
    def queries() -> int:
        session.expunge_all()
        g.pop("_login_user", None)
        g.pop("navigation_items", None)
        with statements() as seen:
            assert client.get(NEW).status_code == 200
        # A commit in between makes the next request open a savepoint: not the page's doing.
        return len([s for s in seen if not s.startswith("SAVEPOINT")])

    act_as(people.secretary)
    few = queries()
    for n in range(20):
        make_person(name=f"Extra {n}", organisation=f"Agency {n}")
    session.commit()
    assert queries() == few
