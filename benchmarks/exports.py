"""Export a 10,000-action board's plan as CSV and XLSX (and its JSON archive): times and queries.

Run with ``.venv/bin/python benchmarks/exports.py`` from the repository root. It builds
``flask demo --scale 100000`` (whose biggest board holds a tenth of the actions), gives each of
that board's actions two accepted updates (so that "the latest accepted update" has work to
do), then downloads the board's plan and archive through the app, signed in as an admin.
Prints figures and their ratio to the target; asserts nothing (timings depend on the machine).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import counting, fresh_schema, invoke, safe, scratch_app, signed_in_client, table  # noqa: E402

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "100000"))
RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "3"))
TARGET_CSV_S = 0.4
ADMIN_EMAIL = "bench.exports@bench.example"
SMALL = 20
URLS = {
    "CSV": "/boards/{ref}/export.csv",
    "XLSX": "/boards/{ref}/export.xlsx",
    "JSON archive": "/boards/{ref}/archive.json",
}


def main() -> int:
    with scratch_app("assure-bench-exports-") as (app, url):
        return run(app, url)


def run(app, url: str) -> int:
    from sqlalchemy import text

    from tracker.extensions import db

    print(f"Assure export benchmark: {ACTIONS} actions on {db.engine.dialect.name} ({safe(url)})")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    fresh_schema(db, wipe="BENCH_DATABASE_URL" in os.environ)
    cli = app.test_cli_runner()
    print(invoke(cli, "demo", "--scale", str(ACTIONS)).output)
    invoke(cli, "users", "create", ADMIN_EMAIL, "--name", "Bench Admin", "--admin", "--no-password")
    big_ref, big_size, updates = add_updates(db)
    small_ref = add_small_board(db)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE")).close()
            connection.commit()
    print(f"Board {big_ref}: {big_size} actions, {updates} accepted updates.\n")

    client = signed_in_client(app, ADMIN_EMAIL)
    rows = []
    for name, pattern in URLS.items():
        path = pattern.format(ref=big_ref)
        fetch(client, path)  # warm up
        times, cpu_times, size = [], [], 0
        for _ in range(RUNS):
            started, cpu_started = time.perf_counter(), time.process_time()
            size = len(fetch(client, path))
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
        median, cpu = statistics.median(times), statistics.median(cpu_times)
        target = TARGET_CSV_S if name == "CSV" else None
        rows.append(
            (
                f"{name} of {big_size} actions ({size / 1e6:.1f} MB), median of {RUNS}",
                f"{median:.2f} s",
                f"{cpu:.2f} s",
                f"{target} s" if target else "-",
                f"{median / target:.2f}" if target else "-",
            )
        )
    # CPU time is this process's own (SQLite runs in it too): on a shared machine it says
    # more about the code than the wall clock does.
    table(("figure", "wall", "CPU", "target", "ratio (wall)"), rows)

    print("\nSQL statements per download, by board size:")
    counts = []
    for name, pattern in URLS.items():
        counts.append(
            (
                name,
                *(
                    str(count_statements(db, client, pattern.format(ref=ref)))
                    for ref in (small_ref, big_ref)
                ),
            )
        )
    table(("download", f"{SMALL} actions", f"{big_size} actions"), counts)
    return 0


def add_updates(db):
    """Two accepted updates for each action of the biggest board, inserted in bulk."""
    from datetime import timedelta

    from sqlalchemy import func, insert, select

    from tracker.actions.models import Action, Update
    from tracker.boards.models import Board
    from tracker.common.time import utcnow

    board_id, size = db.session.execute(
        select(Action.board_id, func.count().label("n"))
        .group_by(Action.board_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    ref = db.session.get(Board, board_id).ref
    now = utcnow()
    actions = db.session.execute(
        select(Action.id, Action.owner_id).where(Action.board_id == board_id)
    ).all()
    rows = [
        {
            "action_id": action_id,
            "author_id": owner_id,
            "channel": "email_link",
            "narrative": f"Progress report {n} on action {action_id}: " + "words " * 30,
            "progress": 30 * n,
            "rag": None,
            "transition": None,
            "comment": "",
            "evidence": f"Evidence {n}",
            "proposed_due_on": None,
            "state": "accepted",
            "decided_by_id": None,
            "decided_at": now - timedelta(days=10 - n),
            "decision_reason": "",
            "created_at": now - timedelta(days=11 - n),
        }
        for action_id, owner_id in actions
        for n in (1, 2)
    ]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Update), rows[start : start + 5000])
    db.session.commit()
    return ref, size, len(rows)


def add_small_board(db) -> str:
    from tracker.actions.services import create_action
    from tracker.boards.services import create_board

    board = create_board(None, ref="bench-exports-small", name="Small board", channel="cli")
    for n in range(SMALL):
        create_action(None, board, title=f"Small board action {n + 1}", channel="cli")
    db.session.commit()
    return board.ref


def fetch(client, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return response.get_data()


def count_statements(db, client, path: str) -> int:
    fetch(client, path)  # warm caches, so only the request's own statements count
    with counting(db.engine) as count:
        fetch(client, path)
    return count[0]


if __name__ == "__main__":
    sys.exit(main())
