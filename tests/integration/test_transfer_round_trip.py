"""The round trip: a board's plan exported as XLSX or CSV imports back unchanged, and an edited
export imports back as exactly the edits, recorded through the channel "import"."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.integration.import_helpers import messages, preview_of
from tracker.actions import updates as action_updates
from tracker.actions.models import Action, Update
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.transfer.columns import PLAN_HEADERS
from tracker.transfer.export_plan import export_board
from tracker.transfer.plan_apply import apply_plan


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sue Secretary", email="sue@example.org")


@pytest.fixture
def board(make_board, make_person, make_action, make_recommendation, secretary):
    """A plan with what an export must carry: owners and agencies, a recommendation, due and
    undated actions, an owner's own RAG, an accepted update with evidence, finished work."""
    board = make_board(ref="tscp", members=[(secretary, "secretary")])
    recommendation = make_recommendation(ref="R7", boards=[board])
    jo = make_person(name="Jo Bloggs", email="jo.bloggs@example.org")
    sam = make_person(name="Sam Smith", email="sam.smith@example.org")
    a1 = make_action(
        board,
        ref="A1",
        title="Audit safer-sleep advice",
        description="Every ward, every quarter.",
        owner=jo,
        recommendation=recommendation,
        due_on=date(2099, 3, 31),
        status="in_progress",
        lead_organisation="Tameside Council",
        success_measure="Fewer unsafe sleep deaths",
    )
    a2 = make_action(board, ref="A2", title="Train health visitors", owner=sam, due_on=None)
    make_action(board, ref="A3", title="Publish the leaflet", owner=jo, status="completed")
    make_action(board, ref="A4", title="Late work", owner=sam, due_on=date(2020, 1, 31))
    a2.owner_rag = "amber"
    for action, author, values in (
        (a1, jo, {"narrative": "Audit started in two wards", "progress": 40}),
        (a2, sam, {"narrative": "Two sessions booked", "evidence": "Booking list"}),
    ):
        update = action_updates.submit_update(None, action, author=author, channel="web", **values)
        action_updates.accept_update(secretary, update, channel="web")
    db.session.flush()
    return board


def exported(secretary, board, format: str) -> bytes:
    export = export_board(secretary, board, format)
    return export.body if export.body is not None else "".join(export.chunks).encode("utf-8")


def changes_recorded() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Event.id))),
        db.session.scalar(select(func.count(Update.id))),
    )


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_an_exported_plan_imports_back_unchanged(secretary, board, format):
    data = exported(secretary, board, format)
    before = changes_recorded()

    preview = preview_of(secretary, board, data, f"tscp-actions.{format}")

    assert messages(preview) == []
    assert preview.headers[: len(PLAN_HEADERS)] == list(PLAN_HEADERS)
    assert preview.counts["unchanged"] == 4, [(r.ref, r.changes) for r in preview.rows]
    apply_plan(secretary, preview)
    assert changes_recorded() == before


def test_an_edited_export_imports_back_as_exactly_the_edits(secretary, board):
    rows = list(csv.reader(io.StringIO(exported(secretary, board, "csv").decode("utf-8-sig"))))
    header = rows[0]
    a1 = next(row for row in rows if row[0] == "A1")
    a1[header.index("Target date")] = "30/06/2099"
    a1[header.index("Progress update")] = "Half the wards audited"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    preview = preview_of(secretary, board, buffer.getvalue().encode("utf-8"), "edited.csv")

    assert messages(preview) == []
    assert preview.counts == {**preview.counts, "change": 1, "unchanged": 3}
    apply_plan(secretary, preview)
    action = db.session.scalar(
        select(Action).where(Action.board_id == board.id, Action.ref == "A1")
    )
    assert action.due_on == date(2099, 6, 30)
    [update] = [u for u in action.updates if u.narrative == "Half the wards audited"]
    assert (update.channel, update.state) == ("import", "accepted")
    assert (
        preview_of(secretary, board, buffer.getvalue().encode(), "again.csv").counts["unchanged"]
        == 4
    )
