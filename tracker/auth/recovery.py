"""Choosing a password from an emailed link: "forgot your password" and an admin's invitation.

The pages say the same whether or not an address is known. A set-password link works once, for
PASSWORD_LINK_MAX_AGE_HOURS; its page is private like an update link's: tracker.links.privacy
gives every /set-password/ response the same headers.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from tracker.auth import bp
from tracker.common.errors import ValidationFailed
from tracker.extensions import db, limiter
from tracker.links.passwords import (
    INVITATION,
    choose_password,
    open_password_link,
    send_password_reset,
)
from tracker.links.tokens import LinkProblem, password_link_hours
from tracker.people.services import MIN_PASSWORD_LENGTH, normalise_email
from tracker.web.forms import PageForm

TOO_SHORT = f"Use a password of at least {MIN_PASSWORD_LENGTH} characters"


class ForgotPasswordForm(PageForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), Length(max=320)],
        description="The address you sign in with",
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class SetPasswordForm(PageForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Enter a new password"),
            Length(min=MIN_PASSWORD_LENGTH, max=1024, message=TOO_SHORT),
        ],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words are "
        "easy to remember and hard to guess",
    )
    password_again = PasswordField(
        "Type the new password again",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Type the new password again"),
            EqualTo("password", "The two passwords are not the same: type them again"),
        ],
    )
    submit = SubmitField("Save password and sign in", widget=GovSubmitInput())


def _email_key() -> str:
    return normalise_email(request.form.get("email") or "") or "-"


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_email_key)
def forgot_password():
    """Ask for a link to choose a new password; the answer never says if the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        send_password_reset(form.email.data)
        db.session.commit()
        return redirect(url_for("auth.forgot_password_sent"))
    return render_template("auth/forgot_password.html", form=form)


@bp.get("/forgot-password/sent")
def forgot_password_sent():
    return render_template("auth/forgot_password_sent.html", link_hours=password_link_hours())


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
@limiter.limit("10 per minute", methods=["POST"])
def set_password(token: str):
    """Choose a password from an emailed link, then go on signed in."""
    try:
        person, purpose = open_password_link(token)
    except LinkProblem as problem:
        status = 404 if problem.reason == "invalid" else 410
        return render_template("auth/password_link_problem.html", problem=problem), status
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            person = choose_password(token, form.password.data)
        except ValidationFailed as exc:
            db.session.rollback()
            for message in exc.fields.values():
                form.password.errors = [*form.password.errors, message]
        else:
            db.session.commit()
            session.clear()  # a fresh session: no fixation, nobody else's sign-in kept
            login_user(person)
            flash("Your password is saved and you are signed in.", "success")
            return redirect(url_for("web.index"))
    return render_template(
        "auth/set_password.html", form=form, person=person, invited=purpose == INVITATION
    )
