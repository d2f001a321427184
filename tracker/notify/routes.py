"""Pages for email: the outbox for admins (waiting, sent, failed; retry), and the mailbox,
where admins read every email and secretaries those about their boards' actions.

The mailbox shows each email as it would arrive. It is how emails are read when no mail server
is configured (the embedded default), so that the links in them can be followed from here.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.auth.sessions import admin_required
from tracker.boards.forms import ConfirmForm
from tracker.extensions import db
from tracker.notify.models import FAILED
from tracker.notify.outbox import VIEWS, counts, get_message, list_messages, retry_now
from tracker.notify.sender import mail_server_configured

bp = Blueprint("notify", __name__, url_prefix="/admin")
PER_PAGE = 50

# The HTML of an email is shown as its own document, in a frame, with a policy that lets it
# run nothing and fetch nothing; its inline styles are all it may use. ``sandbox`` gives it a
# unique origin (no cookies, no access to the page around it); its links may open the page
# they point to in the whole tab, as a click in a mail program would.
EMAIL_BODY_POLICY = (
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; "
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
# Where a link in the framed email opens: the whole tab, not the frame (which our pages refuse).
BASE_TARGET = '<base target="_top">'


def _view() -> str:
    view = request.args.get("show", "")
    return view if view in VIEWS else "waiting"


def _page() -> int:
    return max(request.args.get("page", default=1, type=int) or 1, 1)


@bp.get("/outbox")
@admin_required
def outbox():
    view = _view()
    found = list_messages(current_user, view, page=_page(), per_page=PER_PAGE)
    return render_template(
        "notify/outbox.html",
        view=view,
        found=found,
        counts=counts(current_user),
        form=ConfirmForm(),
        mail_server=mail_server_configured(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@admin_required
def retry(message_id: int):
    message = get_message(current_user, message_id)
    form = ConfirmForm()
    back = url_for("notify.outbox", show=_view(), page=_page())
    if not form.validate_on_submit():
        flash("The form had expired: press “Retry now” again.", "info")
        return redirect(back)
    was_failed = message.status == FAILED
    if retry_now(current_user, message, channel="web"):
        db.session.commit()
        when = "at the next delivery" if mail_server_configured() else "once a mail server is set"
        again = "one more try" if was_failed else "a try now"
        flash(f"The email to {message.to_address} gets {again}: it will be sent {when}.", "success")
    else:
        db.session.rollback()
        flash(f"The email to {message.to_address} was already sent or is being sent.", "info")
    return redirect(back)


@bp.get("/mailbox")
@login_required
def mailbox():
    found = list_messages(current_user, None, page=_page(), per_page=PER_PAGE)
    return render_template("notify/mailbox.html", found=found, mail_server=mail_server_configured())


@bp.get("/mailbox/<int:message_id>")
@login_required
def mailbox_message(message_id: int):
    message = get_message(current_user, message_id)
    return render_template("notify/message.html", message=message)


@bp.get("/mailbox/<int:message_id>.html")
@login_required
def mailbox_html(message_id: int):
    """The email's HTML as its own sandboxed document, for the frame on the message page."""
    body = get_message(current_user, message_id).body_html
    head_end = body.find("<head>")
    if head_end >= 0:
        head_end += len("<head>")
        body = body[:head_end] + BASE_TARGET + body[head_end:]
    else:
        body = BASE_TARGET + body
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = EMAIL_BODY_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    # The body holds the owner's link: no cache may keep it, no referrer may carry it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
