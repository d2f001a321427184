"""A board's overview: its lists of what needs attention, its links, and what it costs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import test_board_pages
import test_board_pages_support as support
import time_machine
from flask import url_for
from test_board_pages import TODAY, mixed_actions, submit
from test_board_pages_support import queries_for
from test_web_pages import parse

from tracker.boards.services import add_meeting
from tracker.common.time import LONDON

# Fixtures from other modules, bound here so that pytest finds them in this one.
frozen_time = support.frozen_time
commit_before_requests = support.commit_before_requests
people = test_board_pages.people
tscp = test_board_pages.tscp


# The overview's lists


def test_blocked_and_awaiting_sign_off_say_who_how_long_and_why(
    sign_in, session, tscp, make_action, people
):
    owner = people["owner"]
    with time_machine.travel(datetime(2027, 3, 2, 12, 0, tzinfo=LONDON), tick=False):
        blocked = make_action(tscp, status="blocked", owner=owner, title="Leaflets")
        done = make_action(tscp, status="completed", owner=owner, title="Audit")
    blocked.status_reason = "Waiting for the printer"
    session.flush()

    page = parse(sign_in(people["chair"]).get("/boards/tscp"))

    assert page.table("Blocked actions").visible_row_lines() == [
        f"{blocked.ref} | Leaflets | The owner | Blocked for 12 days Waiting for the printer"
    ]
    rows = page.table("Actions awaiting sign-off").visible_row_lines()
    assert rows == [f"{done.ref} | Audit | The owner | Completed for 12 days"]
    link = page.table("Actions awaiting sign-off").node.tags("a")[0]
    assert link.attrs["href"] == f"/actions/{done.id}"


def test_updates_awaiting_acceptance_are_listed(sign_in, tscp, make_action, people):
    action = make_action(tscp, owner=people["owner"], title="Safe sleep")
    submit(action)

    page = parse(sign_in(people["secretary"]).get("/boards/tscp"))

    rows = page.table("Updates awaiting acceptance").visible_rows()
    assert rows == [[action.ref, "Safe sleep", "The owner", "14 March 2027 at midday"]]


def test_long_lists_stop_at_twenty_and_link_to_the_rest(app, sign_in, tscp, make_action, people):
    for i in range(23):
        make_action(tscp, owner=people["owner"], due_on=TODAY - timedelta(days=30 - i))

    page = parse(sign_in(people["chair"]).get("/boards/tscp"))

    rows = page.table("Overdue actions").visible_rows()
    assert len(rows) == 20
    assert rows[0][3] == "12 February 2027 Overdue by 30 days"  # most overdue first
    more = [a for a in page.root.tags("a") if a.text == "3 more overdue actions"]
    with app.test_request_context():
        assert more[0].attrs["href"] == url_for("actions.board_list", ref="tscp", overdue=1)
    assert "And 3 more overdue actions ." in page.text


def test_next_meeting_and_its_papers_deadline(sign_in, tscp, people):
    add_meeting(None, tscp, held_on=TODAY - timedelta(days=7), channel="cli")
    add_meeting(
        None, tscp, held_on=date(2027, 4, 20), papers_due_on=date(2027, 4, 6), channel="cli"
    )
    add_meeting(None, tscp, held_on=date(2027, 6, 1), channel="cli")

    page = parse(sign_in(people["chair"]).get("/boards/tscp"))

    assert "Next meeting 20 April 2027 Papers due 6 April 2027" in page.main_text


def test_empty_board_says_nothing_needs_attention(sign_in, tscp, people):
    text = parse(sign_in(people["chair"]).get("/boards/tscp")).main_text

    for line in (
        "No action is overdue.",
        "No action is blocked.",
        "No completed action is waiting for sign-off.",
        "No update is waiting for acceptance.",
        "Next meeting None scheduled",
    ):
        assert line in text


def test_chair_sees_the_overview_but_not_the_secretarys_links(sign_in, tscp, people):
    page = parse(sign_in(people["chair"]).get("/boards/tscp"))

    texts = [a.text for a in page.root.tags("a")]
    assert "Members" in texts and "Meetings" in texts
    assert "Settings" not in texts and "Add an action" not in texts
    assert "Your role Chair" in page.main_text


def test_secretary_sees_settings_and_add_an_action(sign_in, tscp, people):
    page = parse(sign_in(people["secretary"]).get("/boards/tscp"))

    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["Settings"] == "/boards/tscp/settings"
    assert links["Add an action"] == "/boards/tscp/actions/new"
    assert links["Members"] == "/boards/tscp/members"
    assert links["Meetings"] == "/boards/tscp/meetings"


# What the pages cost


def test_home_query_count_does_not_grow_with_boards(
    client, session, sign_in, make_board, make_action, people
):
    owner = people["owner"]
    sign_in(people["admin"])

    def add_boards(n, start):
        owner_ = session.merge(owner)  # the count detaches everything it loaded
        for i in range(start, start + n):
            board = make_board(ref=f"board-{i}")
            mixed_actions(board, make_action, owner_, 4, start=i)
            submit(make_action(board, owner=owner_))

    add_boards(3, 0)
    few = queries_for(client, session, "/")
    add_boards(9, 3)
    many = queries_for(client, session, "/")

    assert len(parse(client.get("/")).table("What needs attention").rows()) == 12
    assert len(few) == len(many), many
    # The person, their boards with their roles, the figures, the updates, the header.
    assert len(many) == 5, many


def test_overview_query_count_does_not_grow_with_actions(
    client, session, sign_in, tscp, make_action, people
):
    sign_in(people["chair"])
    actions = mixed_actions(tscp, make_action, people["owner"], 5)
    submit(actions[1])
    few = queries_for(client, session, "/boards/tscp")
    tscp = session.merge(tscp)
    more = mixed_actions(tscp, make_action, session.merge(people["owner"]), 35, start=5)
    for action in more:
        if action.status in ("open", "in_progress"):
            submit(action)
    many = queries_for(client, session, "/boards/tscp")

    assert len(few) == len(many), many
    # The person, the board and their role (twice), the figures, the updates' count and first
    # 20, the next meeting, the three lists, the board's locality, the header.
    assert len(many) <= 13, many
