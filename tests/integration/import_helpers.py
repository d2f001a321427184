"""Shared pieces of the import tests: the test files, a board with a secretary, and a way to
write a plan as a workbook in the test."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from tracker.transfer.plan_import import build_preview
from tracker.transfer.reading import read_table

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def workbook_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview_of(actor, board, data: bytes, filename: str = "plan.xlsx", **options):
    return build_preview(actor, board, read_table(data, filename), filename=filename, **options)


def messages(preview) -> list[str]:
    return [str(problem) for problem in preview.all_problems()]
