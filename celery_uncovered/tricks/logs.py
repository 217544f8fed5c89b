"""Scenario 3: a log file per task, set up once the worker is ready.

Why a plain ``FileHandler`` is enough under a prefork pool: the handler is opened in the worker's
main process (``celeryd_after_setup`` runs before the pool forks), so every child inherits one file
descriptor opened with ``O_APPEND``. Each record is formatted first and reaches the file in a single
``write()`` (the line is far smaller than the stream's buffer, and the handler flushes after each
record), and the kernel places every ``O_APPEND`` write at the end of the file atomically: lines
from several children never interleave or overwrite each other. A rotating handler would break this
(each child would rotate on its own), so there is none.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from celery import Celery, Task
from celery.app.log import TaskFormatter
from celery.signals import celeryd_after_setup, task_failure, task_retry
from celery.utils.log import get_task_logger
from django.conf import settings

if TYPE_CHECKING:
    from celery.apps.worker import Worker

TASK_PREFIX = "celery_uncovered."
LINE_FORMAT = "%(asctime)s %(levelname)s [%(task_id)s] %(task_name)s: %(message)s"


def task_log_path(task_name: str, logs_dir: Path | None = None) -> Path:
    """Where a task's own log lines go."""
    return Path(logs_dir or settings.LOGS_DIR) / f"{task_name}.log"


def attach_task_log_files(app: Celery, logs_dir: Path | None = None) -> list[Path]:
    """Give each of our registered tasks a logger that writes its own file."""
    paths = []
    for name in sorted(app.tasks):
        if not name.startswith(TASK_PREFIX):
            continue
        path = task_log_path(name, logs_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        logger = get_task_logger(name)
        if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
            continue
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(TaskFormatter(LINE_FORMAT, use_color=False))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        paths.append(path)
    return paths


@celeryd_after_setup.connect
def _on_worker_ready(sender: str, instance: Worker, **kwargs: object) -> None:
    """Only a real worker fires this signal: eager calls and in-process workers never do."""
    attach_task_log_files(instance.app)


def _ours(task: object) -> bool:
    return isinstance(task, Task) and str(task.name).startswith(TASK_PREFIX)


@task_failure.connect
def _log_failure_in_task_file(
    sender: object = None,
    exception: BaseException | None = None,
    einfo: object = None,
    **kwargs: object,
) -> None:
    """A task's own file records its failure: WARNING for an error it ``throws`` (expected, such
    as GitHub's 401), ERROR with the traceback for anything else. Before, a failed report left
    no line in the file an operator reads."""
    if not _ours(sender) or exception is None:
        return
    assert isinstance(sender, Task)
    logger = get_task_logger(sender.name)
    retries = sender.request.retries
    after = f" (after {retries} retries)" if retries else ""
    if isinstance(exception, tuple(sender.throws or ())):
        logger.warning("failed: %s%s", exception, after)
    else:
        logger.error("failed: %r%s\n%s", exception, after, getattr(einfo, "traceback", ""))


@task_retry.connect
def _log_retry_in_task_file(sender: object = None, reason: object = None, **kwargs: object) -> None:
    """A retry is a line in the task's file at INFO, with its reason (it was DEBUG or nothing)."""
    if not _ours(sender):
        return
    assert isinstance(sender, Task)
    retries = sender.request.retries + 1
    limit = sender.max_retries
    of = f" of {limit}" if limit is not None else ""
    when = getattr(reason, "when", None)  # celery.exceptions.Retry: the countdown and the cause
    after = f" in {when:g}s" if isinstance(when, int | float) else ""
    cause = getattr(reason, "exc", None) or reason
    get_task_logger(sender.name).info("retry %s%s%s: %s", retries, of, after, cause)


class ChordFailureWithoutTraceback(logging.Filter):
    """Celery logs a failed chord as ``Chord '<id>' raised: ...`` with a traceback of the join
    (``logger.exception`` in its result backends). The page that failed already logged its own
    failure (with a traceback if it was unexpected): this one keeps the line, at WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Chord %r raised"):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class LoggingTask(Task):  # type: ignore[type-arg]  # Task[P, R] is not subscriptable at run time
    """A task that logs to its own file (once a real worker has set the files up)."""

    abstract = True

    @property
    def logger(self) -> logging.Logger:
        return get_task_logger(self.name)

    def log_msg(self, msg: str, *args: object) -> None:
        """Log at DEBUG: the per-task file keeps everything, the console stays quiet."""
        self.logger.debug(msg, *args)
