"""A recommendation's page, adopting recommendations for a board, and its workflow."""

# The review pages' fixtures are imported from their module, which ruff reads as redefinitions.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from flask import g
from sqlalchemy import func, select

from tests.integration.test_review_pages import (  # noqa: F401  (fixtures)
    error_links,
    events,
    h1,
    people,
    review,
)
from tests.integration.test_web_pages import parse, queries_for
from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.common.time import LONDON
from tracker.reviews.models import Recommendation

TODAY = date(2027, 3, 14)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


def rec_of(review, ref: str) -> Recommendation:
    return next(r for r in review.recommendations if r.ref == ref)


def rec_events(session, rec) -> list[Event]:
    return [e for e in events(session, subject="recommendation") if e.subject_id == rec.id]


def statuses(session, review) -> dict[str, str]:
    return dict(
        session.execute(
            select(Recommendation.ref, Recommendation.status).where(
                Recommendation.review_id == review.id
            )
        ).all()
    )


# Adopting several of a review's recommendations for a board


def test_bulk_adoption_ticks_what_the_board_has_not_adopted(client, sign_in, people, review):
    sign_in(people["secretary"])

    page = parse(client.get(f"/reviews/{review.id}/adopt?board=tscp"))

    assert h1(page) == "Adopt recommendations for Tameside Safeguarding Children Partnership"
    assert "has already adopted R2." in page.main_text
    boxes = [n for n in page.root.tags("input") if n.attrs.get("name") == "recommendations"]
    offered = {str(rec_of(review, ref).id): ref for ref in ("R1", "R3")}
    assert [(b.attrs["value"], "checked" in b.attrs) for b in boxes] == [
        (value, True) for value in offered
    ]


def test_bulk_adoption_adopts_exactly_the_ticked_ones(
    client, sign_in, post_form, people, review, session
):
    sign_in(people["secretary"])
    r1, r3 = rec_of(review, "R1"), rec_of(review, "R3")
    path = f"/reviews/{review.id}/adopt?board=tscp"

    response = post_form(path, {"recommendations": [str(r3.id)]})

    assert response.headers["Location"] == f"/reviews/{review.id}"
    session.expire_all()
    assert [b.ref for b in r3.boards] == ["oscp", "tscp"]
    assert r1.boards == []
    adopted = [e for e in events(session, "adopted", "recommendation") if e.channel == "web"]
    assert [(e.subject_id, e.board_id, e.actor_id) for e in adopted] == [
        (r3.id, people["tscp"].id, people["secretary"].id)
    ]
    page = parse(client.get(response.headers["Location"]))
    assert "Tameside Safeguarding Children Partnership adopted 1 recommendation: R3." in page.text


def test_bulk_adoption_of_several_records_an_event_each(
    client, sign_in, post_form, people, review, session
):
    sign_in(people["admin"])
    ids = [str(rec_of(review, ref).id) for ref in ("R1", "R2")]

    post_form(f"/reviews/{review.id}/adopt?board=oscp", {"recommendations": ids})

    adopted = [e for e in events(session, "adopted", "recommendation") if e.channel == "web"]
    assert sorted(str(e.subject_id) for e in adopted) == sorted(ids)
    assert {e.board_id for e in adopted} == {people["oldham"].id}


def test_bulk_adoption_needs_a_tick(client, sign_in, post_form, people, review, session):
    sign_in(people["secretary"])
    response = post_form(f"/reviews/{review.id}/adopt?board=tscp", {})
    assert response.status_code == 200
    page = parse(response)
    assert error_links(page) == [("Select the recommendations to adopt", "#recommendations")]
    assert [e for e in events(session, "adopted", "recommendation") if e.channel == "web"] == []


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("other", 404)])
def test_bulk_adoption_is_for_the_boards_secretary(
    client, sign_in, people, review, session, who, status
):
    sign_in(people[who])
    path = f"/reviews/{review.id}/adopt?board=tscp"
    assert client.get(path).status_code == status
    token = next(
        parse(client.get("/reviews")).root.find_all(lambda n: n.attrs.get("name") == "csrf_token")
    )
    response = client.post(
        path,
        data={
            "csrf_token": token.attrs["value"],
            "recommendations": [str(rec_of(review, "R1").id)],
        },
    )
    assert response.status_code == status
    assert rec_of(review, "R1").boards == []


# A recommendation's page


