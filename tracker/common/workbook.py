"""Spreadsheets Assure writes (meeting packs, exports, the review-wide matrix): one look for all.

A header row in bold, frozen, with filters on; columns sized to their content within reason; and
the RAG rating written as its word with the matching fill, so the colour is a second signal and a
printout in black and white still says "Off track".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tracker.actions.rag import RAG_LABELS

# GOV.UK Frontend's tag colours (light fill, dark text): the same pairs the web pages use, so a
# rating looks alike in the browser and in Excel, and the text keeps a contrast above 4.5:1.
RAG_FILLS = {
    "blue": ("BBD4EA", "0C2D4A"),
    "green": ("CCE2D8", "005A30"),
    "amber": ("FFF7BF", "594D00"),
    "red": ("F4CDC6", "2A0B06"),
}
_RAG_BY_LABEL = {label: rag for rag, label in RAG_LABELS.items()}
DATE_FORMAT = "dd/mm/yyyy"
MAX_WIDTH = 60


def new_workbook() -> Workbook:
    """An empty workbook whose first sheet the caller renames and fills."""
    return Workbook()


def write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    rag_column: str | None = None,
    wrap: Sequence[str] = (),
) -> int:
    """Write a header row and ``rows`` into ``sheet``; return the number of data rows.

    ``rag_column`` names the header whose cells hold a RAG word ("On track") or key ("green"):
    each is written as the word and filled with its colour. Columns named in ``wrap`` wrap
    their text (narratives); dates get a day-first format.
    """
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rag_index = headers.index(rag_column) if rag_column else None
    widths = [len(h) for h in headers]
    count = 0
    for row in rows:
        count += 1
        values = list(row)
        if rag_index is not None:
            values[rag_index] = RAG_LABELS.get(values[rag_index], values[rag_index])
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(len(_shown(value)), MAX_WIDTH))
    _style_columns(sheet, headers, widths, wrap, count)
    if rag_index is not None:
        _fill_rag(sheet, rag_index + 1, count)
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    sheet.freeze_panes = "A2"
    return count


def fill_rag(cell) -> None:
    """Colour one cell holding a RAG word or key (for sheets that are not a plain table)."""
    rag = _RAG_BY_LABEL.get(cell.value, cell.value)
    if rag in RAG_FILLS:
        background, text = RAG_FILLS[rag]
        cell.fill = PatternFill("solid", start_color=background, end_color=background)
        cell.font = Font(color=text, bold=cell.font.bold)


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_rag(sheet: Worksheet, column: int, count: int) -> None:
    for (cell,) in sheet.iter_rows(min_row=2, max_row=count + 1, min_col=column, max_col=column):
        fill_rag(cell)


def _style_columns(sheet, headers, widths, wrap, count) -> None:
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[index - 1] + 2
        if header in wrap:
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=count + 1, min_col=index, max_col=index
            ):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in row:
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return "31/12/2000"
    return str(value)
