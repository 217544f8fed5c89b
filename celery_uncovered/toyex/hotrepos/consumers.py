"""Whether any worker consumes a report's queue: asked of the workers, briefly, at most so often.

A report queued where no worker listens looks exactly like a slow one; only the workers can say
which queues they consume. Asking costs a broadcast and a wait for replies, so the answer is
asked only for a report that has stood still a while, and kept for a few seconds per process.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.utils import timezone

from celery_uncovered import celery_app
from celery_uncovered.toyex.models import Report

from .tasks import produce_hot_repo_report

_lock = threading.Lock()


class _Answer(TypedDict):
    at: float | None  # time.monotonic() when the workers were asked
    queues: set[str] | None


_cache: _Answer = {"at": None, "queues": None}


def consumed_queues() -> set[str] | None:
    """The queues some worker consumes, from their replies; None when the broker could not be asked.

    Cached for WORKER_CHECK_INTERVAL seconds; a status page polled by many people asks at most
    once per interval per process (the lock keeps concurrent requests from asking together).
    """
    with _lock:
        at = _cache["at"]
        if at is not None and time.monotonic() - at < settings.WORKER_CHECK_INTERVAL:
            return _cache["queues"]
        try:
            inspect = celery_app.control.inspect(timeout=settings.WORKER_CHECK_TIMEOUT)
            replies = inspect.active_queues() or {}
            queues = {queue["name"] for queues in replies.values() for queue in queues or ()}
        except Exception:  # the broker itself is down: that is not "no worker", it is unknown
            queues = None
        _cache.update({"at": time.monotonic(), "queues": queues})
        return queues


def forget_consumers() -> None:
    """Drop the cached answer (the next question asks the workers again)."""
    with _lock:
        _cache.update({"at": None, "queues": None})


def report_queue() -> str:
    """The queue a report request is sent to (the router's answer, so task routes count)."""
    name: str = celery_app.amqp.router.route({}, produce_hot_repo_report.name)["queue"].name
    return name


def missing_worker_notice(report: Report) -> str:
    """'no worker is consuming queue X' for a report that stands still with nobody to take it."""
    if report.status not in (Report.Status.QUEUED, Report.Status.RUNNING):
        return ""
    if timezone.now() - report.last_moved() < timedelta(seconds=settings.REPORT_STALL_SECONDS):
        return ""
    queue = report_queue()
    queues = consumed_queues()
    if queues is None or queue in queues:
        return ""
    return f"no worker is consuming queue {queue}"


def status_notice(report: Report) -> str:
    """Why the report is not moving, for the page and the CLI: a missing worker, else its notice."""
    running_notice = report.notice if report.status == Report.Status.RUNNING else ""
    return missing_worker_notice(report) or running_notice
