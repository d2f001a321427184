"""The action lists (a board's, and across boards): who sees what, the table, counts, pages,
sort orders, empty states, and a query count that does not grow with the actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from tests.integration.test_web_pages import parse, queries_for
from tracker.boards.models import Board
from tracker.common.time import LONDON
from tracker.people.models import Person
from tracker.reviews.models import Recommendation

TODAY = date(2027, 3, 14)


@pytest.fixture(autouse=True)
def frozen_time():
    # Midday in London: the factories' date.today() and the pages' London today agree.
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def people(make_person):
    return {
        "secretary": make_person(name="Sam Secretary"),
        "chair": make_person(name="Chris Chair"),
        "member": make_person(name="Mo Member"),
        "stranger": make_person(name="Sol Stranger"),  # on another board only
        "olu": make_person(name="Olu Owner", email="olu@example.org"),  # owns, on no board
        "jo": make_person(name="Jo Owner", email="jo@example.org"),
    }


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


@pytest.fixture
def oscp(make_board, people):
    return make_board(
        ref="oscp",
        name="Oldham Safeguarding Children Partnership",
        members=[(people["stranger"], "member")],
    )


@pytest.fixture
def plan(tscp, oscp, people, make_action, make_review, make_recommendation):
    """Five actions on Tameside, each a different colour and state, and one on Oldham."""
    review = make_review(title="Infant mortality peer review")
    safe_sleep = make_recommendation(review, ref="R1", themes=["Safe sleep"], boards=[tscp])
    smoking = make_recommendation(review, ref="R2", themes=["Smoking in pregnancy"], boards=[tscp])
    olu, jo = people["olu"], people["jo"]
    actions = {
        "TSCP-01": make_action(
            tscp,
            ref="TSCP-01",
            title="Audit safe sleep advice",
            status="in_progress",
            due_on=TODAY - timedelta(days=2),
            owner=olu,
            lead_organisation="Tameside Council",
            recommendation=safe_sleep,
        ),  # red: overdue
        "TSCP-02": make_action(
            tscp,
            ref="TSCP-02",
            title="Train midwives on smoking",
            status="open",
            due_on=TODAY + timedelta(days=7),
            owner=jo,
            lead_organisation="Tameside ICB",
            recommendation=smoking,
        ),  # amber: due soon, no progress
        "TSCP-03": make_action(
            tscp,
            ref="TSCP-03",
            title="Consanguinity leaflet",
            status="blocked",
            due_on=TODAY + timedelta(days=40),
            owner=olu,
            lead_organisation="Tameside ICB",
        ),  # red: blocked
        "TSCP-04": make_action(
            tscp,
            ref="TSCP-04",
            title="Breastfeeding peer support",
            status="completed",
            due_on=TODAY + timedelta(days=30),
            owner=jo,
            lead_organisation="Tameside Council",
            recommendation=safe_sleep,
        ),  # blue
        "TSCP-05": make_action(
            tscp,
            ref="TSCP-05",
            title="Maternal obesity pathway",
            status="draft",
            due_on=TODAY + timedelta(days=90),
            owner=jo,
        ),  # green
        "OSCP-01": make_action(
            oscp,
            ref="OSCP-01",
            title="Oldham safe sleep audit",
            owner=olu,
            due_on=TODAY + timedelta(days=50),
        ),
    }
    return actions


def refs(response) -> list[str]:
    page = parse(response)
    tables = page.tables()
    if not tables:
        return []
    (table,) = tables
    return [row.tags("th")[0].text for row in table.tags("tbody")[0].tags("tr")]


def results_heading(response) -> str:
    return next(
        t
        for level, t in parse(response).headings()
        if level == 2 and "action" in t.lower() and t != "Filter actions"
    )


def test_board_list_shows_each_action_with_words_for_status_and_rag(sign_in, people, plan):
    client = sign_in(people["secretary"])

    response = client.get("/boards/tscp/actions")

    assert response.status_code == 200
    page = parse(response)
    assert page.title == "Actions of Tameside Safeguarding Children Partnership – Assure"
    assert page.headings()[0] == (1, "Actions")
    table = page.table(
        "Actions of Tameside Safeguarding Children Partnership, sorted by due date, soonest first"
    )
    assert table.header_line() == (
        "Ref | Action | Owner and lead organisation | Due | Progress | Status | RAG"
    )
    assert table.row_lines() == [
        "TSCP-01 | Audit safe sleep advice | Olu Owner Tameside Council"
        " | 12 March 2027 Overdue by 2 days | 0% | In progress | Off track",
        "TSCP-02 | Train midwives on smoking | Jo Owner Tameside ICB | 21 March 2027 | 0% | Open"
        " | At risk",
        "TSCP-04 | Breastfeeding peer support | Jo Owner Tameside Council | 13 April 2027 | 100%"
        " | Completed | Complete",
        "TSCP-03 | Consanguinity leaflet | Olu Owner Tameside ICB | 23 April 2027 | 0% | Blocked"
        " | Off track",
        "TSCP-05 | Maternal obesity pathway | Jo Owner | 12 June 2027 | 0% | Draft | On track",
    ]
    links = {a.text: a.attrs["href"] for a in table.node.tags("a")}
    assert links["TSCP-01"] == f"/actions/{plan['TSCP-01'].id}"
    assert results_heading(response) == "Showing 1 to 5 of 5 actions"
    assert "Oldham" not in page.main_text


@pytest.mark.parametrize("role", ["secretary", "chair", "member"])
def test_every_role_on_the_board_sees_its_list(sign_in, people, plan, role):
    response = sign_in(people[role]).get("/boards/tscp/actions")

    assert response.status_code == 200
    assert len(refs(response)) == 5


def test_an_admin_sees_any_boards_list(sign_in, make_person, plan):
    response = sign_in(make_person(is_admin=True)).get("/boards/oscp/actions")

    assert refs(response) == ["OSCP-01"]


def test_another_boards_list_is_not_found(sign_in, session, people, plan):
    session.commit()  # the 404 page rolls back; keep what the test set up
    client = sign_in(people["stranger"])

    assert client.get("/boards/tscp/actions").status_code == 404
    assert client.get("/boards/nope/actions").status_code == 404
    assert client.get("/boards/oscp/actions").status_code == 200


def test_all_actions_spans_the_persons_boards_and_names_each_board(
    sign_in, people, plan, oscp, session
):
    from tracker.boards.services import add_member

    add_member(None, oscp, people["member"], "chair", channel="cli")
    session.flush()

    response = sign_in(people["member"]).get("/actions?sort=ref")

    assert refs(response) == ["OSCP-01", "TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04", "TSCP-05"]
    page = parse(response)
    assert page.title == "Actions – Assure"
    row = page.table("Actions, sorted by reference, a to z").rows()[0]
    assert row[1] == "Oldham safe sleep audit Oldham Safeguarding Children Partnership"


def test_an_owner_on_no_board_sees_their_own_actions(sign_in, session, people, plan):
    session.commit()
    client = sign_in(people["olu"])

    assert refs(client.get("/actions?sort=ref")) == ["OSCP-01", "TSCP-01", "TSCP-03"]
    # They may not see the boards' lists, or their other actions.
    assert client.get("/boards/tscp/actions").status_code == 404


@pytest.mark.parametrize("path", ["/actions", "/boards/tscp/actions"])
def test_signing_in_comes_first(client, plan, path):
    response = client.get(path)

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/sign-in"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due_on", ["TSCP-01", "TSCP-02", "TSCP-04", "TSCP-03", "TSCP-05"]),
        ("-due_on", ["TSCP-05", "TSCP-03", "TSCP-04", "TSCP-02", "TSCP-01"]),
        ("ref", ["TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04", "TSCP-05"]),
        ("-ref", ["TSCP-05", "TSCP-04", "TSCP-03", "TSCP-02", "TSCP-01"]),
        # Workflow order: draft, open, in progress, blocked, completed.
        ("status", ["TSCP-05", "TSCP-02", "TSCP-01", "TSCP-03", "TSCP-04"]),
        ("-status", ["TSCP-04", "TSCP-03", "TSCP-01", "TSCP-02", "TSCP-05"]),
        # Worst first: the two reds (by id), amber, green, blue.
        ("rag", ["TSCP-01", "TSCP-03", "TSCP-02", "TSCP-05", "TSCP-04"]),
        ("-rag", ["TSCP-04", "TSCP-05", "TSCP-02", "TSCP-03", "TSCP-01"]),
    ],
)
def test_sort_orders(sign_in, people, plan, sort, expected):
    response = sign_in(people["secretary"]).get(f"/boards/tscp/actions?sort={sort}")

    assert refs(response) == expected


def test_last_updated_sorts_by_the_latest_change(sign_in, session, people, plan):
    from tracker.actions.services import edit_action

    with time_machine.travel(datetime(2027, 3, 14, 13, 0, tzinfo=LONDON), tick=False):
        edit_action(
            None, plan["TSCP-03"], title="Consanguinity leaflet, second edition", channel="cli"
        )
        session.flush()
    client = sign_in(people["secretary"])

    assert refs(client.get("/boards/tscp/actions?sort=-updated_at"))[0] == "TSCP-03"
    assert refs(client.get("/boards/tscp/actions?sort=updated_at"))[-1] == "TSCP-03"


def test_pages_keep_the_filters(app, monkeypatch, sign_in, people, plan):
    monkeypatch.setitem(app.config, "ACTIONS_PER_PAGE", 2)
    client = sign_in(people["secretary"])

    first = client.get("/boards/tscp/actions?q=TSCP&sort=ref")

    assert refs(first) == ["TSCP-01", "TSCP-02"]
    assert results_heading(first) == "Showing 1 to 2 of 5 actions"
    assert parse(first).title.endswith("(page 1 of 3) – Assure")
    nav = [
        n for n in parse(first).root.tags("nav") if n.attrs.get("aria-label") == "Pages of actions"
    ]
    links = {a.text: a.attrs["href"] for a in nav[0].tags("a")}
    assert set(links) == {"1", "2", "3", "Next page"}
    for text, href in links.items():
        query = parse_qs(urlsplit(href).query)
        assert query["q"] == ["TSCP"] and query["sort"] == ["ref"], text
    assert parse_qs(urlsplit(links["Next page"]).query)["page"] == ["2"]
    assert "page" not in parse_qs(urlsplit(links["1"]).query)

    last = client.get(links["3"])

    assert refs(last) == ["TSCP-05"]
    assert results_heading(last) == "Showing 5 to 5 of 5 actions"
    assert "Previous page" in parse(last).text and "Next page" not in parse(last).text


def test_fifty_actions_a_page(sign_in, people, tscp, make_action):
    for n in range(51):
        make_action(tscp, ref=f"T-{n:02d}", status="draft", owner=people["jo"])
    client = sign_in(people["secretary"])

    first = client.get("/boards/tscp/actions?sort=ref")
    second = client.get("/boards/tscp/actions?sort=ref&page=2")

    assert len(refs(first)) == 50
    assert results_heading(first) == "Showing 1 to 50 of 51 actions"
    assert refs(second) == ["T-50"]
    assert results_heading(second) == "Showing 51 to 51 of 51 actions"


def test_a_page_past_the_end_goes_to_the_last_page(app, monkeypatch, sign_in, people, plan):
    monkeypatch.setitem(app.config, "ACTIONS_PER_PAGE", 2)

    response = sign_in(people["secretary"]).get("/boards/tscp/actions?status=draft&page=9")

    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == {"status": ["draft"]}


def test_a_huge_page_number_goes_to_the_last_page(sign_in, people, plan):
    response = sign_in(people["secretary"]).get("/boards/tscp/actions?page=" + "9" * 40)

    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == {}


def test_counts_over_a_thousand_have_commas(monkeypatch, sign_in, people, plan):
    from tracker.actions import routes
    from tracker.actions.queries import ActionPage

    real = routes.list_actions

    def many(*args, **kwargs):
        found = real(*args, **{**kwargs, "page": 1})
        return ActionPage(rows=found.rows, total=1234, page=kwargs["page"], per_page=50)

    monkeypatch.setattr(routes, "list_actions", many)

    response = sign_in(people["secretary"]).get("/boards/tscp/actions?page=2")

    assert results_heading(response) == "Showing 51 to 55 of 1,234 actions"
    assert parse(response).title.endswith("(page 2 of 25) – Assure")


def test_empty_board(sign_in, people, tscp):
    response = sign_in(people["secretary"]).get("/boards/tscp/actions")

    page = parse(response)
    assert response.status_code == 200
    assert page.tables() == []
    assert "Tameside Safeguarding Children Partnership has no actions yet." in page.main_text


def test_nothing_matches_the_filters(sign_in, people, plan):
    response = sign_in(people["secretary"]).get("/boards/tscp/actions?q=nothing+like+this")

    page = parse(response)
    assert page.tables() == []
    assert results_heading(response) == "No actions match these filters"
    clear = [a for a in page.root.tags("a") if a.text == "clear the filters"]
    assert clear[0].attrs["href"] == "/boards/tscp/actions"


def test_no_actions_at_all(sign_in, make_person):
    response = sign_in(make_person()).get("/actions")

    assert response.status_code == 200
    assert "There are no actions on your boards, and you own none." in parse(response).main_text


def test_the_lists_link_to_each_other(sign_in, people, plan):
    client = sign_in(people["secretary"])

    board_page = parse(client.get("/boards/tscp/actions"))
    links = {a.text: a.attrs["href"] for a in board_page.root.tags("a")}

    assert links["Actions on all your boards"] == "/actions"
    assert links["Clear filters"] == "/boards/tscp/actions"
    assert links["Tameside Safeguarding Children Partnership"] == "/boards/tscp"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The person, three queries for the filters' choices, the count, the page of actions,
        # the header's boards.
        ("/actions?sort=-due_on", 7),
        # The same, and the board with the person's role on it.
        ("/boards/tscp/actions?status=open&status=in_progress&sort=rag", 9),
    ],
)
def test_query_count_does_not_grow_with_actions(
    sign_in, session, people, tscp, oscp, make_action, make_recommendation, path, expected
):
    recommendation = make_recommendation(themes=["Safe sleep"], boards=[tscp])

    def add(count):
        for i in range(count):
            make_action(
                tscp if i % 3 else oscp,
                status=("open", "in_progress", "blocked")[i % 3],
                lead_organisation=f"Organisation {i % 4}",
                recommendation=recommendation if i % 3 else None,
                due_on=TODAY + timedelta(days=i - 10),
            )

    secretary_id, board_ids = people["secretary"].id, (tscp.id, oscp.id)
    recommendation_id = recommendation.id
    add(5)
    few = queries_for(sign_in(people["secretary"]), session, path)
    tscp, oscp = (session.get(Board, board_id) for board_id in board_ids)
    recommendation = session.get(Recommendation, recommendation_id)
    add(35)
    many = queries_for(sign_in(session.get(Person, secretary_id)), session, path)

    assert len(few) == len(many) == expected, many
