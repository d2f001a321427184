"""Every web page and form, tried by every kind of person: who gets it, who is refused, and how.

The matrix lists each web endpoint (``static``, the JSON API under ``api.*`` and ``/healthz`` have
their own tests) with the answer each role gets. A test fails when the app gains a web endpoint
the matrix does not list, so that a new page cannot arrive without deciding who may use it.

Each (row, role) runs against a fresh world: a board with a member, a chair and a secretary; the
secretary of another board; an admin; and the owner of actions on the board who is not one of
its members. A GET must change nothing; a POST that is refused must change nothing; a POST that
is allowed gets its success redirect and records what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from tests.conftest import csrf_token_from
from tracker.actions import updates as action_updates
from tracker.audit.models import Event
from tracker.boards.services import add_meeting
from tracker.extensions import db, limiter
from tracker.notify.models import OutboxMessage
from tracker.oversight.packs.services import issue_pack
from tracker.transfer.feeds import create_board_feed

ROLES = ("anonymous", "member", "chair", "other_secretary", "secretary", "admin", "owner")

# The answers, as the table spells them.
OK = 200  # the page
DONE = 302  # the success redirect (anywhere but the sign-in page); for a POST, something changed
IN = "sign-in"  # 302 to the sign-in page
FORBIDDEN = 403  # may see the board or object, may not do this
HIDDEN = 404  # may not even know the object exists

PASSWORD = "correct horse battery staple"
FAR_DATE = ["30", "6", "2099"]


@dataclass(frozen=True)
class Row:
    """One endpoint and method, the address to try (``{placeholders}`` from the world), what
    to post, and the answer for each role in ROLES order."""

    endpoint: str
    method: str
    url: str
    answers: tuple
    data: dict[str, Any] = field(default_factory=dict)
    # Whether an allowed POST records a change (signing in and out change no data).
    changes: bool = True

    def expected(self, role: str):
        return self.answers[ROLES.index(role)]

    def id(self) -> str:
        return f"{self.endpoint}-{self.method}-{self.url}"


def GET(endpoint, url, answers):
    return Row(endpoint, "GET", url, answers)


def POST(endpoint, url, answers, data=None, changes=True):
    return Row(endpoint, "POST", url, answers, data or {}, changes)


# The table is wider than a line so that each row reads across, one column per role.
# ruff: noqa: E501
# fmt: off
MATRIX = [
    #   endpoint / address                                                  anon  member     chair      other_sec  secretary  admin      owner
    # Signing in and out
    GET("auth.sign_in", "/sign-in",                                       (OK,   DONE,      DONE,      DONE,      DONE,      DONE,      DONE)),
    POST("auth.sign_in", "/sign-in",                                      (DONE, DONE,      DONE,      DONE,      DONE,      DONE,      DONE),
         {"email": "{target_email}", "password": PASSWORD}, changes=False),
    POST("auth.sign_out", "/sign-out",                                    (IN,   IN,        IN,        IN,        IN,        IN,        IN),
         changes=False),
    # Home, boards and their overview
    GET("web.index", "/",                                                 (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("web.accessibility", "/accessibility",                            (OK,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("web.board", "/boards/{board}",                                   (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("oversight.dashboard", "/boards/{board}/dashboard",                (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("boards.index", "/boards",                                        (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    # Secretaries of any board and admins may add boards.
    GET("boards.create", "/boards/new",                                   (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    POST("boards.create", "/boards/new",                                  (IN,   FORBIDDEN, FORBIDDEN, DONE,      DONE,      DONE,      FORBIDDEN),
         {"ref": "matrix-new", "name": "A new board", "kind": "safeguarding children partnership",
          "locality": "", "workflow": "standard", "amber_window_days": "14",
          "stale_window_days": "60", "updates_need_acceptance": "y"}),
    GET("boards.settings", "/boards/{board}/settings",                    (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("boards.settings", "/boards/{board}/settings",                   (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"name": "A renamed board", "kind": "safeguarding children partnership", "locality": "",
          "workflow": "standard", "amber_window_days": "21", "stale_window_days": "90",
          "updates_need_acceptance": "y"}),
    # Members
    GET("boards.members", "/boards/{board}/members",                      (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    POST("boards.add_existing_member", "/boards/{board}/members/existing", (IN,  FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"existing-person": "{target}", "existing-role": "member"}),
    POST("boards.add_new_member", "/boards/{board}/members/new",          (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"new-name": "Nia New", "new-email": "nia.new@example.org",
          "new-organisation": "Example Council", "new-role": "member"}),
    GET("boards.member", "/boards/{board}/members/{extra}",               (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("boards.member", "/boards/{board}/members/{extra}",              (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"role": "chair"}),
    GET("boards.remove", "/boards/{board}/members/{extra}/remove",        (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("boards.remove", "/boards/{board}/members/{extra}/remove",       (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN)),
    # Meetings: readers see them, managers add them.
    GET("boards.meetings", "/boards/{board}/meetings",                    (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    POST("boards.meetings", "/boards/{board}/meetings",                   (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"held_on": FAR_DATE, "papers_due_on": ["", "", ""], "notes": ""}),
    # Reminders: readers see the policy and its dates, managers change it.
    GET("reminders.policy", "/boards/{board}/reminders",                  (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    POST("reminders.save", "/boards/{board}/reminders",                   (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"days_before": "14, 3", "on_due_date": "y", "overdue_every_days": "7", "escalate_secretary_days": "14",
          "escalate_chair_days": "28", "blocked_days": "14", "request_days_before": "10", "chaser_working_days": "2",
          "digest_weekday": "1"}),
    # Meeting packs: readers see the draft and every issued version; managers issue.
    GET("packs.meeting", "/boards/{board}/meetings/{meeting}/pack",       (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    POST("packs.issue", "/boards/{board}/meetings/{meeting}/pack",        (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN)),
    GET("packs.show", "/packs/{pack}",                                    (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("packs.download", "/packs/{pack}.csv",                            (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    # Action lists: everyone signed in has "their" list; a board's list is for its readers.
    GET("actions.index", "/actions",                                      (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("actions.board_list", "/boards/{board}/actions",                  (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("actions.create", "/boards/{board}/actions/new",                  (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("actions.create", "/boards/{board}/actions/new",                 (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"recommendation": "", "title": "Audit the referrals", "owner_choice": "later",
          "lead_organisation": "", "due_on": FAR_DATE}),
    # An action: its owner sees it even off the board.
    GET("actions.show", "/actions/{action}",                              (IN,   OK,        OK,        HIDDEN,    OK,        OK,        OK)),
    GET("actions.edit", "/actions/{action}/edit",                         (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    POST("actions.edit", "/actions/{action}/edit",                        (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"recommendation": "", "title": "A clearer title", "lead_organisation": "",
          "version": "{action_version}"}),
    GET("actions.reassign", "/actions/{action}/owner",                    (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    POST("actions.reassign", "/actions/{action}/owner",                   (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"owner_choice": "existing", "owner_id": "{target}", "version": "{action_version}"}),
    GET("actions.due_date", "/actions/{action}/due-date",                 (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    POST("actions.due_date", "/actions/{action}/due-date",                (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"due_on": FAR_DATE, "reason": "The training moved.", "version": "{action_version}"}),
    # Transitions: the owner and the secretary start work; the chair signs off.
    GET("actions.transition", "/actions/{action}/transitions/start",      (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        OK)),
    POST("actions.transition", "/actions/{action}/transitions/start",     (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      DONE),
         {"comment": "", "version": "{action_version}"}),
    GET("actions.transition", "/actions/{completed}/transitions/close",   (IN,   FORBIDDEN, OK,        HIDDEN,    OK,        OK,        FORBIDDEN)),
    POST("actions.transition", "/actions/{completed}/transitions/close",  (IN,   FORBIDDEN, DONE,      HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"comment": "", "version": "{completed_version}"}),
    # Owners' updates: the owner reports; the secretary records one for them, accepts, rejects.
    GET("actions.add_update", "/actions/{action}/updates/new",            (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        OK)),
    POST("actions.add_update", "/actions/{action}/updates/new",           (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      DONE),
         {"narrative": "Half the teams are trained.", "progress": "50", "transition": ""}),
    POST("actions.accept_update", "/updates/{update}/accept",             (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"comment": ""}),
    GET("actions.reject_update", "/updates/{update}/reject",              (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    POST("actions.reject_update", "/updates/{update}/reject",             (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN),
         {"reason": "Say which teams."}),
    # Reviews are published documents: anyone signed in reads them; secretaries of any board
    # and admins add and change them.
    GET("reviews.index", "/reviews",                                      (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("reviews.show", "/reviews/{review}",                              (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("reviews.create", "/reviews/new",                                 (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    POST("reviews.create", "/reviews/new",                                (IN,   FORBIDDEN, FORBIDDEN, DONE,      DONE,      DONE,      FORBIDDEN),
         {"title": "A new review", "published_on": ["", "", ""]}),
    GET("reviews.edit", "/reviews/{review}/edit",                         (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    POST("reviews.edit", "/reviews/{review}/edit",                        (IN,   FORBIDDEN, FORBIDDEN, DONE,      DONE,      DONE,      FORBIDDEN),
         {"title": "A renamed review", "published_on": ["", "", ""]}),
    GET("reviews.add_recommendation", "/reviews/{review}/recommendations/new", (IN, FORBIDDEN, FORBIDDEN, OK,     OK,        OK,        FORBIDDEN)),
    POST("reviews.add_recommendation", "/reviews/{review}/recommendations/new", (IN, FORBIDDEN, FORBIDDEN, DONE,  DONE,      DONE,      FORBIDDEN),
         {"ref": "R99", "text": "Train every team.", "level": "local"}),
    # Adopting recommendations for a board is its secretary's (or an admin's) decision.
    GET("reviews.adopt", "/reviews/{review}/adopt?board={board}",         (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("reviews.adopt", "/reviews/{review}/adopt?board={board}",        (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"recommendations": ["{loose}"]}),
    GET("reviews.recommendation", "/recommendations/{recommendation}",    (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    # The review-wide matrix: anyone signed in; its columns are the boards they can see.
    GET("matrix.show", "/reviews/{review}/matrix",                        (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("matrix.xlsx", "/reviews/{review}/matrix.xlsx",                   (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    POST("reviews.adopt_recommendation", "/recommendations/{loose}/boards", (IN, FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"board": "{board_id}"}),
    # The recommendation's workflow: the roles held on the boards that adopted it.
    GET("reviews.recommendation_transition", "/recommendations/{recommendation}/transitions/adopt",
                                                                          (IN,   FORBIDDEN, OK,        FORBIDDEN, OK,        OK,        FORBIDDEN)),
    POST("reviews.recommendation_transition", "/recommendations/{recommendation}/transitions/adopt",
                                                                          (IN,   FORBIDDEN, DONE,      FORBIDDEN, DONE,      DONE,      FORBIDDEN)),
    # People: admins only.
    GET("people.index", "/admin/people",                                  (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    GET("people.create", "/admin/people/new",                             (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("people.create", "/admin/people/new",                            (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN),
         {"name": "Pat Added", "email": "pat.added@example.org", "organisation": "Example Council"}),
    GET("people.show", "/admin/people/{target}",                          (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    GET("people.edit", "/admin/people/{target}/edit",                     (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("people.edit", "/admin/people/{target}/edit",                    (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN),
         {"name": "Tam Renamed", "organisation": "Example Council", "job_title": ""}),
    GET("people.deactivate", "/admin/people/{target}/deactivate",         (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("people.deactivate", "/admin/people/{target}/deactivate",        (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN)),
    GET("people.reactivate", "/admin/people/{inactive}/reactivate",       (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("people.reactivate", "/admin/people/{inactive}/reactivate",      (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN)),
    GET("people.password", "/admin/people/{target}/password",             (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("people.password", "/admin/people/{target}/password",            (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN),
         {"password": "a brand new passphrase", "password_again": "a brand new passphrase"}),
    POST("people.invite", "/admin/people/{target}/invite",                (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN)),
    # Email: the outbox is for admins; the mailbox shows secretaries their boards' emails.
    GET("notify.outbox", "/admin/outbox",                                 (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN)),
    POST("notify.retry", "/admin/outbox/{message}/retry",                 (IN,   FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE,      FORBIDDEN)),
    GET("notify.mailbox", "/admin/mailbox",                               (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    GET("notify.mailbox_message", "/admin/mailbox/{message}",             (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    GET("notify.mailbox_html", "/admin/mailbox/{message}.html",           (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        FORBIDDEN)),
    # Owners' links work without signing in; a bad token is not found whoever asks.
    GET("links.update", "/u/not-a-token",                                 (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("links.update", "/u/not-a-token",                                (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN),
         {"narrative": "Going well."}),
    GET("links.sent", "/u/not-a-token/sent",                              (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("links.new_link", "/u/not-a-token/new-link",                     (DONE, DONE,      DONE,      DONE,      DONE,      DONE,      DONE), changes=False),
    GET("links.new_link_requested", "/link-requested",                    (OK,   OK,        OK,        OK,        OK,        OK,        OK)),
    POST("links.resend", "/actions/{action}/resend-link",                 (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      FORBIDDEN)),
    # Importing a plan is the board's secretary's (or an admin's); an upload is its uploader's
    # alone, so anyone else's (here, one that does not exist) is not found. A POST without a
    # file shows the form again and changes nothing.
    GET("imports.plan_upload", "/boards/{board}/import",                  (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("imports.plan_upload", "/boards/{board}/import",                 (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    GET("imports.plan_columns", "/boards/{board}/import/nosuch/columns",  (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("imports.plan_columns", "/boards/{board}/import/nosuch/columns", (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    GET("imports.plan_preview", "/boards/{board}/import/nosuch/preview",  (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("imports.plan_preview", "/boards/{board}/import/nosuch/preview", (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    GET("imports.plan_done", "/boards/{board}/import/nosuch/done",        (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    # Importing recommendations: whoever may add them (secretaries of any board, admins).
    GET("imports.recommendations_upload", "/reviews/{review}/import",     (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    POST("imports.recommendations_upload", "/reviews/{review}/import",    (IN,   FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        FORBIDDEN)),
    GET("imports.recommendations_preview", "/reviews/{review}/import/nosuch", (IN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("imports.recommendations_preview", "/reviews/{review}/import/nosuch", (IN, HIDDEN, HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    # Exports: the plan for everyone who sees the board's actions; the archive (with the audit
    # trail) for its secretary and admins.
    GET("exports.plan_xlsx", "/boards/{board}/export.xlsx",               (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("exports.plan_csv", "/boards/{board}/export.csv",                 (IN,   OK,        OK,        HIDDEN,    OK,        OK,        HIDDEN)),
    GET("exports.archive", "/boards/{board}/archive.json",                (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    # Calendar feeds: the secret address is the key (a bad one is not found); everyone signed in
    # has their own feed (revoking none changes nothing); a board's is its secretary's.
    GET("feeds.feed", "/feeds/not-a-secret.ics",                          (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    GET("feeds.my_feed", "/my/calendar",                                  (IN,   OK,        OK,        OK,        OK,        OK,        OK)),
    POST("feeds.create_my_feed", "/my/calendar",                          (IN,   DONE,      DONE,      DONE,      DONE,      DONE,      DONE)),
    POST("feeds.revoke_my_feed", "/my/calendar/revoke",                   (IN,   DONE,      DONE,      DONE,      DONE,      DONE,      DONE),
         changes=False),
    GET("feeds.board_feed", "/boards/{board}/calendar",                   (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    OK,        OK,        HIDDEN)),
    POST("feeds.create_board_feed_page", "/boards/{board}/calendar",      (IN,   FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN)),
    POST("feeds.revoke_board_feed_page", "/boards/{board}/calendar/revoke", (IN, FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN)),
    POST("feeds.email_owner_feed_page", "/boards/{board}/calendar/owners", (IN, FORBIDDEN, FORBIDDEN, HIDDEN,    DONE,      DONE,      HIDDEN),
         {"owner-person": "{owner}"}),
    # Passwords by email: the same answer for every address; a bad token is not found.
    GET("auth.forgot_password", "/forgot-password",                       (OK,   OK,        OK,        OK,        OK,        OK,        OK)),
    POST("auth.forgot_password", "/forgot-password",                      (DONE, DONE,      DONE,      DONE,      DONE,      DONE,      DONE),
         {"email": "nobody@example.org"}, changes=False),
    GET("auth.forgot_password_sent", "/forgot-password/sent",             (OK,   OK,        OK,        OK,        OK,        OK,        OK)),
    GET("auth.set_password", "/set-password/not-a-token",                 (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN)),
    POST("auth.set_password", "/set-password/not-a-token",                (HIDDEN, HIDDEN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN),
         {"password": "a brand new passphrase", "password_again": "a brand new passphrase"}),
]
# fmt: on

# Endpoints with their own tests, outside the matrix.
NOT_WEB = ("static", "health.healthz")


def web_endpoints(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app serves as a web page or form."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_WEB and not rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


CASES = [pytest.param(row, role, id=f"{row.id()}-{role}") for row in MATRIX for role in ROLES]


@pytest.fixture(autouse=True)
def without_throttling():
    """These tests sign in more often than a person may. Flask-Limiter keeps one limiter for
    the whole process, and an app built with default settings anywhere in the suite turns it on
    for every app after it; throttling has its own test in test_auth.py."""
    was_enabled = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = was_enabled


# The world each case runs in


@dataclass
class World:
    people: dict[str, Any]
    values: dict[str, str]

    def person(self, role: str):
        return None if role == "anonymous" else self.people[role]

    def fill(self, value):
        """``value`` with the world's ``{placeholders}`` filled in (lists item by item)."""
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        return value.format(**self.values) if isinstance(value, str) else value


