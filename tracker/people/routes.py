"""Admin pages for people: find, add, change details, deactivate or reactivate, set a password.

Every page is for admins only (403 for anyone else); every change goes through
tracker.people.services, which checks the same.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from tracker.auth.sessions import admin_required
from tracker.boards.forms import ConfirmForm
from tracker.common.errors import NotAllowed, ValidationFailed
from tracker.extensions import db
from tracker.links.passwords import send_invitation
from tracker.links.tokens import password_link_hours
from tracker.people.admin_services import STATUSES, boards_of, find_people, get_person
from tracker.people.forms import DetailsForm, FilterForm, PasswordForm, PersonForm
from tracker.people.services import create_person, set_active, set_password, update_person
from tracker.web.forms import saving

bp = Blueprint("people", __name__, url_prefix="/admin/people")
PER_PAGE = 50


@bp.get("")
@admin_required
def index():
    form = FilterForm(formdata=request.args)
    status = form.status.data if form.status.data in STATUSES else STATUSES[0]
    page = max(request.args.get("page", default=1, type=int), 1)
    found = find_people(
        current_user, text=form.q.data or "", status=status, page=page, per_page=PER_PAGE
    )
    return render_template("people/index.html", form=form, found=found, status=status)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = PersonForm()
    if form.validate_on_submit():
        with saving(form) as attempt:
            person = create_person(
                current_user,
                name=form.name.data,
                email=form.email.data,
                organisation=form.organisation.data,
                job_title=form.job_title.data or "",
                password=form.password.data or None,
                is_admin=form.is_admin.data,
                channel="web",
            )
        if attempt.saved:
            flash(f"{person.name} added.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/create.html", form=form)


@bp.get("/<int:person_id>")
@admin_required
def show(person_id: int):
    person = get_person(current_user, person_id)
    return render_template(
        "people/show.html", person=person, boards=boards_of([person.id])[person.id]
    )


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(person_id: int):
    person = get_person(current_user, person_id)
    form = DetailsForm(
        data={
            "name": person.name,
            "organisation": person.organisation.name if person.organisation else "",
            "job_title": person.job_title,
        }
    )
    if form.validate_on_submit():
        with saving(form) as attempt:
            update_person(
                current_user,
                person,
                channel="web",
                name=form.name.data.strip(),
                organisation=form.organisation.data,
                job_title=(form.job_title.data or "").strip(),
            )
        if attempt.saved:
            flash(f"{person.name}’s details saved.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/edit.html", person=person, form=form)


@bp.route("/<int:person_id>/deactivate", methods=["GET", "POST"])
@admin_required
def deactivate(person_id: int):
    return _set_active(person_id, active=False)


@bp.route("/<int:person_id>/reactivate", methods=["GET", "POST"])
@admin_required
def reactivate(person_id: int):
    return _set_active(person_id, active=True)


def _set_active(person_id: int, active: bool):
    """Confirm, then deactivate or reactivate: a deactivated person's sessions end at once."""
    person = get_person(current_user, person_id)
    if person.id == current_user.id:
        raise NotAllowed("You cannot deactivate or reactivate yourself: ask another admin.")
    form = ConfirmForm()
    if form.validate_on_submit():
        set_active(current_user, person, active, channel="web")
        db.session.commit()
        done = "reactivated: they can sign in again" if active else "deactivated"
        flash(f"{person.name} {done}.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/confirm_active.html", person=person, active=active, form=form)


@bp.route("/<int:person_id>/password", methods=["GET", "POST"])
@admin_required
def password(person_id: int):
    person = get_person(current_user, person_id)
    form = PasswordForm()
    if form.validate_on_submit():
        with saving(form) as attempt:
            set_password(current_user, person, form.password.data, channel="web")
        if attempt.saved:
            if person.id == current_user.id:
                # A new password ends every session of the person's, this one included:
                # keep the admin who set it signed in here.
                login_user(person)
            flash(f"New password set for {person.name}.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/password.html", person=person, form=form)


@bp.post("/<int:person_id>/invite")
@admin_required
def invite(person_id: int):
    """Email the person a link to choose their password (it works once, for a few hours)."""
    person = get_person(current_user, person_id)
    try:
        send_invitation(current_user, person, channel="web")
    except ValidationFailed as exc:
        db.session.rollback()
        flash(" ".join(exc.fields.values()), "info")
    else:
        db.session.commit()
        flash(
            f"Invitation emailed to {person.email}. Its link works once, for "
            f"{password_link_hours()} hours.",
            "success",
        )
    return redirect(url_for("people.show", person_id=person.id))
