"""The review pages: listing, adding and changing reviews, adding recommendations, adopting them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.integration.test_web_pages import parse, queries_for
from tracker.audit.models import Event
from tracker.reviews.models import LEVELS, Recommendation, Review, Theme


@pytest.fixture
def people(make_person, make_board, session):
    """Tameside's secretary, chair and member; Oldham's secretary; an admin; a stranger."""
    p = {
        role: make_person(name=name)
        for role, name in [
            ("secretary", "Sam Secretary"),
            ("chair", "Chris Chair"),
            ("member", "Mo Member"),
            ("other", "Olga Oldham"),
            ("stranger", "Stan Stranger"),
        ]
    }
    p["admin"] = make_person(name="Ada Admin", is_admin=True)
    p["tscp"] = make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[(p["secretary"], "secretary"), (p["chair"], "chair"), (p["member"], "member")],
    )
    p["oldham"] = make_board(
        ref="oscp",
        name="Oldham Safeguarding Children Partnership",
        members=[(p["other"], "secretary")],
    )
    # Committed (to the test's savepoint) so that a request's rollback returns to this state.
    session.commit()
    return p


@pytest.fixture
def review(make_review, make_recommendation, people, session):
    review = make_review(
        title="Infant mortality peer review",
        publisher="North West DsPH",
        published_on=date(2016, 9, 30),
        summary="Why infants die.",
        source_ref="https://example.org/review.pdf",
    )
    make_recommendation(review, ref="R1", text="Audit safe sleep advice.", themes=["Safe sleep"])
    make_recommendation(
        review, ref="R2", text="Smoke-free pregnancies.", level="regional", boards=[people["tscp"]]
    )
    make_recommendation(review, ref="R3", text="Peer support.", boards=[people["oldham"]])
    session.commit()
    return review


def h1(page) -> str:
    return next(text for level, text in page.headings() if level == 1)


def error_links(page) -> list[tuple[str, str]]:
    """The error summary's messages and where each links to."""
    summary = page.root.find_all(lambda n: "govuk-error-summary__list" in n.attrs.get("class", ""))
    return [(a.text, a.attrs["href"]) for a in next(summary).tags("a")]


def events(session, verb: str | None = None, subject: str = "review") -> list[Event]:
    """The events recorded about reviews (or ``subject``), oldest first."""
    query = select(Event).where(Event.subject_type == subject).order_by(Event.id)
    if verb:
        query = query.where(Event.verb == verb)
    return list(session.scalars(query))


# The list of reviews


def test_index_lists_reviews_newest_first_with_counts(client, sign_in, people, review, make_review):
    make_review(title="Undated review", publisher="")
    make_review(title="Older review", published_on=date(2010, 1, 5))
    sign_in(people["member"])

    page = parse(client.get("/reviews"))

    assert page.title == "Reviews – Assure"
    assert page.table("Reviews, newest first").row_lines() == [
        "Infant mortality peer review | North West DsPH | 30 September 2016 | 3",
        "Older review | North West DsPH | 5 January 2010 | 0",
        "Undated review | Not given | Not given | 0",
    ]
    assert "Add a review" not in page.main_text  # a member manages no board


@pytest.mark.parametrize("who", ["secretary", "admin"])
def test_managers_see_the_add_button(client, sign_in, people, who):
    sign_in(people[who])
    page = parse(client.get("/reviews"))
    assert "Add a review" in page.main_text
    assert "No reviews have been added yet." in page.main_text


def test_pages_need_a_sign_in(client, review):
    for path in ["/reviews", f"/reviews/{review.id}", "/reviews/new"]:
        assert client.get(path).status_code == 302


# Adding and changing a review

REVIEW_FORM = {
    "title": "Child death overview 2026",
    "publisher": "Greater Manchester CDOP",
    "published_on": ["14", "3", "2026"],
    "summary": "What we learnt.",
    "source_ref": "CDOP/2026/1",
}


