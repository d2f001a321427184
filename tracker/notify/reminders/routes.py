"""The reminder policy page: members see when reminders go; the secretary (or an admin)
changes the policy."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.boards.services import get_board
from tracker.common.time import london_today, utcnow
from tracker.notify.outbox import can_read_mailbox
from tracker.notify.reminders import schedule
from tracker.notify.reminders.forms import PolicyForm
from tracker.notify.reminders.policy import WEEKDAYS, policy_for, save_policy
from tracker.notify.reminders.queue import queue_for
from tracker.permissions import MANAGERS, board_roles, ensure_role
from tracker.web.forms import saving

bp = Blueprint("reminders", __name__)


@bp.get("/boards/<ref>/reminders")
@login_required
def policy(ref: str):
    board = get_board(current_user, ref=ref)
    can_edit = bool(board_roles(current_user, board) & MANAGERS)
    form = PolicyForm(data=PolicyForm.data_of(policy_for(board))) if can_edit else None
    return _page(board, form)


@bp.post("/boards/<ref>/reminders")
@login_required
def save(ref: str):
    board = get_board(current_user, ref=ref)
    ensure_role(current_user, board, MANAGERS, "change the board's reminders")
    form = PolicyForm()
    if form.validate_on_submit():
        with saving(form) as attempt:
            save_policy(current_user, board, channel="web", **form.values())
        if attempt.saved:
            flash(f"Reminders for {board.name} saved.", "success")
            return redirect(url_for("reminders.policy", ref=board.ref))
    return _page(board, form)


def _page(board, form):
    today = london_today()
    current = policy_for(board)
    due_on = schedule.sample_due_date(today)
    meeting = schedule.next_meeting(board, today)
    return render_template(
        "reminders/policy.html",
        board=board,
        form=form,
        policy=current,
        weekdays=WEEKDAYS,
        today=today,
        sample_due_on=due_on,
        action_steps=schedule.action_steps(current, due_on),
        meeting=meeting,
        meeting_steps=schedule.meeting_steps(current, meeting.papers_due_on) if meeting else [],
        digest=schedule.next_digest(current, today),
        queue=queue_for(board, utcnow()),
        mailbox=can_read_mailbox(current_user),
    )
