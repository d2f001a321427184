"""What a plan import's preview is made of: a problem, one row's plan, the refusal."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from tracker.common.errors import DomainError

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
