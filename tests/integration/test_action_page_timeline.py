"""The action page's history: events and updates merged newest first, each saying who, when,
through which channel and what changed (from → to), at a fixed cost in queries."""

# The action page's fixtures are imported from its module; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

import pytest
import time_machine

from tests.integration.test_action_page import (  # noqa: F401
    action,
    board,
    frozen_time,
    people,
)
from tests.integration.test_web_pages import parse, queries_for
from tracker.actions import services
from tracker.actions import updates as action_updates
from tracker.actions.models import Action
from tracker.common.time import LONDON
from tracker.people.models import Person


def entries(response) -> list[dict]:
    """Each timeline entry: its title, byline, changes and the rest of its text."""
    page = parse(response)
    (timeline,) = [o for o in page.root.tags("ol") if "app-timeline" in o.attrs.get("class", "")]
    found = []
    for item in timeline.tags("li"):
        changes = [
            f"{div.tags('dt')[0].text}: {div.tags('dd')[0].text}"
            for div in item.tags("div")
            if "app-timeline__change" in div.attrs.get("class", "")
        ]
        byline = [p for p in item.tags("p") if "app-timeline__byline" in p.attrs["class"]]
        found.append(
            {
                "what": item.tags("h3")[0].text,
                # The reader puts a space between elements: "6:00pm</time>," reads "6:00pm ,".
                "byline": byline[0].text.replace(" ,", ","),
                "changes": changes,
                "text": item.text,
            }
        )
    return found


@contextmanager
def at(hour: int, session):
    """Do what the block does at ``hour`` today; events get their time when flushed."""
    with time_machine.travel(datetime(2027, 3, 14, hour, 0, tzinfo=LONDON), tick=False):
        yield
        session.flush()


@pytest.fixture
def story(session, people, action, make_person):
    """The secretary changes the due date, reassigns and edits; the owner reports progress,
    which the secretary accepts; then the owner's work is blocked."""
    secretary = people["secretary"]
    new_owner = make_person(name="Nia New", email="nia@example.org")
    with at(13, session):
        services.change_due_date(
            secretary, action, date(2027, 6, 30), reason="Waiting for the data.", channel="web"
        )
    with at(14, session):
        services.assign_owner(secretary, action, new_owner, channel="web")
    with at(15, session):
        services.edit_action(secretary, action, title="Smoking at booking re-audit", channel="api")
    with at(16, session):
        update = action_updates.submit_update(
            None,
            action,
            narrative="Half the audit is done.",
            progress=50,
            rag="amber",
            channel="email_link",
            author=new_owner,
        )
    with at(17, session):
        action_updates.accept_update(secretary, update, comment="Thank you.", channel="web")
    with at(18, session):
        services.fire_transition(
            new_owner, action, "block", {"comment": "No data-sharing agreement."}, channel="web"
        )
    session.flush()
    return action


def test_the_history_lists_every_change_newest_first(sign_in, people, story):
    response = sign_in(people["secretary"]).get(f"/actions/{story.id}")

    found = entries(response)
    assert [e["what"] for e in found] == [
        "Marked as blocked",
        "Update accepted",
        "Progress reported",
        "Details changed",
        "Owner changed",
        "Due date changed",
        "Work started",
        "Opened for work",
        "Action created",
    ]
    blocked, accepted, reported, edited, owner, due, started, opened, created = found
    assert blocked["byline"] == "By Nia New, 14 March 2027 at 6:00pm, through Web"
    assert blocked["changes"] == ["Status: from In progress → to Blocked"]
    assert "Reason No data-sharing agreement." in blocked["text"]
    assert accepted["byline"] == "By Sam Secretary, 14 March 2027 at 5:00pm, through Web"
    assert accepted["changes"] == [
        "Progress: from 0% → to 50%",
        "Owner’s RAG rating: from not set → to At risk",
    ]
    assert "Comment Thank you." in accepted["text"]
    # No account: the update's author is named, through the email link.
    assert reported["byline"] == "By Nia New, 14 March 2027 at 4:00pm, through Email link"
    assert "What has happened Half the audit is done. Progress 50%" in reported["text"]
    assert "Accepted by Sam Secretary, 14 March 2027 at 5:00pm" in reported["text"]
    assert edited["byline"].endswith("through API")
    assert edited["changes"] == [
        "Title: from Smoking at booking audit → to Smoking at booking re-audit"
    ]
    assert owner["changes"] == [
        "Owner: from Olu Owner (olu@example.org) → to Nia New (nia@example.org)"
    ]
    assert due["changes"] == ["Due date: from 13 May 2027 → to 30 June 2027"]
    assert "Reason Waiting for the data." in due["text"]
    # The factories work as the operator at the command line.
    assert started["byline"] == "By Operator, 14 March 2027 at midday, through Command line"
    assert started["changes"] == ["Status: from Open → to In progress"]
    assert opened["changes"] == ["Status: from Draft → to Open"]
    assert created["changes"] == [
        "Reference: TSCP-07",
        "Title: Smoking at booking audit",
        "Status: Draft",
        "Owner: Olu Owner (olu@example.org)",
        "Due date: 13 May 2027",
    ]


