"""The admin pages for people: find, add, change, deactivate and reactivate, set a password."""

from __future__ import annotations

import pytest
import test_board_pages_support as support
from sqlalchemy import func, select
from test_board_pages_support import (
    error_summary,
    events,
    forget_request_state,
    queries_for,
    value_of,
)
from test_web_pages import parse

from tracker.people.models import Person
from tracker.people.services import check_password

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests


PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(make_person):
    return make_person(name="Ada Admin", email="ada@example.org", is_admin=True, password=PASSWORD)


@pytest.fixture
def secretary(make_person, make_board):
    person = make_person(
        name="Sam Secretary", email="sam@example.org", organisation="Tameside Council"
    )
    make_board(ref="tscp", name="Tameside Partnership", members=[(person, "secretary")])
    return person


@pytest.fixture
def as_admin(sign_in, admin):
    return sign_in(admin)


# Who may


@pytest.mark.parametrize(
    "path",
    [
        "/admin/people",
        "/admin/people/new",
        "/admin/people/{id}",
        "/admin/people/{id}/edit",
        "/admin/people/{id}/deactivate",
        "/admin/people/{id}/password",
    ],
)
def test_people_pages_are_for_admins_only(client, sign_in, secretary, admin, path):
    path = path.format(id=secretary.id)
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    forget_request_state()
    assert sign_in(secretary).get(path).status_code == 403
    forget_request_state()
    assert sign_in(admin).get(path).status_code == 200


def test_a_secretary_cannot_deactivate_anyone(sign_in, post_form, session, secretary, admin):
    sign_in(secretary)
    response = post_form("/", {}, action=f"/admin/people/{admin.id}/deactivate")
    assert response.status_code == 403
    session.refresh(admin)
    assert admin.is_active


def test_an_unknown_person_is_not_found(as_admin):
    assert as_admin.get("/admin/people/999999").status_code == 404


# Finding people


def test_the_list_shows_each_person_with_their_boards(as_admin, secretary, make_person):
    make_person(name="Olive Owner", email="olive@trust.example", organisation="NHS Trust")

    page = parse(as_admin.get("/admin/people"))

    table = page.table("3 active people")
    assert table.header_line() == "Name | Email | Organisation | Boards | Access"
    assert table.visible_row_lines() == [
        "Ada Admin | ada@example.org | Example Council | None | Admin",
        "Olive Owner | olive@trust.example | NHS Trust | None | No sign-in",
        "Sam Secretary | sam@example.org | Tameside Council | Tameside Partnership (secretary)"
        " | No sign-in",
    ]
    hrefs = [a.attrs["href"] for a in table.node.tags("a")]
    assert f"/admin/people/{secretary.id}" in hrefs


def test_filter_by_text_and_by_status(as_admin, session, secretary, make_person):
    gone = make_person(name="Gone Away", email="gone@example.org", organisation="Tameside Council")
    gone.is_active = False

    found = parse(as_admin.get("/admin/people?q=tameside"))
    assert [r[0] for r in found.table("1 active person matching “tameside”").visible_rows()] == [
        "Sam Secretary"
    ]
    assert value_of(found, "q") == "tameside"

    deactivated = parse(as_admin.get("/admin/people?status=deactivated"))
    assert [r[0] for r in deactivated.table("1 deactivated person").visible_rows()] == ["Gone Away"]

    everyone = parse(as_admin.get("/admin/people?status=all&q=Away"))
    assert [r[-1] for r in everyone.table("1 person matching “Away”").visible_rows()] == [
        "Deactivated"
    ]
    assert "No active person matches." in parse(as_admin.get("/admin/people?q=zzz")).text


def test_the_list_pages_through_many_people(as_admin, make_person):
    for i in range(55):
        make_person(name=f"Person {i:02d}", email=f"many{i}@example.org")

    first = parse(as_admin.get("/admin/people"))
    assert len(first.table("56 active people").rows()) == 50
    assert "Page 1 of 2" in first.text
    second = parse(as_admin.get("/admin/people?page=2"))
    assert len(second.table("56 active people").rows()) == 6


def test_people_list_query_count_does_not_grow(
    client, session, sign_in, admin, make_person, make_board
):
    sign_in(admin)

    def add(n, start):
        for i in range(start, start + n):
            member = make_person(name=f"Member {i}", email=f"m{i}@example.org")
            make_board(ref=f"pb{i}", members=[(member, "member")])
            make_board(ref=f"pc{i}", members=[(member, "chair")])

    add(3, 0)
    few = queries_for(client, session, "/admin/people")
    add(20, 3)
    many = queries_for(client, session, "/admin/people")
    assert len(few) == len(many), many
    # The person, the count, the page of people, their boards, the header.
    assert len(many) == 5, many


# Adding a person


def test_add_a_person_who_signs_in(as_admin, post_form, session, admin):
    response = post_form(
        "/admin/people/new",
        {
            "name": "Chris Chair",
            "email": "Chris@Example.org",
            "organisation": "Tameside Council",
            "job_title": "Independent Chair",
            "is_admin": "y",
            "password": "a long enough password",
            "password_again": "a long enough password",
        },
    )

    person = session.scalar(select(Person).where(Person.email == "chris@example.org"))
    assert response.headers["Location"] == f"/admin/people/{person.id}"
    assert (person.name, person.organisation.name, person.job_title, person.is_admin) == (
        "Chris Chair",
        "Tameside Council",
        "Independent Chair",
        True,
    )
    assert check_password(person, "a long enough password")
    event = events(session, "created")[-1]
    assert (event.actor_id, event.channel, event.subject_id) == (admin.id, "web", person.id)
    page = parse(as_admin.get(f"/admin/people/{person.id}"))
    assert "Chris Chair added." in page.text
    assert "Signs in Yes, with a password" in page.main_text


def test_add_an_owner_who_never_signs_in(as_admin, post_form, session):
    post_form("/admin/people/new", {"name": "Olive Owner", "email": "olive@trust.example"})
    person = session.scalar(select(Person).where(Person.email == "olive@trust.example"))
    assert person.password_hash is None and not person.is_admin


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"name": "", "email": ""},
            ["Enter the person's full name", "Enter the person's email address"],
        ),
        ({"email": "not an email"}, ["Enter an email address like name@example.org."]),
        ({"email": "SAM@example.org"}, ["sam@example.org already belongs to someone in Assure."]),
        (
            {"password": "short", "password_again": "short"},
            ["Use a password of at least 12 characters."],
        ),
        (
            {"password": "a long enough password", "password_again": "another one"},
            ["The two passwords do not match"],
        ),
    ],
)
def test_adding_a_person_says_what_to_fix(
    as_admin, post_form, session, secretary, changes, messages
):
    count = session.scalar(select(func.count(Person.id)))
    data = {"name": "New Person", "email": "new@example.org", "organisation": "Kept Org", **changes}

    response = post_form("/admin/people/new", data)

    page = parse(response)
    assert response.status_code == 200
    assert page.title == "Error: Add a person – Assure"
    assert error_summary(page) == messages
    assert value_of(page, "organisation") == "Kept Org"
    assert value_of(page, "password") is None  # a password is never sent back
    assert session.scalar(select(func.count(Person.id))) == count
