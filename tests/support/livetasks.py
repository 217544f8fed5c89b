"""Tasks that exist only to show how a real worker differs from eager mode.

The subprocess worker imports this module (the ``celery_live_include`` ini option, pyproject.toml);
the test process imports it from the root conftest.
"""

import os
import signal
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


# --- a worker that dies at a chosen instant (the fault tier's self-killing worker) -------------
# Set in one worker's environment only: KILL_AFTER_FINISH_PAGE=<page> makes the worker SIGKILL its
# whole process group right after ``finish_page`` marked that page done (before the task returns,
# so its result is neither stored nor counted by the chord, nor its message acknowledged), once:
# KILL_MARKER names a file created at the kill, and a worker that finds it does not kill again.
KILL_AFTER_FINISH_PAGE = os.environ.get("KILL_AFTER_FINISH_PAGE", "")
KILL_MARKER = os.environ.get("KILL_MARKER", "")


def _kill_after_finish_page() -> None:
    import celery_uncovered.toyex.hotrepos.tasks as report_tasks

    finish = report_tasks.finish_page

    def finish_then_die(report_id: str, number: int, repos: int) -> bool:
        won = finish(report_id, number, repos)
        if str(number) == KILL_AFTER_FINISH_PAGE:
            try:
                os.close(os.open(KILL_MARKER, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return won  # killed once already: this copy runs to its end
            os.killpg(os.getpgid(0), signal.SIGKILL)
        return won

    report_tasks.finish_page = finish_then_die


if KILL_AFTER_FINISH_PAGE and KILL_MARKER:
    _kill_after_finish_page()
