"""The preview of an action plan import: for each row of the file, what will be created or
changed, and every problem in words a person can act on.

``build_preview`` changes nothing; ``plan_apply.apply_plan`` carries out a preview whose problems
are all fixed (or whose rows with problems were skipped on purpose). Rows are matched to the
board's actions by reference, so importing the same file twice finds nothing to do the second
time, and an updated file changes only what differs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from tracker.boards.models import Board
from tracker.common.time import london_today
from tracker.people.models import Person
from tracker.transfer.headers import FIELD_LABELS, recognise_all
from tracker.transfer.plan_context import load_context, name_key, split_owner
from tracker.transfer.plan_rows import RowReader
from tracker.transfer.plan_types import OUTCOMES, ImportRefused, Problem, RowPlan, refusing
from tracker.transfer.reading import Table


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


__all__ = ["ImportRefused", "Preview", "Problem", "RowPlan", "build_preview", "refusing"]
