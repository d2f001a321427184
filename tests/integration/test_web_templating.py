"""Filters and tags shared by every template: dates on London's clock, RAG and status words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import render_template_string

from tracker.actions.rag import RAG_LABELS
from tracker.web.templating import format_date, format_datetime


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2027, 3, 14), "14 March 2027"),
        (date(2027, 3, 1), "1 March 2027"),
        # 23:30 UTC in British Summer Time is already the next day in London.
        (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "1 July 2027"),
        (datetime(2027, 1, 31, 23, 30, tzinfo=UTC), "31 January 2027"),
        (None, ""),
    ],
)
def test_date_filter(value, shown):
    assert format_date(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "1 July 2027 at 12:30am"),
        (datetime(2027, 1, 15, 14, 5, tzinfo=UTC), "15 January 2027 at 2:05pm"),
        (datetime(2027, 1, 15, 12, 0, tzinfo=UTC), "15 January 2027 at midday"),
        (datetime(2027, 1, 15, 0, 0, tzinfo=UTC), "15 January 2027 at midnight"),
        (datetime(2027, 7, 15, 8, 0), "15 July 2027 at 9:00am"),  # naive: stored UTC
        (None, ""),
    ],
)
def test_datetime_filter(value, shown):
    assert format_datetime(value) == shown


def test_filters_and_macros_are_registered(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/dates.html" import date_tag, datetime_tag %}'
            "{{ due | date }}|{{ at | datetime }}|{{ date_tag(due) }}|{{ datetime_tag(at) }}",
            due=date(2027, 3, 14),
            at=datetime(2027, 3, 14, 9, 15, tzinfo=UTC),
        )
    assert html == (
        "14 March 2027|14 March 2027 at 9:15am|"
        '<time datetime="2027-03-14">14 March 2027</time>|'
        '<time datetime="2027-03-14T09:15:00+00:00">14 March 2027 at 9:15am</time>'
    )


def tag(html: str) -> tuple[str, str]:
    """The class attribute and the words of the one tag in ``html``."""
    match = re.search(r'<strong class="([^"]*)"[^>]*>\s*(.*?)\s*</strong>', html, re.DOTALL)
    assert match, html
    return match.group(1), match.group(2)


@pytest.mark.parametrize(
    ("rag", "classes"),
    [
        ("blue", "govuk-tag"),  # GOV.UK Frontend 6's plain tag is blue
        ("green", "govuk-tag govuk-tag--green"),
        ("amber", "govuk-tag govuk-tag--yellow"),
        ("red", "govuk-tag govuk-tag--red"),
    ],
)
def test_rag_tag_shows_the_word_with_the_colour(app, rag, classes):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/tags.html" import rag_tag %}{{ rag_tag(rag) }}', rag=rag
        )
    assert tag(html) == (classes, RAG_LABELS[rag])


@pytest.mark.parametrize(
    ("status", "word", "modifier"),
    [
        ("draft", "Draft", "govuk-tag--grey"),
        ("in_progress", "In progress", "govuk-tag--purple"),
        ("blocked", "Blocked", "govuk-tag--orange"),
        ("completed", "Completed", "govuk-tag--teal"),
        ("no_such_state", "No such state", "govuk-tag--grey"),
    ],
)
def test_status_tag_uses_the_workflows_label(app, status, word, modifier):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/tags.html" import status_tag %}{{ status_tag(status, "standard") }}',
            status=status,
        )
    assert tag(html) == (f"govuk-tag {modifier}", word)


def test_loader_refuses_a_template_whose_inline_script_it_cannot_find(monkeypatch):
    from jinja2 import Environment, PackageLoader, TemplateError

    from tracker.web.templating import GovukFrontendJinjaLoader

    def changed_upstream(self, environment, template):
        return "<body>{% block content %}{% endblock %}</body>", "template.html", lambda: True

    monkeypatch.setattr(PackageLoader, "get_source", changed_upstream)
    with pytest.raises(TemplateError, match="Expected one inline body script"):
        Environment(loader=GovukFrontendJinjaLoader()).get_template("template.html")
