"""Small waits and reads the fault tests share (fixtures: the plugin and tests/support/fixtures)."""

from django.conf import settings
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.hotrepos.report import stored_filename
from celery_uncovered.toyex.models import Report

GOLDEN_SINCE = "2026-11-17"  # a week before 2026-11-24


def golden_name(report_id: str) -> str:
    """The file the golden report of ``report_id`` is stored under (one file per report)."""
    return stored_filename(GOLDEN_SINCE, report_id)


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

    wait_until(others_in_and_page_asked, timeout, f"four pages in, page {page} in flight")


def finished_report(task_id: str, timeout: float) -> Report:
    """The report once it is done or failed (the row a person's status page reads)."""

    def finished() -> Report | None:
        report = Report.objects.filter(task_id=task_id).first()
        return report if report and report.status in ("done", "failed") else None

    return wait_until(finished, timeout, f"report {task_id} to finish")


def visibility_timeout() -> float:
    """Redis's visibility timeout in this run; 0 where the broker acknowledges (RabbitMQ)."""
    return float(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0))
