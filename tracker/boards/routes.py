"""Board pages: the list of boards, creating a board, its settings, members and meetings.

Every change goes through tracker.boards.services (or people.services for someone added on
the spot), which checks the person's role; the pages check it too before showing a form, so
that a chair is told at once that a page is not for them.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.auth.sessions import admin_required
from tracker.boards.forms import (
    AddMemberForm,
    BoardForm,
    BoardSettingsForm,
    ConfirmForm,
    MeetingForm,
    NewMemberForm,
    RoleForm,
    role_params,
)
from tracker.boards.models import Board, Membership
from tracker.boards.services import (
    add_meeting,
    add_member,
    create_board,
    get_board,
    remove_member,
    update_board,
)
from tracker.common.errors import NotAllowed, NotFound, ValidationFailed
from tracker.common.time import london_today
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import create_person
from tracker.permissions import MANAGERS, can_manage_some_board, ensure_role
from tracker.web.forms import apply_errors, saving
from tracker.web.queries import (
    board_members,
    boards_with_member_counts,
    locality_names,
    membership_role,
    people_not_on_board,
)
from tracker.workflow_registry import action_workflows

bp = Blueprint("boards", __name__)


def managed_board(ref: str, doing: str) -> Board:
    """The board, for its secretary or an admin: 404 for strangers, 403 for other members."""
    board = get_board(current_user, ref=ref)
    ensure_role(current_user, board, MANAGERS, doing)
    return board


def can_manage(board: Board) -> bool:
    return current_user.is_admin or membership_role(current_user, board) == "secretary"


def board_form(form_class, **kwargs):
    return form_class(localities=locality_names(), workflows=action_workflows(), **kwargs)


@bp.get("/boards")
@admin_required
def index():
    return render_template(
        "boards/index.html", boards=boards_with_member_counts(), workflows=action_workflows()
    )


@bp.route("/boards/new", methods=["GET", "POST"])
@login_required
def create():
    if not can_manage_some_board(current_user):
        raise NotAllowed("Only admins and board secretaries can create boards.")
    form = board_form(
        BoardForm,
        data={
            "workflow": "standard",
            "amber_window_days": 14,
            "stale_window_days": 60,
            "updates_need_acceptance": True,
        },
    )
    if form.validate_on_submit():
        with saving(form) as attempt:
            board = create_board(current_user, ref=form.ref.data, channel="web", **form.settings())
        if attempt.saved:
            flash(f"{board.name} created. Add its members and meetings next.", "success")
            return redirect(url_for("web.board", ref=board.ref))
    return render_template("boards/create.html", form=form)


@bp.route("/boards/<ref>/settings", methods=["GET", "POST"])
@login_required
def settings(ref: str):
    board = managed_board(ref, "change the board's settings")
    form = board_form(
        BoardSettingsForm,
        data={
            "name": board.name,
            "kind": board.kind,
            "locality": board.locality.name if board.locality else "",
            "workflow": board.workflow,
            "amber_window_days": board.amber_window_days,
            "stale_window_days": board.stale_window_days,
            "updates_need_acceptance": board.updates_need_acceptance,
        },
    )
    if form.validate_on_submit():
        with saving(form) as attempt:
            update_board(current_user, board, channel="web", **form.settings())
        if attempt.saved:
            flash(f"Settings for {board.name} saved.", "success")
            return redirect(url_for("web.board", ref=board.ref))
    return render_template("boards/settings.html", board=board, form=form)


def render_members(board: Board, existing=None, new=None):
    """The members page, with either form showing what went wrong with it."""
    manager = can_manage(board)
    if manager:
        existing = existing or AddMemberForm(people=people_not_on_board(board), formdata=None)
        new = new or NewMemberForm(formdata=None)
    return render_template(
        "boards/members.html",
        board=board,
        members=board_members(board),
        can_manage=manager,
        existing=existing,
        new=new,
        role_params=role_params,
    )


@bp.get("/boards/<ref>/members")
@login_required
def members(ref: str):
    return render_members(get_board(current_user, ref=ref))


@bp.post("/boards/<ref>/members/existing")
@login_required
def add_existing_member(ref: str):
    board = managed_board(ref, "add members")
    form = AddMemberForm(people=people_not_on_board(board))
    if not form.validate_on_submit():
        return render_members(board, existing=form)
    person = db.session.get(Person, int(form.person.data))
    membership = add_member(current_user, board, person, form.role.data, channel="web")
    db.session.commit()
    flash(f"{person.name} added to {board.name} as {membership.role}.", "success")
    return redirect(url_for("boards.members", ref=board.ref))


@bp.post("/boards/<ref>/members/new")
@login_required
def add_new_member(ref: str):
    board = managed_board(ref, "add members")
    form = NewMemberForm()
    if not form.validate_on_submit():
        return render_members(board, new=form)
    try:
        # One transaction: the person exists only if they joined the board.
        person = create_person(
            current_user,
            name=form.name.data,
            email=form.email.data,
            organisation=form.organisation.data,
            channel="web",
        )
        add_member(current_user, board, person, form.role.data, channel="web")
    except ValidationFailed as exc:
        db.session.rollback()
        apply_errors(form, exc)
        if "email" in exc.fields and "already" in exc.fields["email"]:
            form.email.errors[-1] += " Add them from the list of people already in Assure."
        return render_members(board, new=form)
    db.session.commit()
    flash(f"{person.name} added to Assure and to {board.name} as {form.role.data}.", "success")
    return redirect(url_for("boards.members", ref=board.ref))


def board_member(board: Board, person_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(Membership.board_id == board.id, Membership.person_id == person_id)
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


@bp.route("/boards/<ref>/members/<int:person_id>", methods=["GET", "POST"])
@login_required
def member(ref: str, person_id: int):
    board = managed_board(ref, "change members' roles")
    membership = board_member(board, person_id)
    form = RoleForm(data={"role": membership.role})
    if form.validate_on_submit():
        add_member(current_user, board, membership.person, form.role.data, channel="web")
        db.session.commit()
        flash(f"{membership.person.name} is now {form.role.data} of {board.name}.", "success")
        return redirect(url_for("boards.members", ref=board.ref))
    return render_template(
        "boards/member.html",
        board=board,
        membership=membership,
        form=form,
        role_params=role_params,
    )


@bp.route("/boards/<ref>/members/<int:person_id>/remove", methods=["GET", "POST"])
@login_required
def remove(ref: str, person_id: int):
    board = managed_board(ref, "remove members")
    membership = board_member(board, person_id)
    person = membership.person
    form = ConfirmForm()
    if form.validate_on_submit():
        remove_member(current_user, board, person, channel="web")
        db.session.commit()
        flash(f"{person.name} is no longer a member of {board.name}.", "success")
        if person.id == current_user.id and not current_user.is_admin:
            return redirect(url_for("web.index"))  # the board is no longer theirs to see
        return redirect(url_for("boards.members", ref=board.ref))
    return render_template("boards/remove.html", board=board, membership=membership, form=form)


@bp.route("/boards/<ref>/meetings", methods=["GET", "POST"])
@login_required
def meetings(ref: str):
    board = get_board(current_user, ref=ref)
    if request.method == "POST":
        ensure_role(current_user, board, MANAGERS, "schedule meetings")
    form = MeetingForm() if can_manage(board) else None
    if form is not None and form.validate_on_submit():
        with saving(form) as attempt:
            meeting = add_meeting(
                current_user,
                board,
                held_on=form.held_on.data,
                papers_due_on=form.papers_due_on.data,
                notes=(form.notes.data or "").strip(),
                channel="web",
            )
        if attempt.saved:
            flash(f"Meeting on {meeting.held_on:%-d %B %Y} added.", "success")
            return redirect(url_for("boards.meetings", ref=board.ref))
    today = london_today()
    return render_template(
        "boards/meetings.html",
        board=board,
        form=form,
        upcoming=[m for m in board.meetings if m.held_on >= today],
        past=[m for m in reversed(board.meetings) if m.held_on < today],
    )
