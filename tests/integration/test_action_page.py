"""The action page: what it shows, for whom, why its RAG rating is what it is, what each person
may do from it, and the updates waiting for a decision."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine

from tests.conftest import csrf_token_from
from tests.integration.test_web_pages import parse
from tracker.actions.services import change_due_date, fire_transition
from tracker.actions.updates import submit_update
from tracker.common.time import LONDON

TODAY = date(2027, 3, 14)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def people(make_person):
    return {
        "secretary": make_person(name="Sam Secretary"),
        "chair": make_person(name="Chris Chair"),
        "member": make_person(name="Mo Member"),
        "stranger": make_person(name="Sol Stranger"),
        "owner": make_person(
            name="Olu Owner", email="olu@example.org", organisation="Tameside and Glossop ICB"
        ),
    }


@pytest.fixture
def board(make_board, people):
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
def action(board, people, make_action, make_review, make_recommendation):
    review = make_review(title="Infant mortality peer review")
    recommendation = make_recommendation(
        review, ref="R7", text="Every midwife asks about smoking at booking.", boards=[board]
    )
    return make_action(
        board,
        ref="TSCP-07",
        title="Smoking at booking audit",
        status="in_progress",
        owner=people["owner"],
        lead_organisation="Tameside Council",
        due_on=TODAY + timedelta(days=60),
        recommendation=recommendation,
        success_measure="95% of bookings record smoking status.",
        description="Audit a sample of bookings.\n\nReport to the board.",
    )


def summary(page) -> dict[str, str]:
    """The action's summary list: key → value text (without the "Change" links)."""
    (dl,) = [d for d in page.root.tags("dl") if "app-action-summary" in d.attrs.get("class", "")]
    rows = {}
    for row in dl.tags("div"):
        if "govuk-summary-list__row" in row.attrs.get("class", ""):
            key = row.tags("dt")[0].text
            rows[key] = [
                dd.text for dd in row.tags("dd") if "govuk-summary-list__value" in dd.attrs["class"]
            ][0]
    return rows


def links(page) -> dict[str, str]:
    return {a.text: a.attrs.get("href") for a in page.root.tags("a")}


def test_the_page_says_what_the_action_is_and_where_it_stands(sign_in, people, action):
    response = sign_in(people["secretary"]).get(f"/actions/{action.id}")

    assert response.status_code == 200
    page = parse(response)
    assert page.title == "TSCP-07: Smoking at booking audit – Assure"
    assert page.headings()[0] == (1, "TSCP-07: Smoking at booking audit")
    assert "Tameside Safeguarding Children Partnership TSCP-07" in page.main_text  # caption
    assert summary(page) == {
        "Board": "Tameside Safeguarding Children Partnership",
        "Recommendation": "R7 : Every midwife asks about smoking at booking."
        " Infant mortality peer review",
        "Owner": "Olu Owner Tameside and Glossop ICB olu@example.org",
        "Lead organisation": "Tameside Council",
        "Due date": "13 May 2027",
        "Status": "In progress",
        "RAG rating": "On track",
        "Progress": "0%",
        "Success measure": "95% of bookings record smoking status.",
        "Description": "Audit a sample of bookings. Report to the board.",
    }
    found = links(page)
    assert found["Tameside Safeguarding Children Partnership"] == "/boards/tscp"
    assert found["olu@example.org"] == "mailto:olu@example.org"
    assert found["R7"] == f"/recommendations/{action.recommendation_id}"


def test_a_moved_due_date_shows_the_original(sign_in, people, action):
    change_due_date(None, action, date(2027, 6, 30), reason="Waiting for data.", channel="cli")

    page = parse(sign_in(people["chair"]).get(f"/actions/{action.id}"))

    assert summary(page)["Due date"] == "30 June 2027 Originally due 13 May 2027"


