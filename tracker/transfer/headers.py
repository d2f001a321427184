"""Recognising the columns of an action plan whatever boards call them.

Assure's own headers (``columns.PLAN_COLUMNS``) are tried first, exactly; then the synonyms below,
compared after normalising case, spacing and punctuation; then a header that begins with a synonym
("Lead officer (name)"). Each Assure field takes at most one column: the first that matches.
"""

from __future__ import annotations

import re

from tracker.transfer.columns import PLAN_COLUMNS

# Longer, more specific names first within each key does not matter: matching is exact first,
# and the prefix pass below tries the longest synonym across all keys first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref", "reference", "action ref", "action reference", "action no", "action number",
        "no", "number", "id", "action id", "item", "ref no",
    ),
    "recommendation": (
        "recommendation", "rec", "rec no", "recommendation ref", "recommendation reference",
        "recommendation no", "recommendation number", "finding",
    ),
    "title": (
        "action", "actions", "action to be taken", "actions to be taken", "action required",
        "what will be done", "action title", "agreed action", "actions agreed", "task",
    ),
    "description": ("description", "details", "detail", "notes", "how"),
    "owner_name": (
        "lead officer", "responsible officer", "owner", "lead", "action owner", "lead person",
        "responsible person", "who", "lead officer name", "responsible", "officer",
    ),
    "owner_email": (
        "lead officer email", "email", "owner email", "lead email", "contact email",
        "email address", "lead officer e mail", "e mail",
    ),
    "lead_organisation": (
        "lead agency", "organisation", "organization", "agency", "lead organisation",
        "lead organization", "partner", "lead partner", "responsible agency", "service",
    ),
    "due_on": (
        "target date", "deadline", "due date", "due", "by when", "timescale", "timescales",
        "completion date", "target completion date", "date due", "target", "when",
    ),
    "status": ("status", "progress status", "current status", "state"),
    "rag": (
        "rag", "brag", "rag rating", "brag rating", "status rag", "rag status", "rating",
        "rag rag", "red amber green",
    ),
    "progress": ("progress", "progress %", "percent complete", "% complete", "completion"),
    "progress_update": (
        "progress update", "update", "progress to date", "latest update", "progress notes",
        "comments", "commentary", "position statement", "current position", "progress made",
    ),
    "evidence": ("evidence", "evidence of completion", "supporting evidence", "evidence base"),
    "success_measure": (
        "impact", "success measure", "measure of success", "outcome", "outcomes",
        "expected outcome", "how will we know", "impact measure", "measures of success",
    ),
}  # fmt: skip

FIELD_LABELS = {column.key: column.header for column in PLAN_COLUMNS}


def normalise(header) -> str:
    """Lower case, "%" kept, other punctuation and repeated spaces gone: "Status (RAG)" →
    "status rag"."""
    text = str(header or "").lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9%]+", " ", text).strip()


_EXACT = {normalise(column.header): column.key for column in PLAN_COLUMNS}
_SYNONYM = {normalise(name): key for key, names in SYNONYMS.items() for name in names}
_BY_LENGTH = sorted(_SYNONYM, key=len, reverse=True)


def recognise(header) -> str | None:
    """The Assure field a header most likely means, or None."""
    text = normalise(header)
    if not text:
        return None
    if text in _EXACT:
        return _EXACT[text]
    if text in _SYNONYM:
        return _SYNONYM[text]
    for name in _BY_LENGTH:
        # Only names of some length, so that "no" does not claim "Notes on delivery".
        if len(name) >= 4 and text.startswith(name + " "):
            return _SYNONYM[name]
    return None


def recognise_all(headers: list[str]) -> list[str | None]:
    """One field (or None) per header; a field claimed by an earlier column is not repeated."""
    taken: set[str] = set()
    mapping: list[str | None] = []
    for header in headers:
        key = recognise(header)
        if key in taken:
            key = None
        if key:
            taken.add(key)
        mapping.append(key)
    return mapping


def recognised_count(cells) -> int:
    """How many different fields a row's cells name: the header row is the first with enough.

    Different fields, so that a merged title ("Action plan 2017") copied into every cell of its
    row does not pass for a header row.
    """
    return len({recognise(cell) for cell in cells if isinstance(cell, str)} - {None})
