"""API: the list of actions: visibility, every filter, sorting, pages, and its query count."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from tracker.common.time import london_today
from tracker.extensions import db

TODAY = london_today()


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sam Secretary")


@pytest.fixture
def token(make_token, secretary):
    return make_token(secretary)


@pytest.fixture
def board(make_board, secretary):
    return make_board(ref="tscp", members=[(secretary, "secretary")])


@pytest.fixture
def owner(make_person):
    return make_person(name="Olu Owner", email="olu.owner@example.org")


@pytest.fixture
def plan(board, owner, make_action, make_board, make_recommendation):
    """Five actions on the board, each different in the way one filter looks at."""
    safe_sleep = make_recommendation(themes=["Safe sleep"], boards=[board])
    smoking = make_recommendation(themes=["Smoking in pregnancy"], boards=[board])
    actions = {
        "overdue": make_action(
            board,
            ref="TSCP-01",
            title="Audit safe sleep advice",
            status="in_progress",
            due_on=TODAY - timedelta(days=2),
            recommendation=safe_sleep,
        ),
        "due_soon": make_action(
            board,
            ref="TSCP-02",
            title="Train midwives (100% coverage)",
            status="open",
            due_on=TODAY + timedelta(days=7),
            owner=owner,
            recommendation=smoking,
        ),
        "blocked": make_action(
            board,
            ref="TSCP-03",
            title="Share data with CDOP",
            status="blocked",
            due_on=TODAY + timedelta(days=120),
            owner=owner,
        ),
        "later": make_action(
            board,
            ref="TSCP-04",
            title="Publish leaflets",
            status="open",
            due_on=TODAY + timedelta(days=200),
        ),
        "closed": make_action(
            board,
            ref="TSCP-05",
            title="Agree the plan",
            status="closed",
            due_on=TODAY - timedelta(days=30),
        ),
    }
    # Another board's action, which matches every filter but must never be listed.
    make_action(make_board(), ref="TSCP-01", title="Audit safe sleep advice", status="blocked")
    return actions


def refs(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["ref"] for item in response.json["items"]]


def test_the_list_shows_only_visible_actions_sorted_by_due_date(call, token, plan):
    response = call("GET", "/api/v1/actions", token)
    assert refs(response) == ["TSCP-05", "TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04"]
    assert response.json["total"] == 5
    assert response.json["page"] == 1
    assert response.json["per_page"] == 100
    assert response.json["links"] == {"next": None, "prev": None}


def test_each_item_is_the_full_representation(call, token, plan, owner, board):
    response = call("GET", "/api/v1/actions?q=TSCP-02", token)
    (item,) = response.json["items"]
    action = plan["due_soon"]
    assert item["id"] == action.id
    assert item["board_id"] == board.id
    assert item["board_ref"] == "tscp"
    assert item["recommendation_id"] == action.recommendation_id
    assert item["owner"] == {"id": owner.id, "name": "Olu Owner", "email": "olu.owner@example.org"}
    assert item["due_on"] == (TODAY + timedelta(days=7)).isoformat()
    assert item["status"] == "open"
    assert item["status_label"] == "Open"
    assert item["rag"] == "amber"
    assert item["rag_label"] == "At risk"
    assert item["is_overdue"] is False
    assert item["version"] == action.version


def test_rag_and_overdue_in_the_list_agree_with_the_single_action(call, token, plan):
    listed = {
        i["ref"]: (i["rag"], i["is_overdue"])
        for i in call("GET", "/api/v1/actions", token).json["items"]
    }
    assert listed == {
        "TSCP-01": ("red", True),
        "TSCP-02": ("amber", False),
        "TSCP-03": ("red", False),
        "TSCP-04": ("green", False),
        "TSCP-05": ("blue", False),
    }
    for key, action in plan.items():
        single = call("GET", f"/api/v1/actions/{action.id}", token).json
        assert (single["rag"], single["is_overdue"]) == listed[action.ref], key


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["TSCP-02", "TSCP-04"]),
        ("status=open&status=blocked", ["TSCP-02", "TSCP-03", "TSCP-04"]),
        ("status=blocked,closed", ["TSCP-05", "TSCP-03"]),
        ("rag=red", ["TSCP-01", "TSCP-03"]),
        ("rag=amber,blue", ["TSCP-05", "TSCP-02"]),
        ("overdue=true", ["TSCP-01"]),
        ("overdue=false", ["TSCP-05", "TSCP-02", "TSCP-03", "TSCP-04"]),
        (f"due_before={(TODAY + timedelta(days=7)).isoformat()}", ["TSCP-05", "TSCP-01"]),
        ("theme=Safe%20sleep", ["TSCP-01"]),
        ("theme=SMOKING%20IN%20PREGNANCY", ["TSCP-02"]),
        ("q=safe%20SLEEP", ["TSCP-01"]),
        ("q=tscp-04", ["TSCP-04"]),
        ("q=100%25", ["TSCP-02"]),  # a literal %, not a wildcard
        ("q=nothing-like-this", []),
        ("board=tscp", ["TSCP-05", "TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04"]),
        ("board=TSCP&status=blocked", ["TSCP-03"]),
        ("owner=Olu.Owner@example.org", ["TSCP-02", "TSCP-03"]),
        ("owner=olu.owner@example.org&rag=red", ["TSCP-03"]),
    ],
)
def test_each_filter_narrows_the_list(call, token, plan, query, expected):
    assert refs(call("GET", f"/api/v1/actions?{query}", token)) == expected


def test_filters_by_id_for_board_owner_theme_and_recommendation(call, token, plan, board, owner):
    assert len(refs(call("GET", f"/api/v1/actions?board={board.id}", token))) == 5
    assert refs(call("GET", f"/api/v1/actions?owner={owner.id}", token)) == ["TSCP-02", "TSCP-03"]
    rec = plan["overdue"].recommendation
    assert refs(call("GET", f"/api/v1/actions?recommendation={rec.id}", token)) == ["TSCP-01"]
    theme_id = rec.themes[0].id
    assert refs(call("GET", f"/api/v1/actions?theme={theme_id}", token)) == ["TSCP-01"]


def test_another_boards_filter_finds_nothing(call, token, plan, make_board):
    hidden = make_board(ref="hidden")
    assert refs(call("GET", f"/api/v1/actions?board={hidden.id}", token)) == []
    assert refs(call("GET", "/api/v1/actions?board=hidden", token)) == []


def test_a_stranger_sees_an_empty_list(call, make_token, make_person, plan):
    response = call("GET", "/api/v1/actions", make_token(make_person()))
    assert refs(response) == []
    assert response.json["total"] == 0


def test_an_owner_outside_the_board_sees_only_their_own_actions(call, make_token, owner, plan):
    response = call("GET", "/api/v1/actions", make_token(owner))
    assert refs(response) == ["TSCP-02", "TSCP-03"]
    assert response.json["total"] == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due_on", ["TSCP-05", "TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04"]),
        ("-due_on", ["TSCP-04", "TSCP-03", "TSCP-02", "TSCP-01", "TSCP-05"]),
        ("ref", ["TSCP-01", "TSCP-02", "TSCP-03", "TSCP-04", "TSCP-05"]),
        ("-ref", ["TSCP-05", "TSCP-04", "TSCP-03", "TSCP-02", "TSCP-01"]),
        # Workflow order: open, in progress, blocked, ..., closed; ties by id.
        ("status", ["TSCP-02", "TSCP-04", "TSCP-01", "TSCP-03", "TSCP-05"]),
        # Worst first: red, amber, green, blue.
        ("rag", ["TSCP-01", "TSCP-03", "TSCP-02", "TSCP-04", "TSCP-05"]),
        ("-rag", ["TSCP-05", "TSCP-04", "TSCP-02", "TSCP-03", "TSCP-01"]),
    ],
)
def test_sorting(call, token, plan, sort, expected):
    assert refs(call("GET", f"/api/v1/actions?sort={sort}", token)) == expected


def test_sorting_by_updated_at_puts_the_latest_change_last(call, token, plan, session):
    plan["later"].title = "Publish leaflets in five languages"
    session.flush()
    assert refs(call("GET", "/api/v1/actions?sort=updated_at", token))[-1] == "TSCP-04"
    assert refs(call("GET", "/api/v1/actions?sort=-updated_at", token))[0] == "TSCP-04"


def test_pages_link_to_each_other_and_keep_the_filters(call, token, plan):
    first = call(
        "GET", "/api/v1/actions?status=open,in_progress,blocked&per_page=2&sort=ref", token
    )
    assert refs(first) == ["TSCP-01", "TSCP-02"]
    assert first.json["total"] == 4
    assert first.json["per_page"] == 2
    assert first.json["links"]["prev"] is None
    next_url = first.json["links"]["next"]
    parts = urlsplit(next_url)
    assert parts.path == "/api/v1/actions"
    assert parse_qs(parts.query) == {
        "status": ["open,in_progress,blocked"],
        "per_page": ["2"],
        "sort": ["ref"],
        "page": ["2"],
    }
    assert first.headers["Link"] == f'<{next_url}>; rel="next"'

    second = call("GET", next_url, token)
    assert refs(second) == ["TSCP-03", "TSCP-04"]
    assert second.json["page"] == 2
    assert second.json["links"]["next"] is None
    assert parse_qs(urlsplit(second.json["links"]["prev"]).query)["page"] == ["1"]


def test_a_page_past_the_end_is_empty_and_links_back_to_the_last_page(call, token, plan):
    response = call("GET", "/api/v1/actions?per_page=2&page=9", token)
    assert refs(response) == []
    assert response.json["total"] == 5
    assert response.json["links"]["next"] is None
    assert parse_qs(urlsplit(response.json["links"]["prev"]).query)["page"] == ["3"]


def test_the_page_size_defaults_to_and_is_capped_by_the_settings(
    app, call, token, plan, monkeypatch
):
    monkeypatch.setitem(app.config, "API_PAGE_SIZE", 3)
    monkeypatch.setitem(app.config, "API_MAX_PAGE_SIZE", 4)
    response = call("GET", "/api/v1/actions", token)
    assert len(refs(response)) == 3
    assert response.json["per_page"] == 3
    assert call("GET", "/api/v1/actions?per_page=4", token).status_code == 200
    too_many = call("GET", "/api/v1/actions?per_page=5", token)
    assert too_many.status_code == 422
    assert too_many.json["error"]["fields"] == {"per_page": "Ask for at most 4 per page."}


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("due_before=31/13/2020", "due_before", "YYYY-MM-DD"),
        ("rag=purple", "rag", "use one of blue, green, amber, red"),
        ("rag=red,purple", "rag", "'purple'"),
        ("status=finished", "status", "use one of draft, open"),
        ("overdue=maybe", "overdue", "true or false"),
        ("sort=colour", "sort", "use one of due_on, -due_on"),
        ("page=0", "page", "Pages start at 1"),
        ("page=two", "page", "page number"),
        ("per_page=0", "per_page", "at least 1"),
        ("recommendation=R7", "recommendation", "recommendation's id"),
        ("board=", "board", "Give an id"),
        ("colour=red", "colour", "Unknown query parameter"),
        ("board=tscp&board=other", "board", "Give board once"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_parameter(call, token, plan, query, field, words):
    response = call("GET", f"/api/v1/actions?{query}", token)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert words in error["fields"][field]


def count_statements(client, session, url, token):
    """The SQL statements one request runs, with nothing cached from the test's own work."""
    session.commit()
    session.expunge_all()
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        # Savepoints belong to the test's transaction, not to the request.
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.json


def test_the_list_runs_the_same_number_of_statements_for_5_and_50_actions(
    client, session, token, board, make_action, make_recommendation
):
    from tracker.boards.models import Board
    from tracker.reviews.models import Recommendation

    board_id = board.id
    recommendation_id = make_recommendation(themes=["Safe sleep"], boards=[board]).id

    def add(n):
        # Each action has its own owner and lead organisation: nothing shared to cache.
        board = session.get(Board, board_id)
        recommendation = session.get(Recommendation, recommendation_id)
        for i in range(n):
            make_action(board, recommendation=recommendation, lead_organisation=f"Trust {i}-{n}")

    url = "/api/v1/actions?per_page=100&sort=rag"
    add(5)
    few, body = count_statements(client, session, url, token)
    assert body["total"] == 5
    add(45)
    many, body = count_statements(client, session, url, token)
    assert body["total"] == 50
    assert len({item["owner"]["id"] for item in body["items"]}) == 50
    assert len({item["lead_organisation"] for item in body["items"]}) == 50
    assert few == many
    # The token, its person, the count and the page itself.
    assert many == 4
