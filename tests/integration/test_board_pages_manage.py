"""Creating a board, its settings, members and meetings, and the admins' list of boards."""

from __future__ import annotations

from datetime import date

import pytest
import test_board_pages_support as support
from sqlalchemy import func, select
from test_board_pages_support import checked, error_summary, events, queries_for, value_of
from test_web_pages import parse

from tracker.audit.models import Event
from tracker.boards.models import Board, Membership
from tracker.boards.services import add_meeting, add_member
from tracker.people.models import Locality

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests


BOARD = {
    "ref": "wscp",
    "name": "Wigan Safeguarding Children Partnership",
    "kind": "safeguarding children partnership",
    "locality": "Wigan",
    "workflow": "assured",
    "amber_window_days": "21",
    "stale_window_days": "90",
    "updates_need_acceptance": "y",
}


@pytest.fixture
def people(make_person):
    found = {
        role: make_person(name=f"The {role}", email=f"{role}@example.org")
        for role in ("secretary", "chair", "member", "stranger")
    }
    found["admin"] = make_person(name="The admin", email="admin@example.org", is_admin=True)
    return found


@pytest.fixture
def tscp(make_board, people, session):
    session.add(Locality(name="Wigan", kind="local authority"))
    session.add(Locality(name="Tameside", kind="local authority"))
    return make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[
            (people["secretary"], "secretary"),
            (people["chair"], "chair"),
            (people["member"], "member"),
        ],
    )


# Creating a board


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_create_a_board(sign_in, post_form, session, tscp, people, role):
    sign_in(people[role])

    response = post_form("/boards/new", BOARD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/boards/wscp"
    board = session.scalar(select(Board).where(Board.ref == "wscp"))
    assert (board.name, board.kind, board.locality.name, board.workflow) == (
        BOARD["name"],
        "safeguarding children partnership",
        "Wigan",
        "assured",
    )
    assert (board.amber_window_days, board.stale_window_days) == (21, 90)
    assert board.updates_need_acceptance is True
    created = events(session, "created")[-1]
    assert (created.actor_id, created.channel, created.board_id) == (
        people[role].id,
        "web",
        board.id,
    )
    roles = {m.person_id: m.role for m in board.memberships}
    # A secretary who creates a board runs it; an admin does not become a member.
    assert roles == ({} if role == "admin" else {people["secretary"].id: "secretary"})
    page = parse(sign_in(people[role]).get("/boards/wscp"))
    assert f"{BOARD['name']} created. Add its members and meetings next." in page.text


def test_create_page_offers_each_workflow_with_its_description(sign_in, tscp, people):
    page = parse(sign_in(people["secretary"]).get("/boards/new"))

    assert page.title == "Create a board – Assure"
    assert checked(page, "workflow") == ["standard"]
    assert "Owner does the work; only the chair signs it off." in page.main_text
    assert value_of(page, "amber_window_days") == "14"
    assert value_of(page, "stale_window_days") == "60"
    assert checked(page, "updates_need_acceptance") == ["y"]
    options = [o.text for o in page.root.tags("option")]
    assert options == ["Not set", "Tameside", "Wigan"]


def test_a_taken_reference_keeps_what_was_typed_and_says_what_to_fix(
    sign_in, post_form, session, tscp, people
):
    sign_in(people["secretary"])
    before = session.scalar(select(func.count(Board.id)))

    response = post_form("/boards/new", {**BOARD, "ref": "TSCP"})

    assert response.status_code == 200
    page = parse(response)
    assert page.title == "Error: Create a board – Assure"
    assert error_summary(page) == ["Another board already uses the reference 'tscp'."]
    assert value_of(page, "ref") == "TSCP"
    assert value_of(page, "name") == BOARD["name"]
    assert value_of(page, "amber_window_days") == "21"
    assert checked(page, "kind") == ["safeguarding children partnership"]
    assert checked(page, "workflow") == ["assured"]
    assert [o.text for o in page.root.tags("option") if "selected" in o.attrs] == ["Wigan"]
    assert session.scalar(select(func.count(Board.id))) == before


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"ref": "", "name": ""},
            ["Enter a short reference for the board", "Enter the board's name"],
        ),
        ({"ref": "new"}, ["'new' is kept for Assure's own pages"]),
        (
            {"ref": "Wigan SCP"},
            [
                "Use 2 to 40 lower-case letters, digits or hyphens for the short "
                "reference, e.g. tscp."
            ],
        ),
        ({"kind": ""}, ["Choose the kind of board"]),
        (
            {"amber_window_days": "two weeks"},
            ["Amber window must be a whole number of days, like 14"],
        ),
        ({"stale_window_days": "3"}, ["Enter a number of days from 7 to 730."]),
        ({"locality": "Atlantis"}, ["Choose a locality from the list"]),
    ],
)
def test_create_says_what_to_fix(sign_in, post_form, tscp, people, changes, messages):
    sign_in(people["admin"])
    response = post_form("/boards/new", {**BOARD, **changes})
    assert response.status_code == 200
    assert error_summary(parse(response)) == messages


@pytest.mark.parametrize("role", ["chair", "member", "stranger"])
def test_only_admins_and_secretaries_create_boards(sign_in, post_form, session, tscp, people, role):
    client = sign_in(people[role])
    assert client.get("/boards/new").status_code == 403
    assert post_form("/", BOARD, action="/boards/new").status_code == 403
    assert session.scalar(select(Board.id).where(Board.ref == "wscp")) is None


