"""Sign in and sign out."""

from __future__ import annotations

import secrets
from functools import cache
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth import bp
from tracker.auth.forms import SignInForm
from tracker.extensions import limiter
from tracker.people.services import check_password, find_person_by_email

# One message whether the email is unknown or the password wrong: no way to probe for accounts.
BAD_SIGN_IN = "Enter a correct email address and password"


@cache
def _dummy_hash() -> str:
    """A hash to check against when the email is unknown, so that both paths take as long."""
    return generate_password_hash(secrets.token_hex(16))


def _email_key() -> str:
    return (request.form.get("email") or "").strip().lower() or "-"


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site, never to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("web.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_email_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    form = SignInForm()
    if form.validate_on_submit():
        person = find_person_by_email(form.email.data)
        if person is None:
            check_password_hash(_dummy_hash(), form.password.data)
        if check_password(person, form.password.data):
            next_page = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session: no fixation
            login_user(person)
            return redirect(next_page)
        form.email.errors = [BAD_SIGN_IN]
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
