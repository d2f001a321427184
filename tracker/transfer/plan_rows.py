"""Reading one row of an action plan and working out what importing it would do."""

from __future__ import annotations

from collections import deque
from datetime import date
from types import SimpleNamespace

from tracker.actions.rag import BLUE, RAG_LABELS, rag_of
from tracker.actions.services import OPERATOR_ROLES
from tracker.common.time import utcnow
from tracker.permissions import board_roles
from tracker.transfer.headers import FIELD_LABELS
from tracker.transfer.plan_context import name_key, split_owner
from tracker.transfer.plan_types import Problem, RowPlan
from tracker.transfer.values import BadValue, read_date, read_progress, read_rag, read_status
from tracker.transfer.values import text_of as _text_of
from tracker.workflow_registry import get_workflow

TEXT_FIELDS = ("title", "description", "success_measure")
FINISHED = ("completed", "closed")


def _short(text, limit: int = 40) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "none"


def find_path(workflow, source: str, target: str, roles) -> list | None:
    """The shortest run of transitions ``roles`` may fire from ``source`` to ``target``."""
    seen, queue = {source}, deque([(source, [])])
    while queue:
        state, path = queue.popleft()
        if state == target:
            return path
        for transition in workflow.available(state, roles):
            if transition.target not in seen:
                seen.add(transition.target)
                queue.append((transition.target, [*path, transition]))
    return None