def test_the_arrow_is_read_as_from_and_to(sign_in, people, story):
    html = sign_in(people["secretary"]).get(f"/actions/{story.id}").get_data(as_text=True)

    assert '<span class="app-timeline__arrow" aria-hidden="true">→</span>' in html
    assert '<span class="govuk-visually-hidden">from </span>' in html


def test_system_events_are_by_assure(sign_in, session, people, action):
    from tracker.audit.services import record

    with at(13, session):
        record(None, "system", "edited", action, changes={"progress": [0, 10]}, action_id=action.id)
    session.flush()

    found = entries(sign_in(people["member"]).get(f"/actions/{action.id}"))

    assert found[0]["byline"] == "By Assure, 14 March 2027 at 1:00pm"
    assert found[0]["changes"] == ["Progress: from 0% → to 10%"]


def test_a_waiting_update_is_in_the_history_too(sign_in, session, people, action):
    with at(13, session):
        action_updates.submit_update(
            None,
            action,
            narrative="Started.",
            transition="complete",
            evidence="Report.",
            channel="email_link",
            author=people["owner"],
        )

    found = entries(sign_in(people["chair"]).get(f"/actions/{action.id}"))

    assert found[0]["what"] == "Progress reported"
    assert "Asks to Mark as complete" in found[0]["text"]
    assert "Evidence Report." in found[0]["text"]
    assert found[0]["text"].endswith("Waiting for a decision")


def test_query_count_does_not_grow_with_the_history(sign_in, session, people, action):
    secretary_id, action_id = people["secretary"].id, action.id

    def add(count):
        target = session.get(Action, action_id)
        actor = session.get(Person, secretary_id)
        for n in range(count):
            if n % 2:
                services.change_due_date(
                    actor, target, date(2027, 6, 1 + n), reason=f"Reason {n}", channel="web"
                )
            else:
                update = action_updates.submit_update(
                    actor, target, narrative=f"Update {n}", progress=n, channel="web"
                )
                if n % 4 == 0:
                    action_updates.accept_update(actor, update, channel="web")
        session.flush()

    path = f"/actions/{action_id}"
    add(1)  # with the factory's 3 events: 5 entries
    few = queries_for(sign_in(session.get(Person, secretary_id)), session, path)
    add(17)
    many = queries_for(sign_in(session.get(Person, secretary_id)), session, path)

    assert len(few) == len(many), many
    # The person; the action, its board, the roles it is seen with; the events, the updates,
    # the people the events name; the recommendation, review, owner, organisations; the header.
    assert len(many) <= 16, many


def test_a_steps_reason_and_evidence_are_shown_apart(sign_in, session, people, action):
    with at(13, session):
        services.fire_transition(
            people["owner"], action, "complete", {"evidence": "Audit report, March."}, channel="web"
        )

    (completed, *_) = entries(sign_in(people["member"]).get(f"/actions/{action.id}"))

    assert completed["what"] == "Marked as complete"
    assert completed["changes"] == [
        "Status: from In progress → to Completed",
        "Progress: from 0% → to 100%",
    ]
    assert completed["text"].endswith("Evidence Audit report, March.")
    assert "Reason" not in completed["text"]
