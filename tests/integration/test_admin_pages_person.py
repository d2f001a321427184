"""The admin pages for one person: details, deactivating and reactivating, passwords."""

from __future__ import annotations

import pytest
import test_admin_pages
import test_board_pages_support as support
from sqlalchemy import func, select
from test_board_pages_support import error_summary, events, forget_request_state, value_of
from test_web_pages import parse

from tracker.audit.models import Event
from tracker.people.services import check_password

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
admin = test_admin_pages.admin
as_admin = test_admin_pages.as_admin
secretary = test_admin_pages.secretary


# One person


def test_a_persons_page_shows_details_and_boards(as_admin, secretary):
    page = parse(as_admin.get(f"/admin/people/{secretary.id}"))

    assert page.headings()[0] == (1, "Sam Secretary")
    assert "Email sam@example.org" in page.main_text
    assert "Status Active" in page.main_text
    assert [r for r in page.table("Boards Sam Secretary belongs to").visible_row_lines()] == [
        "Tameside Partnership | Secretary"
    ]
    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["Deactivate"] == f"/admin/people/{secretary.id}/deactivate"
    assert links["Set a new password"] == f"/admin/people/{secretary.id}/password"
    forms = [f.attrs.get("action") for f in page.root.tags("form")]
    assert f"/admin/people/{secretary.id}/invite" in forms
    assert "Send an invitation" in page.text


def test_change_a_persons_details(as_admin, post_form, session, secretary, admin):
    path = f"/admin/people/{secretary.id}/edit"
    assert value_of(parse(as_admin.get(path)), "organisation") == "Tameside Council"

    response = post_form(
        path, {"name": "Sam Smith", "organisation": "Oldham Council", "job_title": "Manager"}
    )

    assert response.headers["Location"] == f"/admin/people/{secretary.id}"
    session.refresh(secretary)
    assert (secretary.name, secretary.organisation.name, secretary.job_title) == (
        "Sam Smith",
        "Oldham Council",
        "Manager",
    )
    event = events(session, "updated")[-1]
    assert event.actor_id == admin.id
    assert event.changes["name"] == ["Sam Secretary", "Sam Smith"]


def test_changing_details_needs_a_name(as_admin, post_form, session, secretary):
    response = post_form(f"/admin/people/{secretary.id}/edit", {"name": " ", "job_title": "Kept"})
    page = parse(response)
    assert error_summary(page) == ["Enter the person's full name"]
    assert value_of(page, "job_title") == "Kept"


# Deactivating and reactivating


def test_deactivate_after_confirming_ends_their_session(
    app, as_admin, post_form, session, secretary, admin
):
    secretary_client = app.test_client()
    with secretary_client.session_transaction() as flask_session:
        flask_session["_user_id"] = secretary.get_id()
    forget_request_state()
    assert secretary_client.get("/").status_code == 200

    path = f"/admin/people/{secretary.id}/deactivate"
    forget_request_state()
    page = parse(as_admin.get(path))
    assert page.headings()[0] == (1, "Deactivate Sam Secretary?")
    assert not events(session, "deactivated")  # the GET changed nothing

    response = post_form(path, {})

    assert response.headers["Location"] == f"/admin/people/{secretary.id}"
    session.refresh(secretary)
    assert secretary.is_active is False
    assert events(session, "deactivated")[-1].actor_id == admin.id
    forget_request_state()
    response = secretary_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_reactivate(as_admin, post_form, session, secretary):
    secretary.is_active = False
    page = parse(as_admin.get(f"/admin/people/{secretary.id}"))
    assert "Reactivate" in [a.text for a in page.root.tags("a")]

    post_form(f"/admin/people/{secretary.id}/reactivate", {})

    session.refresh(secretary)
    assert secretary.is_active is True
    assert events(session, "activated")[-1].changes == {"is_active": [False, True]}


def test_admins_cannot_deactivate_themselves(as_admin, post_form, session, admin):
    page = parse(as_admin.get(f"/admin/people/{admin.id}"))
    assert "Deactivate" not in [a.text for a in page.root.tags("a")]
    response = post_form("/", {}, action=f"/admin/people/{admin.id}/deactivate")
    assert response.status_code == 403
    session.refresh(admin)
    assert admin.is_active


def test_deactivating_without_a_csrf_token_is_refused(as_admin, session, secretary):
    assert as_admin.post(f"/admin/people/{secretary.id}/deactivate").status_code == 400
    session.refresh(secretary)
    assert secretary.is_active


# Passwords


def test_set_a_password_typed_twice(as_admin, post_form, session, secretary, admin):
    path = f"/admin/people/{secretary.id}/password"
    page = parse(as_admin.get(path))
    assert "send them an invitation" in page.text

    response = post_form(
        path, {"password": "brand new password", "password_again": "brand new password"}
    )

    assert response.headers["Location"] == f"/admin/people/{secretary.id}"
    session.refresh(secretary)
    assert check_password(secretary, "brand new password")
    assert events(session, "password_set")[-1].actor_id == admin.id


@pytest.mark.parametrize(
    ("first", "again", "messages"),
    [
        ("", "", ["Enter the new password"]),
        ("short", "short", ["Use a password of at least 12 characters."]),
        ("brand new password", "brand new pasword", ["The two passwords do not match"]),
    ],
)
def test_password_errors(as_admin, post_form, session, secretary, first, again, messages):
    response = post_form(
        f"/admin/people/{secretary.id}/password", {"password": first, "password_again": again}
    )
    assert error_summary(parse(response)) == messages
    session.refresh(secretary)
    assert secretary.password_hash is None


def test_an_admin_who_resets_their_own_password_stays_signed_in(
    client, as_admin, post_form, session, admin
):
    post_form(
        f"/admin/people/{admin.id}/password",
        {"password": "my next password!", "password_again": "my next password!"},
    )
    forget_request_state()
    assert client.get("/admin/people").status_code == 200
    session.refresh(admin)
    assert check_password(admin, "my next password!")


def test_get_never_changes_anything(as_admin, session, secretary):
    before = session.scalar(select(func.count(Event.id)))
    for path in ("", "/new", "/{id}", "/{id}/edit", "/{id}/deactivate", "/{id}/password"):
        path = "/admin/people" + path.format(id=secretary.id)
        assert as_admin.get(path).status_code == 200, path
    assert session.scalar(select(func.count(Event.id))) == before
    session.refresh(secretary)
    assert secretary.is_active and secretary.password_hash is None