def test_secretary_adds_a_review(client, sign_in, post_form, people, session):
    sign_in(people["secretary"])

    response = post_form("/reviews/new", REVIEW_FORM)

    review = session.scalar(select(Review).where(Review.title == "Child death overview 2026"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reviews/{review.id}"
    assert (review.publisher, review.published_on, review.summary, review.source_ref) == (
        "Greater Manchester CDOP",
        date(2026, 3, 14),
        "What we learnt.",
        "CDOP/2026/1",
    )
    [event] = events(session, "created")
    assert (event.actor_id, event.channel, event.subject_type) == (
        people["secretary"].id,
        "web",
        "review",
    )
    page = parse(client.get(response.headers["Location"]))
    assert "Review “Child death overview 2026” added." in page.text
    assert h1(page) == "Child death overview 2026"


def test_a_review_without_a_date(post_form, sign_in, people, session):
    sign_in(people["admin"])
    response = post_form("/reviews/new", {**REVIEW_FORM, "published_on": ["", "", ""]})
    assert response.status_code == 302
    assert session.scalar(select(Review.published_on)) is None


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        ({"title": "  "}, "Enter the review's title", "#title"),
        (
            {"published_on": ["31", "2", "2016"]},
            "Date published must be a real date, for example 31 3 2027",
            "#published_on-day",
        ),
        (
            {"published_on": ["31", "", ""]},
            "Date published must include a month and a year",
            "#published_on-day",
        ),
    ],
)
def test_review_errors_keep_what_was_typed(
    post_form, sign_in, people, session, changes, message, href
):
    sign_in(people["secretary"])

    response = post_form("/reviews/new", {**REVIEW_FORM, **changes})

    assert response.status_code == 200
    page = parse(response)
    assert page.title.startswith("Error: Add a review")
    assert error_links(page) == [(message, href)]
    values = {n.attrs["name"]: n.attrs.get("value") for n in page.root.tags("input")}
    assert values["publisher"] == "Greater Manchester CDOP"
    day = [
        n.attrs.get("value") for n in page.root.tags("input") if n.attrs["name"] == "published_on"
    ]
    assert day == changes.get("published_on", ["14", "3", "2026"])
    assert session.scalar(select(func.count(Review.id))) == 0


@pytest.mark.parametrize("who", ["chair", "member", "stranger"])
def test_only_managers_add_reviews(client, sign_in, people, session, who):
    sign_in(people[who])
    assert client.get("/reviews/new").status_code == 403
    token_page = client.get("/reviews")  # any page carries a CSRF token in its header
    token = parse(token_page).root.find_all(lambda n: n.attrs.get("name") == "csrf_token")
    response = client.post(
        "/reviews/new", data={**REVIEW_FORM, "csrf_token": next(token).attrs["value"]}
    )
    assert response.status_code == 403
    assert "Only admins and board secretaries can add reviews." in parse(response).text
    assert session.scalar(select(func.count(Review.id))) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/reviews/new",
        "/reviews/{review}/edit",
        "/reviews/{review}/recommendations/new",
        "/reviews/{review}/adopt?board=tscp",
    ],
)
def test_posting_without_a_csrf_token_is_refused(client, sign_in, people, review, session, path):
    sign_in(people["admin"])
    before = session.scalar(select(func.count(Event.id)))
    data = {**REVIEW_FORM, "ref": "R7", "text": "Seven.", "level": "local"}
    data["recommendations"] = [str(r.id) for r in review.recommendations]
    response = client.post(path.format(review=review.id), data=data)
    assert response.status_code == 400
    assert session.scalar(select(func.count(Event.id))) == before


@pytest.mark.parametrize("who", ["chair", "member", "stranger"])
def test_only_managers_change_reviews(client, sign_in, post_form, people, review, session, who):
    sign_in(people[who])
    path = f"/reviews/{review.id}/edit"
    assert client.get(path).status_code == 403
    response = post_form(f"/reviews/{review.id}", {**REVIEW_FORM, "title": "Mine"}, action=path)
    assert response.status_code == 403
    session.refresh(review)
    assert review.title == "Infant mortality peer review"


def test_changing_a_review(client, sign_in, post_form, people, review, session):
    sign_in(people["other"])
    path = f"/reviews/{review.id}/edit"
    form = parse(client.get(path))
    values = {n.attrs["name"]: n.attrs.get("value") for n in form.root.tags("input")}
    assert values["title"] == "Infant mortality peer review"

    response = post_form(path, {**REVIEW_FORM, "title": "Infant mortality review (2016)"})

    assert response.headers["Location"] == f"/reviews/{review.id}"
    session.refresh(review)
    assert review.title == "Infant mortality review (2016)"
    [event] = events(session, "updated")
    assert event.changes["title"] == [
        "Infant mortality peer review",
        "Infant mortality review (2016)",
    ]
    assert event.changes["published_on"] == ["2016-09-30", "2026-03-14"]


