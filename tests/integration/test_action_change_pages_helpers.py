"""Fixtures and page readers shared by the tests of the pages that change actions
(test_action_change_pages*.py): who acts, on which board and action, and what a page shows.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from flask import g
from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.integration.test_web_pages import Page, parse  # noqa: F401  (for the tests)
from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.common.time import LONDON

TODAY = date(2027, 3, 14)


@pytest.fixture(autouse=True)
def frozen_time():
    # Midday in London: the factories' date.today() and the pages' London today agree.
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


class People:
    """Everyone the tests act as: the board's secretary, chair and member, another board's
    secretary, and an admin."""

    def __init__(self, make_person):
        self.secretary = make_person(name="Sam Secretary", email="sam@tameside.example")
        self.chair = make_person(name="Chris Chair", email="chris@tameside.example")
        self.member = make_person(name="Mo Member", email="mo@tameside.example")
        self.stranger = make_person(name="Olly Oldham", email="olly@oldham.example")
        self.admin = make_person(name="Ada Admin", email="ada@assure.example", is_admin=True)


@pytest.fixture
def people(make_person):
    return People(make_person)


@pytest.fixture
def board(make_board, people):
    board = make_board(
        ref="tscp",
        name="Tameside Safeguarding Children Partnership",
        members=[
            (people.secretary, "secretary"),
            (people.chair, "chair"),
            (people.member, "member"),
        ],
    )
    make_board(ref="oldham", name="Oldham Board", members=[(people.stranger, "secretary")])
    return board


@pytest.fixture
def owner(make_person):
    return make_person(name="Jo Bloggs", email="jo@icb.example", organisation="Tameside ICB")


@pytest.fixture
def action(board, owner, make_action, session):
    action = make_action(
        board,
        ref="TSCP-01",
        title="Safe sleep briefings",
        description="Brief every health visitor.",
        owner=owner,
        due_on=date(2027, 6, 30),
        status="in_progress",
    )
    # Committed (to the test's savepoint), so that a page's rollback returns to this state.
    session.commit()
    return action


@pytest.fixture
def act_as(sign_in):
    """Sign in as ``person``; the test's app context outlives requests, so forget whoever the
    last request loaded."""

    def act(person):
        g.pop("_login_user", None)
        g.pop("navigation_items", None)
        return sign_in(person)

    return act


def flashes(client) -> list[tuple[str, str]]:
    """The messages waiting for the next page, taken (as that page would take them)."""
    with client.session_transaction() as flask_session:
        return list(flask_session.pop("_flashes", []))


def error_summary(page: Page) -> list[tuple[str, str | None]]:
    """The error summary's messages and where each one links (None: a message for the page)."""
    return [
        (li.text, next((a.attrs.get("href") for a in li.tags("a")), None))
        for ul in page.root.find_all(
            lambda n: "govuk-error-summary__list" in n.attrs.get("class", "")
        )
        for li in ul.tags("li")
    ]


def field_errors(page: Page) -> list[str]:
    return [
        p.text.removeprefix("Error:").strip()
        for p in page.root.find_all(lambda n: "govuk-error-message" in n.attrs.get("class", ""))
    ]


def value_of(page: Page, name: str):
    """What a form field shows: an input's value (a list for a date's three boxes), a
    textarea's text, a select's chosen option, the checked radio."""
    nodes = list(page.root.find_all(lambda n: n.attrs.get("name") == name))
    assert nodes, f"no field {name!r}"
    first = nodes[0]
    if first.tag == "textarea":
        return "".join(c for c in first.children if isinstance(c, str)).strip("\n")
    if first.tag == "select":
        chosen = [o.attrs.get("value") for o in first.tags("option") if "selected" in o.attrs]
        return chosen[0] if chosen else None
    if first.attrs.get("type") in ("radio", "checkbox"):
        checked = [n.attrs.get("value") for n in nodes if "checked" in n.attrs]
        return checked[0] if checked else None
    values = [n.attrs.get("value") for n in nodes]
    return values if len(values) > 1 else values[0]


def options(page: Page, name: str) -> list[tuple[str, str]]:
    select_ = next(page.root.find_all(lambda n: n.tag == "select" and n.attrs.get("name") == name))
    return [(o.attrs.get("value"), o.text) for o in select_.tags("option")]


def events(session, action_id: int, verb: str | None = None) -> list[Event]:
    query = select(Event).where(Event.action_id == action_id).order_by(Event.id)
    if verb:
        query = query.where(Event.verb == verb)
    return list(session.scalars(query))


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def fresh(session, action: Action) -> Action:
    """The action as the database has it now."""
    session.expire_all()
    return session.get(Action, action.id)


def token(client) -> str:
    """A CSRF token, from the form every page has (sign out), for posts without a page."""
    return csrf_token_from(client.get("/").get_data(as_text=True))


def parse_value(html: str, name: str) -> str:
    return value_of(Page(html), name)


@pytest.fixture
def recommendation(board, make_recommendation, make_review, session):
    review = make_review(title="NW infant mortality peer review")
    rec = make_recommendation(review, ref="R7", text="Promote safe sleep.", boards=[board])
    make_recommendation(review, ref="R8", text="Not for Tameside.")
    session.commit()
    return rec


NEW = "/boards/tscp/actions/new"


def new_action(recommendation, **overrides) -> dict:
    data = {
        "recommendation": str(recommendation.id),
        "title": "Train midwives in safe sleep",
        "description": "Two sessions a year.",
        "owner_choice": "new",
        "new_owner_name": "Pat Midwife",
        "new_owner_email": "Pat@Trust.example",
        "new_owner_organisation": "Tameside Hospital",
        "lead_organisation": "",
        "lead_organisation_other": "Tameside Hospital NHS FT",
        "due_on": ["30", "9", "2027"],
        "success_measure": "All midwives trained.",
        "save": "y",
    }
    data.update(overrides)
    return data
