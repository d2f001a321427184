"""Importing an action plan: the preview of each row, applying it through the services,
all or nothing, and importing the same or an updated file again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from tests.integration.import_helpers import DATA, messages, preview_of, workbook_bytes
from tracker.actions import services as action_services
from tracker.actions.models import Action, Update
from tracker.audit.models import Event
from tracker.common.errors import ValidationFailed
from tracker.extensions import db
from tracker.people.models import Person
from tracker.transfer.plan_apply import ImportRefused, apply_plan

HEADERS = ["Ref", "Action", "Lead officer", "Target date", "Status", "RAG", "Progress update"]


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sue Secretary", email="sue@example.org")


@pytest.fixture
def jo(make_person):
    return make_person(name="Jo Bloggs", email="jo.bloggs@example.org")


@pytest.fixture
def board(make_board, make_recommendation, secretary, jo):
    board = make_board(ref="tscp", members=[(secretary, "secretary")])
    make_recommendation(ref="R1", boards=[board])
    make_recommendation(ref="R3", boards=[board])
    return board


def actions_of(board) -> dict[str, Action]:
    found = db.session.scalars(select(Action).where(Action.board_id == board.id))
    return {action.ref: action for action in found}


def event_count() -> int:
    return db.session.scalar(select(func.count(Event.id)))


def test_the_messy_workbook_previews_as_four_new_actions(board, secretary, jo):
    preview = preview_of(secretary, board, (DATA / "messy_plan.xlsx").read_bytes())

    assert messages(preview) == []
    assert preview.counts["create"] == 4
    rows = {row.ref: row for row in preview.rows}
    assert list(rows) == ["IM1", "IM2", "IM3", "IM4"]
    assert rows["IM1"].number == 5 and rows["IM3"].number == 9
    assert rows["IM1"].ops["create"]["owner"] == jo  # by name
    assert rows["IM2"].ops["create"]["owner"] == jo  # by email
    assert rows["IM1"].ops["create"]["due_on"] == date(2017, 3, 31)  # an Excel serial
    assert rows["IM3"].ops["create"]["due_on"] == date(2018, 3, 31)
    assert rows["IM4"].ops["create"]["lead_organisation"] == "Pennine Care"  # merged down
    assert rows["IM1"].ops["create"]["recommendation"].ref == "R1"
    assert rows["IM4"].notes == [
        "By when: 'March 2018' has no day, so it is read as 31/03/2018, the month's end."
    ]
    assert "Lead officer: Jo Bloggs" in rows["IM1"].changes
    assert preview.summary() == ("4 rows: 4 to create, 0 to change, 0 unchanged, 0 problems.")


def test_importing_creates_the_actions_through_the_import_channel(board, secretary, jo):
    preview = preview_of(secretary, board, (DATA / "messy_plan.xlsx").read_bytes())

    counts = apply_plan(secretary, preview)

    assert counts["create"] == 4
    actions = actions_of(board)
    im1 = actions["IM1"]
    assert (im1.title, im1.owner, im1.due_on) == (
        "Offer CO screening at booking",
        jo,
        date(2017, 3, 31),
    )
    assert im1.success_measure == "More quit referrals"
    assert im1.lead_organisation.name == "Tameside Council"
    assert im1.owner_rag == "green"  # overdue, so Assure says red; the file's G is the owner's
    [update] = im1.updates
    assert (update.channel, update.state, update.narrative) == (
        "import",
        "accepted",
        "Screening in place at two sites",
    )
    assert actions["IM2"].owner_rag == "amber"
    channels = set(db.session.scalars(select(Event.channel).where(Event.board_id == board.id)))
    assert channels == {"import"} | ({"cli"} & channels)
    assert (im1.version, im1.link_version, im1.status) == (1, 1, "draft")
    assert im1.created_at is not None and im1.progress_reported_at is not None
    history = action_services.history(secretary, im1)
    assert [(e.verb, e.subject_type, e.channel, e.actor_id) for e in history] == [
        ("created", "action", "import", secretary.id),
        ("update_submitted", "update", "import", secretary.id),
        ("update_accepted", "update", "import", secretary.id),
    ]
    assert history[0].changes["owner"] == [None, "jo.bloggs@example.org"]
    assert history[2].changes == {"owner_rag": [None, "green"]}
    im3 = actions["IM3"]  # "on track", no status: left in the first state
    assert im3.status == "draft"


def test_a_status_in_the_file_walks_the_workflow_with_history(board, secretary):
    data = workbook_bytes(
        [["Ref", "Action", "Status", "Evidence"], ["A1", "Train", "Completed", "Register"]]
    )
    apply_plan(secretary, preview_of(secretary, board, data))

    a1 = actions_of(board)["A1"]
    assert (a1.status, a1.progress) == ("completed", 100)
    verbs = [e.verb for e in action_services.history(secretary, a1)]
    # The shortest way: draft → open → completed (the standard workflow completes from open).
    assert verbs == ["created", "update_submitted", "update_accepted", "transition:open",
                     "transition:complete"]  # fmt: skip
    complete = action_services.history(secretary, a1)[-1]
    assert complete.changes == {"status": ["open", "completed"], "progress": [0, 100]}
    assert complete.comment == "Imported from plan.xlsx.\n\nEvidence: Register"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(board, secretary):
    data = (DATA / "messy_plan.xlsx").read_bytes()
    apply_plan(secretary, preview_of(secretary, board, data))
    events = event_count()

    again = preview_of(secretary, board, data)

    assert again.counts["unchanged"] == 4, [r.changes for r in again.rows]
    apply_plan(secretary, again)
    assert event_count() == events


def test_an_updated_file_records_only_the_changes_as_updates_with_history(board, secretary, jo):
    first = [
        HEADERS,
        ["A1", "Train midwives", "Jo Bloggs", "31/03/2099", "Open", "", "Planning started"],
        ["A2", "Audit referrals", "Jo Bloggs", "30/06/2099", "Open", "", ""],
    ]
    apply_plan(secretary, preview_of(secretary, board, workbook_bytes(first)))
    second = [
        HEADERS,
        ["A1", "Train midwives", "Jo Bloggs", "30/09/2099", "In progress", "At risk",
         "Half the midwives trained"],
        ["A2", "Audit referrals", "Jo Bloggs", "30/06/2099", "Open", "", ""],
    ]  # fmt: skip

    preview = preview_of(secretary, board, workbook_bytes(second))

    rows = {row.ref: row for row in preview.rows}
    assert rows["A2"].outcome == "unchanged"
    assert rows["A1"].changes == [
        "Target date: 31/03/2099 → 30/09/2099",
        "New progress update",
        "Owner's RAG: At risk",
        "Status: Open → In progress",
    ]
    apply_plan(secretary, preview)
    a1 = actions_of(board)["A1"]
    assert (a1.due_on, a1.original_due_on, a1.status, a1.owner_rag) == (
        date(2099, 9, 30),
        date(2099, 3, 31),
        "in_progress",
        "amber",
    )
    assert [u.narrative for u in a1.updates] == ["Planning started", "Half the midwives trained"]
    assert {u.channel for u in a1.updates} == {"import"}
    history = {(e.verb, e.channel) for e in action_services.history(secretary, a1)}
    assert {("due_date_changed", "import"), ("transition:start", "import")} <= history
    moved = [e for e in action_services.history(secretary, a1) if e.verb == "due_date_changed"]
    assert moved[0].changes == {"due_on": ["2099-03-31", "2099-09-30"]}
    assert preview_of(secretary, board, workbook_bytes(second)).counts["unchanged"] == 2


def test_every_problem_says_row_column_what_and_how_to_fix(board, secretary):
    preview = preview_of(secretary, board, (DATA / "problem_plan.xlsx").read_bytes())

    assert messages(preview) == [
        "Row 2, Target date: '31/13/2017' is not a date. Write it like 31/03/2027 "
        "(day/month/year).",
        "Row 2, RAG: 'Purple' is not a RAG rating. Write Off track, At risk, On track or "
        "Complete (or R, A, G, B, or Red, Amber, Green, Blue).",
        "Row 3, Lead officer: no one called 'No Such Person' or with that email is in Assure. "
        "Tick 'Create people who are not found' to add them, or correct the name.",
        "Row 3, Ref: 'P2' is also the reference on row 4. Give each action its own reference, "
        "or skip the rows that repeat it.",
        "Row 4, Ref: 'P2' is also the reference on row 3. Give each action its own reference, "
        "or skip the rows that repeat it.",
        "Row 5, Status: 'Sleeping' is not a status Assure knows. Write one of: Draft, Open, "
        "In progress, Blocked, Completed, Closed, Cancelled.",
        "Row 5, Action: the cell is empty. Write what will be done, in a sentence.",
    ]
    assert not preview.can_import
    assert preview.counts["problem"] == 4 and preview.counts["create"] == 1


def test_a_file_with_problems_changes_nothing(board, secretary):
    preview = preview_of(secretary, board, (DATA / "problem_plan.xlsx").read_bytes())
    events = event_count()

    with pytest.raises(ImportRefused) as caught:
        apply_plan(secretary, preview)

    assert "Row 2, Target date" in caught.value.message
    assert actions_of(board) == {}
    assert event_count() == events


def test_rows_with_problems_can_be_skipped_on_purpose(board, secretary):
    preview = preview_of(
        secretary, board, (DATA / "problem_plan.xlsx").read_bytes(), skip_problem_rows=True
    )

    assert preview.can_import
    assert preview.counts == {"create": 1, "change": 0, "unchanged": 0, "skip": 4, "problem": 0}
    apply_plan(secretary, preview)
    assert list(actions_of(board)) == ["P5"]


def test_skipping_chosen_rows(board, secretary):
    preview = preview_of(
        secretary, board, (DATA / "messy_plan.xlsx").read_bytes(), skip_rows={5, 6}
    )
    apply_plan(secretary, preview)
    assert sorted(actions_of(board)) == ["IM3", "IM4"]


def test_unknown_owners_are_added_when_the_secretary_agrees(board, secretary):
    rows = [
        HEADERS[:4] + ["Lead officer email"],
        ["A1", "Train midwives", "Pat New", "31/03/2099", "pat.new@example.org"],
        ["A2", "Audit", "Pat New <pat.new@example.org>", "31/03/2099", ""],
        ["A3", "Audit again", "Nobody Known", "31/03/2099", ""],
    ]
    refused = preview_of(secretary, board, workbook_bytes(rows))
    assert len(messages(refused)) == 3

    preview = preview_of(secretary, board, workbook_bytes(rows), create_people=True)

    assert messages(preview) == [
        "Row 4, Lead officer: Assure needs an email address to add 'Nobody Known'. Add a Lead "
        "officer email column, or write the name like 'Jo Bloggs <jo.bloggs@example.org>'."
    ]
    preview.rows[2].outcome = "skip"
    apply_plan(secretary, preview)
    pat = db.session.scalars(select(Person).where(Person.email == "pat.new@example.org")).one()
    assert pat.name == "Pat New"
    assert {a.owner for a in actions_of(board).values()} == {pat}


def test_a_failure_half_way_rolls_back_the_whole_file(board, secretary, session, monkeypatch):
    first = [HEADERS, *[[f"A{n}", f"Action {n}", "Jo Bloggs", "31/03/2099"] for n in (1, 2)]]
    apply_plan(secretary, preview_of(secretary, board, workbook_bytes(first)))
    session.commit()
    events = event_count()
    real = action_services.change_due_date
    calls = []

    def fails_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationFailed({"reason": "Something went wrong."})
        return real(*args, **kwargs)

    monkeypatch.setattr(action_services, "change_due_date", fails_on_the_second)
    second = [HEADERS, *[[f"A{n}", f"Action {n}", "Jo Bloggs", "30/06/2099"] for n in (1, 2)]]
    second.append(["A3", "A new one", "Jo Bloggs", "30/06/2099"])
    preview = preview_of(secretary, board, workbook_bytes(second))
    assert preview.counts["create"] == 1 and preview.counts["change"] == 2

    with pytest.raises(ImportRefused) as caught:
        apply_plan(secretary, preview)
    db.session.rollback()

    assert str(caught.value.problems[0]) == "Row 3: Something went wrong. Nothing was imported."
    assert sorted(actions_of(board)) == ["A1", "A2"]  # A3 was created, then rolled back
    assert {a.due_on for a in actions_of(board).values()} == {date(2099, 3, 31)}
    assert event_count() == events


def test_a_mapping_chosen_by_the_secretary_replaces_the_recognised_one(board, secretary):
    data = (DATA / "messy_plan.xlsx").read_bytes()
    mapping = ["ref", None, "title", "owner_name", "lead_organisation", "due_on"] + [None] * 4

    preview = preview_of(secretary, board, data, mapping=mapping)

    assert messages(preview) == []
    assert all("update" not in row.ops or row.ops["update"] is None for row in preview.rows)


def test_without_a_reference_column_nothing_can_be_matched(board, secretary):
    data = workbook_bytes([["Action", "Deadline", "Lead"], ["Train", "31/03/2099", "Jo Bloggs"]])

    preview = preview_of(secretary, board, data)

    assert messages(preview)[0].startswith("No column holds the actions' references")


def test_a_status_the_secretary_cannot_reach_is_a_problem(make_board, secretary, jo):
    board = make_board(ref="assured", workflow="assured", members=[(secretary, "secretary")])
    data = workbook_bytes(
        [["Ref", "Action", "Status", "Evidence"], ["A1", "Train", "Closed", "Report"]]
    )

    preview = preview_of(secretary, board, data)

    assert messages(preview) == [
        "Row 2, Status: Assure cannot move A1 from Draft to Closed: only the chair can take "
        "it there. Leave the status as it is and change it on the action's page."
    ]


def test_completing_needs_evidence(board, secretary):
    data = workbook_bytes([["Ref", "Action", "Status"], ["A1", "Train", "Completed"]])
    assert messages(preview_of(secretary, board, data)) == [
        "Row 2, Status: 'Completed' needs evidence. Fill in the Evidence column."
    ]
    data = workbook_bytes(
        [["Ref", "Action", "Status", "Evidence"], ["A1", "Train", "Completed", "Register"]]
    )
    preview = preview_of(secretary, board, data)
    apply_plan(secretary, preview)
    assert actions_of(board)["A1"].status == "completed"
    assert preview_of(secretary, board, data).counts["unchanged"] == 1


def test_the_preview_reads_the_board_in_a_few_statements(board, secretary, session):
    rows = [HEADERS] + [
        [f"A{n}", f"Action {n}", "Jo Bloggs", "31/03/2099", "Open", "", f"Note {n}"]
        for n in range(150)
    ]
    data = workbook_bytes(rows)
    apply_plan(secretary, preview_of(secretary, board, data))
    session.commit()
    session.expunge_all()
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        preview = preview_of(db.session.merge(secretary), db.session.merge(board), data)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert preview.counts["unchanged"] == 150
    assert len(statements) <= 15, statements


def test_updates_found_on_a_board_whose_updates_need_acceptance_are_accepted_at_once(
    board, secretary
):
    board.updates_need_acceptance = True
    data = workbook_bytes([HEADERS, ["A1", "Train", "Jo Bloggs", "", "", "", "Begun"]])
    apply_plan(secretary, preview_of(secretary, board, data))
    [update] = db.session.scalars(select(Update)).all()
    assert (update.state, update.decided_by, update.author) == ("accepted", secretary, secretary)


def test_an_export_of_the_plan_imports_back_as_no_change(board, secretary, jo):
    """The round trip: Assure's own columns (PLAN_COLUMNS), filled the way the export fills
    them, read back as no change at all."""
    from tracker.actions.rag import RAG_LABELS, rag_of
    from tracker.common.time import london_today
    from tracker.common.workbook import new_workbook, to_bytes, write_table
    from tracker.transfer.columns import PLAN_HEADERS
    from tracker.workflow_registry import get_workflow

    data = (DATA / "simple_plan.csv").read_bytes()
    apply_plan(secretary, preview_of(secretary, board, data, "simple_plan.csv", create_people=True))
    workflow = get_workflow(board.workflow)
    rows = []
    for action in sorted(actions_of(board).values(), key=lambda a: a.ref):
        accepted = [u for u in action.updates if u.state == "accepted"]
        latest = accepted[-1] if accepted else None
        rows.append([
            action.ref, action.recommendation.ref if action.recommendation else "",
            action.title, action.description, action.owner.name if action.owner else "",
            action.owner.email if action.owner else "",
            action.lead_organisation.name if action.lead_organisation else "", action.due_on,
            workflow.states[action.status].label,
            RAG_LABELS[rag_of(action, board, london_today())], action.progress,
            latest.narrative if latest else "", latest.evidence if latest else "",
            action.success_measure,
        ])  # fmt: skip
    book = new_workbook()
    write_table(book.active, PLAN_HEADERS, rows, rag_column="RAG")

    again = preview_of(secretary, board, to_bytes(book), "export.xlsx")

    assert messages(again) == []
    assert again.counts["unchanged"] == 2, [(r.ref, r.changes) for r in again.rows]