def test_changing_a_review_keeps_errors_on_the_page(post_form, sign_in, people, review, session):
    sign_in(people["secretary"])
    response = post_form(f"/reviews/{review.id}/edit", {**REVIEW_FORM, "title": ""})
    assert response.status_code == 200
    assert "Enter the review's title" in parse(response).text
    session.refresh(review)
    assert review.title == "Infant mortality peer review"
    assert events(session, "updated") == []


def test_unknown_review_is_404(client, sign_in, people):
    sign_in(people["admin"])
    for path in ["/reviews/999999", "/reviews/999999/edit", "/reviews/999999/recommendations/new"]:
        assert client.get(path).status_code == 404


# A review's page


def test_review_page_shows_details_and_recommendations(client, sign_in, people, review):
    sign_in(people["secretary"])

    page = parse(client.get(f"/reviews/{review.id}"))

    assert h1(page) == "Infant mortality peer review"
    assert "Date published 30 September 2016" in page.main_text
    links = {a.text: a.attrs["href"] for a in page.root.tags("a")}
    assert links["https://example.org/review.pdf"] == "https://example.org/review.pdf"
    table = page.table("Recommendations of Infant mortality peer review")
    assert table.header_line() == "Ref | Recommendation | Level | Themes | Status | Adopted by"
    # Oldham adopted R3, but a Tameside secretary cannot see Oldham.
    assert table.row_lines() == [
        "R1 (recommendation) | Audit safe sleep advice. | Local | Safe sleep | Proposed"
        " | None of your boards",
        "R2 (recommendation) | Smoke-free pregnancies. | Regional | None | Proposed"
        " | Tameside Safeguarding Children Partnership",
        "R3 (recommendation) | Peer support. | Local | None | Proposed | None of your boards",
    ]
    assert "Add a recommendation" in page.main_text
    assert links["Adopt recommendations for Tameside Safeguarding Children Partnership"] == (
        f"/reviews/{review.id}/adopt?board=tscp"
    )


def test_admin_sees_every_board_and_chooses_one_to_adopt_for(client, sign_in, people, review):
    sign_in(people["admin"])
    page = parse(client.get(f"/reviews/{review.id}"))
    rows = page.table("Recommendations of Infant mortality peer review").rows()
    assert rows[2][-1] == "Oldham Safeguarding Children Partnership"
    options = [o.attrs["value"] for o in page.root.tags("option")]
    assert options == ["oscp", "tscp"]


@pytest.mark.parametrize("who", ["chair", "member", "stranger"])
def test_review_page_for_readers(client, sign_in, people, review, who):
    sign_in(people[who])
    page = parse(client.get(f"/reviews/{review.id}"))
    assert "Add a recommendation" not in page.main_text
    assert "Adopt recommendations" not in page.main_text
    assert "Change the review" not in page.main_text


def test_query_count_does_not_grow_with_recommendations(
    client, session, sign_in, people, make_review, make_recommendation
):
    sign_in(people["secretary"])
    review = make_review()
    for i in range(5):
        make_recommendation(review, themes=[f"Theme {i}"], boards=[people["tscp"]])
    few = queries_for(client, session, f"/reviews/{review.id}")

    review = session.merge(review)
    board = session.merge(people["tscp"])
    for i in range(25):
        make_recommendation(review, themes=[f"Theme {i}", "Common"], boards=[board])
    many = queries_for(client, session, f"/reviews/{review.id}")

    assert len(few) == len(many), many
    assert len(many) <= 10, many


def test_reviews_list_query_count_does_not_grow(client, session, sign_in, people, make_review):
    sign_in(people["member"])
    make_review()
    few = queries_for(client, session, "/reviews")
    for _ in range(20):
        make_review()
    assert len(queries_for(client, session, "/reviews")) == len(few)


# Adding a recommendation


