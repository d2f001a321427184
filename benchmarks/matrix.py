"""Build 100,000 synthetic actions under one review and time its review-wide matrix.

Run with ``.venv/bin/python benchmarks/matrix.py`` from the repository root. Prints the median and
95th percentile of the matrix page and its spreadsheet, their ratio to the targets, and the SQL
statements per request for a small review and the big one; asserts nothing, because timings
depend on the machine. See benchmarks/README.md.
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

from benchmarks.run import (  # noqa: E402
    counting,
    fresh_schema,
    invoke,
    safe,
    scratch_app,
    signed_in_client,
    table,
)

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "100000"))
RECOMMENDATIONS = 30
RUNS, WARM_UP = 15, 3
TARGET_PAGE_MS = 500.0  # every board of a review (about 100) against its 30 recommendations
TARGET_XLSX_MS = 1000.0
SMALL_ACTIONS = 20
ADMIN_EMAIL = "bench.admin@bench.example"
THEMES = ("Safe sleep and SUDI", "Smoking in pregnancy", "Breastfeeding")
LEVELS = ("local", "sub-regional", "regional")


def main() -> int:
    with scratch_app("assure-bench-") as (app, url):
        return run(app, url)


def run(app, url: str) -> int:
    from sqlalchemy import text

    from tracker.extensions import db

    print(f"Assure matrix benchmark: {ACTIONS} actions on {db.engine.dialect.name} ({safe(url)})")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    fresh_schema(db, wipe="BENCH_DATABASE_URL" in os.environ)
    cli = app.test_cli_runner()
    print(invoke(cli, "demo", "--scale", str(ACTIONS)).output)
    invoke(cli, "users", "create", ADMIN_EMAIL, "--name", "Bench Admin", "--admin", "--no-password")
    big = big_review(db)
    small = small_review(db)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE")).close()
            connection.commit()

    client = signed_in_client(app, ADMIN_EMAIL)
    rows = []
    for label, path, target in (
        ("GET reviews/<big>/matrix", f"/reviews/{big}/matrix", TARGET_PAGE_MS),
        ("GET reviews/<big>/matrix?level=local", f"/reviews/{big}/matrix?level=local", None),
        ("GET reviews/<big>/matrix.xlsx", f"/reviews/{big}/matrix.xlsx", TARGET_XLSX_MS),
    ):
        timing = time_get(client, path)
        if isinstance(timing, str):
            rows.append((label, timing, "-", "-"))
            continue
        median, p95 = timing
        rows.append(
            (
                label + ", median",
                f"{median:.1f} ms",
                f"{target:.0f} ms" if target else "-",
                f"{median / target:.2f}" if target else "-",
            )
        )
        rows.append((label + ", p95", f"{p95:.1f} ms", "-", "-"))
    table(("figure", "value", "target", "ratio"), rows)

    print("\nSQL statements per matrix page, by the review's number of actions:")
    counts = [
        (f"{SMALL_ACTIONS}", count_queries(db, client, f"/reviews/{small}/matrix")),
        (f"{ACTIONS}", count_queries(db, client, f"/reviews/{big}/matrix")),
    ]
    table(("actions under the review", "statements"), counts)
    numbers = {q for _, q in counts if isinstance(q, int)}
    if numbers:
        verdict = "constant" if len(numbers) == 1 else "GROWS with the actions"
        print(f"Statements per page: {verdict} ({', '.join(map(str, sorted(numbers)))}).")
    return 0


def big_review(db) -> int:
    """A review of RECOMMENDATIONS recommendations, each adopted by every synthetic board, with
    the synthetic actions shared out among them; some completed, some cancelled."""
    from sqlalchemy import insert, select, update

    from tracker.actions.models import Action
    from tracker.boards.models import Board
    from tracker.reviews.models import recommendation_boards
    from tracker.reviews.services import add_recommendation, create_review

    review = create_review(None, title="Synthetic benchmark review", channel="cli")
    recommendations = [
        add_recommendation(
            None,
            review,
            ref=f"R{n + 1}",
            text=f"Synthetic recommendation {n + 1}.",
            level=LEVELS[n % len(LEVELS)],
            themes=[THEMES[n % len(THEMES)]],
            channel="cli",
        )
        for n in range(RECOMMENDATIONS)
    ]
    db.session.flush()
    boards = db.session.scalars(select(Board.id).where(Board.ref.like("scale%"))).all()
    db.session.execute(
        insert(recommendation_boards),
        [{"recommendation_id": r.id, "board_id": b} for r in recommendations for b in boards],
    )
    # The generator deals actions to boards in turn; the extra term keeps that rhythm from
    # giving each board only some of the recommendations.
    share = (Action.id + Action.id // 100) % RECOMMENDATIONS
    for k, recommendation in enumerate(recommendations):
        db.session.execute(
            update(Action)
            .where(share == k, Action.recommendation_id.is_(None))
            .values(recommendation_id=recommendation.id)
        )
    # The generator makes only open and in-progress actions; finish some so totals move.
    db.session.execute(
        update(Action).where(Action.id % 7 == 0).values(status="completed", progress=100)
    )
    db.session.execute(update(Action).where(Action.id % 53 == 0).values(status="cancelled"))
    print(
        f"Review {review.id}: {RECOMMENDATIONS} recommendations x {len(boards)} boards, "
        f"{ACTIONS} actions."
    )
    return review.id


def small_review(db) -> int:
    """A review with two recommendations and SMALL_ACTIONS actions on two new boards."""
    from tracker.actions.services import create_action
    from tracker.boards.services import create_board
    from tracker.reviews.services import add_recommendation, create_review

    boards = [
        create_board(None, ref=f"bench-small-{n}", name=f"Bench small board {n}", channel="cli")
        for n in (1, 2)
    ]
    review = create_review(None, title="Small benchmark review", channel="cli")
    recommendations = [
        add_recommendation(
            None, review, ref=f"S{n}", text="Small.", boards=boards, themes=[], channel="cli"
        )
        for n in (1, 2)
    ]
    for n in range(SMALL_ACTIONS):
        create_action(
            None,
            boards[n % 2],
            title=f"Small review action {n + 1}",
            recommendation=recommendations[n % 2],
            channel="cli",
        )
    return review.id


def fetch(client, path: str) -> str | None:
    response = client.get(path)
    if response.status_code == 404:
        return "page not available"
    if response.status_code != 200:
        return f"page answered {response.status_code}"
    return None


def time_get(client, path: str):
    """(median, p95) in milliseconds over RUNS requests after WARM_UP, or why there are none."""
    for _ in range(WARM_UP):
        problem = fetch(client, path)
        if problem:
            return problem
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[-1]


def count_queries(db, client, path: str) -> int | str:
    fetch(client, path)  # warm caches, so only the request's own statements count
    with counting(db.engine) as count:
        problem = fetch(client, path)
    return problem or count[0]


if __name__ == "__main__":
    sys.exit(main())
