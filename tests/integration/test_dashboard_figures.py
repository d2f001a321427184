"""The dashboard's figures equal those worked out independently from the API's action list.

The independent side reads every page of ``/api/v1/actions?board=...`` (and, where the list
cannot say, each action's updates and history, and the review's recommendations) and counts
in Python; the dashboard counts in SQL. The JSON oversight and the HTML page must both agree.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest

from tests.integration import dashboard_world
from tracker.common.time import LONDON

world = dashboard_world.world  # the fixture

FINISHED = {"completed", "closed", "cancelled"}
DELIVERED = {"completed", "closed"}
LEVEL_ORDER = ["local", "sub-regional", "regional"]


@pytest.fixture
def token(world, make_token):
    return make_token(world.chair)


def every_action(call, token, board_id: int) -> list[dict]:
    """All pages of the board's action list, three at a time (so that paging is exercised)."""
    items, url = [], f"/api/v1/actions?board={board_id}&per_page=3"
    while url:
        body = call("GET", url, token).json
        items += body["items"]
        url = body["links"]["next"]
    return items


def independent(call, token, w) -> dict:
    """What the dashboard should show, counted in Python from the API's answers."""
    actions = every_action(call, token, w.board.id)
    today = w.today
    recs = {
        r["id"]: r
        for r in call("GET", f"/api/v1/reviews/{w.recommendations['R1'].review_id}"
                      "/recommendations", token).json["items"]
    }  # fmt: skip
    since = datetime.combine(w.meeting_on, datetime.min.time(), tzinfo=LONDON)
    waiting_updates, waiting_actions, completed_since = 0, 0, 0
    for a in actions:
        updates = call("GET", f"/api/v1/actions/{a['id']}/updates", token).json["items"]
        submitted = [u for u in updates if u["state"] == "submitted"]
        waiting_updates += len(submitted)
        waiting_actions += bool(submitted)
        history = call("GET", f"/api/v1/actions/{a['id']}/history", token).json["items"]
        completed = [
            e for e in history
            if e["changes"].get("status", [None, None])[1] == "completed"
            and datetime.fromisoformat(e["occurred_at"]) >= since
        ]  # fmt: skip
        completed_since += bool(completed) and a["status"] in DELIVERED

    def group(key_of):
        groups = defaultdict(lambda: {"total": 0, "completed": 0, "rag": Counter()})
        for a in actions:
            for key in key_of(a):
                g = groups[key]
                g["total"] += 1
                g["completed"] += a["status"] in DELIVERED
                g["rag"][a["rag"]] += 1
        return groups

    def rec_of(a):
        return recs.get(a["recommendation_id"])

    return {
        "total": len(actions),
        "open": sum(a["status"] not in FINISHED for a in actions),
        "overdue": sum(a["is_overdue"] for a in actions),
        "blocked": sum(a["status"] == "blocked" for a in actions),
        "awaiting_sign_off": sum(a["status"] == "completed" for a in actions),
        "due_in_30_days": sum(
            a["status"] not in FINISHED
            and a["due_on"] is not None
            and today <= date.fromisoformat(a["due_on"]) <= today + timedelta(days=30)
            for a in actions
        ),
        "completed_since_last_meeting": completed_since,
        "updates_awaiting_acceptance": waiting_updates,
        "actions_with_updates_awaiting_acceptance": waiting_actions,
        "by_status": Counter(a["status"] for a in actions),
        "by_rag": Counter(a["rag"] for a in actions),
        "by_recommendation": group(lambda a: [rec_of(a)["ref"] if rec_of(a) else None]),
        "by_level": group(lambda a: [rec_of(a)["level"] if rec_of(a) else None]),
        "by_theme": group(lambda a: rec_of(a)["themes"] if rec_of(a) else []),
        "by_lead_organisation": group(lambda a: [a["lead_organisation"]]),
        "overdue_refs": sorted(a["ref"] for a in actions if a["is_overdue"]),
        "blocked_refs": sorted(a["ref"] for a in actions if a["status"] == "blocked"),
    }