def test_secretary_adds_a_recommendation(client, sign_in, post_form, people, review, session):
    sign_in(people["secretary"])
    path = f"/reviews/{review.id}/recommendations/new"
    form = parse(client.get(path))
    boxes = {(n.attrs["name"], n.attrs["value"]) for n in form.root.tags("input")}
    assert ("themes", "Safe sleep") in boxes
    # Only the boards the secretary manages are offered.
    assert {v for n, v in boxes if n == "boards"} == {str(people["tscp"].id)}

    response = post_form(
        path,
        {
            "ref": "R4",
            "text": "Reduce consanguinity risks.",
            "level": "sub-regional",
            "themes": ["Safe sleep"],
            "other_themes": "Consanguinity, safe SLEEP ,",
            "boards": [str(people["tscp"].id)],
        },
    )

    assert response.headers["Location"] == f"/reviews/{review.id}"
    rec = session.scalar(select(Recommendation).where(Recommendation.ref == "R4"))
    assert (rec.text, rec.level, rec.status) == (
        "Reduce consanguinity risks.",
        "sub-regional",
        "proposed",
    )
    assert [t.name for t in rec.themes] == ["Consanguinity", "Safe sleep"]
    assert rec.boards == [people["tscp"]]
    rec_events = [e for e in events(session, subject="recommendation") if e.subject_id == rec.id]
    assert [(e.verb, e.channel, e.board_id) for e in rec_events] == [
        ("created", "web", None),
        ("adopted", "web", people["tscp"].id),
    ]
    assert session.scalar(select(func.count(Theme.id)).where(Theme.name.ilike("safe sleep"))) == 1


def test_save_and_add_another(client, sign_in, post_form, people, review):
    sign_in(people["admin"])
    path = f"/reviews/{review.id}/recommendations/new"
    response = post_form(
        path,
        {"ref": "R9", "text": "Ninth.", "level": "local", "add_another": "Save and add another"},
    )
    assert response.headers["Location"] == path
    page = parse(client.get(path))
    assert "Recommendation R9 added." in page.text
    assert h1(page) == "Add a recommendation"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ref": "R1"}, "ref", "This review already has a recommendation R1."),
        ({"text": " "}, "text", "Enter the text of the recommendation"),
        ({"level": "national"}, "level", "Choose the level: local, sub-regional, regional."),
        ({"level": None}, "level", "Select the level of the recommendation"),
        ({"ref": ""}, "ref", "Enter the recommendation's reference, for example R7"),
    ],
)
def test_recommendation_errors(
    post_form, sign_in, people, review, session, changes, field, message
):
    sign_in(people["secretary"])
    typed = {
        "ref": "R5",
        "text": "Typed text.",
        "level": "regional",
        "other_themes": "Obesity",
        "themes": ["Safe sleep"],
        **changes,
    }
    before = session.scalar(select(func.count(Recommendation.id)))

    response = post_form(
        f"/reviews/{review.id}/recommendations/new",
        {k: v for k, v in typed.items() if v is not None},
    )

    assert response.status_code == 200
    page = parse(response)
    assert page.title.startswith("Error: ")
    assert error_links(page) == [(message, f"#{field}")]
    inputs = {n.attrs["name"]: n for n in page.root.tags("input", "textarea")}
    assert inputs["other_themes"].attrs["value"] == "Obesity"
    assert inputs["text"].text == typed["text"].strip()
    ticked = [n.attrs["value"] for n in page.root.tags("input") if "checked" in n.attrs]
    assert ticked == [v for v in (typed["level"], "Safe sleep") if v in {*LEVELS, "Safe sleep"}]
    assert session.scalar(select(func.count(Recommendation.id))) == before


def test_adding_for_a_board_you_only_belong_to_is_refused(
    client, sign_in, post_form, people, review, session
):
    # Oldham's secretary may add recommendations, but not adopt them for Tameside (where they
    # are nothing) nor can a Tameside member make Tameside adopt them.
    people["tscp"].memberships  # noqa: B018  (loaded before the request)
    from tracker.boards.services import add_member

    add_member(None, people["tscp"], people["other"], "member", channel="cli")
    session.commit()
    sign_in(people["other"])
    before = session.scalar(select(func.count(Recommendation.id)))

    response = post_form(
        f"/reviews/{review.id}/recommendations/new",
        {"ref": "R8", "text": "Eighth.", "level": "local", "boards": [str(people["tscp"].id)]},
    )

    assert response.status_code == 403
    assert session.scalar(select(func.count(Recommendation.id))) == before


def test_only_managers_add_recommendations(client, sign_in, people, review):
    sign_in(people["chair"])
    assert client.get(f"/reviews/{review.id}/recommendations/new").status_code == 403