@pytest.fixture
def with_actions(people, review, make_action, make_person, session):
    """R2 adopted by Tameside and Oldham, each with actions."""
    r2 = rec_of(review, "R2")
    from tracker.reviews.services import adopt_recommendation

    adopt_recommendation(None, r2, people["oldham"], channel="cli")
    owner = make_person(name="Jo Bloggs")
    make_action(
        people["tscp"],
        ref="T-2",
        title="Smoking audit",
        recommendation=r2,
        owner=owner,
        due_on=TODAY - timedelta(days=3),
    )
    make_action(
        people["tscp"],
        ref="T-1",
        title="Stop smoking service",
        recommendation=r2,
        owner=owner,
        status="completed",
    )
    make_action(people["oldham"], ref="O-1", title="Oldham work", recommendation=r2)
    session.commit()
    return r2


def test_recommendation_page_shows_its_boards_actions_with_rag(
    app, client, sign_in, people, with_actions, session
):
    sign_in(people["secretary"])

    page = parse(client.get(f"/recommendations/{with_actions.id}"))

    assert h1(page) == "Recommendation R2"
    assert "Level Regional" in page.main_text and "Status Proposed" in page.main_text
    table = page.table("Actions of Tameside Safeguarding Children Partnership for R2")
    assert table.header_line() == "Ref | Action | Owner | Due | Status | RAG"
    assert table.row_lines() == [
        "T-1 | Stop smoking service | Jo Bloggs | 13 May 2027 | Completed | Complete",
        "T-2 | Smoking audit | Jo Bloggs | 11 March 2027 Overdue by 3 days | Open | Off track",
    ]
    # Oldham adopted R2 too, but the Tameside secretary cannot see Oldham, nor its adopting.
    assert "Oldham" not in page.text
    links = {a.text: a.attrs.get("href") for a in page.root.tags("a")}
    assert links["Infant mortality peer review"] == f"/reviews/{with_actions.review_id}"
    add = "Add an action for this recommendation (Tameside Safeguarding Children Partnership)"
    # The action pages are built alongside these: links appear as soon as they exist.
    if "actions.show" in app.view_functions:
        t1 = session.scalar(select(Action.id).where(Action.ref == "T-1"))
        assert links["T-1"] == f"/actions/{t1}"
    else:
        assert "T-1" not in links
    if "actions.create" in app.view_functions:
        assert links[add] == f"/boards/tscp/actions/new?recommendation={with_actions.id}"
    else:
        assert "Add an action for this recommendation" in page.main_text


def test_admin_sees_every_board_that_adopted_it(client, sign_in, people, with_actions):
    sign_in(people["admin"])
    page = parse(client.get(f"/recommendations/{with_actions.id}"))
    assert page.table("Actions of Oldham Safeguarding Children Partnership for R2").row_lines()[0]
    assert [text for level, text in page.headings() if level == 3] == [
        "Oldham Safeguarding Children Partnership",
        "Tameside Safeguarding Children Partnership",
    ]
    assert "Adopted by Oldham Safeguarding Children Partnership" in page.main_text


def test_chair_reads_but_adds_no_actions_and_adopts_for_no_board(
    client, sign_in, people, with_actions
):
    sign_in(people["chair"])
    page = parse(client.get(f"/recommendations/{with_actions.id}"))
    assert page.table("Actions of Tameside Safeguarding Children Partnership for R2")
    assert "Add an action for this recommendation" not in page.main_text
    assert "Adopt for a board" not in page.main_text


def test_a_recommendation_no_board_of_yours_adopted(client, sign_in, people, review):
    sign_in(people["stranger"])
    page = parse(client.get(f"/recommendations/{rec_of(review, 'R3').id}"))
    assert "None of your boards has adopted this recommendation." in page.main_text
    assert "Oldham" not in page.text
    assert page.root.tags("form") == [
        n for n in page.root.tags("form") if "sign-out" in n.attrs.get("action", "")
    ]


def test_unknown_recommendation_is_404(client, sign_in, people):
    sign_in(people["admin"])
    assert client.get("/recommendations/999999").status_code == 404
    assert client.get("/recommendations/999999/transitions/adopt").status_code == 404


def test_query_count_does_not_grow_with_actions(
    client, session, sign_in, people, review, make_action
):
    sign_in(people["secretary"])
    r2 = rec_of(review, "R2")
    for _ in range(3):
        make_action(people["tscp"], recommendation=r2)
    few = queries_for(client, session, f"/recommendations/{r2.id}")

    board, r2 = session.merge(people["tscp"]), session.merge(r2)
    for i in range(27):
        make_action(board, recommendation=r2, status="completed" if i % 3 else "in_progress")
    many = queries_for(client, session, f"/recommendations/{r2.id}")

    assert len(few) == len(many), many
    assert len(many) <= 10, many


