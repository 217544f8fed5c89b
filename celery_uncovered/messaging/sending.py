"""A person's send: the broker takes the message, or nothing is recorded and they are told why."""

from __future__ import annotations

import re
from collections.abc import Callable

from celery import current_app

from .resultstore import result_store_problem

# A person waits for this answer: two quick retries, then "try again" (a worker's own sends ride
# out a longer outage, see CELERY_TASK_PUBLISH_RETRY_POLICY).
PERSON_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

# A password inside a URL (scheme://user:password@host) that a broker's error might repeat.
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
REASON_CHARS = 300


class QueueUnavailable(RuntimeError):
    """The broker did not take the work: nothing was queued, the caller may try again."""

    status = 503
    # Seconds a client should wait before asking again (Retry-After): a broker back in seconds.
    retry_after = 10


def publish_failure_reason(exc: BaseException) -> str:
    """The broker's reason in one line for a person: no traceback, no password, not a page long."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    return URL_PASSWORD.sub(r"\1***@", reason)[:REASON_CHARS]


def send_for_a_person(send: Callable[[], object], undo: Callable[[], object]) -> None:
    """Publish what a person asked for; if the broker does not take it, undo its record.

    Any failure to publish (refused login, unknown vhost, unreachable, a bad URL) means the same
    to a person: nothing was queued. Kombu wraps only some in OperationalError; py-amqp's
    AccessRefused and NotAllowed arrive raw. The record goes, or a status page says "queued"
    forever. Every route that queues work for a person sends through here. A Redis result store
    is asked first (``resultstore``): Celery would wait out its whole retry policy at the send.
    """
    problem = result_store_problem(current_app)
    if problem is not None:
        undo()
        reason = publish_failure_reason(problem)
        raise QueueUnavailable(
            f"the result store is unavailable, nothing was queued ({reason})"
        ) from problem
    try:
        send()
    except Exception as exc:
        undo()
        raise QueueUnavailable(
            f"the task queue is unavailable, nothing was queued ({publish_failure_reason(exc)})"
        ) from exc
