"""The action-list filters the dashboard's figures link to: due from a date, recommendation
level, completed since a date, and with an update awaiting acceptance; on the API and the page."""

from __future__ import annotations

import re

import pytest

from tests.integration import dashboard_world

world = dashboard_world.world  # the fixture


@pytest.fixture
def token(world, make_token):
    return make_token(world.chair)


def refs(call, token, board_id, query: str) -> set[str]:
    response = call("GET", f"/api/v1/actions?board={board_id}&per_page=100&{query}", token)
    assert response.status_code == 200, response.json
    return {item["ref"] for item in response.json["items"]}


def page_refs(client, sign_in, person, ref, query: str) -> set[str]:
    sign_in(person)
    response = client.get(f"/boards/{ref}/actions?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return set(re.findall(r'href="/actions/\d+">([A-Z0-9-]+)</a>', html))


CASES = [
    # Due on or after today, and before 31 days ahead: the dashboard's "due in the next 30 days"
    # (with the open states).
    (
        "due_from={today}&due_before={in_31}&status=draft,open,in_progress,blocked",
        {"A-DUE-TODAY", "A-DUE-SOON", "A-DUE-30"},
    ),
    ("level=regional", {"A-DUE-SOON", "A-DUE-30", "A-BLOCKED-LATE", "A-CANCELLED", "A-SENT-BACK"}),
    ("level=sub-regional&status=closed", {"A-CLOSED"}),
    # Completed since the meeting and still completed or closed: not A-EARLY (completed before
    # it), not A-SENT-BACK (sent back since).
    ("completed_since={meeting}", {"A-COMPLETED", "A-CLOSED"}),
    ("awaiting_acceptance=true", {"A-DUE-31", "A-OVERDUE-1"}),
]


def _query(template: str, w) -> str:
    from datetime import timedelta

    return template.format(
        today=w.today.isoformat(),
        in_31=(w.today + timedelta(days=31)).isoformat(),
        meeting=w.meeting_on.isoformat(),
    )


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_api_list_filters(call, token, world, query, expected):
    assert refs(call, token, world.board.id, _query(query, world)) == expected


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_board_list_page_filters_the_same(client, sign_in, world, query, expected):
    # The page takes repeated parameters rather than commas, and 1 for yes.
    query = _query(query, world).replace("awaiting_acceptance=true", "awaiting_acceptance=1")
    parts = []
    for pair in query.split("&"):
        name, value = pair.split("=")
        parts += [f"{name}={v}" for v in value.split(",")]
    assert page_refs(client, sign_in, world.chair, world.board.ref, "&".join(parts)) == expected


def test_the_api_takes_several_levels(call, token, world):
    query = "level=local,sub-regional&status=closed"
    assert refs(call, token, world.board.id, query) == {"A-CLOSED", "A-EARLY"}


def summary_of(client, world, query: str) -> str:
    html = client.get(f"/boards/{world.board.ref}/actions?{query}").get_data(as_text=True)
    return re.search(r"Filtered by ([^<]+)\.</p>", html).group(1)


def test_the_page_says_which_filters_are_in_use(client, sign_in, world):
    sign_in(world.chair)
    summary = summary_of(client, world, "level=local&awaiting_acceptance=1")
    assert "Recommendation level: Local" in summary
    assert "With an update awaiting acceptance: yes" in summary
    held = world.meeting_on
    summary = summary_of(client, world, f"completed_since={held.isoformat()}")
    assert f"Completed on or after: {held.day} {held:%B %Y}" in summary


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("level=national", "level", "level"),
        ("completed_since=yesterday", "completed_since", "YYYY-MM-DD"),
        ("awaiting_acceptance=perhaps", "awaiting_acceptance", "true or false"),
    ],
)
def test_the_api_refuses_a_bad_filter_saying_what_to_fix(call, token, world, query, field, message):
    response = call("GET", f"/api/v1/actions?{query}", token)
    assert response.status_code == 422
    assert message in response.json["error"]["fields"][field]


def test_the_page_refuses_a_date_that_is_not_one(client, sign_in, world):
    sign_in(world.chair)
    query = "completed_since=31&completed_since=2&completed_since=2026"
    html = client.get(f"/boards/{world.board.ref}/actions?{query}").get_data(as_text=True)
    assert re.search(
        r'<a href="#completed_since-day">\s*Completed on or after must be a real date', html
    )
