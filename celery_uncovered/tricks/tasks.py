"""Scenario 3 and 4 tasks: thin wrappers around the logic next to them."""

from celery import shared_task

from .logs import LoggingTask


@shared_task(bind=True, base=LoggingTask, name="celery_uncovered.tricks.tasks.add")
def add(self: LoggingTask, x: int, y: int) -> int:
    """Add two numbers and leave one line in this task's log file."""
    result = x + y
    self.log_msg("Result of %s + %s = %s", x, y, result)
    return result
