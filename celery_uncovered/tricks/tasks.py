"""Scenario 3 and 4 tasks: thin wrappers around the logic next to them."""

from typing import Any

from celery import shared_task

from .logs import LoggingTask
from .scopes import ScopeBasedTask, read_scenario_file


@shared_task(bind=True, base=LoggingTask, name="celery_uncovered.tricks.tasks.add")
def add(self: LoggingTask, x: int, y: int) -> int:
    """Add two numbers and leave one line in this task's log file."""
    result = x + y
    self.log_msg("Result of %s + %s = %s", x, y, result)
    return result


class ScopedLoggingTask(ScopeBasedTask, LoggingTask):
    """Carries the caller's locale and logs to its own file."""

    abstract = True


@shared_task(
    bind=True, base=ScopedLoggingTask, name="celery_uncovered.tricks.tasks.read_scenario_file_task"
)
def read_scenario_file_task(self: ScopedLoggingTask, /, **kwargs: object) -> dict[str, Any]:
    """The scenario fixture of the injected (or explicit) ``locale_id``."""
    data = read_scenario_file(kwargs.get("locale_id"))
    self.log_msg("read scenario file for %s", data["locale_id"])
    return data