@pytest.fixture
def world(request, session, make_person, make_board, make_action, make_review, make_recommendation):
    """A board with its member, chair and secretary (and one more member to change), the
    secretary of another board, an admin, and an owner of actions on the board who is not
    one of its members; an open action with an update waiting, a completed action; a review
    with one recommendation the board adopted and one it did not; someone on no board, and
    someone deactivated."""
    people = {
        role: make_person(name=f"The {role}", email=f"{role}@matrix.example")
        for role in ("member", "chair", "other_secretary", "secretary", "owner", "extra")
    }
    people["admin"] = make_person(name="The admin", email="admin@matrix.example", is_admin=True)
    # On no board: reassigned to, added to the board, signed in as, and managed by admins.
    target = make_person(name="Tam Target", email="target@matrix.example")
    # A cheap hash: the sign-in checks it the same way, and the suite stays fast.
    target.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    inactive = make_person(name="Ina Inactive", email="inactive@matrix.example")
    inactive.is_active = False
    board = make_board(
        ref="matrix",
        updates_need_acceptance=True,
        members=[
            (people["member"], "member"),
            (people["chair"], "chair"),
            (people["secretary"], "secretary"),
            (people["extra"], "member"),
        ],
    )
    make_board(ref="elsewhere", members=[(people["other_secretary"], "secretary")])
    due = date(2098, 3, 31)
    action = make_action(board, status="open", owner=people["owner"], due_on=due)
    completed = make_action(board, status="completed", owner=people["owner"], due_on=due)
    update = action_updates.submit_update(
        None, action, narrative="Started the training.", author=people["owner"], channel="web"
    )
    create_board_feed(None, board, channel="cli")  # for revoking
    review = make_review()
    recommendation = make_recommendation(review, boards=[board])
    loose = make_recommendation(review)
    meeting = add_meeting(None, board, held_on=date(2099, 1, 15), channel="cli")
    # Issuing renders a PDF: only for the rows about an issued pack.
    row = getattr(request.node, "callspec", None) and request.node.callspec.params.get("row")
    pack = issue_pack(None, meeting, channel="cli") if row and "{pack}" in row.url else None
    session.commit()
    # The email telling the owner the action is theirs.
    message = session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.action_id == action.id).limit(1)
    )
    values = {
        "message": str(message),
        "board": board.ref,
        "board_id": str(board.id),
        "action": str(action.id),
        "action_version": str(action.version),
        "completed": str(completed.id),
        "completed_version": str(completed.version),
        "update": str(update.id),
        "review": str(review.id),
        "recommendation": str(recommendation.id),
        "loose": str(loose.id),
        "extra": str(people["extra"].id),
        "owner": str(people["owner"].id),
        "target": str(target.id),
        "target_email": target.email,
        "inactive": str(inactive.id),
        "meeting": meeting.held_on.isoformat(),
        "pack": str(pack.id) if pack else "none",
    }
    return World(people=people, values=values)


