"""Small waits and reads the fault tests share (fixtures live in the root conftest)."""

import time
from collections.abc import Callable

import pytest
from django.conf import settings

from celery_uncovered.toyex.models import Report
from celery_uncovered.toyex.report import stored_filename

GOLDEN_SINCE = "2026-11-17"  # a week before 2026-11-24


def golden_name(report_id: str) -> str:
    """The file the golden report of ``report_id`` is stored under (one file per report)."""
    return stored_filename(GOLDEN_SINCE, report_id)


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {timeout:.0f}s", pytrace=False)


def page_requests(github, page: int) -> list[float]:
    """When the replay server was asked for ``page``, oldest first."""
    return [
        seen["at"] for seen in list(github.state.seen) if seen["query"].get("page") == str(page)
    ]


def wait_until_page_hangs(github, task_id: str, page: int = 3, timeout: float = 30) -> None:
    """Until the other four pages are counted and ``page`` has been asked for (and hangs)."""

    def others_in_and_page_asked() -> bool:
        report = Report.objects.filter(task_id=task_id).first()
        return bool(report and report.pages_fetched == 4 and page_requests(github, page))

    wait_for(others_in_and_page_asked, timeout, f"four pages in, page {page} in flight")


def finished_report(task_id: str, timeout: float) -> Report:
    """The report once it is done or failed (the row a person's status page reads)."""

    def finished() -> Report | None:
        report = Report.objects.filter(task_id=task_id).first()
        return report if report and report.status in ("done", "failed") else None

    return wait_for(finished, timeout, f"report {task_id} to finish")


def visibility_timeout() -> float:
    """Redis's visibility timeout in this run; 0 where the broker acknowledges (RabbitMQ)."""
    return float(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0))
