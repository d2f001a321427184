"""A board's members and meetings: who may see and change them, and what each change records."""

from __future__ import annotations

from datetime import date

import pytest
import test_board_pages_manage
import test_board_pages_support as support
from sqlalchemy import func, select
from test_board_pages_support import checked, error_summary, events, value_of
from test_web_pages import parse

from tracker.boards.models import Meeting, Membership
from tracker.boards.services import add_meeting
from tracker.people.models import Person

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
people = test_board_pages_manage.people
tscp = test_board_pages_manage.tscp


# Members


def test_members_page_lists_members_with_their_roles(sign_in, tscp, people):
    page = parse(sign_in(people["secretary"]).get("/boards/tscp/members"))

    assert page.table("3 members").header_line() == "Name | Email | Organisation | Role | Change"
    assert [row[:4] for row in page.table("3 members").visible_rows()] == [
        ["The secretary", "secretary@example.org", "Example Council", "Secretary"],
        ["The chair", "chair@example.org", "Example Council", "Chair"],
        ["The member", "member@example.org", "Example Council", "Member"],
    ]
    people_offered = [o.text for o in page.root.tags("option")]
    assert people_offered == [
        "Choose a person",
        "The admin (admin@example.org)",
        "The stranger (stranger@example.org)",
    ]


def test_a_chair_sees_members_but_no_forms(sign_in, post_form, session, tscp, people):
    page = parse(sign_in(people["chair"]).get("/boards/tscp/members"))
    assert page.root.tags("form") == [page.root.tags("form")[0]]  # only "Sign out"
    assert "Change role" not in page.text

    stranger = people["stranger"]
    for path, data in (
        (
            "/boards/tscp/members/existing",
            {"existing-person": stranger.id, "existing-role": "chair"},
        ),
        (
            "/boards/tscp/members/new",
            {"new-name": "X", "new-email": "x@example.org", "new-role": "member"},
        ),
        (f"/boards/tscp/members/{people['member'].id}", {"role": "chair"}),
        (f"/boards/tscp/members/{people['member'].id}/remove", {}),
    ):
        assert post_form("/boards/tscp/members", data, action=path).status_code == 403, path
    assert len(session.scalars(select(Membership).where(Membership.board_id == tscp.id)).all()) == 3


def test_add_someone_already_in_assure(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])
    stranger = people["stranger"]

    response = post_form(
        "/boards/tscp/members",
        {"existing-person": str(stranger.id), "existing-role": "chair"},
        action="/boards/tscp/members/existing",
    )

    assert response.headers["Location"] == "/boards/tscp/members"
    role = session.scalar(
        select(Membership.role).where(
            Membership.board_id == tscp.id, Membership.person_id == stranger.id
        )
    )
    assert role == "chair"
    event = events(session, "member_added")[-1]
    assert (event.actor_id, event.channel) == (people["secretary"].id, "web")
    assert event.changes == {"person": [None, "stranger@example.org"], "role": [None, "chair"]}


def test_adding_someone_says_what_is_missing(sign_in, post_form, tscp, people):
    sign_in(people["secretary"])
    response = post_form(
        "/boards/tscp/members", {"existing-person": ""}, action="/boards/tscp/members/existing"
    )
    page = parse(response)
    assert response.status_code == 200
    assert page.title == "Error: Members – Tameside Safeguarding Children Partnership – Assure"
    assert error_summary(page) == [
        "Choose a person from the list",
        "Choose the person's role on the board",
    ]
    links = [a.attrs["href"] for a in page.root.tags("a") if a.text.startswith("Choose")]
    assert links == ["#existing-person", "#existing-role"]


def test_add_someone_new_creates_them_and_their_membership(
    sign_in, post_form, session, tscp, people
):
    sign_in(people["secretary"])

    response = post_form(
        "/boards/tscp/members",
        {
            "new-name": "Head of Midwifery",
            "new-email": "HoM@Trust.example",
            "new-organisation": "Tameside and Glossop ICFT",
            "new-role": "member",
        },
        action="/boards/tscp/members/new",
    )

    assert response.status_code == 302
    person = session.scalar(select(Person).where(Person.email == "hom@trust.example"))
    assert (person.name, person.organisation.name, person.password_hash) == (
        "Head of Midwifery",
        "Tameside and Glossop ICFT",
        None,
    )
    assert [
        (m.board_id, m.role)
        for m in session.scalars(select(Membership).where(Membership.person_id == person.id))
    ] == [(tscp.id, "member")]
    assert events(session, "created")[-1].subject_id == person.id


def test_someone_new_with_a_taken_email_is_not_created(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])
    count = session.scalar(select(func.count(Person.id)))

    response = post_form(
        "/boards/tscp/members",
        {"new-name": "Another", "new-email": "stranger@example.org", "new-role": "member"},
        action="/boards/tscp/members/new",
    )

    page = parse(response)
    assert response.status_code == 200
    assert error_summary(page) == [
        "stranger@example.org already belongs to someone in Assure. "
        "Add them from the list of people already in Assure."
    ]
    assert value_of(page, "new-name") == "Another"
    assert checked(page, "new-role") == ["member"]
    assert session.scalar(select(func.count(Person.id))) == count