@pytest.mark.parametrize(
    ("change", "rag_row"),
    [
        ({"due_on": TODAY - timedelta(days=12)}, "Off track Off track: overdue by 12 days"),
        ({"owner_rag": "red"}, "Off track Off track: owner says off track"),
        (
            {"due_on": TODAY + timedelta(days=10), "progress": 60},
            "At risk At risk: due within 14 days and under 75% done",
        ),
        (
            {"progress_reported_at": datetime(2027, 1, 1, 9, 0, tzinfo=UTC)},
            "At risk At risk: no accepted update for 72 days",
        ),
        ({"owner_rag": "amber"}, "At risk At risk: owner says at risk"),
        ({"due_on": TODAY + timedelta(days=10), "progress": 80}, "On track"),
    ],
)
def test_the_rag_rating_says_why(sign_in, session, people, action, change, rag_row):
    for field, value in change.items():
        setattr(action, field, value)
    session.flush()

    page = parse(sign_in(people["member"]).get(f"/actions/{action.id}"))

    assert summary(page)["RAG rating"] == rag_row


def test_a_blocked_action_shows_the_reason(sign_in, people, action):
    fire_transition(None, action, "block", {"comment": "No data-sharing agreement."}, channel="cli")

    page = parse(sign_in(people["member"]).get(f"/actions/{action.id}"))

    assert summary(page)["Status"] == "Blocked Reason: No data-sharing agreement."
    assert summary(page)["RAG rating"] == "Off track Off track: blocked"


def transition_buttons(page) -> dict[str, str]:
    return {a.text: a.attrs["href"] for a in page.root.tags("a") if "data-transition" in a.attrs}


def test_the_secretary_can_do_every_step_and_change_the_action(sign_in, people, action):
    page = parse(sign_in(people["secretary"]).get(f"/actions/{action.id}"))

    assert (2, "What you can do") in page.headings()
    assert transition_buttons(page) == {
        "Mark as blocked": f"/actions/{action.id}/transitions/block",
        "Mark as complete": f"/actions/{action.id}/transitions/complete",
        "Cancel action": f"/actions/{action.id}/transitions/cancel",
    }
    (cancel,) = [a for a in page.root.tags("a") if a.attrs.get("data-transition") == "cancel"]
    assert "govuk-button--warning" in cancel.attrs["class"]
    found = links(page)
    assert found[f"Edit details of {action.ref}"] == f"/actions/{action.id}/edit"
    assert found[f"Reassign {action.ref} to someone else"] == f"/actions/{action.id}/owner"
    assert found[f"Change due date of {action.ref}"] == f"/actions/{action.id}/due-date"
    assert found["Change owner"] == f"/actions/{action.id}/owner"
    assert found["Change due date"] == f"/actions/{action.id}/due-date"


def test_the_owner_sees_their_steps_only(sign_in, session, people, action):
    session.commit()
    page = parse(sign_in(people["owner"]).get(f"/actions/{action.id}"))

    assert transition_buttons(page) == {
        "Mark as blocked": f"/actions/{action.id}/transitions/block",
        "Mark as complete": f"/actions/{action.id}/transitions/complete",
    }
    assert "Change owner" not in links(page)
    assert links(page)[f"Record a progress update on {action.ref}"] == (
        f"/actions/{action.id}/updates/new"
    )


def test_the_chair_signs_off_a_completed_action(sign_in, people, action):
    fire_transition(None, action, "complete", {"evidence": "Audit report."}, channel="cli")

    page = parse(sign_in(people["chair"]).get(f"/actions/{action.id}"))

    assert set(transition_buttons(page)) == {"Sign off and close", "Refuse sign-off"}
    assert "Change owner" not in links(page)


def test_a_member_reads_the_page_and_can_do_nothing(sign_in, people, action):
    page = parse(sign_in(people["member"]).get(f"/actions/{action.id}"))

    assert transition_buttons(page) == {}
    assert (2, "What you can do") not in page.headings()
    assert not [text for text in links(page) if text.startswith(("Change", "Edit", "Reassign"))]


