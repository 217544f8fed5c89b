"""argparse types for the development servers: a bad number is a usage line, not a traceback."""

from __future__ import annotations

import argparse
import math


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (``--port -1`` was an ``OverflowError`` deep inside the server)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text[:40]!r}")
    return port


def non_negative_seconds(text: str) -> float:
    """Seconds, 0 or more (a negative latency crashed every request in ``time.sleep``)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not seconds >= 0 or math.isinf(seconds):
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, 0 or more, got {text[:40]!r}"
        )
    return seconds
