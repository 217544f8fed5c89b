"""The one way a test shows that something does NOT happen: it stays false for a while, polled.

A fixed ``time.sleep`` before an assertion waits the whole time even when the unwanted thing
came at once, and says nothing about when it came. ``stays_false`` polls instead: it fails as
soon as the thing happens (naming it and when), and passes only after ``seconds`` without it.
The window is the claim ("no second e-mail within 2 s"), so it is an argument, never hidden.
Where a positive event proves the absence (the duplicate logged that it stopped), a test waits
for that event with ``wait_until`` instead, and needs no window at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def stays_false(
    condition: Callable[[], object],
    seconds: float,
    what: str,
    *,
    context: Callable[[], str] | None = None,
    interval: float = 0.05,
) -> None:
    """Poll ``condition`` for ``seconds``; raise AssertionError naming ``what`` if it turns true."""
    started = time.monotonic()
    deadline = started + seconds
    while True:
        if condition():
            details = f"\n{context()}" if context else ""
            elapsed = time.monotonic() - started
            raise AssertionError(f"{what}: happened {elapsed:.1f}s into {seconds:g}s{details}")
        if time.monotonic() >= deadline:
            return
        time.sleep(interval)  # the poll's interval, not a wait that proves anything
