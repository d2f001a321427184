"""Time the import of a 5,000-row action plan: the preview and the import, then the same file
again (all "no change") and an updated file (one row in ten changed).

Run with ``.venv/bin/python benchmarks/imports.py`` from the repository root; SQLite in a scratch
file, or the database in BENCH_DATABASE_URL (its tables are dropped and re-created). Prints
figures and their ratio to the targets (preview < 5 s, import < 10 s); asserts nothing.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import scratch_app  # noqa: E402  (after the path is set)

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "5000"))
PEOPLE = 60
TARGET_PREVIEW_S, TARGET_IMPORT_S = 5.0, 10.0
HEADERS = [
    "Action ref", "Actions to be taken", "Responsible officer", "Lead officer email",
    "Lead agency", "By when", "Status", "RAG rating", "Progress to date", "Impact",
]  # fmt: skip
STATUSES = ["Open", "In progress", "Open", "Draft"]
RAGS = ["G", "Amber", "On track", "R", ""]


def plan_workbook(changed_every: int = 0) -> bytes:
    """A plan of ROWS actions; with ``changed_every``, every n-th row has moved on."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Infant mortality action plan (benchmark)"])
    sheet.append(HEADERS)
    start = date(2099, 1, 31)
    for n in range(ROWS):
        changed = changed_every and n % changed_every == 0
        person = n % PEOPLE
        due = start + timedelta(days=n % 700 + (30 if changed else 0))
        sheet.append(
            [
                f"IM{n + 1}",
                f"Action {n + 1}: do the agreed thing for recommendation {n % 40 + 1}",
                f"Officer {person}",
                f"officer{person}@bench.example",
                f"Agency {n % 12}",
                due if n % 2 else due.strftime("%d/%m/%Y"),
                STATUSES[n % len(STATUSES)] if not changed else "In progress",
                RAGS[n % len(RAGS)],
                f"Progress note {n + 1}" + (" (updated)" if changed else ""),
                "Fewer infant deaths",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    with scratch_app("assure-bench-imports-") as (app, url):
        return run(url)


def run(url: str) -> int:
    from sqlalchemy.engine import make_url

    from tracker.boards.services import create_board
    from tracker.extensions import db
    from tracker.people.services import create_person
    from tracker.transfer.plan_apply import apply_plan
    from tracker.transfer.plan_import import build_preview
    from tracker.transfer.reading import read_upload

    print(f"Assure import benchmark: {ROWS:,} rows on {db.engine.dialect.name} "
          f"({make_url(url).render_as_string(hide_password=True)})")  # fmt: skip
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    if "BENCH_DATABASE_URL" in os.environ:
        db.drop_all()
    db.create_all()
    board = create_board(None, ref="bench", name="Bench board", kind="other", channel="cli")
    for n in range(PEOPLE):
        create_person(None, name=f"Officer {n}", email=f"officer{n}@bench.example", channel="cli")
    db.session.commit()
    first, updated = plan_workbook(), plan_workbook(changed_every=10)

    def timed(data: bytes, label: str) -> list:
        started, cpu = time.perf_counter(), time.process_time()
        table = read_upload(data, "plan.xlsx")
        preview = build_preview(None, board, table, filename="plan.xlsx")
        previewed, previewed_cpu = time.perf_counter() - started, time.process_time() - cpu
        problems = preview.all_problems()
        if problems:
            raise SystemExit(f"{label}: {len(problems)} problems, first: {problems[0]}")
        started, cpu = time.perf_counter(), time.process_time()
        apply_plan(None, preview)
        db.session.commit()
        imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{label}: {preview.summary()}")
        return [label, previewed, previewed_cpu, imported, imported_cpu]

    results = [
        timed(first, "new plan"),
        timed(first, "same file again"),
        timed(updated, "updated file (1 row in 10)"),
    ]
    print()
    # CPU time beside wall time: on a shared machine the wall clock also measures the others.
    print(
        f"{'':28} {'preview':>8} {'(cpu)':>7} {'ratio':>6} {'import':>8} {'(cpu)':>7} {'ratio':>6}"
    )
    for label, previewed, previewed_cpu, imported, imported_cpu in results:
        print(
            f"{label:28} {previewed:7.2f}s {previewed_cpu:6.2f}s "
            f"{previewed / TARGET_PREVIEW_S:6.2f} {imported:7.2f}s {imported_cpu:6.2f}s "
            f"{imported / TARGET_IMPORT_S:6.2f}"
        )
    print(f"\nTargets (wall clock): preview {TARGET_PREVIEW_S:.0f} s, "
          f"import {TARGET_IMPORT_S:.0f} s (ratio below 1 is within target; "
          "the preview includes reading the XLSX).")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