def test_the_json_figures_equal_those_counted_from_the_action_list(call, token, world):
    expected = independent(call, token, world)
    body = call("GET", f"/api/v1/boards/{world.board.id}/oversight", token).json
    for name in (
        "total",
        "open",
        "overdue",
        "blocked",
        "awaiting_sign_off",
        "due_in_30_days",
        "completed_since_last_meeting",
        "updates_awaiting_acceptance",
        "actions_with_updates_awaiting_acceptance",
    ):
        assert body[name] == expected[name], name
    assert {s["status"]: s["count"] for s in body["by_status"] if s["count"]} == dict(
        expected["by_status"]
    )
    assert {r["rag"]: r["count"] for r in body["by_rag"] if r["count"]} == dict(expected["by_rag"])
    assert sorted(a["ref"] for a in body["overdue_actions"]) == expected["overdue_refs"]
    assert sorted(a["ref"] for a in body["blocked_actions"]) == expected["blocked_refs"]
    # The world is built so that none of these is trivially zero.
    assert all(body[n] for n in ("overdue", "due_in_30_days", "completed_since_last_meeting"))


@pytest.mark.parametrize(
    ("breakdown", "label_of"),
    [
        ("by_recommendation", lambda g: None if g["id"] is None else g["label"]),
        ("by_level", lambda g: g["id"]),
        ("by_theme", lambda g: g["label"]),
        ("by_lead_organisation", lambda g: None if g["id"] is None else g["label"]),
    ],
)
def test_each_breakdown_equals_the_one_counted_from_the_action_list(
    call,
    token,
    world,
    breakdown,
    label_of,
):
    expected = independent(call, token, world)[breakdown]
    body = call("GET", f"/api/v1/boards/{world.board.id}/oversight", token).json
    found = {
        label_of(g): {
            "total": g["total"],
            "completed": g["completed"],
            "rag": {k: v for k, v in g["by_rag"].items() if v},
        }
        for g in body[breakdown]
    }
    assert found == {
        key: {"total": g["total"], "completed": g["completed"], "rag": dict(g["rag"])}
        for key, g in expected.items()
    }
    for g in body[breakdown]:
        assert g["percent_complete"] == round(100 * g["completed"] / g["total"])


def test_each_group_links_to_the_list_of_exactly_its_actions(call, token, world):
    body = call("GET", f"/api/v1/boards/{world.board.id}/oversight", token).json
    for name in ("by_recommendation", "by_level", "by_theme", "by_lead_organisation"):
        for g in body[name]:
            if g["actions"] is None:
                continue
            listed = call("GET", g["actions"].removeprefix("http://localhost"), token).json
            assert listed["total"] == g["total"], (name, g["label"])


def test_each_headline_figure_links_to_the_list_of_exactly_its_actions(call, token, world):
    body = call("GET", f"/api/v1/boards/{world.board.id}/oversight", token).json
    for name, url in body["actions"].items():
        listed = call("GET", url.removeprefix("http://localhost"), token).json
        if name == "updates_awaiting_acceptance":
            # The figure counts updates; the list shows the actions they are on.
            assert listed["total"] == body["actions_with_updates_awaiting_acceptance"]
        else:
            assert listed["total"] == body[name], name


def figure_links(html: str) -> dict[str, tuple[int, str]]:
    """The at-a-glance figures of the page: label -> (number, the list it links to)."""
    found = {}
    for item in re.findall(r'<li class="app-figures__item">(.*?)</li>', html, re.S):
        label = re.search(r'app-figures__label">([^<]+)<', item).group(1)
        link = re.search(r'href="([^"]+)">(\d+)<', item)
        number = int(link.group(2)) if link else int(re.search(r">\s*(\d+)\s*<", item).group(1))
        found[label] = (number, link.group(1).replace("&amp;", "&") if link else None)
    return found


def test_the_page_shows_the_same_figures_each_linking_to_its_list(
    call,
    client,
    sign_in,
    token,
    world,
):
    expected = independent(call, token, world)
    sign_in(world.chair)
    html = client.get(f"/boards/{world.board.ref}/dashboard").get_data(as_text=True)
    figures = figure_links(html)
    pairs = {
        "Open": "open",
        "Overdue": "overdue",
        "Blocked": "blocked",
        "Due in the next 30 days": "due_in_30_days",
        "Completed since the last meeting": "completed_since_last_meeting",
        "Awaiting sign-off": "awaiting_sign_off",
        "Updates awaiting acceptance": "updates_awaiting_acceptance",
    }
    assert set(figures) == set(pairs)
    for label, name in pairs.items():
        number, url = figures[label]
        assert number == expected[name], label
        listed = client.get(url).get_data(as_text=True)
        shown = len(re.findall(r'<th scope="row" class="govuk-table__header app-nowrap">', listed))
        if name == "updates_awaiting_acceptance":
            assert shown == expected["actions_with_updates_awaiting_acceptance"]
        else:
            assert shown == number, label