# Adopting one recommendation for a board


def test_adopt_for_a_board_offers_only_boards_you_manage(client, sign_in, people, review):
    sign_in(people["admin"])
    page = parse(client.get(f"/recommendations/{rec_of(review, 'R3').id}"))
    # Oldham already adopted R3: only Tameside is left to offer.
    assert [o.text for o in page.root.tags("option")] == [
        "Tameside Safeguarding Children Partnership"
    ]


def test_secretary_adopts_for_their_board(client, sign_in, post_form, people, review, session):
    sign_in(people["secretary"])
    r1 = rec_of(review, "R1")
    path = f"/recommendations/{r1.id}"

    response = post_form(path, {"board": str(people["tscp"].id)}, action=f"{path}/boards")

    assert response.headers["Location"] == path
    session.expire_all()
    assert [b.ref for b in r1.boards] == ["tscp"]
    [event] = [e for e in rec_events(session, r1) if e.verb == "adopted"]
    assert (event.board_id, event.actor_id, event.channel) == (
        people["tscp"].id,
        people["secretary"].id,
        "web",
    )
    page = parse(client.get(path))
    assert "Tameside Safeguarding Children Partnership adopted recommendation R1." in page.text
    assert "Adopt for a board" not in page.main_text  # nothing left to offer


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("stranger", 404)])
def test_adopting_for_a_board_you_do_not_manage(
    client, sign_in, post_form, people, review, who, status
):
    sign_in(people[who])
    r1 = rec_of(review, "R1")
    path = f"/recommendations/{r1.id}"
    response = post_form(path, {"board": str(people["tscp"].id)}, action=f"{path}/boards")
    assert response.status_code == status
    assert rec_of(review, "R1").boards == []


def test_adopting_without_a_csrf_token_is_refused(client, sign_in, people, review):
    sign_in(people["secretary"])
    r1 = rec_of(review, "R1")
    response = client.post(f"/recommendations/{r1.id}/boards", data={"board": people["tscp"].id})
    assert response.status_code == 400
    assert r1.boards == []


# The recommendation workflow


def buttons(page) -> list[str]:
    """The workflow's buttons (and links styled as buttons) on a recommendation's page."""
    return [
        text
        for text in _all_buttons(page)
        if text not in {"Adopt for this board", "Adopt the selected recommendations"}
    ]


def _all_buttons(page) -> list[str]:
    return [
        b.text for b in page.root.tags("button", "a") if "govuk-button" in b.attrs.get("class", "")
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretary", ["Adopt", "Decline"]),
        ("chair", ["Adopt", "Decline"]),
        ("admin", ["Adopt", "Decline"]),
        ("member", []),
        ("other", []),  # Oldham's secretary: R2 is not for Oldham
    ],
)
def test_transition_buttons_follow_role_and_state(client, sign_in, people, review, who, expected):
    sign_in(people[who])
    page = parse(client.get(f"/recommendations/{rec_of(review, 'R2').id}"))
    shown = [b for b in buttons(page) if b in {"Adopt", "Decline", "Start work"}]
    assert shown == expected


def walk(rec, *steps):
    from tracker.reviews.services import fire_recommendation_transition

    for step in steps:
        fire_recommendation_transition(
            None, rec, step, {"comment": "Because.", "evidence": "Audit."}, channel="cli"
        )


def test_only_the_chair_signs_off(client, sign_in, people, review, session):
    walk(rec_of(review, "R2"), "adopt", "start", "implement")
    session.commit()
    path = f"/recommendations/{rec_of(review, 'R2').id}"
    seen = {}
    for who in ("chair", "secretary", "admin"):
        g.pop("_login_user", None)  # the test's app context outlives each request
        sign_in(people[who])
        seen[who] = buttons(parse(client.get(path)))
    assert seen == {
        "chair": ["Sign off and close", "Reopen"],
        "secretary": ["Reopen"],
        "admin": ["Reopen"],
    }


