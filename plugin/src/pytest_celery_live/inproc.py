"""The in-process worker: Celery's own test worker thread, woken at once when the run ends.

``celery.contrib.testing.worker.start_worker`` stops its thread by setting a flag the worker's
loop reads between two waits for the broker, and those waits are long when nothing arrives: up to
10 s on RabbitMQ (the event loop's poll), 2 s on the embedded broker (a drain's timeout); the stop
took 9.9 s and 3.5 s. Here the loop is woken instead: a pipe in the event loop's poll, written to
at the stop, or, for a transport without an event loop, drains of 0.1 s (it polls every 20 ms
anyway). On Redis the connection's close then waits for the BRPOP under way (1 s by default):
the worker's own BRPOPs last 0.2 s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery
from celery.worker import state


@contextmanager
def inproc_worker(app: Celery, queue: str, concurrency: int = 4) -> Iterator[object]:
    """A thread-pool worker in this process on ``queue``, answering ``celery.ping`` before use."""
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping)
    from celery.contrib.testing.tasks import ping
    from celery.contrib.testing.worker import _start_worker_thread
    from celery.result import allow_join_result

    opened: list[int] = []
    try:
        with _start_worker_thread(
            app, concurrency=concurrency, pool="threads", queues=[queue], shutdown_timeout=30
        ) as worker:
            wake = waker(worker, opened)
            with allow_join_result():
                assert ping.delay().get(timeout=10) == "pong"
            try:
                yield worker
            finally:
                # What Celery's own stop sets (celery-types allows None only); read on waking.
                state.should_terminate = 0  # type: ignore[assignment]
                wake()
    finally:
        for fd in opened:
            os.close(fd)


def waker(worker: Any, opened: list[int]) -> Callable[[], None]:
    """Something that makes the worker's loop look at its stop flag now (call it at the stop).

    ``worker`` is Celery's ``WorkController`` (celery-types does not describe its ``hub``); the
    file descriptors it opens go into ``opened``.
    """
    hub = worker.hub
    if hub is not None:
        read, write = os.pipe()
        opened += (read, write)  # closed once the worker's thread has ended
        hub.add_reader(read, lambda *args: os.read(read, 64))
        for channel in getattr(worker.consumer.connection.transport, "channels", ()):
            if hasattr(channel, "brpop_timeout"):  # Redis: closing waits for the BRPOP under way
                channel.brpop_timeout = 0.2

        def wake() -> None:
            os.write(write, b"x")

        return wake
    connection = worker.consumer.connection
    drain = connection.drain_events

    def short_drain(timeout: float | None = None, **kwargs: object) -> object:
        return drain(timeout=min(timeout or 0.1, 0.1), **kwargs)

    connection.drain_events = short_drain
    return lambda: None
