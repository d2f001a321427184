"""Importing a review's recommendations from CSV, XLSX or YAML.

Each recommendation has a reference, its text, a level, themes (separated by ";" or ","), and
optionally the boards it is for (their references). Recommendations are matched by reference
within the review: a second import of the same file adds nothing, and a new board named for an
existing recommendation adopts it. Wording that differs from what Assure holds is reported, not
overwritten: a review's text is what it published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from sqlalchemy import select

from tracker.boards.models import Board
from tracker.common.errors import DomainError
from tracker.extensions import db
from tracker.people.models import Person
from tracker.reviews.models import LEVELS, Review
from tracker.reviews.services import add_recommendation, adopt_recommendation
from tracker.transfer.headers import normalise
from tracker.transfer.plan_types import ImportRefused, Problem
from tracker.transfer.reading import OLE_MAGIC, XLSX_MAGIC, UnreadableFile, read_upload
from tracker.transfer.values import text_of

CHANNEL = "import"
HEADERS = {
    "ref": ("ref", "reference", "rec", "rec no", "no", "number", "recommendation ref", "id"),
    "text": ("text", "recommendation", "recommendation text", "wording", "description"),
    "level": ("level", "tier"),
    "themes": ("themes", "theme", "topics", "topic", "risk factors"),
    "boards": ("boards", "board", "for boards", "board refs", "for"),
}
_BY_HEADER = {normalise(name): key for key, names in HEADERS.items() for name in names}
_LEVELS = {normalise(k): k for k in LEVELS} | {normalise(v): k for k, v in LEVELS.items()}
_LEVELS |= {"subregional": "sub-regional", "sub region": "sub-regional", "region": "regional"}


@dataclass
class RecommendationRow:
    number: int
    ref: str
    text: str = ""
    level: str = "local"
    themes: list[str] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    outcome: str = "unchanged"
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    existing: object = None


@dataclass
class RecommendationPreview:
    review: Review
    filename: str
    rows: list[RecommendationRow]

    def all_problems(self) -> list[Problem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "change": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.outcome] = counts.get(row.outcome, 0) + 1
        return counts

    def summary(self) -> str:
        c, problems = self.counts, len(self.all_problems())
        return (
            f"{len(self.rows)} recommendations: {c['create']} to add, {c['change']} to change, "
            f"{c['unchanged']} unchanged, {problems} problem{'' if problems == 1 else 's'}."
        )


def _split(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [text_of(v) for v in value if text_of(v)]
    return [part.strip() for part in re.split(r"[;,\n]", text_of(value)) if part.strip()]


def read_records(data: bytes, filename: str) -> list[tuple[int, dict, dict]]:
    """(row number, values by key, header by key) for each recommendation in the file."""
    if data.startswith(XLSX_MAGIC) or data.startswith(OLE_MAGIC):
        return _table_records(data, filename)
    if filename.lower().endswith((".yaml", ".yml")):
        return _yaml_records(data, filename)
    return _table_records(data, filename)


def _yaml_records(data: bytes, filename: str):
    try:
        loaded = yaml.safe_load(data.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"{filename} is not valid YAML ({exc}).") from exc
    if isinstance(loaded, dict):
        loaded = loaded.get("recommendations")
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        raise UnreadableFile(
            f"{filename} does not hold a list of recommendations. Write each as "
            "'- {ref: R1, text: ..., level: local, themes: [...], boards: [...]}'."
        )
    headers = {key: key for key in HEADERS}
    return [(n, {k: item.get(k) for k in HEADERS}, headers) for n, item in enumerate(loaded, 1)]


def _table_records(data: bytes, filename: str):
    def count(cells) -> int:
        return len({_BY_HEADER.get(normalise(c)) for c in cells if isinstance(c, str)} - {None})

    table = read_upload(data, filename, count=count)
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        columns.setdefault(_BY_HEADER.get(normalise(header), ""), index)
    headers = {key: table.headers[i] for key, i in columns.items() if key}
    return [
        (n, {key: cells[i] for key, i in columns.items() if key}, headers)
        for n, cells in table.rows
    ]


def preview_recommendations(
    actor: Person | None, review: Review, data: bytes, filename: str
) -> RecommendationPreview:
    """What importing the file into ``review`` would do; changes nothing."""
    existing = {r.ref.lower(): r for r in review.recommendations}
    boards = {b.ref: b for b in db.session.scalars(select(Board))}
    rows, seen = [], {}
    for number, values, headers in read_records(data, filename):
        row = RecommendationRow(number, text_of(values.get("ref")))

        def problem(key, message, row=row, headers=headers):
            row.problems.append(Problem(row.number, headers.get(key, key.title()), message))

        row.text = text_of(values.get("text"))
        row.themes = _split(values.get("themes"))
        level = text_of(values.get("level"))
        row.level = _LEVELS.get(normalise(level), "") if level else "local"
        if not row.level:
            problem("level", f"'{level}' is not a level. Write Local, Sub-regional or Regional.")
        for ref in _split(values.get("boards")):
            board = boards.get(ref.lower())
            if board is None:
                problem("boards", f"there is no board with the reference '{ref}'. Correct it.")
            else:
                row.boards.append(board)
        if not row.ref:
            problem("ref", "there is no reference. Give the recommendation one, such as R7.")
        elif row.ref.lower() in seen:
            other = seen[row.ref.lower()]
            message = f"'{row.ref}' is used on rows {other.number} and {row.number}. Use it once."
            problem("ref", message)
            other.problems.append(Problem(other.number, headers.get("ref", "Ref"), message))
        seen[row.ref.lower()] = row
        row.existing = existing.get(row.ref.lower())
        _plan(row, problem)
        rows.append(row)
    return RecommendationPreview(review, filename, rows)


def _plan(row: RecommendationRow, problem) -> None:
    if row.existing is None:
        if not row.text:
            problem("text", "the cell is empty. Write the text of the recommendation.")
        row.outcome = "create"
        row.changes = ["New recommendation"] + [f"For {b.name}" for b in row.boards]
        return
    new_boards = [b for b in row.boards if b not in row.existing.boards]
    row.changes = [f"Now also for {b.name}" for b in new_boards]
    if row.text and row.text != row.existing.text:
        # Reported, not changed: see the module's docstring.
        row.changes.append("Wording differs from Assure's; not changed (edit it on its page)")
    row.outcome = "change" if new_boards else "unchanged"


def apply_recommendations(actor: Person | None, preview: RecommendationPreview) -> dict:
    """Add the new recommendations and adoptions; all or nothing (the caller commits)."""
    problems = preview.all_problems()
    if problems:
        raise ImportRefused(problems)
    for row in preview.rows:
        try:
            if row.outcome == "create":
                add_recommendation(
                    actor,
                    preview.review,
                    ref=row.ref,
                    text=row.text,
                    level=row.level,
                    themes=row.themes,
                    boards=row.boards,
                    channel=CHANNEL,
                )
            elif row.outcome == "change":
                for board in row.boards:
                    adopt_recommendation(actor, row.existing, board, channel=CHANNEL)
        except DomainError as exc:
            detail = "; ".join(getattr(exc, "fields", {}).values()) or exc.message
            raise ImportRefused([Problem(row.number, None, detail)]) from exc
    db.session.flush()
    return preview.counts
