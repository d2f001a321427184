"""The home page and a board's figures: who sees which boards, and counts that match the actions.

Every figure is checked against counts worked out here, in Python, from the actions the test
made (the RAG rule's Python side), not against the SQL the pages run.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import test_board_pages_support as support
from flask import url_for
from test_web_pages import parse

from tracker.actions.rag import RAG_LABELS, is_overdue, rag_of
from tracker.actions.updates import submit_update

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests


TODAY = date(2027, 3, 14)
STATUSES = ("draft", "open", "in_progress", "blocked", "completed", "closed", "cancelled")


@pytest.fixture
def people(make_person):
    return {
        role: make_person(name=f"The {role}", email=f"{role}@example.org")
        for role in ("secretary", "chair", "member", "stranger", "owner")
    } | {"admin": make_person(name="The admin", email="admin@example.org", is_admin=True)}


@pytest.fixture
def tscp(make_board, people):
    return make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[
            (people["secretary"], "secretary"),
            (people["chair"], "chair"),
            (people["member"], "member"),
        ],
    )


def mixed_actions(board, make_action, owner, count: int, start: int = 0) -> list:
    """``count`` actions in every status, some overdue, some due soon, one owner saying red."""
    actions = []
    for i in range(start, start + count):
        status = STATUSES[i % len(STATUSES)]
        due = TODAY + timedelta(days=(i * 11) % 60 - 15)
        action = make_action(board, status=status, due_on=due, owner=owner, title=f"Action {i}")
        if i % 5 == 0 and status in ("open", "in_progress"):
            action.owner_rag = "red"
        actions.append(action)
    return actions


def submit(action, text="Done the first part."):
    return submit_update(None, action, narrative=text, author=action.owner, channel="cli")


def expected(actions, board_updates: int = 0) -> dict:
    """The figures, worked out in Python from the actions themselves."""
    by_status = Counter(a.status for a in actions)
    by_rag = Counter(rag_of(a, a.board, TODAY) for a in actions)
    return {
        "open": sum(by_status[s] for s in ("draft", "open", "in_progress", "blocked")),
        "overdue": sum(is_overdue(a, TODAY) for a in actions),
        "blocked": by_status["blocked"],
        "sign_off": by_status["completed"],
        "updates": board_updates,
        "by_status": by_status,
        "by_rag": by_rag,
    }


# Who sees which boards


def test_a_member_sees_only_their_boards(sign_in, tscp, make_board, people):
    make_board(ref="oscp", name="Oldham Safeguarding Children Partnership")

    page = parse(sign_in(people["member"]).get("/"))

    table = page.table("What needs attention")
    assert [row[0] for row in table.visible_rows()] == [
        "Tameside Safeguarding Children Partnership Safeguarding children partnership"
    ]
    assert table.visible_rows()[0][1] == "Member"
    assert "Oldham" not in page.main_text
    assert "You are an admin" not in page.text
    assert "Create a board" not in page.text


def test_an_admin_sees_every_board_and_is_told_why(sign_in, tscp, make_board, people):
    make_board(ref="oscp", name="Oldham Safeguarding Children Partnership")

    page = parse(sign_in(people["admin"]).get("/"))

    rows = page.table("What needs attention").visible_rows()
    assert [(row[0].split(" Safeguarding children")[0], row[1]) for row in rows] == [
        ("Oldham Safeguarding Children Partnership", "Admin (not a member)"),
        ("Tameside Safeguarding Children Partnership", "Admin (not a member)"),
    ]
    assert "You are an admin, so you see every board" in page.text
    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["Create a board"] == "/boards/new"
    assert links["Manage all boards"] == "/boards"
    assert links["Manage people"] == "/admin/people"


def test_a_person_on_no_board_is_told_whom_to_ask(sign_in, tscp, people):
    page = parse(sign_in(people["stranger"]).get("/"))

    assert "You are not a member of any board yet" in page.text
    assert page.tables() == []


@pytest.mark.parametrize("role", ["secretary", "admin"])
def test_secretaries_and_admins_may_create_boards(sign_in, tscp, people, role):
    page = parse(sign_in(people[role]).get("/"))
    assert "/boards/new" in [a.attrs["href"] for a in page.root.tags("a")]


def test_pages_need_a_sign_in(client, tscp):
    for path in ("/", "/boards/tscp"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")


def test_another_boards_overview_is_not_found(sign_in, tscp, make_board, people):
    make_board(ref="oscp")
    assert sign_in(people["member"]).get("/boards/oscp").status_code == 404


# The figures


def test_home_figures_match_the_actions(sign_in, tscp, make_board, make_action, people):
    actions = mixed_actions(tscp, make_action, people["owner"], 30)
    submit(actions[1])  # open
    submit(actions[2], "Half way.")  # in progress
    other = make_board(ref="empty", name="Zz Empty Board", members=[(people["chair"], "chair")])
    want = expected(actions, board_updates=2)

    page = parse(sign_in(people["chair"]).get("/"))

    attention = page.table("What needs attention").visible_rows()
    assert attention[0][1:] == [
        "Chair",
        *(str(want[k]) for k in ("open", "overdue", "blocked", "sign_off", "updates")),
    ]
    assert attention[1] == [
        f"{other.name} Safeguarding children partnership",
        "Chair",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    rag_rows = page.table("Actions by RAG rating").visible_rows()
    assert rag_rows[0][1:] == [
        *(str(want["by_rag"][rag]) for rag in ("red", "amber", "green", "blue")),
        "30",
    ]
    assert all(want["by_rag"][rag] for rag in ("red", "amber", "green", "blue"))


def test_overview_figures_match_the_actions(sign_in, tscp, make_action, people):
    actions = mixed_actions(tscp, make_action, people["owner"], 30)
    submit(actions[1])
    want = expected(actions, board_updates=1)

    page = parse(sign_in(people["chair"]).get("/boards/tscp"))

    by_status = dict(row for row in page.table("Actions by status").visible_rows())
    assert by_status == {
        "Draft": str(want["by_status"]["draft"]),
        "Open": str(want["by_status"]["open"]),
        "In progress": str(want["by_status"]["in_progress"]),
        "Blocked": str(want["by_status"]["blocked"]),
        "Completed": str(want["by_status"]["completed"]),
        "Closed": str(want["by_status"]["closed"]),
        "Cancelled": str(want["by_status"]["cancelled"]),
        "Total": "30",
    }
    by_rag = dict(row for row in page.table("Actions by RAG rating").visible_rows())
    assert by_rag == {RAG_LABELS[rag]: str(n) for rag, n in want["by_rag"].items()}
    headings = [text for level, text in page.headings() if level == 2]
    assert f"Overdue ({want['overdue']})" in headings
    assert f"Blocked ({want['blocked']})" in headings
    assert f"Awaiting sign-off ({want['sign_off']})" in headings
    assert "Updates awaiting acceptance (1)" in headings


def test_each_figure_links_to_its_filtered_list(app, sign_in, tscp, make_action, people):
    mixed_actions(tscp, make_action, people["owner"], 14)

    home = parse(sign_in(people["chair"]).get("/"))
    overview = parse(sign_in(people["chair"]).get("/boards/tscp"))

    with app.test_request_context():
        board_list = url_for("actions.board_list", ref="tscp")
    home_links = {a.attrs["href"] for a in home.root.tags("a")}
    assert {
        f"{board_list}?status=draft&status=open&status=in_progress&status=blocked",
        f"{board_list}?overdue=1",
        f"{board_list}?status=blocked",
        f"{board_list}?status=completed",
        f"{board_list}?rag=red",
        f"{board_list}?rag=blue",
        board_list,
    } <= home_links
    status_cells = overview.table("Actions by status").node.tags("a")
    assert f"{board_list}?status=in_progress" in [a.attrs["href"] for a in status_cells]
    # Screen readers hear what the number counts.
    rag_links = {a.text for a in overview.table("Actions by RAG rating").node.tags("a")}
    assert any(text.endswith("actions Off track") for text in rag_links)
    assert ("All actions", board_list) in [
        (a.text, a.attrs["href"]) for a in overview.root.tags("a")
    ]


def test_every_figure_link_opens_its_list(sign_in, tscp, make_action, people):
    want = expected(mixed_actions(tscp, make_action, people["owner"], 14))
    client = sign_in(people["chair"])

    links = parse(client.get("/")).root.tags("a")
    figures = [a for a in links if a.attrs["href"].startswith("/boards/tscp/actions")]

    # Open, overdue, blocked, awaiting sign-off, the four RAG colours and the total.
    assert all(want[k] for k in ("open", "overdue", "blocked", "sign_off"))
    assert all(want["by_rag"][rag] for rag in ("red", "amber", "green", "blue"))
    assert len(figures) == 9
    for link in figures:
        assert client.get(link.attrs["href"]).status_code == 200, link.attrs["href"]
    # Screen readers hear what each number counts, in the singular for one.
    texts = [link.text for link in figures]
    assert f"{want['blocked']} blocked actions on {tscp.name}" in texts
    assert f"{want['by_rag']['green']} On track action on {tscp.name}" in texts
    assert want["by_rag"]["green"] == 1
    assert f"14 actions on {tscp.name}" in texts


def test_zero_is_a_plain_number(sign_in, tscp, people):
    page = parse(sign_in(people["chair"]).get("/"))
    assert page.table("What needs attention").node.tags("td")[1].tags("a") == []
