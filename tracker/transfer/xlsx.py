"""A fast reader for the first sheet of an XLSX workbook: values only, merged cells filled.

openpyxl builds a styled cell object for every cell; for a 5,000-row plan that is most of the
preview's time. Importing needs only the values, so this reads the sheet's XML with the
standard library's C parser: shared and inline strings, numbers, booleans, and dates (numbers
whose style is a date format). ``reading`` falls back to openpyxl for anything this does not
understand, so an unusual workbook is slower, never wrong.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime, timedelta
from xml.etree.ElementTree import iterparse, parse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Excel's built-in number formats that are dates (ECMA-376, 18.8.30).
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
EXCEL_EPOCH = datetime(1899, 12, 30)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class NotUnderstood(Exception):
    """Something this reader does not handle; the caller uses openpyxl instead."""


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _first_sheet(book: zipfile.ZipFile) -> tuple[str, str]:
    workbook = parse(book.open("xl/workbook.xml")).getroot()
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise NotUnderstood("no sheet")
    rels = parse(book.open("xl/_rels/workbook.xml.rels")).getroot()
    wanted = sheet.get(f"{REL}id")
    for rel in rels.iter(f"{PACKAGE_REL}Relationship"):
        if rel.get("Id") == wanted:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return sheet.get("name", ""), posixpath.normpath(path)
    raise NotUnderstood("no sheet path")


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings = []
    for _, element in iterparse(book.open("xl/sharedStrings.xml")):
        if element.tag == f"{MAIN}si":
            # Plain text is in <t>, rich text in runs <r><t>; phonetic hints (<rPh>) are not.
            plain = [t.text or "" for t in element.findall(f"{MAIN}t")]
            runs = [
                t.text or "" for r in element.findall(f"{MAIN}r") for t in r.findall(f"{MAIN}t")
            ]
            strings.append("".join(plain + runs))
            element.clear()
    return strings


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """The indexes of the cell styles whose number format is a date."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = parse(book.open("xl/styles.xml")).getroot()
    custom = set()
    for fmt in styles.iter(f"{MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode", "").lower())
        if re.search(r"[dmy]", code):
            custom.add(int(fmt.get("numFmtId", "-1")))
    found = set()
    xfs = styles.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        number_format = int(xf.get("numFmtId", "0"))
        if number_format in BUILTIN_DATE_FORMATS or number_format in custom:
            found.add(index)
    return found


def _value(cell, strings: list[str], date_styles: set[int]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
    value = cell.find(f"{MAIN}v")
    text = value.text if value is not None else None
    if text is None:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text == "1"
    if kind != "n":
        raise NotUnderstood(f"cell type {kind}")
    number = float(text)
    if int(cell.get("s", "0")) in date_styles:
        return EXCEL_EPOCH + timedelta(days=number)
    return int(number) if number.is_integer() else number


def read_first_sheet(data, max_rows: int) -> tuple[list[tuple[int, list]], str, int]:
    """(row number, values) for every row of the first sheet, its name, and its row count."""
    import io

    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        name, path = _first_sheet(book)
        strings, date_styles = _shared_strings(book), _date_styles(book)
        rows: list[tuple[int, list]] = []
        merged: list[str] = []
        for _, element in iterparse(book.open(path)):
            if element.tag == f"{MAIN}row":
                number = int(element.get("r", len(rows) + 1))
                if number > max_rows:
                    return rows, name, number
                cells: list = []
                for cell in element.iter(f"{MAIN}c"):
                    match = _CELL_REF.match(cell.get("r", ""))
                    index = _column(match.group(1)) if match else len(cells)
                    cells.extend([None] * (index - len(cells) + 1))
                    cells[index] = _value(cell, strings, date_styles)
                rows.append((number, cells))
                element.clear()
            elif element.tag == f"{MAIN}mergeCell":
                merged.append(element.get("ref", ""))
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        IndexError,
        AttributeError,
        SyntaxError,
    ) as exc:
        raise NotUnderstood(str(exc)) from exc
    _fill_merged(rows, merged)
    return rows, name, rows[-1][0] if rows else 0


def _fill_merged(rows: list[tuple[int, list]], merged: list[str]) -> None:
    """Give every cell of a merged block the value of its top-left cell."""
    by_number = {number: cells for number, cells in rows}
    for ref in merged:
        corners = _CELL_REF.findall(ref)
        if len(corners) != 2:
            continue
        (left, top), (right, bottom) = corners
        first_col, last_col = _column(left), _column(right)
        top_row, bottom_row = int(top), int(bottom)
        source = by_number.get(top_row, [])
        value = source[first_col] if first_col < len(source) else None
        for number in range(top_row, bottom_row + 1):
            cells = by_number.get(number)
            if cells is None:
                cells = by_number[number] = []
                rows.append((number, cells))
            cells.extend([None] * (last_col + 1 - len(cells)))
            for col in range(first_col, last_col + 1):
                cells[col] = value
    rows.sort(key=lambda row: row[0])