def test_change_a_members_role(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])
    member = people["member"]
    path = f"/boards/tscp/members/{member.id}"
    page = parse(sign_in(people["secretary"]).get(path))
    assert page.headings()[0] == (1, "Change the role of The member")
    assert checked(page, "role") == ["member"]

    response = post_form(path, {"role": "chair"})

    assert response.headers["Location"] == "/boards/tscp/members"
    event = events(session, "member_role_changed")[-1]
    assert event.changes == {"role": ["member", "chair"]}
    assert event.actor_id == people["secretary"].id


def test_remove_a_member_after_confirming(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])
    member = people["member"]
    path = f"/boards/tscp/members/{member.id}/remove"

    page = parse(sign_in(people["secretary"]).get(path))
    assert page.headings()[0] == (1, "Remove The member from the board?")
    assert [b.text for b in page.root.tags("button")][-1] == "Remove The member"
    assert len(events(session, "member_removed")) == 0  # the GET changed nothing

    response = post_form(path, {})

    assert response.headers["Location"] == "/boards/tscp/members"
    assert session.scalar(select(Membership.id).where(Membership.person_id == member.id)) is None
    assert events(session, "member_removed")[-1].changes["role"] == ["member", None]


def test_members_of_other_boards_are_not_found(sign_in, make_board, tscp, people):
    make_board(ref="oscp", members=[(people["stranger"], "member")])
    client = sign_in(people["secretary"])
    assert client.get(f"/boards/tscp/members/{people['stranger'].id}").status_code == 404
    assert client.get("/boards/oscp/members").status_code == 404


# Meetings


def test_add_a_meeting(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])

    response = post_form(
        "/boards/tscp/meetings",
        {"held_on": ["20", "4", "2027"], "papers_due_on": ["", "", ""], "notes": "Annual report"},
    )

    assert response.headers["Location"] == "/boards/tscp/meetings"
    meeting = session.scalar(select(Meeting).where(Meeting.board_id == tscp.id))
    assert (meeting.held_on, meeting.papers_due_on, meeting.notes) == (
        date(2027, 4, 20),
        date(2027, 4, 13),
        "Annual report",
    )
    assert events(session, "meeting_added")[-1].actor_id == people["secretary"].id
    page = parse(sign_in(people["secretary"]).get("/boards/tscp/meetings"))
    assert page.table("Coming meetings").visible_row_lines() == [
        "20 April 2027 | 13 April 2027 | Annual report | Meeting pack"
    ]
    assert "Meeting on 20 April 2027 added." in page.text


@pytest.mark.parametrize(
    ("held_on", "papers", "messages"),
    [
        (["", "", ""], ["", "", ""], ["Enter the meeting date"]),
        (
            ["31", "2", "2027"],
            ["", "", ""],
            ["Meeting date must be a real date, for example 31 3 2027"],
        ),
        (
            ["20", "4", "27"],
            ["", "", ""],
            ["Meeting date must be a real date, with a year of 4 numbers, for example 31 3 2027"],
        ),
        (
            ["20", "4", "2027"],
            ["21", "4", "2027"],
            ["The papers deadline must be on or before the meeting date."],
        ),
        (
            ["20", "4", "2027"],
            ["x", "", ""],
            ["Papers deadline must be a real date, for example 31 3 2027"],
        ),
    ],
)
def test_meeting_errors_keep_what_was_typed(
    sign_in, post_form, session, tscp, people, held_on, papers, messages
):
    sign_in(people["secretary"])
    response = post_form(
        "/boards/tscp/meetings", {"held_on": held_on, "papers_due_on": papers, "notes": "Kept"}
    )
    page = parse(response)
    assert response.status_code == 200
    assert error_summary(page) == messages
    typed = [
        i.attrs.get("value", "")
        for i in page.root.tags("input")
        if i.attrs.get("name") == "held_on"
    ]
    assert typed == held_on
    assert "Kept" in page.root.tags("textarea")[0].text
    # Each message leads to the first box of its date, and that box is on the page.
    summary = [
        d for d in page.root.tags("div") if "govuk-error-summary" in d.attrs.get("class", "")
    ]
    for link in summary[0].tags("a"):
        assert link.attrs["href"] in ("#held_on-day", "#papers_due_on-day")
        assert list(page.root.find_all(lambda n, i=link.attrs["href"][1:]: n.attrs.get("id") == i))
    assert session.scalar(select(Meeting.id).where(Meeting.board_id == tscp.id)) is None


def test_a_second_meeting_on_the_same_day_is_refused(sign_in, post_form, tscp, people):
    add_meeting(None, tscp, held_on=date(2027, 4, 20), channel="cli")
    sign_in(people["secretary"])
    response = post_form("/boards/tscp/meetings", {"held_on": ["20", "4", "2027"]})
    assert error_summary(parse(response)) == ["The board already has a meeting on 20 April 2027."]


def test_a_chair_sees_meetings_but_cannot_add_one(sign_in, post_form, session, tscp, people):
    add_meeting(None, tscp, held_on=date(2027, 1, 20), channel="cli")
    page = parse(sign_in(people["chair"]).get("/boards/tscp/meetings"))
    assert page.table("Past meetings").visible_row_lines() == [
        "20 January 2027 | 13 January 2027 |  | Meeting pack"
    ]
    assert "Add a meeting" not in page.text

    response = post_form("/boards/tscp/meetings", {"held_on": ["20", "4", "2027"]})
    assert response.status_code == 403
    assert session.scalar(select(func.count(Meeting.id))) == 1
