"""Calendar feeds: the feed itself (no sign-in: its secret address is the key), a person's
"My calendar feed" page, and a board's feed page for its secretary.

A feed's address is shown once, on the page the browser is sent to right after it is made, and
never again: the secret travels there in the session (like a flashed message) and is dropped
as it is shown. GET never changes anything a person sees; the feed itself notes when it was
last read. Every page and the feed say no-referrer and noindex, and the secret never reaches a
log (tracker.links.privacy redacts /feeds/ paths).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from tracker.boards.services import get_board
from tracker.common.errors import NotFound
from tracker.extensions import db, limiter
from tracker.links.privacy import mark_private
from tracker.permissions import MANAGERS, ensure_role
from tracker.transfer.feed_calendar import feed_calendar
from tracker.transfer.feed_forms import FeedForm, OwnerFeedForm
from tracker.transfer.feeds import (
    active_feed,
    board_owners,
    create_board_feed,
    create_person_feed,
    digest,
    email_owner_feed,
    open_feed,
    revoke_board_feed,
    revoke_person_feed,
)

bp = Blueprint("feeds", __name__)

NEW_FEED = "new_calendar_feed"
# Per feed: a calendar polls a few times an hour at most. Per client: generous, because
# Outlook's servers fetch many people's feeds from the same addresses.
PER_FEED_LIMIT = "60 per hour"
PER_CLIENT_LIMIT = "300 per minute"


def _feed_key() -> str:
    return "feed:" + digest((request.view_args or {}).get("secret", ""))


@bp.after_request
def keep_feed_addresses_private(response: Response) -> Response:
    """The feed's address is its key, found or not: it must not leave in a Referer header or
    be indexed (its pages, which may show an address, are marked private in full)."""
    if request.endpoint == "feeds.feed":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/feeds/<secret>.ics")
@limiter.limit(PER_CLIENT_LIMIT)
@limiter.limit(PER_FEED_LIMIT, key_func=_feed_key)
def feed(secret: str):
    """The feed: text/calendar for Outlook, Google Calendar and Apple Calendar to subscribe to."""
    try:
        token = open_feed(secret)
    except NotFound:
        abort(404)
    body = feed_calendar(token)
    db.session.commit()  # last_used_at
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="assure.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _remember(new) -> None:
    session[NEW_FEED] = {"id": new.token.id, "url": new.url}


def _shown_once(token) -> str | None:
    """The address of ``token`` if it was made just now, for this one page."""
    new = session.pop(NEW_FEED, None)
    if new and token is not None and new.get("id") == token.id:
        return new.get("url")
    return None


def _page(template: str, **context) -> Response:
    return mark_private(Response(render_template(template, **context)))


@bp.get("/my/calendar")
@login_required
def my_feed():
    """The person's own feed: whether they have one, and making, remaking or stopping it."""
    token = active_feed(person=current_user)
    return _page("transfer/my_feed.html", token=token, new_url=_shown_once(token), form=FeedForm())


@bp.post("/my/calendar")
@login_required
def create_my_feed():
    if FeedForm().validate_on_submit():
        _remember(create_person_feed(current_user, channel="web"))
        db.session.commit()
    return redirect(url_for("feeds.my_feed"))


@bp.post("/my/calendar/revoke")
@login_required
def revoke_my_feed():
    if FeedForm().validate_on_submit() and revoke_person_feed(current_user, channel="web"):
        db.session.commit()
        flash("Your calendar feed is stopped: its address no longer works.", "success")
    return redirect(url_for("feeds.my_feed"))


def managed_board(ref: str):
    board = get_board(current_user, ref=ref)
    ensure_role(current_user, board, MANAGERS, "manage the board's calendar feed")
    return board


@bp.get("/boards/<ref>/calendar")
@login_required
def board_feed(ref: str):
    """A board's feed, for its secretary and admins; and emailing owners their own feeds."""
    board = managed_board(ref)
    return _board_feed_page(board, OwnerFeedForm(owners=board_owners(board), formdata=None))


def _board_feed_page(board, owner_form: OwnerFeedForm, status: int = 200) -> Response:
    token = active_feed(board=board)
    response = _page(
        "transfer/board_feed.html",
        board=board,
        token=token,
        new_url=_shown_once(token),
        form=FeedForm(),
        owner_form=owner_form,
    )
    response.status_code = status
    return response


@bp.post("/boards/<ref>/calendar/owners")
@login_required
def email_owner_feed_page(ref: str):
    """Email an owner (who may never sign in) a feed of their own due dates."""
    board = managed_board(ref)
    owners = board_owners(board)
    form = OwnerFeedForm(owners=owners)
    if not form.validate_on_submit():
        return _board_feed_page(board, form, 400)
    person = next(p for p in owners if str(p.id) == form.person.data)
    email_owner_feed(current_user, board, person, channel="web")
    db.session.commit()
    flash(
        f"{person.name} will get an email with their calendar feed’s address. "
        "Any feed they had before has stopped.",
        "success",
    )
    return redirect(url_for("feeds.board_feed", ref=board.ref))


@bp.post("/boards/<ref>/calendar")
@login_required
def create_board_feed_page(ref: str):
    board = managed_board(ref)
    if FeedForm().validate_on_submit():
        _remember(create_board_feed(current_user, board, channel="web"))
        db.session.commit()
    return redirect(url_for("feeds.board_feed", ref=board.ref))


@bp.post("/boards/<ref>/calendar/revoke")
@login_required
def revoke_board_feed_page(ref: str):
    board = managed_board(ref)
    if FeedForm().validate_on_submit() and revoke_board_feed(current_user, board, channel="web"):
        db.session.commit()
        flash(f"The calendar feed of {board.name} is stopped: its address no longer works.",
              "success")  # fmt: skip
    return redirect(url_for("feeds.board_feed", ref=board.ref))
