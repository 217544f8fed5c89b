"""No-op tasks that differ only in their base class, for the overhead ratios; and a plain chord
of the report's five fetches, the Celery-only baseline the report is compared with."""

import requests
from celery import Task, shared_task
from django.conf import settings

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


@shared_task(base=Task, name="bench.tasks.plain_fetch")
def plain_fetch(page: int) -> int:
    """A bare ``requests.get`` of one search page: the plain chord's header, Celery and no more.

    It returns the number of items, not the page, so the plain chord pays the least Celery can.
    """
    answer = requests.get(
        f"{settings.GITHUB_API_URL}/search/repositories",
        params={"q": "created:>=2026-11-17", "sort": "stars", "per_page": 100, "page": page},
        timeout=30,
    )
    return len(answer.json()["items"])


@shared_task(base=Task, name="bench.tasks.count_pages")
def count_pages(counts: list[int]) -> int:
    """The plain chord's body: count what the five fetches returned."""
    return len(counts)


@shared_task(base=Task, name="bench.tasks.untracked_noop", track_started=False)
def untracked_noop() -> None:
    """A plain no-op without the STARTED state (Celery's default, ``task_track_started`` off)."""


@shared_task(base=Task, name="bench.tasks.late_noop", acks_late=True)
def late_noop() -> None:
    """A plain no-op acknowledged after it ran (as the project's fetch and e-mail tasks are)."""