class RowReader:
    """Reads rows of one file for one board; ``context`` is set once the file's names are known."""

    def __init__(self, actor, board, headers, columns, filename, today):
        self.actor, self.board, self.headers = actor, board, headers
        self.columns, self.filename, self.today = columns, filename, today
        self.workflow = get_workflow(board.workflow)
        self.roles = OPERATOR_ROLES if actor is None else board_roles(actor, board)
        self.context = None

    def cell(self, cells, key):
        index = self.columns.get(key)
        return None if index is None or index >= len(cells) else cells[index]

    def text(self, cells, key) -> str:
        return _text_of(self.cell(cells, key))

    def header(self, key) -> str:
        index = self.columns.get(key)
        return self.headers[index] if index is not None else FIELD_LABELS[key]

    def plan_row(self, number: int, cells: list, create_people: bool):
        row = RowPlan(number, self.text(cells, "ref").upper(), self.text(cells, "title"))

        def problem(key, message):
            row.problems.append(Problem(number, self.header(key) if key else None, message))

        if not row.ref:
            problem(
                "ref",
                "there is no reference. Give the action a reference, such as A1, so that "
                "importing the file again updates it instead of adding it twice.",
            )
        values = {key: self.text(cells, key) for key in (*TEXT_FIELDS, "lead_organisation")}
        values["narrative"] = self.text(cells, "progress_update")
        values["evidence"] = self.text(cells, "evidence")
        for key, read in (
            ("due_on", read_date),
            ("status", lambda c: (read_status(c, self.workflow), None)),
            ("rag", lambda c: (read_rag(c), None)),
            ("progress", lambda c: (read_progress(c), None)),
        ):
            try:
                values[key], note = read(self.cell(cells, key))
            except BadValue as exc:
                values[key], note = None, None
                problem(key, str(exc))
            if note:
                row.notes.append(f"{self.header(key)}: {note}")
        values["owner"] = self._owner(cells, create_people, problem)
        values["recommendation"] = self._recommendation(cells, problem)
        row.ops["evidence"] = values["evidence"]
        action = self.context.actions.get(row.ref) if row.ref else None
        if action is None:
            self._plan_create(row, values, problem)
        else:
            self._plan_change(row, action, values, problem)
        if row.outcome != "create":
            row.outcome = "change" if row.changes else "unchanged"
        return row

    def _owner(self, cells, create_people, problem):
        name, email = split_owner(self.text(cells, "owner_name"), self.text(cells, "owner_email"))
        if not name and not email:
            return None
        context = self.context
        person = context.people_by_email.get(email) if email else None
        if person is None and name and not email:
            found = context.people_by_name.get(name_key(name), [])
            if len(found) > 1:
                problem(
                    "owner_name",
                    f"{len(found)} people in Assure are called '{name}'. Add the lead officer's "
                    "email address (a Lead officer email column) to say which one.",
                )
                return None
            person = found[0] if found else None
        if person is not None:
            if not person.is_active:
                problem("owner_name", f"{person.name} has been deactivated. Name someone else.")
                return None
            return person
        who = f"'{name}'" if name else f"'{email}'"
        if not create_people:
            problem(
                "owner_name",
                f"no one called {who} or with that email is in Assure. Tick 'Create people who "
                "are not found' to add them, or correct the name.",
            )
            return None
        if not email:
            problem(
                "owner_name",
                f"Assure needs an email address to add {who}. Add a Lead officer email column, "
                "or write the name like 'Jo Bloggs <jo.bloggs@example.org>'.",
            )
            return None
        return ("new", name or email.split("@")[0], email)

    def _recommendation(self, cells, problem):
        text = self.text(cells, "recommendation")
        if not text:
            return None
        found = self.context.recommendations_by_ref.get(text.lower(), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            reviews = "; ".join(r.review.title for r in found)
            problem(
                "recommendation",
                f"'{text}' is a reference in more than one review this board has adopted "
                f"({reviews}). Write the recommendation's text instead, or leave it blank.",
            )
            return None
        by_text = self.context.recommendations_by_text.get(name_key(text))
        if by_text is not None:
            return by_text
        problem(
            "recommendation",
            f"'{_short(text)}' is not a recommendation {self.board.name} has adopted. Adopt it "
            "on its review's page first, correct the reference, or leave the cell blank.",
        )
        return None

    def _owner_words(self, owner) -> str:
        if isinstance(owner, tuple):
            return f"{owner[1]} (new person, {owner[2]})"
        return owner.name if owner is not None else "none"

    def _path(self, row, source, target, evidence, problem) -> list:
        if target is None or target == source:
            return []
        path = find_path(self.workflow, source, target, self.roles)
        label = self.workflow.states[target].label
        if path is None:
            anyone = find_path(self.workflow, source, target, {"secretary", "chair", "owner"})
            why = "only the chair can take it there" if anyone else "the workflow has no way there"
            problem(
                "status",
                f"Assure cannot move {row.ref} from "
                f"{self.workflow.states[source].label} to {label}: {why}. Leave the status as "
                "it is and change it on the action's page.",
            )
            return []
        if any("evidence" in t.requires for t in path) and not evidence:
            problem("status", f"'{label}' needs evidence. Fill in the Evidence column.")
        row.changes.append(f"Status: {self.workflow.states[source].label} → {label}")
        return [t.name for t in path]

    def _update(self, row, values, current, computed, latest, author, problem) -> dict | None:
        """The progress update the row adds, if it says anything new."""
        narrative, evidence = values["narrative"], values["evidence"]
        last_narrative = latest.narrative if latest else ""
        last_evidence = latest.evidence if latest else ""
        spec = {}
        if narrative and narrative != last_narrative:
            spec["narrative"] = narrative
            row.changes.append("New progress update")
        if evidence and evidence != last_evidence:
            spec["evidence"] = evidence
            row.changes.append("New evidence")
        progress = values["progress"]
        finished = (values["status"] or current.status) in FINISHED
        if progress is not None and progress != current.progress:
            if finished:
                row.notes.append("Progress is 100% for a completed action; the file's is ignored.")
            else:
                spec["progress"] = progress
                row.changes.append(f"Progress: {current.progress}% → {progress}%")
        rag = values["rag"]
        if rag and rag != computed:
            if rag == BLUE:
                row.notes.append(
                    "RAG: Complete is shown once the action's status is Completed or Closed; "
                    "the rating is left to Assure."
                )
            elif rag != current.owner_rag:
                spec["rag"] = rag
                row.changes.append(f"Owner's RAG: {RAG_LABELS[rag]}")
        if not spec:
            return None
        if author is None:
            problem(
                "progress_update",
                "nobody to record this progress under. Give the action a lead officer.",
            )
        spec.setdefault(
            "narrative", narrative or last_narrative or f"Imported from {self.filename}."
        )
        spec.setdefault("evidence", evidence)
        return spec

    def _plan_create(self, row, values, problem) -> None:
        row.outcome = "create"
        if not values["title"]:
            problem("title", "the cell is empty. Write what will be done, in a sentence.")
        owner = values["owner"]
        row.changes.append("New action")
        if owner is not None:
            row.changes.append(f"Lead officer: {self._owner_words(owner)}")
        if values["due_on"]:
            row.changes.append(f"Target date: {_day(values['due_on'])}")
        status = values["status"]
        row.ops["create"] = {
            key: values[key]
            for key in (*TEXT_FIELDS, "lead_organisation", "due_on", "owner", "recommendation")
        }
        row.ops["path"] = self._path(
            row, self.workflow.initial, status, values["evidence"], problem
        )
        planned = SimpleNamespace(
            status=status or self.workflow.initial,
            due_on=values["due_on"],
            progress=0,
            owner_rag=None,
            progress_reported_at=utcnow(),
        )
        computed = rag_of(planned, self.board, self.today)
        author = self.actor or (owner if owner is not None else None)
        row.ops["update"] = self._update(row, values, planned, computed, None, author, problem)

    def _plan_change(self, row, action, values, problem) -> None:
        edit = {}
        for key in TEXT_FIELDS:
            if values[key] and values[key] != (getattr(action, key) or ""):
                edit[key] = values[key]
                label = FIELD_LABELS["success_measure" if key == "success_measure" else key]
                row.changes.append(
                    f"{label}: '{_short(getattr(action, key))}' → '{_short(values[key])}'"
                )
        organisation = values["lead_organisation"]
        current_org = action.lead_organisation.name if action.lead_organisation else ""
        if organisation and organisation.lower() != current_org.lower():
            edit["lead_organisation"] = organisation
            row.changes.append(f"Lead agency: {current_org or 'none'} → {organisation}")
        recommendation = values["recommendation"]
        if recommendation is not None and recommendation.id != action.recommendation_id:
            edit["recommendation"] = recommendation
            row.changes.append(f"Recommendation: {recommendation.ref}")
        row.ops["edit"] = edit
        owner = values["owner"]
        if owner is not None and (isinstance(owner, tuple) or owner.id != action.owner_id):
            row.ops["owner"] = owner
            row.changes.append(
                f"Lead officer: {self._owner_words(action.owner)} → {self._owner_words(owner)}"
            )
        due_on = values["due_on"]
        if due_on and due_on != action.due_on:
            row.ops["due_on"] = due_on
            row.changes.append(f"Target date: {_day(action.due_on)} → {_day(due_on)}")
        computed = rag_of(action, self.board, self.today)
        author = self.actor or (owner if owner is not None else action.owner)
        latest = self.context.latest.get(action.id)
        row.ops["update"] = self._update(row, values, action, computed, latest, author, problem)
        row.ops["path"] = self._path(
            row, action.status, values["status"], values["evidence"], problem
        )
        row.ops["action"] = action
