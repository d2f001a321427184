"""The home page and a board's overview: what they show, in what order, at what cost in queries.

Also the small HTML reader (``parse``) and query counter (``queries_for``) other page tests use.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from flask import g
from sqlalchemy import event

from tracker.common.time import LONDON
from tracker.extensions import db

TODAY = date(2027, 3, 14)


@pytest.fixture(autouse=True)
def signed_in_admin(sign_in, make_person):
    """The boards pages need a signed-in person; an admin sees every board."""
    return sign_in(make_person(is_admin=True))


@pytest.fixture(autouse=True)
def frozen_time():
    # Midday in London: the factories' date.today() and the pages' London today agree.
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def tameside(make_board, make_action, make_person):
    """A board with one action in each RAG colour."""
    board = make_board(ref="tscp", name="Tameside Safeguarding Children Partnership")
    owner = make_person(name="Jo Bloggs")
    make_action(
        board,
        ref="TSCP-01",
        title="Safe sleep briefings",
        owner=owner,
        lead_organisation="Tameside and Glossop ICB",
    )  # green
    make_action(
        board, ref="TSCP-02", title="Smoking in pregnancy audit", due_on=TODAY - timedelta(days=3)
    )  # red: overdue
    make_action(
        board, ref="TSCP-03", title="Breastfeeding peer support", due_on=TODAY + timedelta(days=5)
    )  # amber: due soon, no progress
    make_action(board, ref="TSCP-04", title="Update CDOP guidance", status="completed")  # blue
    make_action(board, ref="TSCP-05", title="Consanguinity leaflet", status="blocked")  # red
    return board


def test_index_shows_each_board_with_counts_by_rag(client, tameside, make_board):
    make_board(name="Oldham Safeguarding Adults Board", kind="safeguarding adults board")

    response = client.get("/")

    assert response.status_code == 200
    page = parse(response)
    summary = page.table("Actions by RAG rating")
    assert summary.header_line() == "Board | Off track | At risk | On track | Complete | Total"
    assert summary.visible_row_lines() == [
        "Oldham Safeguarding Adults Board Safeguarding adults board | 0 | 0 | 0 | 0 | 0",
        "Tameside Safeguarding Children Partnership Safeguarding children partnership"
        " | 2 | 1 | 1 | 1 | 5",
    ]


def test_index_shows_what_needs_attention_on_each_board(client, tameside):
    page = parse(client.get("/"))

    table = page.table("What needs attention")
    assert table.header_line() == (
        "Board | Your role | Open | Overdue | Blocked | Awaiting sign-off | Updates to accept"
    )
    # Open: not completed, closed or cancelled (4 of 5); the admin is not a member.
    assert table.visible_row_lines() == [
        "Tameside Safeguarding Children Partnership Safeguarding children partnership"
        " | Admin (not a member) | 4 | 1 | 1 | 1 | 0"
    ]


def test_rag_tags_carry_the_word_and_the_colour(client, tameside):
    page = parse(client.get("/boards/tscp"))

    tags = {(t["data-rag"], t["class"], t["text"]) for t in page.elements_with("data-rag")}
    assert tags == {
        ("red", "govuk-tag govuk-tag--red", "Off track"),
        ("amber", "govuk-tag govuk-tag--yellow", "At risk"),
        ("green", "govuk-tag govuk-tag--green", "On track"),
        ("blue", "govuk-tag", "Complete"),  # GOV.UK Frontend 6's plain tag is blue
    }


def test_overdue_says_by_how_many_days(client, make_board, make_action):
    board = make_board(ref="late")
    make_action(board, due_on=TODAY - timedelta(days=1))
    make_action(board, due_on=TODAY - timedelta(days=1), status="completed")  # not overdue

    text = parse(client.get("/boards/late")).text

    assert text.count("Overdue by 1 day") == 1
    assert "Overdue by 1 days" not in text


def test_board_page_is_the_boards_overview(client, tameside, make_board):
    make_board(ref="other", name="Another Board")

    response = client.get("/boards/tscp")

    assert response.status_code == 200
    page = parse(response)
    assert page.title == "Tameside Safeguarding Children Partnership – Assure"
    assert page.headings()[0] == (1, "Tameside Safeguarding Children Partnership")
    assert "Another Board" not in page.main_text
    by_rag = page.table("Actions by RAG rating")
    assert by_rag.visible_row_lines() == [
        "Off track | 2",
        "At risk | 1",
        "On track | 1",
        "Complete | 1",
    ]
    overdue = page.table("Overdue actions")
    assert overdue.header_line() == "Ref | Action | Owner | Due"
    assert [row[0] for row in overdue.rows()] == ["TSCP-02"]
    assert overdue.rows()[0][3] == "11 March 2027 Overdue by 3 days"


def test_board_reference_is_not_case_sensitive(client, tameside):
    assert client.get("/boards/TSCP").status_code == 200


def test_unknown_board_is_a_gov_uk_styled_404(client, session, tameside):
    session.commit()  # the 404 rolls the request back: keep what the test set up

    response = client.get("/boards/nope")

    assert response.status_code == 404
    page = parse(response)
    assert page.headings() == [(1, "Page not found"), (2, "Support links")]
    assert page.title == "Page not found – Assure"


def test_unknown_api_url_keeps_a_json_error(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"]["code"] == "not_found"


def test_index_with_no_boards(client):
    page = parse(client.get("/"))

    assert "No boards have been set up yet." in page.text
    assert page.headings() == [(1, "Your boards"), (2, "Support links")]


@contextmanager
def statements():
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


def queries_for(client, session, path: str) -> list[str]:
    # Start from an empty identity map, so that a lazy load cannot hide behind objects the
    # factories left in the session.
    session.flush()
    session.expunge_all()
    # The test's app context outlives each request: forget the signed-in person Flask-Login
    # cached in it, so that every request loads them as a real one would.
    g.pop("_login_user", None)
    g.pop("navigation_items", None)
    with statements() as seen:
        assert client.get(path).status_code == 200
    return seen


@pytest.mark.parametrize("path", ["/", "/boards/tscp"])
def test_query_count_does_not_grow_with_actions(client, session, make_board, make_action, path):
    board = make_board(ref="tscp")
    other = make_board()
    for i in range(3):
        make_action(board if i % 2 else other)
    few = queries_for(client, session, path)

    board, other = (session.merge(b) for b in (board, other))
    for i in range(27):
        make_action(board if i % 2 else other, status="in_progress" if i % 3 else "open")
    many = queries_for(client, session, path)

    assert len(few) == len(many), many
    # tests/integration/test_board_pages_overview.py counts them one by one.
    assert len(many) <= 12, many


# A small HTML tree, enough to read pages as a person (or a screen reader) would.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    @property
    def visible_text(self) -> str:
        """The text a sighted reader sees: without GOV.UK's visually hidden words."""
        if "govuk-visually-hidden" in self.attrs.get("class", "").split():
            return ""
        parts = [c if isinstance(c, str) else c.visible_text for c in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def find_all(self, predicate):
        for child in self.children:
            if isinstance(child, Node):
                if predicate(child):
                    yield child
                yield from child.find_all(predicate)

    def tags(self, *names):
        return list(self.find_all(lambda n: n.tag in names))


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


class Table:
    def __init__(self, node: Node):
        self.node = node

    def header_line(self) -> str:
        return " | ".join(th.text for thead in self.node.tags("thead") for th in thead.tags("th"))

    def rows(self) -> list[list[str]]:
        return [
            [cell.text for cell in tr.tags("th", "td")]
            for tbody in self.node.tags("tbody")
            for tr in tbody.tags("tr")
        ]

    def row_lines(self) -> list[str]:
        return [" | ".join(row) for row in self.rows()]

    def visible_rows(self) -> list[list[str]]:
        """Rows as a sighted reader sees them (``rows`` includes visually hidden words)."""
        return [
            [cell.visible_text for cell in tr.tags("th", "td")]
            for tbody in self.node.tags("tbody")
            for tr in tbody.tags("tr")
        ]

    def visible_row_lines(self) -> list[str]:
        return [" | ".join(row) for row in self.visible_rows()]


class Page:
    def __init__(self, html: str):
        builder = _TreeBuilder()
        builder.feed(html)
        self.root = builder.root
        body = self.root.tags("body")
        self.text = body[0].text if body else self.root.text
        main = self.root.tags("main")
        self.main_text = main[0].text if main else self.text
        self.title = self.root.tags("title")[0].text

    def headings(self) -> list[tuple[int, str]]:
        return [(int(h.tag[1]), h.text) for h in self.root.tags("h1", "h2", "h3", "h4", "h5", "h6")]

    def tables(self) -> list[Node]:
        return self.root.tags("table")

    def table(self, caption: str) -> Table:
        found = [t for t in self.tables() if [c.text for c in t.tags("caption")] == [caption]]
        assert len(found) == 1, f"expected one table captioned {caption!r}, found {len(found)}"
        return Table(found[0])

    def elements_with(self, attribute: str) -> list[dict]:
        return [
            {**n.attrs, "text": n.text} for n in self.root.find_all(lambda n: attribute in n.attrs)
        ]


def parse(response) -> Page:
    return Page(response.get_data(as_text=True))