# What a request may change


def snapshot() -> dict[str, int]:
    """The number of rows in every table, and the newest event: what a change would move."""
    tables = db.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    newest = select(func.max(Event.id)).scalar_subquery().label("newest event")
    row = db.session.execute(select(*counts, newest)).one()
    return dict(row._mapping)


# Making the request as a role


def act_as(client, sign_in, world: World, role: str):
    if role != "anonymous":
        sign_in(world.person(role))
    return client


def csrf_token(client, role: str) -> str:
    """A CSRF token of this browser session: the header's sign-out form, or the sign-in page's."""
    page = client.get("/sign-in" if role == "anonymous" else "/accessibility")
    return csrf_token_from(page.get_data(as_text=True))


def request(client, row: Row, world: World, *, token: str | None):
    url = world.fill(row.url)
    if row.method == "GET":
        return client.get(url)
    data = {key: world.fill(value) for key, value in row.data.items()}
    if token is not None:
        data["csrf_token"] = token
    return client.post(url, data=data)


def answer(response):
    """The answer as the table spells it."""
    if response.status_code == 302:
        path = urlsplit(response.headers["Location"]).path
        return IN if path == "/sign-in" else DONE
    return response.status_code


def check_routes_to(app, row: Row, world: World) -> None:
    """The address reaches the endpoint the row is about (a typo would test another page)."""
    path = urlsplit(world.fill(row.url)).path
    endpoint, _ = app.url_map.bind("localhost").match(path, method=row.method)
    assert endpoint == row.endpoint, f"{path} is {endpoint}, not {row.endpoint}"