def test_posting_without_a_csrf_token_is_refused(sign_in, session, tscp, people):
    response = sign_in(people["admin"]).post("/boards/new", data=BOARD)
    assert response.status_code == 400
    assert session.scalar(select(Board.id).where(Board.ref == "wscp")) is None


# Settings


def test_settings_show_the_board_and_save_changes(sign_in, post_form, session, tscp, people):
    sign_in(people["secretary"])
    page = parse(sign_in(people["secretary"]).get("/boards/tscp/settings"))
    assert value_of(page, "name") == tscp.name
    assert checked(page, "workflow") == ["standard"]
    assert value_of(page, "ref") is None  # fixed once the board exists

    response = post_form(
        "/boards/tscp/settings",
        {
            "name": "Tameside Children's Partnership",
            "kind": "safeguarding children partnership",
            "locality": "Tameside",
            "workflow": "assured",
            "amber_window_days": "10",
            "stale_window_days": "45",
            # updates_need_acceptance left unticked
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/boards/tscp"
    session.refresh(tscp)
    assert (tscp.name, tscp.locality.name, tscp.workflow) == (
        "Tameside Children's Partnership",
        "Tameside",
        "assured",
    )
    assert (tscp.amber_window_days, tscp.stale_window_days) == (10, 45)
    assert tscp.updates_need_acceptance is False
    event = events(session, "settings_changed")[-1]
    assert event.actor_id == people["secretary"].id and event.channel == "web"
    assert event.changes["workflow"] == ["standard", "assured"]
    assert event.changes["updates_need_acceptance"] == [True, False]


def test_settings_errors_keep_what_was_typed(sign_in, post_form, session, tscp, people):
    sign_in(people["admin"])
    response = post_form(
        "/boards/tscp/settings", {**BOARD, "name": "New name", "amber_window_days": "0"}
    )
    page = parse(response)
    assert response.status_code == 200
    assert error_summary(page) == ["Enter a number of days from 1 to 365."]
    assert value_of(page, "name") == "New name"
    session.refresh(tscp)
    assert tscp.name == "Tameside Safeguarding Children Partnership"


@pytest.mark.parametrize("role", ["chair", "member"])
def test_chairs_and_members_cannot_change_settings(sign_in, post_form, tscp, people, role):
    client = sign_in(people[role])
    assert client.get("/boards/tscp/settings").status_code == 403
    response = post_form("/boards/tscp", {**BOARD, "name": "X"}, action="/boards/tscp/settings")
    assert response.status_code == 403
    assert "Only the board's secretary can change the board's settings." in parse(response).text


def test_other_boards_settings_are_not_found(sign_in, make_board, tscp, people):
    make_board(ref="oscp")
    assert sign_in(people["secretary"]).get("/boards/oscp/settings").status_code == 404


# The admins' list of boards


def test_admins_list_every_board_with_links(sign_in, make_board, tscp, people):
    make_board(ref="oscp", name="Oldham Safeguarding Children Partnership")
    page = parse(sign_in(people["admin"]).get("/boards"))

    table = page.table("2 boards")
    assert table.header_line() == "Board | Reference | Locality | Workflow | Members | Manage"
    assert table.visible_row_lines() == [
        "Oldham Safeguarding Children Partnership Safeguarding children partnership | oscp"
        " | Not set | Standard action workflow | 0 | Settings",
        "Tameside Safeguarding Children Partnership Safeguarding children partnership | tscp"
        " | Not set | Standard action workflow | 3 | Settings",
    ]
    hrefs = [a.attrs["href"] for a in table.node.tags("a")]
    assert "/boards/tscp/settings" in hrefs and "/boards/tscp/members" in hrefs


@pytest.mark.parametrize("role", ["secretary", "chair"])
def test_the_list_of_boards_is_for_admins(sign_in, tscp, people, role):
    assert sign_in(people[role]).get("/boards").status_code == 403


def test_get_never_changes_anything(sign_in, session, tscp, people):
    client = sign_in(people["admin"])
    before = session.scalar(select(func.count(Event.id)))
    member = people["member"].id
    for path in (
        "/boards",
        "/boards/new",
        "/boards/tscp/settings",
        "/boards/tscp/members",
        f"/boards/tscp/members/{member}",
        f"/boards/tscp/members/{member}/remove",
        "/boards/tscp/meetings",
    ):
        assert client.get(path).status_code == 200, path
    assert session.scalar(select(func.count(Event.id))) == before
    assert session.scalar(select(func.count(Membership.id))) == 3


# What the list pages cost


@pytest.mark.parametrize("path", ["/boards", "/boards/tscp/members", "/boards/tscp/meetings"])
def test_list_pages_query_count_does_not_grow(
    client, session, sign_in, make_board, make_person, tscp, people, path
):
    sign_in(people["admin"])

    def add(n, start):
        board = session.merge(tscp)
        for i in range(start, start + n):
            make_board(ref=f"more-{i}", members=[(make_person(), "member")])
            add_member(None, board, make_person(organisation=f"Org {i}"), "member", channel="cli")
            add_meeting(None, board, held_on=date(2027, 1, 1 + i), channel="cli")

    add(2, 0)
    few = queries_for(client, session, path)
    add(12, 2)
    many = queries_for(client, session, path)

    assert len(few) == len(many), many
    assert len(many) <= 8, many
