"""A page's "fetching" row, on SQLite written while its request is under way, not before it.

The five fetches of a report start at the same instant; on SQLite each write takes the
database's one write lock, and a writer that finds it taken sleeps 1, 2, 5, 10, 15 ms... between
tries, however soon the lock is free again. Written before the request, those rows delayed the
five requests by up to 30 ms (a tenth of a page); written by one thread per worker process,
beside the request, they cost the fan-out nothing. The page's next row (done, retrying, failed)
waits for this one first (``settle``), so a page's rows are never written out of order.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connections

from celery_uncovered.toyex.models import record_page

# A write that has not finished by then is given up on: progress, never the page itself.
SETTLE_TIMEOUT = 10.0

_lock = threading.Lock()
_writer: dict[str, Any] = {"pid": None, "pool": None}
_pending: dict[str, Future[None]] = {}


def _pool() -> ThreadPoolExecutor:
    """This process's writer thread (a pool child makes its own: threads do not survive a fork)."""
    with _lock:
        if _writer["pid"] != os.getpid():
            _writer.update(
                pid=os.getpid(),
                pool=ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-progress"),
            )
            _pending.clear()
        pool: ThreadPoolExecutor = _writer["pool"]
        return pool


def _write(report_id: str, number: int, state: str) -> None:
    try:
        record_page(report_id, number, state)
    finally:
        # The thread's own connection: closed after each write, so no connection outlives its
        # use (nor keeps a test database from being dropped, nor goes stale on PostgreSQL).
        connections.close_all()


def record_page_beside(
    task_id: str | None, report_id: str, number: int, state: str, now: bool
) -> None:
    """Write page ``number``'s row in the background (``now``: here, as eager calls need)."""
    if not report_id:
        return
    if now or connections["default"].vendor != "sqlite":
        # PostgreSQL locks rows, not the database: five pages write five rows at once, so the
        # row is written here, on the task's own persistent connection.
        record_page(report_id, number, state)
        return
    future = _pool().submit(_write, report_id, number, state)
    if task_id is None:  # a task called as a plain function: nobody settles it
        return
    with _lock:
        _pending[task_id] = future


def settle(task_id: str | None) -> None:
    """Wait for the background row of task ``task_id``, if any: the next row must come after it."""
    if task_id is None:
        return
    with _lock:
        future = _pending.pop(task_id, None)
    if future is None:
        return
    # A failed progress write is not the page's failure; one that hangs past the bound is given
    # up on, and the page goes on (its next row may then arrive before this one).
    with contextlib.suppress(TimeoutError):
        future.exception(timeout=SETTLE_TIMEOUT)
