"""Tasks that exist only to show how a real worker differs from eager mode.

The subprocess worker imports this module (the ``celery_live_include`` ini option, pyproject.toml);
the test process imports it from the root conftest.
"""

import time

from celery import shared_task
from django.utils import translation

from celery_uncovered.tricks.scopes import ScopeBasedTask
from celery_uncovered.tricks.tasks import add


@shared_task(name="tests.livetasks.sleep_for", time_limit=1)
def sleep_for(seconds: float) -> float:
    """Sleep past the hard time limit when asked to."""
    time.sleep(seconds)  # documented use: a task that takes long (past its time limit)
    return seconds


@shared_task(bind=True, name="tests.livetasks.retry_once", max_retries=1)
def retry_once(self, countdown: float, first_attempt_at: float | None = None) -> float:
    """Retry once after ``countdown``; return how long the retry really waited."""
    if first_attempt_at is None:
        raise self.retry(
            countdown=countdown, kwargs={"countdown": countdown, "first_attempt_at": time.time()}
        )
    return time.time() - first_attempt_at


@shared_task(name="tests.livetasks.noop")
def noop() -> str:
    return "ran"


@shared_task(name="tests.livetasks.join_inside_task")
def join_inside_task() -> int:
    """The tutorial's mistake: block on a child's result inside a task."""
    return add.delay(1, 1).get(timeout=5)


@shared_task(bind=True, base=ScopeBasedTask, name="tests.livetasks.scope_echo")
def scope_echo(self, *args, **kwargs) -> dict:
    """Return exactly what arrived, and the language active while the task ran."""
    return {"args": list(args), "kwargs": kwargs, "active": translation.get_language()}


@shared_task(bind=True, base=ScopeBasedTask, name="tests.livetasks.scope_parent")
def scope_parent(self, **kwargs) -> str:
    """Send a child without naming a locale; return the child's id (no waiting inside a task)."""
    return scope_echo.delay().id


@shared_task(name="tests.livetasks.collect")
def collect(results: list) -> list:
    """A plain chord body: hands the header's results back."""
    return results


@shared_task(name="tests.livetasks.append_line", acks_late=True)
def append_line(path: str, text: str = "ran") -> None:
    """Leave one line per run in ``path``: how many times did this message run?"""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{text}\n")


@shared_task(name="tests.livetasks.database_session")
def database_session() -> str:
    """Which database session this task's queries ran in (PostgreSQL's backend pid)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return str(cursor.fetchone()[0])
