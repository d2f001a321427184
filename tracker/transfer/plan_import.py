"""The preview of an action plan import: for each row of the file, what will be created or
changed, and every problem in words a person can act on.

``build_preview`` changes nothing; ``plan_apply.apply_plan`` carries out a preview whose problems
are all fixed (or whose rows with problems were skipped on purpose). Rows are matched to the
board's actions by reference, so importing the same file twice finds nothing to do the second
time, and an updated file changes only what differs.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from tracker.boards.models import Board
from tracker.common.errors import DomainError
from tracker.common.time import london_today
from tracker.people.models import Person
from tracker.transfer.headers import FIELD_LABELS, recognise_all
from tracker.transfer.plan_context import load_context, name_key, split_owner
from tracker.transfer.plan_rows import RowReader
from tracker.transfer.reading import Table

OUTCOMES = {
    "create": "Create",
    "change": "Change",
    "unchanged": "No change",
    "skip": "Skip",
    "problem": "Problem",
}


@dataclass
class Problem:
    """One thing wrong with the file: where (row, column as headed in the file) and what."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.row and f"Row {self.row}", self.column) if p)
        return f"{where}: {self.message}" if where else self.message


class ImportRefused(DomainError):
    """The file was not imported; ``problems`` says row by row what to fix."""

    code = "invalid"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = problems
        super().__init__(message or "Nothing was imported:\n" + "\n".join(str(p) for p in problems))


@contextmanager
def refusing(row=None):
    """Turn a service's refusal into the file's problem, naming the row where there is one."""
    try:
        yield
    except DomainError as exc:
        detail = "; ".join(getattr(exc, "fields", {}).values()) or exc.message
        problem = Problem(row.number if row else None, None, f"{detail} Nothing was imported.")
        raise ImportRefused([problem]) from exc


@dataclass
class RowPlan:
    """What importing one row will do."""

    number: int
    ref: str
    title: str = ""
    outcome: str = "unchanged"
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What apply_plan does, in its terms: create (values), edit, owner, due_on, update, path.
    ops: dict = field(default_factory=dict)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES[self.outcome]


@dataclass
class Preview:
    """The whole file's preview: its rows and the problems that concern no single row."""

    board: Board
    filename: str
    headers: list[str]
    mapping: list[str | None]
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    create_people: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    def all_problems(self) -> list[Problem]:
        """The file's problems, then each row's, in row order (skipped rows left out)."""
        found = list(self.problems)
        for row in self.rows:
            if row.outcome != "skip":
                found.extend(row.problems)
        return found

    @property
    def can_import(self) -> bool:
        return not self.all_problems()

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{len(self.rows)} rows: {c['create']} to create, {c['change']} to change, "
            f"{c['unchanged']} unchanged"
        )
        if c["skip"]:
            text += f", {c['skip']} skipped"
        problems = len(self.all_problems())
        return text + f", {problems} problem{'' if problems == 1 else 's'}."


def build_preview(
    actor: Person | None,
    board: Board,
    table: Table,
    *,
    filename: str,
    mapping: list[str | None] | None = None,
    create_people: bool = False,
    skip_rows: set[int] | frozenset[int] = frozenset(),
    skip_problem_rows: bool = False,
    today: date | None = None,
) -> Preview:
    """Compare every row of ``table`` with ``board``'s actions; change nothing."""
    mapping = list(mapping) if mapping is not None else recognise_all(table.headers)
    mapping = (mapping + [None] * len(table.headers))[: len(table.headers)]
    preview = Preview(board, filename, table.headers, mapping, create_people=create_people)
    columns = {key: i for i, key in enumerate(mapping) if key}
    if "ref" not in columns:
        preview.problems.append(
            Problem(
                None,
                None,
                "No column holds the actions' references, so Assure cannot tell which rows are "
                f"new. Choose the column that is the {FIELD_LABELS['ref']} (or add one).",
            )
        )
        return preview
    reader = RowReader(actor, board, table.headers, columns, filename, today or london_today())
    names, emails = set(), set()
    for _, cells in table.rows:
        name, email = split_owner(
            reader.text(cells, "owner_name"), reader.text(cells, "owner_email")
        )
        if email:
            emails.add(email)
        if name:
            names.add(name_key(name))
    context = load_context(board, names, emails)
    reader.context = context
    for number, cells in table.rows:
        preview.rows.append(reader.plan_row(number, cells, create_people))
    _flag_duplicates(preview, table.headers[columns["ref"]])
    for row in preview.rows:
        if row.number in skip_rows or (row.problems and skip_problem_rows):
            row.outcome = "skip"
        elif row.problems:
            row.outcome = "problem"
    return preview


def _flag_duplicates(preview: Preview, ref_header: str) -> None:
    by_ref: dict[str, list[RowPlan]] = defaultdict(list)
    for row in preview.rows:
        if row.ref:
            by_ref[row.ref].append(row)
    for ref, rows in by_ref.items():
        if len(rows) < 2:
            continue
        numbers = [row.number for row in rows]
        for row in rows:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.problems.append(
                Problem(
                    row.number,
                    ref_header,
                    f"'{ref}' is also the reference on row {others}. Give each action its own "
                    "reference, or skip the rows that repeat it.",
                )
            )
            row.ops = {}
