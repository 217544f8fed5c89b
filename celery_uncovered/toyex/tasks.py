"""Scenario 1 tasks: thin wrappers that give the GitHub client and the report builder a queue."""

from __future__ import annotations

from celery import chord, group, shared_task
from django.conf import settings

from celery_uncovered.tricks.logs import LoggingTask

from . import github
from .dates import strf_date
from .models import PAGES_PER_REPORT, Report
from .report import write_report

ERROR_CHARS = 500


class ReportStepTask(LoggingTask):
    """A step of a report: a failure, once final, is written on the report for people to read."""

    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # noqa: ANN001
        # A step names its report; the produce task is the report (its id is the report's id).
        report_id = kwargs.get("report_id") or task_id
        Report.mark(report_id, Report.Status.FAILED, error=failure_message(exc))


def failure_message(exc: BaseException) -> str:
    """What a person reads on a failed report: the error's message, never a traceback."""
    return (str(exc) or type(exc).__name__)[:ERROR_CHARS]


def backoff_seconds(retries: int) -> float:
    """Exponential backoff for 5xx and network errors: base, 2*base, 4*base ... capped."""
    return min(settings.GITHUB_BACKOFF_BASE * 2**retries, settings.GITHUB_BACKOFF_CAP)


@shared_task(
    bind=True,
    base=ReportStepTask,
    name="celery_uncovered.toyex.tasks.fetch_hot_repos",
    max_retries=settings.GITHUB_MAX_RETRIES,
    # A GET is idempotent: ack after it ran, so a worker that dies mid-request loses nothing.
    acks_late=True,
    reject_on_worker_lost=True,
    # Rate-limit waits are countdowns, not sleeps: a time limit never cuts a waiting task short.
    soft_time_limit=60,
    time_limit=90,
)
def fetch_hot_repos(
    self: ReportStepTask, since: str, per_page: int = 100, page: int = 1, report_id: str = ""
) -> dict:
    """One page of the search; retries what GitHub says is worth retrying."""
    try:
        result = github.search_hot_repos(
            since, per_page, page, api_url=settings.GITHUB_API_URL, token=settings.GITHUB_TOKEN
        )
    except github.RateLimited as exc:
        if exc.wait > settings.GITHUB_MAX_WAIT:
            raise github.RateLimited(
                f"{exc}; that is longer than GITHUB_MAX_WAIT ({settings.GITHUB_MAX_WAIT:.0f}s)",
                exc.wait,
                exc.status,
            ) from None
        self.log_msg("page %s rate limited, retrying in %.0fs", page, exc.wait)
        raise self.retry(exc=exc, countdown=exc.wait) from None
    except github.GitHubError as exc:
        if not exc.retryable:
            raise
        wait = backoff_seconds(self.request.retries)
        self.log_msg("page %s failed (%s), retrying in %.1fs", page, exc, wait)
        raise self.retry(exc=exc, countdown=wait) from None
    if result.incomplete_results:
        self.logger.warning("GitHub returned incomplete results for page %s", page)
    if report_id:
        Report.page_fetched(report_id, result.incomplete_results)
    self.log_msg("page %s: %s repos", page, len(result.items))
    return result.as_dict()


@shared_task(bind=True, base=ReportStepTask, name="celery_uncovered.toyex.tasks.build_report_task")
def build_report_task(
    self: ReportStepTask, results: list[dict], since: str, report_id: str = ""
) -> str:
    """The chord's body: every page is in, write the CSV and return its path."""
    pages = [page["items"] for page in results]
    incomplete = any(page.get("incomplete_results") for page in results)
    if incomplete:
        self.logger.warning("report %s is built from incomplete search results", since)
    path = write_report(pages, since, settings.MEDIA_ROOT)
    if report_id:
        Report.mark(
            report_id, Report.Status.DONE, csv_name=path.name, incomplete_results=incomplete
        )
    self.log_msg("report written to %s", path)
    return str(path)


@shared_task(
    bind=True, base=ReportStepTask, name="celery_uncovered.toyex.tasks.produce_hot_repo_report"
)
def produce_hot_repo_report(self: ReportStepTask, period: str, ref_date: str | None = None) -> None:
    """Fan out five page fetches and chord them into the report, without blocking this worker.

    ``replace`` hands this task's id to the chord's body, so the id the caller holds resolves to the
    CSV path; the tutorial's ``.get()`` here would hold a worker slot hostage (Celery refuses it).
    """
    since = strf_date(period, ref_date)
    report_id = self.request.id
    Report.objects.update_or_create(
        task_id=report_id,
        defaults={"period": period, "since": since, "status": Report.Status.RUNNING},
    )
    pages = group(
        fetch_hot_repos.s(since, 100, page, report_id=report_id)
        for page in range(1, PAGES_PER_REPORT + 1)
    )
    raise self.replace(chord(pages, build_report_task.s(since, report_id=report_id)))


from .mail import report_error_task  # noqa: E402, F401  (registered under toyex.tasks)