# The tests


def test_the_matrix_lists_every_web_endpoint(app):
    listed = {(row.endpoint, row.method) for row in MATRIX}
    served = web_endpoints(app)
    assert served - listed == set(), "web endpoints missing from the permission matrix"
    assert listed - served == set(), "the matrix lists endpoints the app no longer serves"


def test_every_row_answers_for_every_role():
    for row in MATRIX:
        assert len(row.answers) == len(ROLES), row.id()
        assert set(row.answers) <= {OK, DONE, IN, FORBIDDEN, HIDDEN}, row.id()


@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission_matrix(app, client, sign_in, world, row, role):
    check_routes_to(app, row, world)
    act_as(client, sign_in, world, role)
    token = csrf_token(client, role) if row.method == "POST" else None
    before = snapshot()

    response = request(client, row, world, token=token)

    expected = row.expected(role)
    body = response.get_data().decode("utf-8", "replace")  # some answers are files
    assert answer(response) == expected, (
        f"{row.method} {world.fill(row.url)} as {role}: got {response.status_code} "
        f"{response.headers.get('Location', '')}, expected {expected}\n{body[:2000]}"
    )
    after = snapshot()
    if row.method == "GET" or expected != DONE:
        assert after == before, f"{row.method} {row.url} as {role} changed the database"
    elif row.changes:
        assert after["newest event"] != before["newest event"], (
            f"{row.method} {row.url} as {role} redirected without recording a change"
        )


POSTS = [pytest.param(row, id=row.id()) for row in MATRIX if row.method == "POST"]


@pytest.mark.parametrize("row", POSTS)
def test_every_post_without_a_csrf_token_is_refused_even_for_an_admin(client, sign_in, world, row):
    act_as(client, sign_in, world, "admin")
    before = snapshot()

    response = request(client, row, world, token=None)

    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("row", POSTS)
def test_every_post_with_a_forged_csrf_token_is_refused(client, sign_in, world, row):
    act_as(client, sign_in, world, "admin")
    csrf_token(client, "admin")  # the session has a token; the form carries another
    before = snapshot()

    response = request(client, row, world, token="not-the-token-of-this-session")

    assert response.status_code == 400
    assert snapshot() == before
