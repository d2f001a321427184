"""CSV text for the exports, the same characters as ``csv.writer`` (excel dialect) writes.

``csv.writer`` copies every character of every cell one at a time; joining each row's cells,
quoting only those that need it, writes the same text about three times as fast, which is a
fifth of a 10,000-action board's CSV (benchmarks/exports.py, benchmarks/packs.py). A property
test (tests/unit/test_csv_text.py) holds the two to the same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def csv_cell(value: Any) -> str:
    """One cell: None as nothing, numbers as str() has them, quoted if it holds , " CR or LF."""
    if value.__class__ is not str:
        if value is None:
            return ""
        value = str(value)
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV lines, each ending CR LF (QUOTE_MINIMAL, quotes doubled)."""
    return "".join([_line(row) for row in rows])


def _line(row: Sequence[Any]) -> str:
    if len(row) == 1 and csv_cell(row[0]) == "":
        return '""\r\n'  # a lone empty cell is quoted, or the line would read as no cells
    return ",".join(map(csv_cell, row)) + "\r\n"