def test_an_owner_on_no_board_sees_their_action_but_not_the_board(sign_in, session, people, action):
    session.commit()

    response = sign_in(people["owner"]).get(f"/actions/{action.id}")

    assert response.status_code == 200
    page = parse(response)
    assert "/boards/tscp" not in links(page).values()
    assert summary(page)["Board"] == "Tameside Safeguarding Children Partnership"
    breadcrumbs = [n for n in page.root.tags("nav") if "govuk-breadcrumbs" in n.attrs["class"]]
    assert [a.attrs["href"] for a in breadcrumbs[0].tags("a")] == ["/actions"]


def test_other_boards_actions_are_not_found(sign_in, session, people, action, make_board):
    make_board(members=[(people["stranger"], "secretary")])
    session.commit()
    client = sign_in(people["stranger"])

    assert client.get(f"/actions/{action.id}").status_code == 404
    assert client.get("/actions/999999").status_code == 404


def test_signing_in_comes_first(client, action):
    response = client.get(f"/actions/{action.id}")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/sign-in"


@pytest.fixture
def waiting(action, people):
    return submit_update(
        None,
        action,
        narrative="Half the audit is done.",
        progress=50,
        rag="amber",
        transition="complete",
        evidence="Interim audit report.",
        channel="email_link",
        author=people["owner"],
    )


def test_updates_waiting_for_a_decision_with_accept_and_reject(sign_in, people, waiting):
    page = parse(sign_in(people["secretary"]).get(f"/actions/{waiting.action_id}"))

    assert (2, "Updates waiting for a decision") in page.headings()
    (card,) = [d for d in page.root.tags("div") if d.attrs.get("id") == f"update-{waiting.id}"]
    assert card.tags("h3")[0].text == "Update from Olu Owner, 14 March 2027 at midday"
    details = [(dt.text, dd.text) for dt, dd in zip(card.tags("dt"), card.tags("dd"), strict=True)]
    assert details == [
        ("What has happened", "Half the audit is done."),
        ("Progress", "50%"),
        ("Owner’s RAG rating", "At risk"),
        ("Asks to", "Mark as complete"),
        ("Evidence", "Interim audit report."),
    ]
    (form,) = card.tags("form")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == f"/updates/{waiting.id}/accept"
    assert [i.attrs["name"] for i in form.tags("input")] == ["csrf_token"]
    reject = [a for a in card.tags("a") if a.text.startswith("Reject")]
    assert reject[0].attrs["href"] == f"/updates/{waiting.id}/reject"


def test_the_accept_button_accepts_the_update(sign_in, session, people, waiting):
    session.commit()
    client = sign_in(people["secretary"])
    page_html = client.get(f"/actions/{waiting.action_id}").get_data(as_text=True)

    response = client.post(
        f"/updates/{waiting.id}/accept", data={"csrf_token": csrf_token_from(page_html)}
    )

    assert response.status_code == 302
    session.refresh(waiting)
    assert waiting.state == "accepted"
    assert waiting.action.status == "completed"


def test_the_chair_sees_waiting_updates_without_buttons(sign_in, people, waiting):
    page = parse(sign_in(people["chair"]).get(f"/actions/{waiting.action_id}"))

    assert (2, "Updates waiting for a decision") in page.headings()
    assert not [f for f in page.root.tags("form") if "/accept" in f.attrs.get("action", "")]
    assert not [a for a in page.root.tags("a") if a.text.startswith("Reject")]


def test_looking_changes_nothing(sign_in, session, people, waiting):
    from sqlalchemy import func, select

    from tracker.audit.models import Event

    before = session.scalar(select(func.count(Event.id)))
    version = waiting.action.version

    sign_in(people["secretary"]).get(f"/actions/{waiting.action_id}")

    assert session.scalar(select(func.count(Event.id))) == before
    assert waiting.action.version == version and waiting.state == "submitted"
