"""A meeting pack in each format: the printable HTML document, its PDF, XLSX and CSV.

Every format is drawn from the pack's data alone (``queries.pack_data``'s plain values, as
drafted or as stored in an issued pack), never from the live actions: that is what lets an
issued pack read the same years later. The PDF is WeasyPrint's rendering of the printable HTML
document, the same Jinja template the web page shows, with its stylesheet inlined (WeasyPrint
fetches nothing over the network).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import render_template

from tracker.actions.rag import RAG_LABELS
from tracker.common.csvtext import csv_text
from tracker.common.time import LONDON
from tracker.common.workbook import fill_rag, new_workbook, to_bytes, write_table
from tracker.web.templating import RAG_TAG_CLASSES, STATUS_TAG_CLASSES

FORMATS = ("html", "pdf", "xlsx", "csv")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
COLUMNS = (
    "Reference",
    "Recommendation",
    "Action",
    "Owner",
    "Lead organisation",
    "Due date",
    "Status",
    "RAG",
    "Progress (%)",
    "Latest accepted update",
    "Update date",
)
STYLESHEET = Path(__file__).with_name("pack.css")
EXCEPTIONS = (
    ("overdue", "Overdue"),
    ("blocked", "Blocked"),
    ("off_track", "Off track for another reason"),
)


@dataclass
class PackView:
    """A pack's data as the templates read it: dates as dates, exceptions as their actions."""

    data: dict[str, Any]
    version: int | None = None  # None for a draft
    issued_at: datetime | None = None
    issued_by: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @functools.cached_property
    def board(self) -> dict[str, str]:
        return self.data["board"]

    @functools.cached_property
    def held_on(self) -> date:
        return date.fromisoformat(self.data["meeting"]["held_on"])

    @functools.cached_property
    def papers_due_on(self) -> date:
        return date.fromisoformat(self.data["meeting"]["papers_due_on"])

    @functools.cached_property
    def as_at(self) -> date:
        return date.fromisoformat(self.data["as_at"])

    @property
    def as_at_is_deadline(self) -> bool:
        return self.data["as_at_rule"] == "papers deadline"

    @property
    def figures(self) -> dict[str, Any]:
        return self.data["figures"]

    @functools.cached_property
    def groups(self) -> list[dict[str, Any]]:
        return [
            {**group, "actions": [_dated(action) for action in group["actions"]]}
            for group in self.data["groups"]
        ]

    @functools.cached_property
    def actions(self) -> list[dict[str, Any]]:
        return [action for group in self.groups for action in group["actions"]]

    @property
    def is_long(self) -> bool:
        """Too many open actions to list one by one on paper (see queries.LIST_LIMIT)."""
        return len(self.actions) > self.data["list_limit"]

    @functools.cached_property
    def exceptions(self) -> list[tuple[str, str, list[dict[str, Any]], int]]:
        """(key, heading, actions shown, how many in all) for each kind of exception."""
        by_ref = {action["ref"]: action for action in self.actions}
        found = self.data["exceptions"]
        shown = self.data["exceptions_shown"] if self.is_long else None
        return [
            (key, title, [by_ref[ref] for ref in found[key][:shown]], len(found[key]))
            for key, title in EXCEPTIONS
        ]

    @functools.cached_property
    def recommendation_counts(self) -> list[dict[str, Any]]:
        """Each group's open actions counted by RAG, and how many are overdue (long packs)."""
        rows = []
        for group in self.data["groups"]:
            by_rag = dict.fromkeys(("red", "amber", "green", "blue"), 0)
            overdue = 0
            for action in group["actions"]:
                by_rag[action["rag"]] += 1
                overdue += action["overdue_days"] is not None
            rows.append(
                {
                    "recommendation": group["recommendation"],
                    "total": len(group["actions"]),
                    "by_rag": by_rag,
                    "overdue": overdue,
                }
            )
        return rows

    @functools.cached_property
    def due_date_requests(self) -> list[dict[str, Any]]:
        return [_dated(request) for request in self.data["exceptions"]["due_date_requests"]]

    rag_labels = RAG_LABELS

    @staticmethod
    def rag_class(rag: str) -> str:
        return RAG_TAG_CLASSES.get(rag, "govuk-tag--grey")

    @staticmethod
    def status_class(status: str) -> str:
        return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")

    @property
    def title(self) -> str:
        return f"{self.board['name']}: pack for the meeting on {_long(self.held_on)}"


