"""Reading the per-task log files (scenario 3) the way their tests need: whole lines or not."""

import re

from django.conf import settings

from celery_uncovered.tricks.logs import task_log_path

LINE = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (DEBUG|INFO|WARNING|ERROR) "
    r"\[(?P<task_id>[0-9a-f-]{36})\] (?P<task>celery_uncovered\.[\w.]+): (?P<message>.*)$"
)


def lines_of(task_name: str) -> list[str]:
    """Every line of ``task_name``'s log file in this run ([] before any worker wrote it)."""
    path = task_log_path(task_name, settings.LOGS_DIR)
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


RECORD_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")


def records_of(task_name: str) -> list[str]:
    """The first line of each record in ``task_name``'s file: a failure's traceback follows its
    ERROR line on lines of its own, which belong to that record."""
    return [line for line in lines_of(task_name) if RECORD_START.match(line)]
