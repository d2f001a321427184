"""The review-wide matrix page: an accessible table, its links, totals, filters and key."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.integration import matrix_fixtures as fixtures
from tests.integration.test_web_pages import parse, queries_for
from tracker.reviews.models import Theme

on_now, matrix_world = fixtures.on_now, fixtures.matrix_world
CAPTION = "Progress on each recommendation, by board"
BOARD_NAMES = ["Alpha Safeguarding Partnership", "Bravo Health Board", "Charlie Panel"]


def matrix_url(world, query: str = "") -> str:
    return f"/reviews/{world.review.id}/matrix" + (f"?{query}" if query else "")


def test_the_matrix_as_an_admin_sees_it(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    page = parse(client.get(matrix_url(matrix_world)))

    assert page.title == "Review-wide matrix: Infant mortality peer review – Assure"
    assert (1, "Review-wide matrix") in page.headings()
    assert (2, "4 recommendations, 3 boards") in page.headings()
    table = page.table(CAPTION)
    headers = table.node.tags("thead")[0].tags("th")
    assert [th.attrs.get("scope") for th in headers] == ["col"] * 5
    assert [th.text for th in headers] == ["Recommendation", *BOARD_NAMES, "Completion"]
    rows = table.visible_rows()
    assert [row[0].split()[0] for row in rows] == ["R1", "R2", "R3", "R4"]
    body_rows = table.node.tags("tbody")[0].tags("tr")
    assert all(tr.tags("th")[0].attrs.get("scope") == "row" for tr in body_rows)
    assert rows[0][1:] == [
        "Off track 1 of 2 complete",
        "At risk 0 of 1 complete",
        "On track 0 of 1 complete",
        "25% 1 of 4 complete",
    ]
    assert rows[1][1:] == [
        "Complete 2 of 2 complete",
        "On track 0 of 1 complete",
        "Not started",
        "66% 2 of 3 complete",
    ]
    assert rows[2][1:] == [
        "Not started 0 of 3 complete",
        "Not adopted",
        "Not started All cancelled",
        "0% 0 of 3 complete",
    ]
    assert rows[3][4] == "33% 1 of 3 complete"
    totals = table.node.tags("tfoot")[0].tags("th", "td")
    assert [cell.visible_text for cell in totals] == [
        "Completion by board",
        "37% 3 of 8 complete",
        "25% 1 of 4 complete",
        "0% 0 of 1 complete",
        "30% 4 of 13 complete",
    ]
    assert totals[0].attrs.get("scope") == "row"


def test_each_state_has_its_word_and_a_colour_as_a_second_signal(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    html = client.get(matrix_url(matrix_world)).get_data(as_text=True)

    found = re.findall(
        r'<td class="govuk-table__cell" data-state="(\w+)">'
        r'<(?:strong|span) class="([^"]*)">([^<]+)<',
        html,
    )
    by_state = {state: (classes, word) for state, classes, word in found}
    assert by_state == {
        "red": ("govuk-tag govuk-tag--red", "Off track"),
        "amber": ("govuk-tag govuk-tag--yellow", "At risk"),
        "green": ("govuk-tag govuk-tag--green", "On track"),
        "blue": ("govuk-tag", "Complete"),
        "not_started": ("govuk-tag govuk-tag--grey", "Not started"),
        # "Not adopted" is plain words, no tag.
        "not_adopted": ("app-matrix__plain", "Not adopted"),
    }


def test_the_key_explains_every_state(client, sign_in, matrix_world):
    sign_in(matrix_world.people["lead"])

    page = parse(client.get(matrix_url(matrix_world)))

    key = [n for n in page.root.tags("dl") if "app-matrix-key" in n.attrs.get("class", "")][0]
    terms = [dt.text for dt in key.tags("dt")]
    assert terms == ["Off track", "At risk", "On track", "Complete", "Not started", "Not adopted"]
    assert all(dd.text for dd in key.tags("dd"))


def test_cells_link_to_the_boards_filtered_list(client, sign_in, matrix_world):
    sign_in(matrix_world.people["lead"])
    r1 = matrix_world.recommendations["R1"]

    page = parse(client.get(matrix_url(matrix_world)))

    links = [
        a
        for a in page.table(CAPTION).node.tags("tbody")[0].tags("a")
        if "/actions?" in a.attrs["href"]
    ]
    first = links[0]
    assert first.attrs["href"] == f"/boards/alpha/actions?recommendation={r1.id}"
    assert first.text == "1 of 2 complete : R1 actions of Alpha Safeguarding Partnership"
    # The link leads to the board's list of those actions, which the lead may see.
    listed = parse(client.get(first.attrs["href"]))
    assert re.search(r"Showing 1 to 2 of 2 actions", listed.main_text)
    # Only cells with actions link: "Not adopted" and an empty "Not started" do not.
    assert len(links) == 7  # the lead sees Alpha and Bravo: 8 cells, one not adopted


def test_board_headers_link_to_the_boards(client, sign_in, matrix_world):
    sign_in(matrix_world.people["a_member"])

    page = parse(client.get(matrix_url(matrix_world)))

    header_links = page.table(CAPTION).node.tags("thead")[0].tags("a")
    assert [(a.attrs["href"], a.text) for a in header_links] == [
        ("/boards/alpha", "Alpha Safeguarding Partnership")
    ]
    assert "Bravo Health Board" not in page.text
    assert "You see the boards you belong to" in page.main_text


@pytest.mark.parametrize("who", ["stranger", "c_owner"])
def test_someone_on_no_board_taking_part_sees_why_there_is_no_table(
    client, sign_in, matrix_world, who
):
    sign_in(matrix_world.people[who])

    page = parse(client.get(matrix_url(matrix_world)))

    assert page.tables() == []
    assert (2, "None of your boards has taken up this review") in page.headings()
    assert "Charlie Panel" not in page.text


def test_filters_by_level_and_theme_in_the_address(client, sign_in, matrix_world, session):
    sign_in(matrix_world.people["admin"])
    safe_sleep = session.scalar(select(Theme.id).where(Theme.name == "Safe sleep"))

    page = parse(client.get(matrix_url(matrix_world, f"level=local&theme={safe_sleep}")))

    rows = page.table(CAPTION).visible_rows()
    assert [row[0].split()[0] for row in rows] == ["R1"]
    assert (2, "1 of 4 recommendations, 3 boards") in page.headings()
    assert "Filtered by Level: Local; Theme: Safe sleep." in page.main_text
    download = [a for a in page.root.tags("a") if a.text == "Download as a spreadsheet (XLSX)"]
    assert download[0].attrs["href"] == (
        f"/reviews/{matrix_world.review.id}/matrix.xlsx?level=local&theme={safe_sleep}"
    )
    selected = [o.attrs["value"] for o in page.root.tags("option") if "selected" in o.attrs]
    assert selected == ["local", str(safe_sleep)]


def test_no_recommendation_matches(client, sign_in, matrix_world, session):
    sign_in(matrix_world.people["admin"])
    safe_sleep = session.scalar(select(Theme.id).where(Theme.name == "Safe sleep"))

    page = parse(client.get(matrix_url(matrix_world, f"level=regional&theme={safe_sleep}")))

    assert page.tables() == []
    assert (2, "No recommendations match these filters") in page.headings()
    assert "clear the filters to see all 4 recommendations" in page.main_text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=national", "Choose a level from the list"),
        ("theme=999999", "Choose a theme from the list"),
    ],
)
def test_a_wrong_filter_says_what_to_fix(client, sign_in, matrix_world, query, message):
    sign_in(matrix_world.people["admin"])

    response = client.get(matrix_url(matrix_world, query))

    page = parse(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    assert message in page.main_text
    assert page.tables() == []


def test_the_review_page_links_to_its_matrix(client, sign_in, matrix_world):
    sign_in(matrix_world.people["a_member"])

    page = parse(client.get(f"/reviews/{matrix_world.review.id}"))

    links = [a for a in page.root.tags("a") if a.attrs.get("href") == matrix_url(matrix_world)]
    assert [a.text for a in links] == [
        "Compare boards’ progress on each recommendation (review-wide matrix)"
    ]


def test_an_unknown_review_is_not_found(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    assert client.get("/reviews/999999/matrix").status_code == 404
    assert client.get("/reviews/999999/matrix.xlsx").status_code == 404


def test_the_page_prints_on_a4_landscape(client, sign_in, matrix_world):
    sign_in(matrix_world.people["admin"])

    html = client.get(matrix_url(matrix_world)).get_data(as_text=True)

    # assets/scss/_matrix.scss gives this body class the named page "landscape" (A4 landscape);
    # tests/e2e/test_matrix_browser.py prints it.
    assert re.search(r'<body class="govuk-template__body[^"]*\bapp-print-landscape\b', html)
    assert 'class="govuk-form-group' in html and "app-no-print" in html


def test_queries_do_not_grow_with_the_actions(client, session, sign_in, matrix_world, make_action):
    sign_in(matrix_world.people["lead"])
    url = matrix_url(matrix_world)
    few = queries_for(client, session, url)

    a, b, _ = (session.merge(board) for board in matrix_world.boards)
    recs = [session.merge(r) for r in matrix_world.recommendations.values()]
    for i in range(185):
        status = "in_progress" if i % 20 == 0 else "draft"
        make_action(a if i % 2 else b, status=status, recommendation=recs[i % 2])
    many = queries_for(client, session, url)

    assert len(few) == len(many), many
    # The person, the review, the theme choices, the header's boards, and the matrix's six.
    assert len(many) <= 10, many
