"""Reading an uploaded spreadsheet (XLSX or CSV) into a header and numbered rows of cells.

Real plans are messy: a merged title row above the headers, blank rows, the header row repeated
on every printed page, trailing spaces, a CSV saved by Excel in Windows-1252. This module deals
with all of that once, so that the plan and recommendation imports see a clean table whose row
numbers are still the ones the person sees in their spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.transfer.headers import normalise, recognised_count
from tracker.transfer.xlsx import NotUnderstood, read_first_sheet

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# The header row must be among the first rows and name at least this many known columns.
HEADER_SEARCH_ROWS = 30
MIN_RECOGNISED = 2

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) format


class UnreadableFile(ValueError):
    """The file cannot be imported at all; the message says why and what to do instead."""


@dataclass
class Table:
    """The header row and the data rows below it, each with its spreadsheet row number."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet: str = ""
    skipped_repeats: int = 0

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first few non-empty values in a column, to show beside its mapping."""
        found = []
        for _, cells in self.rows:
            value = cells[index] if index < len(cells) else None
            if value not in (None, ""):
                found.append(value)
                if len(found) == count:
                    break
        return found


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    count: Callable[[list], int] = recognised_count,
) -> Table:
    """Read an XLSX or CSV file (told apart by content, not by name) into a Table."""
    size = len(data)
    if size > max_bytes:
        raise UnreadableFile(
            f"{filename} is {_size(size)}; Assure imports files up to {_size(max_bytes)}. "
            "Split the plan into smaller files."
        )
    if not data.strip():
        raise UnreadableFile(f"{filename} is empty. Choose the spreadsheet with the plan in it.")
    if data.startswith(XLSX_MAGIC):
        grid, sheet = _xlsx_rows(data, filename, max_rows)
    elif data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            f"{filename} is an old Excel (.xls) file. Open it in Excel and save it as "
            "'Excel Workbook (.xlsx)' or 'CSV', then import that."
        )
    else:
        grid, sheet = _csv_rows(data, filename, max_rows), ""
    return _table(grid, filename, sheet, count)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(count / 1024))} KB"


def _xlsx_rows(data: bytes, filename: str, max_rows: int) -> tuple[list[tuple[int, list]], str]:
    try:
        grid, sheet, count = read_first_sheet(data, max_rows + HEADER_SEARCH_ROWS)
    except NotUnderstood:
        return _openpyxl_rows(data, filename, max_rows)
    if count > max_rows + HEADER_SEARCH_ROWS:
        raise UnreadableFile(_too_many(filename, max_rows))
    return [(number, [_clean(cell) for cell in cells]) for number, cells in grid], sheet


def _too_many(filename: str, max_rows: int) -> str:
    return (
        f"{filename} has more than {max_rows:,} rows; Assure imports up to {max_rows:,} rows "
        "at a time. Split the plan into smaller files."
    )


def _openpyxl_rows(data: bytes, filename: str, max_rows: int):
    from openpyxl import load_workbook

    try:
        # Not read_only: merged cells are only known to a fully loaded sheet.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile(
            f"{filename} is not a spreadsheet Assure can read ({exc.__class__.__name__}). "
            "Save it from Excel as .xlsx or .csv and try again."
        ) from exc
    sheet = workbook.worksheets[0]
    if sheet.max_row > max_rows + HEADER_SEARCH_ROWS:
        raise UnreadableFile(_too_many(filename, max_rows))
    # A merged block shows its value in every cell it covers: a merged "Lead agency" over three
    # rows belongs to all three, and a merged title row is one long title.
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value
    rows = [
        (number, [_clean(cell) for cell in cells])
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    return rows, sheet.title


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            f"{filename} is not a spreadsheet: it is neither an Excel workbook (.xlsx) nor a "
            "CSV file. Save the plan from Excel as .xlsx or .csv and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 (£, curly quotes, en dashes).
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_rows(data: bytes, filename: str, max_rows: int) -> list[tuple[int, list]]:
    text = _decode(data, filename)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > max_rows + HEADER_SEARCH_ROWS:
                raise UnreadableFile(_too_many(filename, max_rows))
            rows.append((number, [_clean(cell) for cell in cells]))
    except csv.Error as exc:
        raise UnreadableFile(
            f"{filename} is not a CSV file Assure can read ({exc}). "
            "Save the plan from Excel as .xlsx or .csv and try again."
        ) from exc
    return rows


def _clean(cell):
    if isinstance(cell, str):
        cell = cell.replace("\r\n", "\n").replace("\xa0", " ").strip()
        return cell or None
    return cell


def _table(grid: list[tuple[int, list]], filename: str, sheet: str, count) -> Table:
    non_blank = [(n, cells) for n, cells in grid if any(c not in (None, "") for c in cells)]
    header_at = None
    for index, (_, cells) in enumerate(non_blank[:HEADER_SEARCH_ROWS]):
        if count(cells) >= MIN_RECOGNISED:
            header_at = index
            break
    if header_at is None:
        raise UnreadableFile(
            f"Assure could not find the header row in {filename}: no row near the top names "
            "columns such as Reference, Action, Lead officer or Target date. Add a row of column "
            "headings above the plan and try again."
        )
    header_number, header_cells = non_blank[header_at]
    width = max(len(cells) for _, cells in non_blank)
    headers = [str(c).strip() if c is not None else "" for c in header_cells]
    headers += [""] * (width - len(headers))
    # Empty columns at the right (Excel's formatting reaches further than the data) go.
    while (
        headers
        and not headers[-1]
        and all(
            len(cells) < len(headers) or cells[len(headers) - 1] in (None, "")
            for _, cells in non_blank[header_at + 1 :]
        )
    ):
        headers.pop()
    signature = [normalise(h) for h in headers]
    table = Table(headers=headers, header_row=header_number, sheet=sheet)
    for number, cells in non_blank[header_at + 1 :]:
        cells = (list(cells) + [None] * len(headers))[: len(headers)]
        if [normalise(c) for c in cells] == signature:
            table.skipped_repeats += 1  # the header again, as on every printed page
            continue
        if all(c in (None, "") for c in cells):
            continue
        table.rows.append((number, cells))
    return table


def read_upload(data: bytes, filename: str, **kwargs) -> Table:
    """``read_table`` with the app's limits (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS)."""
    from flask import current_app

    return read_table(
        data,
        filename,
        max_bytes=current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES),
        max_rows=current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS),
        **kwargs,
    )
