"""After ``flask demo``, a sweep at a sending time sends the reminders the demo calls for, and
the preview explains them."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from tracker.actions.models import Action
from tracker.actions.rag import FINISHED_STATES
from tracker.extensions import db
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.models import DUE, ESCALATE_SECRETARY, OVERDUE, Notification

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # 09:00 London, a working day


def test_the_demo_data_calls_for_reminders_and_the_preview_explains_them(
    app, runner, monkeypatch, tmp_path
):
    monkeypatch.delenv("ASSURE_DEMO_PASSWORD", raising=False)
    monkeypatch.setitem(app.config, "INSTANCE_DIR", tmp_path)
    with time_machine.travel(MONDAY, tick=False):
        assert runner.invoke(args=["demo", "--today", "2026-03-02"]).exit_code == 0
        preview = runner.invoke(args=["reminders", "preview"])
        swept = runner.invoke(args=["reminders", "sweep"])

    assert preview.exit_code == 0 and swept.exit_code == 0, preview.output + swept.output
    overdue = db.session.scalars(
        select(Action).where(
            Action.due_on < MONDAY.date(),
            Action.status.not_in((*FINISHED_STATES, "draft")),
            Action.owner_id.is_not(None),
        )
    ).all()
    assert overdue, "the demo has overdue actions"
    kinds = {n.kind for n in db.session.scalars(select(Notification))}
    assert {DUE, OVERDUE, ESCALATE_SECRETARY} <= kinds
    emails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminders"))
    sent_to = {m.to_person_id for m in emails}
    assert {a.owner_id for a in overdue} <= sent_to
    # The preview named each of them, with a reason, before the sweep sent them.
    for action in overdue:
        assert f"{action.ref} due {action.due_on:%d/%m/%Y} is " in preview.output
    previewed = int(preview.output.split()[0])  # "9 emails would go at ..."
    assert previewed == len(sent_to)
    assert f"Wrote {previewed} emails" in swept.output
