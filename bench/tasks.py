"""Three no-op tasks that differ only in their base class, for the overhead ratios."""

from celery import Task, shared_task

from celery_uncovered.tricks.logs import LoggingTask
from celery_uncovered.tricks.scopes import ScopeBasedTask


@shared_task(base=Task, name="bench.tasks.plain_noop")
def plain_noop() -> None:
    """The baseline: Celery's own Task."""


@shared_task(base=LoggingTask, name="bench.tasks.logging_noop")
def logging_noop() -> None:
    """Same, on LoggingTask (its own log file, attached when the worker starts)."""


@shared_task(base=ScopeBasedTask, name="bench.tasks.scoped_noop")
def scoped_noop(**kwargs: object) -> None:
    """Same, on ScopeBasedTask (locale injected by the caller, activated in the worker)."""
