"""The one way the harness waits: poll a condition until a deadline, then say what was missing.

Tests, workers and private brokers all wait for something that happens in another process. Each
wait here has a deadline (never an endless wait), and its failure says what was awaited and the
context a person needs to find out why: the task id, the queue, whether the worker still runs and
the end of its log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlinePassed(AssertionError):
    """A wait ran out of time; the message says what was awaited and what was seen."""


def wait_until(
    condition: Callable[[], T],
    timeout: float,
    what: str,
    *,
    context: Callable[[], str] | None = None,
    interval: float = 0.05,
) -> T:
    """Poll ``condition`` until it returns something truthy and return that.

    Past ``timeout`` seconds raise :class:`DeadlinePassed` naming ``what``, followed by
    ``context()`` (called only then). ``condition`` may raise to give up early.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            details = f"\n{context()}" if context else ""
            raise DeadlinePassed(f"{what}: not within {timeout:g}s{details}")
        time.sleep(interval)
