"""What the board and admin page tests share: frozen time, commits before requests, readers.

Not a test module of its own: the page tests import these fixtures and helpers.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from flask import g
from sqlalchemy import select
from test_web_pages import queries_for as all_queries_for

from tracker.audit.models import Event
from tracker.common.time import LONDON


@pytest.fixture(autouse=True)
def frozen_time():
    """Midday in London on 14 March 2027: the factories' dates and the pages' agree."""
    with time_machine.travel(datetime(2027, 3, 14, 12, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture(autouse=True)
def commit_before_requests(client, session, monkeypatch):
    """Keep what the test set up when a request rolls back (as an error page does)."""
    open_ = client.open

    def commit_then_open(*args, **kwargs):
        session.commit()
        return open_(*args, **kwargs)

    monkeypatch.setattr(client, "open", commit_then_open)


def queries_for(client, session, path: str) -> list[str]:
    """The statements a page runs (without the savepoints the test's own commit adds)."""
    session.commit()
    seen = all_queries_for(client, session, path)
    return [s for s in seen if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def forget_request_state():
    """The tests' app context outlives requests: forget the person and the CSRF token that
    Flask-Login and Flask-WTF cached in ``g``, as a new request of another browser would."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def events(session, verb: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.verb == verb).order_by(Event.id)))


def error_summary(page) -> list[str]:
    """The messages of the page's error summary, in order."""
    summary = [
        d for d in page.root.tags("div") if "govuk-error-summary" in d.attrs.get("class", "")
    ]
    return [li.text for li in summary[0].tags("li")] if summary else []


def value_of(page, name: str) -> str | None:
    found = [i for i in page.root.tags("input") if i.attrs.get("name") == name]
    return found[0].attrs.get("value") if found else None


def checked(page, name: str) -> list[str]:
    return [
        i.attrs["value"]
        for i in page.root.tags("input")
        if i.attrs.get("name") == name and "checked" in i.attrs
    ]
