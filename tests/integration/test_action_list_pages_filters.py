"""The action lists' filters: each narrows the list, they combine, the form shows what the URL
chose, and a wrong value is explained on the form rather than failing."""

# The list pages' fixtures are imported from their module; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.test_action_list_pages import (  # noqa: F401
    TODAY,
    frozen_time,
    oscp,
    people,
    plan,
    refs,
    tscp,
)
from tests.integration.test_web_pages import parse
from tracker.actions import list_choices
from tracker.people.models import Organisation
from tracker.reviews.models import Theme


@pytest.fixture
def secretary(sign_in, people):
    """The test client, signed in as Tameside's secretary."""
    return sign_in(people["secretary"])


def ids(session, plan):
    """The ids the filters' selects use, by what they name."""
    from sqlalchemy import select

    orgs = dict(session.execute(select(Organisation.name, Organisation.id)).all())
    themes = dict(session.execute(select(Theme.name, Theme.id)).all())
    return {
        "olu": plan["TSCP-01"].owner_id,
        "council": orgs["Tameside Council"],
        "icb": orgs["Tameside ICB"],
        "safe sleep": themes["Safe sleep"],
        "smoking": themes["Smoking in pregnancy"],
        "R1": plan["TSCP-01"].recommendation_id,
        "R2": plan["TSCP-02"].recommendation_id,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=blocked", ["TSCP-03"]),
        ("status=draft&status=completed", ["TSCP-04", "TSCP-05"]),
        ("rag=red", ["TSCP-01", "TSCP-03"]),
        ("rag=amber&rag=blue", ["TSCP-02", "TSCP-04"]),
        ("overdue=y", ["TSCP-01"]),
        # Strictly before 13 April 2027: TSCP-04 is due that day.
        ("due_before=13&due_before=4&due_before=2027", ["TSCP-01", "TSCP-02"]),
        ("due_before=2027-04-14", ["TSCP-01", "TSCP-02", "TSCP-04"]),
        ("owner={olu}", ["TSCP-01", "TSCP-03"]),
        ("owner_email=JO@example.org", ["TSCP-02", "TSCP-04", "TSCP-05"]),
        ("lead_organisation={icb}", ["TSCP-02", "TSCP-03"]),
        ("theme={safe sleep}", ["TSCP-01", "TSCP-04"]),
        ("recommendation={R2}", ["TSCP-02"]),
        ("q=smoking", ["TSCP-02"]),
        ("q=tscp-03", ["TSCP-03"]),
        # Combined, every filter must hold.
        ("status=in_progress&status=blocked&rag=red&owner={olu}", ["TSCP-01", "TSCP-03"]),
        ("theme={safe sleep}&lead_organisation={council}&rag=blue", ["TSCP-04"]),
        ("q=safe&overdue=y&status=open", []),
    ],
)
def test_each_filter_narrows_the_list(secretary, session, plan, query, expected):
    response = secretary.get("/boards/tscp/actions?sort=ref&" + query.format(**ids(session, plan)))

    assert response.status_code == 200
    assert refs(response) == expected


def test_filters_apply_across_boards_too(sign_in, people, plan):
    client = sign_in(people["olu"])

    assert refs(client.get("/actions?status=open&sort=ref")) == ["OSCP-01"]
    assert refs(client.get("/actions?q=safe+sleep&sort=ref")) == ["OSCP-01", "TSCP-01"]


def checked(page, name):
    return [
        i.attrs["value"]
        for i in page.root.tags("input")
        if i.attrs.get("name") == name and "checked" in i.attrs
    ]


def selected(page, name):
    (select,) = [s for s in page.root.tags("select") if s.attrs.get("name") == name]
    return [o.text for o in select.tags("option") if "selected" in o.attrs]


def value(page, field_id):
    (found,) = [i for i in page.root.tags("input") if i.attrs.get("id") == field_id]
    return found.attrs.get("value", "")


