"""The dashboard page and its JSON: charts with their tables, what changed, the query count."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import event

from tests.integration import dashboard_world
from tracker.actions.updates import submit_update
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.oversight.charts import Bar, Series, bar_chart, line_chart
from tracker.oversight.snapshots import take_snapshots
from tracker.people.models import Person

world = dashboard_world.world  # the fixture


def page(client, sign_in, person, ref) -> str:
    g.pop("_login_user", None)  # the test's app context outlives each request
    sign_in(person)
    response = client.get(f"/boards/{ref}/dashboard")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def svgs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<svg[^>]* id="([^"]+)"[^>]*>(.*?)</svg>', html, re.S))


def test_every_chart_is_a_titled_image_with_its_numbers_as_text(client, sign_in, world):
    html = page(client, sign_in, world.chair, world.board.ref)
    charts = svgs(html)
    assert set(charts) == {"chart-rag", "chart-status", "chart-theme", "chart-trend"}
    for chart_id, body in charts.items():
        tag = re.search(rf'<svg[^>]* id="{chart_id}"[^>]*>', html).group(0)
        assert 'role="img"' in tag
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in tag
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', body)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', body)
    # The RAG chart names each bar and writes its number; the table beside it has the same.
    rag = charts["chart-rag"]
    for word, count in (("Off track", 4), ("At risk", 2), ("On track", 4), ("Complete", 4)):
        assert re.search(rf">{word}</text><rect[^>]*/><text[^>]*>{count}</text>", rag), word
        assert re.search(
            rf'data-rag="\w+">\s*{word}\s*</strong>\s*</th>\s*<td[^>]*>\s*<a[^>]*>{count}<', html
        ), word
    # The trend's table has a row for today, with the live figures.
    assert re.search(r"\(today\)</th>\s*<td[^>]*>10</td>\s*<td[^>]*>3</td>\s*<td[^>]*>3</td>", html)


def test_the_trend_table_lists_the_snapshots_the_chart_draws(client, sign_in, session, world):
    for weeks_ago in (3, 2, 1):
        take_snapshots(world.today - timedelta(weeks=weeks_ago))
    session.flush()
    html = page(client, sign_in, world.chair, world.board.ref)
    trend = svgs(html)["chart-trend"]
    assert trend.count("<polyline") == 3
    # Three snapshots and today: four points on each line, four rows in the table.
    assert all(len(points.split()) == 4 for points in re.findall(r'points="([^"]+)"', trend)[:3])
    table = html[html.index("Open, overdue and completed actions over time</caption>") :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row"') == 4
    # Named lines and a legend: the words, not the colours, say which line is which.
    for name in ("Open", "Overdue", "Completed"):
        assert re.search(rf">{name} \d+</text>", trend)
        assert f">{name}</text>" in trend


def test_it_says_which_meeting_since_means(client, sign_in, world, make_board, make_person):
    html = page(client, sign_in, world.chair, world.board.ref)
    held = world.meeting_on
    assert f'since the board met on <time datetime="{held.isoformat()}">' in html
    chair = make_person()
    fresh = make_board(members=[(chair, "chair")])
    html = page(client, sign_in, chair, fresh.ref)
    assert "The board has not met yet, so “since the last meeting” means the last 90 days" in html


def test_what_changed_lists_changes_with_links_to_their_actions(client, sign_in, world):
    html = page(client, sign_in, world.chair, world.board.ref)
    section = html[html.index('id="changes"') :]
    assert re.search(r"Mark as complete</th>\s*<td[^>]*>3</td>", section)
    assert re.search(r"Updates received from owners</th>\s*<td[^>]*>3</td>", section)
    completed = world.actions["A-COMPLETED"]
    assert f'href="/actions/{completed.id}">A-COMPLETED</a>' in section
    # The action completed before the meeting was created then too: its creation is not listed.
    early = world.actions["A-EARLY"]
    assert re.search(
        rf'href="/actions/{early.id}">A-EARLY</a>[^<]*</td>\s*<td[^>]*>Sign off', section
    )
    assert not re.search(
        rf'href="/actions/{early.id}">A-EARLY</a>[^<]*</td>\s*<td[^>]*>Actions added', section
    )


def test_overdue_and_blocked_lists_show_owner_reason_and_last_update(client, sign_in, world):
    html = page(client, sign_in, world.chair, world.board.ref)
    overdue = html[html.index('id="overdue"') : html.index('id="blocked"')]
    late = world.actions["A-OVERDUE-1"]
    assert late.owner.name in overdue
    assert "Overdue by 30 days" in overdue
    assert "(awaiting acceptance): Stuck on data." in overdue
    blocked = html[html.index('id="blocked"') : html.index('id="progress"')]
    assert "Blocked since today: Because." in blocked
    assert "No update yet" in blocked


@contextmanager
def statements():
    seen: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


def grow(board, make_action, recs, n: int) -> None:
    """``n`` more actions of every kind the dashboard lists, each with an update."""
    today = london_today()
    kinds = ["in_progress", "blocked", "completed", "open", "closed"]
    for i in range(n):
        status = kinds[i % len(kinds)]
        action = make_action(
            board,
            status=status,
            due_on=today + timedelta(days=(i % 60) - 20),
            recommendation=recs[i % len(recs)],
            lead_organisation=f"Organisation {i % 3}",
        )
        if status in ("in_progress", "blocked"):
            submit_update(None, action, narrative="Going.", progress=10, author=action.owner)


@pytest.mark.parametrize("url", ["/boards/{ref}/dashboard", "/api/v1/boards/{id}/oversight"])
def test_the_number_of_queries_does_not_grow_with_the_actions(
    client, session, make_person, make_board, make_action, make_recommendation,
    make_review, make_token, url,
):  # fmt: skip
    chair = make_person()
    token, chair_id, chair_pk = make_token(chair), chair.get_id(), chair.id
    counts = []
    for size in (20, 200):
        chair = session.get(Person, chair_pk)
        board = make_board(members=[(chair, "chair")])
        review = make_review()
        recs = [
            make_recommendation(review, level=level, themes=[f"Theme {level}"], boards=[board])
            for level in ("local", "sub-regional", "regional")
        ]
        grow(board, make_action, recs, size)
        take_snapshots(london_today() - timedelta(days=7))
        address = url.format(ref=board.ref, id=board.id)
        session.commit()
        session.expunge_all()
        g.pop("_login_user", None)
        g.pop("navigation_items", None)
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = chair_id
            flask_session["_fresh"] = True
        headers = {"Authorization": f"Bearer {token}"} if "api" in url else {}
        with statements() as seen:
            response = client.get(address, headers=headers)
        assert response.status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def test_the_charts_escape_names_and_handle_nothing_to_draw():
    chart = bar_chart("c", "Title <b>", [Bar("<script>", 3)])
    assert "<script>" not in chart and "&lt;script&gt;" in chart
    empty = bar_chart("e", "Nothing", [])
    assert "No figures." in empty
    line = line_chart("t", "Trend", [], [Series("Open", [], "#000", "", "circle")])
    assert "No figures yet." in line
    one = line_chart("t", "Trend", [london_today()], [Series("Open", [4], "#000", "", "circle")])
    assert ">Open 4</text>" in one
