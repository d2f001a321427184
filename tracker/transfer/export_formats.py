"""Writing a board's plan rows (tracker.transfer.export_rows) as CSV or as an XLSX workbook.

Both write exactly PLAN_COLUMNS' headers, in order, so that the file imports back unchanged.
CSV is UTF-8 with a byte-order mark (so that Excel reads the accents and curly quotes right),
dates in ISO form, the RAG rating as its word. XLSX uses the house look (tracker.common.workbook):
real date cells, the RAG word with its fill, narratives wrapped, and an "About" sheet saying
what was exported, when, by whom, and what each column means.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Font

from tracker.actions.rag import RAG_LABELS
from tracker.boards.models import Board
from tracker.common.csvtext import csv_text
from tracker.common.workbook import new_workbook, to_bytes, write_table
from tracker.people.models import Person
from tracker.transfer.columns import PLAN_COLUMNS, PLAN_HEADERS
from tracker.web.templating import format_datetime

BOM = "\ufeff"
# Rows per chunk of a streamed CSV: big enough to be cheap, small enough to start at once.
CSV_CHUNK = 500
RAG_INDEX = PLAN_HEADERS.index("RAG")
DATE_INDEX = PLAN_HEADERS.index("Target date")
WRAPPED = ("Action", "Description", "Progress update", "Evidence", "Impact")
PLAN_SHEET = "Action plan"
ABOUT_SHEET = "About"
# What the About sheet adds to a column's own help, where the export's meaning is narrower.
MEANINGS = {
    "status": "the workflow status, as this board's workflow names it",
    "rag": "the RAG rating Assure works out (Complete, On track, At risk or Off track)",
    "progress_update": "the narrative of the latest accepted update (blank if none)",
    "evidence": "the evidence given with the latest accepted update (blank if none)",
}


def export_filename(board: Board, today: date, extension: str, what: str = "actions") -> str:
    """``tscp-actions-2026-11-28.xlsx``."""
    return f"{board.ref}-{what}-{today.isoformat()}.{extension}"


def csv_values(row: Sequence[Any]) -> list[Any]:
    """A plan row as CSV cells: the date in ISO form, the RAG rating as its word."""
    values = list(row)
    due_on = values[DATE_INDEX]
    values[DATE_INDEX] = due_on.isoformat() if due_on is not None else ""
    values[RAG_INDEX] = RAG_LABELS.get(values[RAG_INDEX], values[RAG_INDEX])
    return values


def plan_csv(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The plan as CSV text in chunks: the byte-order mark and the header row first."""
    yield BOM + csv_text([PLAN_HEADERS])
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append(csv_values(row))
        if len(chunk) == CSV_CHUNK:
            yield csv_text(chunk)
            chunk.clear()
    yield csv_text(chunk)


def exported_by_text(person: Person | None) -> str:
    if person is None:
        return "The command line (flask export actions)"
    return f"{person.name} <{person.email}>"


def plan_xlsx(
    board: Board,
    rows: Iterable[Sequence[Any]],
    *,
    exported_by: Person | None,
    exported_at: datetime,
) -> tuple[bytes, int]:
    """The plan as an XLSX workbook, and the number of actions in it."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = PLAN_SHEET
    count = write_table(sheet, PLAN_HEADERS, rows, rag_column="RAG", wrap=WRAPPED)
    _about(workbook.create_sheet(ABOUT_SHEET), board, count, exported_by, exported_at)
    return to_bytes(workbook), count


def _about(sheet, board: Board, count: int, exported_by, exported_at: datetime) -> None:
    facts = [
        ("Board", f"{board.name} ({board.ref})"),
        ("Exported", format_datetime(exported_at)),
        ("Exported by", exported_by_text(exported_by)),
        ("Actions", count),
        ("Sheet", f"The sheet {PLAN_SHEET!r} imports back into Assure as it is."),
    ]
    for fact in facts:
        sheet.append(list(fact))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    sheet.append(["Column", "Meaning"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in PLAN_COLUMNS:
        sheet.append([column.header, MEANINGS.get(column.key, column.help)])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 80
    for (cell,) in sheet.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
