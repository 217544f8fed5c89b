"""A test's own queue on the broker: route to it, empty it, count what waits in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from celery import Celery

# Called with each queue name declared here: the plugin writes them in the run's record.
DECLARED: list[Callable[[str], None]] = []


def declared(queue: str) -> None:
    """Tell whoever listens (the run's record) that ``queue`` now exists on the broker."""
    for hook in DECLARED:
        hook(queue)


def purge_queue(app: Celery, queue: str) -> None:
    """Drop whatever an earlier test left in ``queue``."""
    with app.connection_for_write() as conn:
        bound = app.amqp.queues[queue](conn.default_channel)
        bound.declare()
        declared(queue)
        bound.purge()


def queue_depth(app: Celery, queue: str) -> int:
    """How many messages wait in ``queue`` on the broker right now."""
    with app.connection_for_write() as conn:
        bound = app.amqp.queues[queue](conn.default_channel)
        declared(queue)
        # Not passive: kombu's Redis transport answers 404 for a passive declare of an empty queue.
        # kombu answers (queue, message_count, consumer_count); celery-types says the queue name.
        count: int = bound.queue_declare().message_count  # type: ignore[union-attr]
        return count


@contextmanager
def use_queue(app: Celery, queue: str) -> Iterator[None]:
    """Send tasks to ``queue`` by default (tasks a task sends too), starting from an empty queue.

    ``task_default_queue`` rather than ``queue=`` per call: a replaced chord or a retry is sent
    by the worker with the default queue.
    """
    saved = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    purge_queue(app, queue)
    try:
        yield
    finally:
        app.conf.task_default_queue = saved