def test_the_form_shows_the_filters_the_url_chose(secretary, session, plan):
    chosen = ids(session, plan)
    url = (
        "/boards/tscp/actions?q=audit&status=in_progress&status=blocked&rag=red&overdue=y"
        "&due_before=1&due_before=5&due_before=2027"
        f"&owner={chosen['olu']}&lead_organisation={chosen['council']}"
        f"&theme={chosen['safe sleep']}&recommendation={chosen['R1']}&sort=-due_on"
    )

    response = secretary.get(url)

    page = parse(response)
    assert refs(response) == ["TSCP-01"]
    assert value(page, "q") == "audit"
    assert checked(page, "status") == ["in_progress", "blocked"]
    assert checked(page, "rag") == ["red"]
    assert checked(page, "overdue") == ["y"]
    assert [value(page, f"due_before-{part}") for part in ("day", "month", "year")] == [
        "1",
        "5",
        "2027",
    ]
    assert selected(page, "owner") == ["Olu Owner (olu@example.org)"]
    assert selected(page, "lead_organisation") == ["Tameside Council"]
    assert selected(page, "theme") == ["Safe sleep"]
    assert selected(page, "recommendation") == ["R1: Do the right thing."]
    assert selected(page, "sort") == ["Due date, latest first"]
    # The less used filters are folded away unless one of them is in use, as here.
    (details,) = page.root.tags("details")
    assert "open" in details.attrs


def test_the_form_is_a_get_form_with_the_workflows_labels(secretary, plan):
    page = parse(secretary.get("/boards/tscp/actions"))

    (form,) = [f for f in page.root.tags("form") if f.attrs.get("method") == "get"]
    assert form.attrs["action"] == "/boards/tscp/actions"
    labels = [
        label.text
        for label in form.tags("label")
        if label.attrs.get("for", "").startswith("status")
    ]
    assert labels == ["Draft", "Open", "In progress", "Blocked", "Completed", "Closed", "Cancelled"]
    assert "open" not in page.root.tags("details")[0].attrs
    assert selected(page, "sort") == ["Due date, soonest first"]


def test_selects_offer_only_what_the_visible_actions_have(secretary, plan):
    page = parse(secretary.get("/boards/tscp/actions"))

    def options(name):
        (select,) = [s for s in page.root.tags("select") if s.attrs.get("name") == name]
        return [o.text for o in select.tags("option")]

    assert options("owner") == [
        "Any owner",
        "Jo Owner (jo@example.org)",
        "Olu Owner (olu@example.org)",
    ]
    assert options("lead_organisation") == [
        "Any lead organisation",
        "Tameside Council",
        "Tameside ICB",
    ]
    assert options("theme") == ["Any theme", "Safe sleep", "Smoking in pregnancy"]
    assert options("recommendation") == [
        "Any recommendation",
        "R1: Do the right thing.",
        "R2: Do the right thing.",
    ]


def test_recommendations_of_several_reviews_name_their_review(
    secretary,
    tscp,
    make_action,
    make_review,
    make_recommendation,
):
    for title in ("Peer review", "Serious case review"):
        recommendation = make_recommendation(
            make_review(title=title), ref="R1", boards=[tscp], text=f"From the {title}."
        )
        make_action(tscp, recommendation=recommendation)
    make_action(tscp)

    page = parse(secretary.get("/boards/tscp/actions"))

    (select,) = [s for s in page.root.tags("select") if s.attrs.get("name") == "recommendation"]
    assert [o.text for o in select.tags("option")][1:] == [
        "Peer review, R1: From the Peer review.",
        "Serious case review, R1: From the Serious case review.",
    ]


def test_too_many_owners_to_list_are_typed_as_an_email(monkeypatch, secretary, plan):
    monkeypatch.setattr(list_choices, "MAX_CHOICES", 1)

    page = parse(secretary.get("/boards/tscp/actions"))

    # The level's choices are fixed (local, sub-regional, regional): they are always offered.
    assert [s.attrs["name"] for s in page.root.tags("select")] == ["sort", "level"]
    labels = {label.attrs.get("for"): label.text for label in page.root.tags("label")}
    assert labels["owner_email"] == "Owner’s email address"


def errors_of(response):
    page = parse(response)
    summary = [
        d for d in page.root.tags("div") if "govuk-error-summary" in d.attrs.get("class", "")
    ]
    assert summary, "no error summary"
    return {a.text: a.attrs["href"] for a in summary[0].tags("a")}


