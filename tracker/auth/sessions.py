"""Flask-Login wiring: who the signed-in person is, and what pages need a sign-in."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from tracker.extensions import db, login_manager
from tracker.people.models import Person, password_fingerprint


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    # "basic": a session seen from another address or browser is no longer "fresh". "strong"
    # would sign people out whenever a mobile network changes their address.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """The active person behind a session; None once deactivated or after a password change."""
    person_id, _, fingerprint = session_id.partition(":")
    if not person_id.isdigit():
        return None
    person = db.session.get(Person, int(person_id))
    if person is None or not person.is_active:
        return None
    if fingerprint != password_fingerprint(person.password_hash):
        return None
    return person


def current_person() -> Person | None:
    """The signed-in person, or None."""
    return current_user if current_user.is_authenticated else None


def admin_required(view):
    """Pages for admins only; others get a 403 page."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
