"""Pausing Python's cyclic garbage collector through a large batch of work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, and put it back as it was.

    A batch that makes hundreds of thousands of short-lived objects (rows, tuples, strings)
    sets off a collection every 700 of them, and every tenth of those walks every object the
    process holds, SQLAlchemy's and Jinja's included, though the batch makes almost no cycles:
    reference counting frees its objects all the same. For the reminder sweep over 100,000
    actions that walking was a tenth to a quarter of its time (benchmarks/reminders.py). What
    few cycles the batch leaves are collected after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
