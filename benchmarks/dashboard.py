"""Time the board dashboard (HTML page and JSON) for boards of 1,000 and 10,000 actions.

Run with ``.venv/bin/python benchmarks/dashboard.py`` from the repository root. Prints the median
and 95th percentile of each, the median CPU time of this process, and the SQL statements per
request; asserts nothing (timings depend on the machine). Target: the 10,000-action board's
dashboard under 150 ms median. ``BENCH_DASHBOARD_SCALES=100000`` builds only the larger board.

``flask demo --scale N`` puts a tenth of N actions on one board, so ``--scale 10000`` then
``--scale 100000`` give one board of 1,000 and one of 10,000. Their actions are all open or in
progress and answer no recommendation, which would leave most of the dashboard empty; so this
script then spreads them over statuses (blocked, completed, closed, cancelled), recommendations
at three levels with themes, and adds updates awaiting acceptance, completion events and twelve
weeks of weekly snapshots, in a few bulk statements.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import (  # noqa: E402
    counting,
    fresh_schema,
    invoke,
    safe,
    scratch_app,
    signed_in_client,
    table,
)

# --scale N: the biggest board holds N / 10. BENCH_DASHBOARD_SCALES=100000 skips the
# 1,000-action board (quicker to build while iterating on the 10,000 one).
SIZES = tuple(int(n) for n in os.environ.get("BENCH_DASHBOARD_SCALES", "10000,100000").split(","))
RUNS, WARM_UP = 20, 3
TARGET_MS = 150.0
ADMIN_EMAIL = "bench.dashboard@bench.example"
RECOMMENDATIONS = 20
TREND_WEEKS = 12
THEMES = ("Smoking in pregnancy", "Safe sleep", "Breastfeeding", "Young parents", "Poverty")


def main() -> int:
    with scratch_app("assure-bench-dashboard-") as (app, url):
        return run(app, url)


def run(app, url: str) -> int:
    from sqlalchemy import select, text

    from tracker.boards.models import Board
    from tracker.extensions import db

    print(f"Assure dashboard benchmark on {db.engine.dialect.name} ({safe(url)})\n")
    fresh_schema(db, wipe="BENCH_DATABASE_URL" in os.environ)
    cli = app.test_cli_runner()
    boards = []
    for n in SIZES:
        started = time.perf_counter()
        output = invoke(cli, "demo", "--scale", str(n)).output
        ref = next(line for line in output.splitlines() if "biggest board" in line).split()[4]
        board = db.session.scalar(select(Board).where(Board.ref == ref))
        print(f"demo --scale {n}: {time.perf_counter() - started:.1f} s; {ref} has {n // 10}.")
        boards.append((board.id, board.ref, n // 10))
    started = time.perf_counter()
    enrich([board_id for board_id, _, _ in boards])
    print(f"Statuses, recommendations, updates, events and snapshots: "
          f"{time.perf_counter() - started:.1f} s\n")  # fmt: skip
    if db.engine.dialect.name == "postgresql":
        # Autovacuum would soon do this: the bulk updates above leave a dead row version for
        # every action they touch, and scans of a board's actions would read them all.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE")).close()
    invoke(cli, "users", "create", ADMIN_EMAIL, "--name", "Bench Admin", "--admin", "--no-password")
    token = invoke(cli, "users", "token", ADMIN_EMAIL, "--label", "benchmark").stdout.strip()
    client = signed_in_client(app, ADMIN_EMAIL)
    api = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    rows, counts = [], []
    for board_id, ref, size in boards:
        for kind, path, headers in (
            ("page", f"/boards/{ref}/dashboard", {}),
            ("JSON", f"/api/v1/boards/{board_id}/oversight", api),
        ):
            median, p95, cpu = timed(client, path, headers)
            target = f"{TARGET_MS:.0f} ms" if size >= 10_000 else "-"
            ratio = f"{median / TARGET_MS:.2f}" if size >= 10_000 else "-"
            label = f"dashboard {kind}, {size:,} actions"
            rows.append((label + ", median", f"{median:.1f} ms", target, ratio))
            rows.append((label + ", p95", f"{p95:.1f} ms", "-", "-"))
            rows.append((label + ", CPU median", f"{cpu:.1f} ms", "-", "-"))
            counts.append((f"{kind}, {size:,} actions", str(queries(db, client, path, headers))))
    table(("figure", "value", "target", "ratio"), rows)
    print("\nSQL statements per request:")
    table(("request", "statements"), counts)
    return 0


def enrich(board_ids: list[int]) -> None:
    """Give the synthetic boards' actions the variety a real plan has, in bulk statements."""
    from sqlalchemy import JSON, func, insert, literal, select, update

    from tracker.actions.models import Action, Update
    from tracker.audit.models import Event
    from tracker.boards.models import Board
    from tracker.common.time import london_today, utcnow
    from tracker.extensions import db
    from tracker.oversight.snapshots import take_snapshots
    from tracker.reviews.services import add_recommendation, create_review

    boards = [db.session.get(Board, board_id) for board_id in board_ids]
    review = create_review(None, title="Benchmark review", channel="cli")
    levels = ("local", "sub-regional", "regional")
    recs = [
        add_recommendation(
            None,
            review,
            ref=f"R{i + 1}",
            text=f"Benchmark recommendation {i + 1}.",
            level=levels[i % 3],
            themes=[THEMES[i % len(THEMES)], THEMES[(i + 2) % len(THEMES)]],
            boards=boards,
            channel="cli",
        )
        for i in range(RECOMMENDATIONS)
    ]
    db.session.flush()
    mine = Action.board_id.in_(board_ids)
    for i, rec in enumerate(recs):
        db.session.execute(
            update(Action)
            .where(mine, Action.id % RECOMMENDATIONS == i)
            .values(recommendation_id=rec.id)
        )
    for remainder, status, progress in (
        (1, "blocked", None),
        (2, "completed", 100),
        (3, "closed", 100),
        (4, "closed", 100),
        (5, "cancelled", None),
    ):
        values = {"status": status}
        if progress is not None:
            values["progress"] = progress
        if status in ("blocked", "cancelled"):
            values["status_reason"] = "Waiting for the data-sharing agreement."
        db.session.execute(update(Action).where(mine, Action.id % 10 == remainder).values(values))
    now = utcnow()
    # Each finished action was completed 20 days ago, as the audit trail would say.
    finished = (
        select(Action.id, Action.board_id)
        .where(mine, Action.status.in_(("completed", "closed")))
        .subquery()
    )
    db.session.execute(
        insert(Event).from_select(
            ["occurred_at", "channel", "board_id", "action_id", "subject_type",
             "subject_id", "verb", "changes", "comment"],
            select(literal(now - timedelta(days=20)), literal("cli"), finished.c.board_id,
                   finished.c.id, literal("action"), finished.c.id,
                   literal("transition:complete"), literal({}, JSON), literal("")),
        )
    )  # fmt: skip
    author = db.session.scalar(select(func.min(Action.owner_id)).where(mine))
    waiting = select(Action.id).where(mine, Action.id % 25 == 0).subquery()
    db.session.execute(
        insert(Update).from_select(
            ["action_id", "author_id", "channel", "narrative", "progress", "state", "comment",
             "evidence", "decision_reason", "created_at"],
            select(waiting.c.id, literal(author), literal("email_link"),
                   literal("Two sites live, three to go."), literal(40), literal("submitted"),
                   literal(""), literal(""), literal(""), literal(now)),
        )
    )  # fmt: skip
    # One snapshot a week is what the trend shows; daily ones would only add rows.
    today = london_today()
    for weeks_back in range(TREND_WEEKS, 0, -1):
        take_snapshots(today - timedelta(weeks=weeks_back))
    db.session.commit()


def fetch(client, path: str, headers: dict) -> None:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")


def timed(client, path: str, headers: dict) -> tuple[float, float, float]:
    """Median and 95th percentile wall time, and median CPU time of this process (on a loaded
    machine the figure to compare; on PostgreSQL it leaves out the server's work), in ms."""
    for _ in range(WARM_UP):
        fetch(client, path, headers)
    times, cpu = [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        fetch(client, path, headers)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    return statistics.median(times), p95, statistics.median(cpu)


def queries(db, client, path: str, headers: dict) -> int:
    with counting(db.engine) as count:
        fetch(client, path, headers)
    return count[0]


if __name__ == "__main__":
    sys.exit(main())
