"""People, passwords and API tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.common.errors import NotAllowed, ValidationFailed
from tracker.people import services as people
from tracker.people.models import ApiToken


def test_emails_are_unique_whatever_their_case(make_person):
    make_person(email="Jo.Bloggs@Example.org")
    with pytest.raises(ValidationFailed, match="already belongs"):
        people.create_person(None, name="Jo", email="jo.bloggs@example.ORG ")
    assert people.find_person_by_email("JO.BLOGGS@example.org").email == "jo.bloggs@example.org"


def test_create_person_explains_bad_input():
    with pytest.raises(ValidationFailed) as caught:
        people.create_person(None, name=" ", email="not-an-email", password="short")
    assert set(caught.value.fields) == {"name", "email", "password"}


def test_passwords_are_hashed_and_checked(make_person):
    person = make_person(password="correct horse battery")
    assert "correct horse" not in person.password_hash
    assert people.check_password(person, "correct horse battery")
    assert not people.check_password(person, "wrong password!")
    person.is_active = False
    assert not people.check_password(person, "correct horse battery")


def test_only_admins_make_admins_or_change_others(make_person):
    plain, admin = make_person(), make_person(is_admin=True)
    with pytest.raises(NotAllowed):
        people.create_person(plain, name="X", email="x@example.org", is_admin=True)
    with pytest.raises(NotAllowed):
        people.set_active(plain, admin, False)
    people.set_active(admin, plain, False)
    assert not plain.is_active


def test_tokens_are_stored_hashed_and_revocable(session, make_person):
    person = make_person()
    token = people.issue_api_token(person, "Power BI")
    stored = session.scalars(select(ApiToken.digest)).all()
    assert token not in stored and people.token_digest(token) in stored
    assert people.person_for_token(token) == person
    assert people.person_for_token(token + "x") is None
    people.revoke_api_tokens(None, person)
    assert people.person_for_token(token) is None


def test_tokens_of_deactivated_people_stop_working(make_person):
    person = make_person()
    token = people.issue_api_token(person)
    person.is_active = False
    assert people.person_for_token(token) is None


def test_update_person_changes_details_only(make_person):
    admin, person = make_person(is_admin=True), make_person()
    people.update_person(admin, person, name="New Name", job_title="Lead")
    assert (person.name, person.job_title) == ("New Name", "Lead")
    with pytest.raises(ValidationFailed) as caught:
        people.update_person(admin, person, is_admin=True)
    assert list(caught.value.fields) == ["is_admin"]
    assert person.is_admin is False