def _dated(values: dict[str, Any]) -> dict[str, Any]:
    """A copy with ISO date strings turned into dates (the keys ending in _on)."""
    out = dict(values)
    for key, value in values.items():
        if key.endswith("_on") and value:
            out[key] = date.fromisoformat(value)
    update = values.get("latest_update")
    if update:
        out["latest_update"] = {**update, "on": date.fromisoformat(update["on"])}
    return out


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@functools.cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def html_document(view: PackView) -> str:
    """The printable HTML document: the pack alone, its stylesheet inlined, A4 pages."""
    return render_template("packs/print.html", pack=view, css=stylesheet())


def pdf_bytes(view: PackView) -> bytes:
    """The pack as a PDF (A4, page numbers and the board's name in each page's footer)."""
    from weasyprint import HTML  # imported here: it loads Pango, which the web pages never need

    return HTML(string=html_document(view), base_url=None).write_pdf()


def table_rows(view: PackView) -> list[list[Any]]:
    """One row per action, in the pack's order, with the values of ``COLUMNS``."""
    rows = []
    for group in view.data["groups"]:
        recommendation = group["recommendation"]
        rec_ref = recommendation["ref"] if recommendation else ""
        for a in group["actions"]:
            update = a["latest_update"] or {}
            rows.append(
                [
                    a["ref"],
                    rec_ref,
                    a["title"],
                    a["owner"] or "",
                    a["lead_organisation"] or "",
                    a["due_on"] or "",
                    a["status_label"],
                    a["rag_label"],
                    a["progress"],
                    update.get("narrative", ""),
                    update.get("on", ""),
                ]
            )
    return rows


def csv_bytes(view: PackView) -> bytes:
    """One row per action; UTF-8 with a byte-order mark so that Excel reads it right; ISO dates."""
    return csv_text([COLUMNS, *table_rows(view)]).encode("utf-8-sig")


def xlsx_bytes(view: PackView) -> bytes:
    """A Summary sheet and an Actions sheet (one row per action, RAG as word and fill)."""
    workbook = new_workbook()
    summary = workbook.active
    summary.title = "Summary"
    write_table(summary, ("Item", "Value"), _summary_rows(view))
    for label, _value in summary.iter_rows(min_row=2, max_col=2):
        if label.value in RAG_LABELS.values():
            fill_rag(label)
    sheet = workbook.create_sheet("Actions")
    rows = table_rows(view)
    for row in rows:
        for index in (5, 10):  # due date, update date
            row[index] = date.fromisoformat(row[index]) if row[index] else None
    write_table(sheet, COLUMNS, rows, rag_column="RAG", wrap=("Action", "Latest accepted update"))
    return to_bytes(workbook)


def _summary_rows(view: PackView) -> list[tuple[str, Any]]:
    figures = view.figures
    rows: list[tuple[str, Any]] = [
        ("Board", view.board["name"]),
        ("Meeting", view.held_on),
        ("Papers deadline", view.papers_due_on),
        ("Figures as at", view.as_at),
        ("Version", f"Version {view.version}" if view.version else "Draft (not issued)"),
    ]
    if view.issued_at:
        rows.append(("Issued on", view.issued_at.astimezone(LONDON).date()))
        rows.append(("Issued by", view.issued_by or "Assure command line"))
    rows += [
        ("Actions", figures["total"]),
        ("Open actions", figures["open"]),
        ("Overdue", figures["overdue"]),
        ("Blocked", figures["blocked"]),
        ("Awaiting sign-off", figures["awaiting_sign_off"]),
        ("Due-date changes asked for", figures["due_date_requests"]),
        ("Updates waiting for acceptance", figures["updates_waiting"]),
    ]
    rows += [(RAG_LABELS[rag], count) for rag, count in reversed(figures["by_rag"].items())]
    return rows


def render(view: PackView, fmt: str) -> bytes:
    """The pack in ``fmt`` (one of FORMATS) as bytes."""
    if fmt == "html":
        return html_document(view).encode("utf-8")
    if fmt == "pdf":
        return pdf_bytes(view)
    if fmt == "xlsx":
        return xlsx_bytes(view)
    if fmt == "csv":
        return csv_bytes(view)
    raise ValueError(f"unknown pack format {fmt!r}; use one of {', '.join(FORMATS)}")