@pytest.mark.parametrize(
    ("query", "message", "href"),
    [
        ("status=finished", "Choose statuses from the list", "#status"),
        ("rag=purple", "Choose RAG ratings from the list", "#rag"),
        ("owner=99999", "Choose an owner from the list", "#owner"),
        ("owner=abc", "Choose an owner from the list", "#owner"),
        (
            "owner_email=not-an-email",
            "Enter an email address like name@example.org",
            "#owner_email",
        ),
        ("lead_organisation=0", "Choose a lead organisation from the list", "#lead_organisation"),
        ("theme=x", "Choose a theme from the list", "#theme"),
        ("recommendation=-1", "Choose a recommendation from the list", "#recommendation"),
        ("sort=owner", "Choose an order from the list", "#sort"),
        (
            "due_before=31&due_before=2&due_before=2027",
            "Due before must be a real date, for example 31 3 2027",
            "#due_before-day",
        ),
        (
            "due_before=1&due_before=&due_before=2027",
            "Due before must include a month",
            "#due_before-day",
        ),
        (
            "due_before=1&due_before=2&due_before=27",
            "Due before must be a real date, with a year of 4 numbers, for example 31 3 2027",
            "#due_before-day",
        ),
        (
            "due_before=next+week",
            "Due before must be a real date, for example 31 3 2027",
            "#due_before-day",
        ),
        ("q=" + "x" * 201, "Search for at most 200 characters", "#q"),
        ("page=0", "Page must be a whole number, 1 or more", "#results"),
        ("page=two", "Page must be a whole number, 1 or more", "#results"),
        ("page=%C2%B2", "Page must be a whole number, 1 or more", "#results"),  # "²"
        ("page=-3", "Page must be a whole number, 1 or more", "#results"),
    ],
)
def test_a_wrong_filter_is_explained_on_the_form(secretary, plan, query, message, href):
    response = secretary.get("/boards/tscp/actions?" + query)

    assert response.status_code == 200
    assert errors_of(response) == {message: href}
    page = parse(response)
    assert page.title.startswith("Error: ")
    assert page.tables() == []
    assert "Correct the filters above to see the actions." in page.main_text


def test_an_owner_chosen_and_typed_is_one_too_many(secretary, session, plan):
    owner = ids(session, plan)["olu"]

    response = secretary.get(f"/actions?owner={owner}&owner_email=jo@example.org")

    assert errors_of(response) == {
        "Choose an owner from the list or type their email, not both": "#owner_email"
    }


def test_the_form_keeps_what_was_typed_when_wrong(secretary, plan):
    page = parse(
        secretary.get("/boards/tscp/actions?q=audit&due_before=30&due_before=2&due_before=2027")
    )

    assert value(page, "q") == "audit"
    assert [value(page, f"due_before-{p}") for p in ("day", "month", "year")] == ["30", "2", "2027"]


def test_an_unknown_owner_email_finds_nothing(secretary, plan):
    response = secretary.get("/boards/tscp/actions?owner_email=nobody@example.org")

    assert refs(response) == []
    assert "No actions match these filters" in parse(response).main_text


def test_unknown_parameters_are_ignored(secretary, plan):
    assert len(refs(secretary.get("/boards/tscp/actions?colour=blue"))) == 5


def test_due_before_today_is_the_overdue_and_finished(secretary, plan, make_action, tscp):
    make_action(tscp, ref="TSCP-06", status="closed", due_on=TODAY - timedelta(days=9))

    response = secretary.get(f"/boards/tscp/actions?sort=ref&due_before={TODAY.isoformat()}")

    assert refs(response) == ["TSCP-01", "TSCP-06"]


def test_a_printed_list_says_how_it_was_filtered(secretary, session, plan):
    owner = ids(session, plan)["olu"]

    page = parse(
        secretary.get(
            f"/boards/tscp/actions?status=blocked&status=in_progress&rag=red&overdue=y&owner={owner}"
            "&due_before=2027-04-01&q=audit"
        )
    )

    (line,) = [p for p in page.root.tags("p") if "app-print-only" in p.attrs.get("class", "")]
    assert line.text == (
        "Filtered by Reference or title contains: audit; Status: In progress, Blocked;"
        " RAG rating: Off track; Overdue only: yes; Due before: 1 April 2027;"
        " Owner: Olu Owner (olu@example.org)."
    )