def test_firing_a_step_without_fields(client, sign_in, post_form, people, review, session):
    sign_in(people["secretary"])
    r2 = rec_of(review, "R2")
    path = f"/recommendations/{r2.id}"

    response = post_form(path, {}, action=f"{path}/transitions/adopt")

    assert response.headers["Location"] == path
    assert statuses(session, review)["R2"] == "adopted"
    [event] = [e for e in rec_events(session, r2) if e.verb == "transition:adopt"]
    assert (event.changes, event.channel, event.actor_id) == (
        {"status": ["proposed", "adopted"]},
        "web",
        people["secretary"].id,
    )
    page = parse(client.get(path))
    assert "Recommendation R2 is now adopted." in page.text
    assert "Adopt: from Proposed to Adopted" in page.main_text


def test_declining_asks_for_a_reason_first(client, sign_in, post_form, people, review, session):
    sign_in(people["chair"])
    r2 = rec_of(review, "R2")
    path = f"/recommendations/{r2.id}/transitions/decline"
    form = parse(client.get(path))
    assert h1(form) == "Decline: recommendation R2"

    response = post_form(path, {"comment": "  "})

    assert response.status_code == 200
    page = parse(response)
    assert page.title.startswith("Error: ")
    assert error_links(page) == [("Enter a reason to decline", "#comment")]
    assert statuses(session, review)["R2"] == "proposed"

    response = post_form(path, {"comment": "Not for a local board."})

    assert response.status_code == 302
    assert statuses(session, review)["R2"] == "not_adopted"
    [event] = [e for e in rec_events(session, r2) if e.verb == "transition:decline"]
    assert event.comment == "Not for a local board."
    assert "Not for a local board." in parse(client.get(f"/recommendations/{r2.id}")).main_text


def test_implementing_keeps_the_evidence(client, sign_in, post_form, people, review, session):
    r2 = rec_of(review, "R2")
    walk(r2, "adopt", "start")
    session.commit()
    sign_in(people["secretary"])
    path = f"/recommendations/{r2.id}/transitions/implement"

    response = post_form(path, {"evidence": "Audit report, March 2027."})

    assert response.status_code == 302
    assert statuses(session, review)["R2"] == "implemented"
    [event] = [e for e in rec_events(session, r2) if e.verb == "transition:implement"]
    assert event.comment == "Evidence: Audit report, March 2027."


def test_a_step_the_state_does_not_allow(client, sign_in, post_form, people, review, session):
    sign_in(people["secretary"])
    r2 = rec_of(review, "R2")
    path = f"/recommendations/{r2.id}/transitions/start"

    response = post_form(path, {})

    assert response.status_code == 200
    assert "Cannot start work while the recommendation is proposed; it must be adopted." in (
        parse(response).main_text
    )
    assert statuses(session, review)["R2"] == "proposed"


@pytest.mark.parametrize("who", ["member", "other", "stranger"])
def test_a_step_your_role_does_not_allow(client, sign_in, people, review, session, who):
    sign_in(people[who])
    path = f"/recommendations/{rec_of(review, 'R2').id}/transitions/adopt"
    assert client.get(path).status_code == 403
    token = next(
        parse(client.get("/reviews")).root.find_all(lambda n: n.attrs.get("name") == "csrf_token")
    )
    assert client.post(path, data={"csrf_token": token.attrs["value"]}).status_code == 403
    assert statuses(session, review)["R2"] == "proposed"


def test_unknown_step_is_404(client, sign_in, people, review):
    sign_in(people["secretary"])
    assert (
        client.get(f"/recommendations/{rec_of(review, 'R2').id}/transitions/nope").status_code
        == 404
    )


def test_a_step_without_a_csrf_token_is_refused(client, sign_in, people, review, session):
    sign_in(people["secretary"])
    path = f"/recommendations/{rec_of(review, 'R2').id}/transitions/adopt"
    assert client.post(path).status_code == 400
    assert statuses(session, review)["R2"] == "proposed"


def test_get_never_changes_anything(client, sign_in, people, review, with_actions, session):
    sign_in(people["admin"])
    r2 = with_actions
    before = session.scalar(select(func.count(Event.id)))
    for path in [
        "/reviews",
        f"/reviews/{review.id}",
        f"/reviews/{review.id}/edit",
        "/reviews/new",
        f"/reviews/{review.id}/recommendations/new",
        f"/reviews/{review.id}/adopt?board=tscp",
        f"/recommendations/{r2.id}",
        f"/recommendations/{r2.id}/transitions/adopt",
        f"/recommendations/{r2.id}/transitions/decline",
    ]:
        assert client.get(path).status_code == 200, path
    assert session.scalar(select(func.count(Event.id))) == before
    assert statuses(session, review)["R2"] == "proposed"
    assert client.get(f"/recommendations/{r2.id}/boards").status_code == 405
