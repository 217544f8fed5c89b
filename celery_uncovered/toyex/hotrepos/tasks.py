"""Scenario 1 tasks: thin wrappers that give the GitHub client and the report builder a queue."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any, NoReturn

from billiard.einfo import ExceptionInfo
from celery import Task, chord, group, shared_task, signals, states
from celery.exceptions import Ignore
from celery.result import AsyncResult
from celery.utils import uuid
from celery.utils.log import get_task_logger
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from celery_uncovered.messaging.countdowns import broker_countdown
from celery_uncovered.toyex.models import (
    PAGES_PER_REPORT,
    Report,
    ReportPage,
    finish_page,
    record_page,
    report_csv_path,
)

from . import github
from .dates import reference_date, strf_date, validate_report_request
from .progress import record_page_beside, settle
from .report import render_csv, report_filename, report_rows, write_atomically

ERROR_CHARS = 500


def failure_message(exc: BaseException, page: int | None = None, retries: int = 0) -> str:
    """What a person reads on a failed report: the page, the message, never a traceback.

    Nor a server path: an OSError names the file it failed on, shown relative to MEDIA_ROOT.
    """
    text = str(exc) or type(exc).__name__
    for folder, shown_as in ((settings.MEDIA_ROOT, "MEDIA_ROOT"), (settings.BASE_DIR, "BASE_DIR")):
        text = text.replace(str(folder), shown_as)
    if page is not None:
        text = f"page {page}: {text}"
    if retries:
        text += f" (gave up after {retries} retries)"
    return text[:ERROR_CHARS]


def seconds(wait: float) -> str:
    """A wait as a person reads it: "2s", "0.4s" (never "2.0s" beside "2s")."""
    return f"{round(wait, 1):g}s"


def clear_notice_of_page(report_id: str, page: int) -> None:
    """Take page ``page``'s retry notice off the report, once that page is fetched again."""
    if report_id:
        Report.objects.filter(task_id=report_id, notice__startswith=f"page {page}:").update(
            notice=""
        )


def retry_notice(page: int, exc: BaseException, wait: float) -> str:
    """Why a page is late, in one sentence with one wait: the reason, then when we try again."""
    reason = (str(exc) or type(exc).__name__).rstrip(". ")
    return f"page {page}: {reason}; trying again in {seconds(wait)}"[:ERROR_CHARS]


class ReportAlreadyFailed(Exception):
    """Another page failed this report: this page stops instead of asking GitHub again."""


def stop_if_report_failed(report_id: str, page: int) -> None:
    """Raise ReportAlreadyFailed when a sibling page already failed the report.

    Checked when a fetch starts and before it schedules a retry, so a failed report's pages stop
    within one retry (a revoke would need every worker to keep the revoked ids); the failure this
    raises is not written over the first (``Report.fail``).
    """
    if report_id and Report.has_failed(report_id):
        raise ReportAlreadyFailed(f"page {page}: stopped, the report has already failed")


class ReportStepTask(Task):  # type: ignore[type-arg]  # Task[P, R] is not subscriptable at run time
    """A step of a report: a failure, once final, is written on the report for people to read."""

    abstract = True
    # Celery's "Task ... succeeded in 0.3s: <result>" line shows at most this much of the result
    # (a page's result is its whole search answer: hundreds of lines in the worker's log).
    resultrepr_maxsize = 120

    @property
    def logger(self) -> logging.Logger:
        """The task's own logger: in a real worker scenario 3 (tricks/logs.py) gives it a file."""
        return get_task_logger(self.name)

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        settle(task_id)
        # A step names its report; the produce task is the report (its id is the report's id).
        report_id = kwargs.get("report_id") or task_id
        message = failure_message(exc, kwargs.get("page"), self.request.retries)
        Report.fail(report_id, message)
        if kwargs.get("page"):
            record_page(report_id, kwargs["page"], ReportPage.State.FAILED)


@signals.task_internal_error.connect
def fail_report_of_a_lost_result(
    sender: object = None,
    task_id: str | None = None,
    kwargs: dict[str, Any] | None = None,
    exception: BaseException | None = None,
    **more: object,
) -> None:
    """A step's result could not be stored, even after the backend's retries: fail the report.

    Celery then acknowledges the message and calls no ``on_failure`` (storing the failure fails
    too), so without this the report stayed "running" for good. Where the database is what is
    down, this cannot write either; the stuck-report check fails the report later
    (advex/stuckreports.py).
    """
    if not isinstance(sender, ReportStepTask) or not task_id:
        return
    kwargs = kwargs or {}
    # Past the retries Celery raises BackendStoreError from the backend's own error: name that.
    root = exception and (exception.__cause__ or exception.__context__ or exception)
    detail = f"{type(root).__name__}: {root}" if root else "no answer"
    problem = RuntimeError(f"the result store did not take its result ({detail}); ask again")
    try:
        Report.fail(
            kwargs.get("report_id") or task_id, failure_message(problem, kwargs.get("page"))
        )
    except DatabaseError:
        sender.logger.warning("report of task %s: could not be marked failed either", task_id)


class ReportRequestTask(ReportStepTask):
    """The report's entry task: a bad period or date is refused before anything is queued."""

    abstract = True

    def apply_async(
        self,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        *more: Any,
        **options: Any,
    ) -> AsyncResult[Any]:
        validate_report_request(*(args or ()), **(kwargs or {}))
        return super().apply_async(args, kwargs, *more, **options)


def backoff_seconds(retries: int) -> float:
    """Exponential backoff for 5xx and network errors: base, 2*base, 4*base ... capped."""
    return get_exponential_backoff_interval(
        settings.GITHUB_BACKOFF_BASE, retries, settings.GITHUB_BACKOFF_CAP
    )


@shared_task(
    bind=True,
    base=ReportStepTask,
    name="celery_uncovered.toyex.tasks.fetch_hot_repos",
    max_retries=settings.GITHUB_MAX_RETRIES,
    # GitHub's answers and a sibling's failure are expected: the worker logs them in one line,
    # without a traceback (a bug still gets one); the task's own file has a WARNING (logs.py).
    throws=(github.GitHubError, ReportAlreadyFailed),
    # A GET is idempotent: ack after it ran, so a worker that dies mid-request loses nothing.
    acks_late=True,
    # The page's own row says "fetching" (progress.py); a STARTED state too would be one more
    # result-backend write per page at the fan-out's busiest instant (on django-db, five writes
    # to the database at once). Celery's default; the app's is on (settings).
    track_started=False,
    reject_on_worker_lost=True,
    # Rate-limit waits are countdowns, not sleeps: a time limit never cuts a waiting task short.
    # The limits only stop a request that hangs; the soft one exceeds connect + read timeouts.
    soft_time_limit=settings.GITHUB_FETCH_TIME_LIMIT * 2 / 3,
    time_limit=settings.GITHUB_FETCH_TIME_LIMIT,
)
def fetch_hot_repos(
    self: ReportStepTask, since: str, per_page: int = 100, page: int = 1, report_id: str = ""
) -> dict[str, Any]:
    """One page of the search; retries what GitHub says is worth retrying."""
    stop_if_report_failed(report_id, page)
    # Beside the request, not before it (progress.py): five of these at once queue on SQLite.
    in_worker = not (self.request.is_eager or self.request.called_directly)
    record_page_beside(self.request.id, report_id, page, ReportPage.State.FETCHING, not in_worker)
    if self.request.retries:  # the wait is over: its notice ("trying again in 4s") goes
        clear_notice_of_page(report_id, page)
    try:
        result = github.search_hot_repos(
            since,
            per_page,
            page,
            api_url=settings.GITHUB_API_URL,
            token=settings.GITHUB_TOKEN,
            timeout=(settings.GITHUB_CONNECT_TIMEOUT, settings.GITHUB_READ_TIMEOUT),
        )
    except github.RateLimited as exc:
        if exc.wait > settings.GITHUB_MAX_WAIT:
            raise github.RateLimited(
                f"{exc}; GitHub asked to wait {seconds(exc.wait)}, longer than GITHUB_MAX_WAIT "
                f"({seconds(settings.GITHUB_MAX_WAIT)})",
                exc.wait,
                exc.status,
            ) from None
        retry_later(self, page, report_id, exc, exc.wait)
    except github.GitHubError as exc:
        if not exc.retryable:
            raise
        retry_later(self, page, report_id, exc, backoff_seconds(self.request.retries))
    if result.incomplete_results:
        self.logger.warning("GitHub returned incomplete results for page %s", page)
    settle(self.request.id)  # the "fetching" row first: a page's rows never arrive out of order
    # Done before the result is returned, not after (on_success). A copy that finds the page
    # done (an earlier copy died after this line, or still runs) returns its result all the
    # same where the chord counts each page once (advex/chords.py): the earlier copy
    # may have died before its result was counted, and only a result completes the chord.
    if not finish_page(report_id, page, len(result.items)):
        if not getattr(self.backend, "counts_each_header_task_once", False):
            stop_as_a_second_copy(self, page, result.as_dict())
        self.logger.debug("page %s: an earlier copy of this message marked it done", page)
    if report_id and result.incomplete_results:
        Report.objects.filter(task_id=report_id).update(incomplete_results=True)
    self.logger.debug("page %s: %s repos", page, len(result.items))
    return result.as_dict()


def stop_as_a_second_copy(task: ReportStepTask, page: int, value: dict[str, Any]) -> NoReturn:
    """Another copy of this page's message finished it: store the result, count nothing twice.

    Only on a result backend whose chords count every result (Redis): there a copy whose
    earlier copy died between ``finish_page`` and its result leaves the chord one short (the
    periodic check, ``advex/stuckreports.py``, fails that report). A broker node lost with an
    ack (or a
    worker's connection) delivers a page again, and both copies may finish. The chord counts
    results: a second one for the page would start the build before the last page is in (the
    cluster fault test saw it). This copy stores its result, the same GET's, without telling the
    chord (``store_result``, not ``mark_as_done``), and stops without a state (``Ignore``).
    """
    # A worker always sets the id; the stub's None is for a task called as a plain function.
    task.backend.store_result(task.request.id, value, states.SUCCESS, request=task.request)  # type: ignore[arg-type]
    task.logger.debug("page %s: another copy of this message already finished it", page)
    raise Ignore()


def retry_later(
    task: ReportStepTask, page: int, report_id: str, exc: github.GitHubError, wait: float
) -> NoReturn:
    """Say on the report why a page is late, then hand the page back to the broker to wait."""
    wait = broker_countdown(wait)
    settle(task.request.id)
    stop_if_report_failed(report_id, page)
    # Celery's None means no limit: there is a next try to announce.
    if task.max_retries is None or task.request.retries < task.max_retries:
        notice = retry_notice(page, exc, wait)
        task.logger.debug(notice)
        if report_id:
            Report.objects.filter(task_id=report_id).update(notice=notice)
            record_page(report_id, page, ReportPage.State.RETRYING, retry_in=wait)
    raise task.retry(exc=exc, countdown=wait) from None


@shared_task(
    bind=True,
    base=ReportStepTask,
    name="celery_uncovered.toyex.tasks.build_report_task",
    # The report's row says "running" from the produce task on; nobody reads the body's STARTED.
    track_started=False,
)
def build_report_task(
    self: ReportStepTask, results: list[dict[str, Any]], since: str, report_id: str = ""
) -> str:
    """The chord's body: every page is in, write the report's own CSV and return its path.

    Called through ``produce_hot_repo_report`` its id is the report's; called alone, its own id
    names the file.
    """
    pages = [page["items"] for page in results]
    incomplete = any(page.get("incomplete_results") for page in results)
    if incomplete:
        self.logger.warning("report %s is built from incomplete search results", since)
    # A task run by a worker has its id; the stub's None is a task called as a function.
    path = report_csv_path(since, report_id or self.request.id)  # type: ignore[arg-type]
    rows = report_rows(pages)
    text = render_csv(rows)
    # The worker's own copy (the task's result, the CLI's path), atomically; a second delivery
    # writes the same bytes over it. The web serves the copy in the database.
    write_atomically(path, text, settings.REPORT_FILE_MODE)
    if report_id:
        Report.mark(
            report_id,
            Report.Status.DONE,
            csv_name=report_filename(since),
            csv_content=text,
            incomplete_results=incomplete,
            notice="",
            languages_count=len(rows),
            repos_count=sum(len(row) - 1 for row in rows),
        )
    self.logger.debug("report written to %s", path)
    return str(path)


# What start_report answers for a second delivery of a produce message that already started.
DUPLICATE = "duplicate"


def start_report(report_id: str, period: str, since: str, ref_date: str = "") -> str:
    """Claim report ``report_id`` for this run of the produce task: the one that sends its chord.

    Returns ``report_id`` when this run is to send the chord; ``DUPLICATE`` when this very
    message already started it (a redelivery: a lost ack, Redis's visibility timeout); or the
    id of another report of the same period and day still queued or running (two beats at
    midnight), which this run follows instead. Each answer comes from one atomic statement.
    """
    queued = Report.objects.filter(task_id=report_id, status=Report.Status.QUEUED)
    if queued.update(status=Report.Status.RUNNING, updated=timezone.now()):
        return report_id  # the row queue_report wrote: ours now, and no other copy's
    # One report per period and day, whoever asks: a pattern past the tutorial (advex).
    claims = import_module(settings.REPORT_CLAIMS)
    claim = claims.claim_report(
        report_id, period, since, status=Report.Status.RUNNING, ref_date=ref_date
    )
    if not claim.existing:
        return report_id  # beat or send_task: no row before, our insert is the claim
    return DUPLICATE if claim.report.task_id == report_id else claim.report.task_id


@shared_task(
    bind=True,
    base=ReportRequestTask,
    name="celery_uncovered.toyex.tasks.produce_hot_repo_report",
)
def produce_hot_repo_report(
    self: ReportRequestTask, period: str, ref_date: str | None = None
) -> str:
    """Fan out five page fetches and chord them into the report, without blocking this worker.

    ``replace`` hands this task's id to the chord's body, so the id the caller holds resolves to the
    CSV path; the tutorial's ``.get()`` here would hold a worker slot hostage (Celery refuses it).
    Checked again here: beat and ``send_task`` do not pass through ``apply_async``. Safe to run
    twice, and safe for two beats: only the run that claims the report sends a chord
    (``start_report``); the others follow the report that holds the period and day.
    """
    period, ref_date = validate_report_request(period, ref_date)
    since = strf_date(period, ref_date)
    report_id = self.request.id
    # A task run by a worker has its id; the stub's None is a task called as a function.
    holder = start_report(report_id, period, since, reference_date(ref_date))  # type: ignore[arg-type]
    if holder == DUPLICATE:
        self.logger.debug(
            "report %s: a second delivery of its message, its chord runs already", since
        )
        raise Ignore()  # no state stored: the id's result stays the chord's CSV path
    if holder != report_id:
        self.logger.debug("%s report of %s is already queued or running: %s", period, since, holder)
        return holder
    page_ids = [uuid() for _ in range(PAGES_PER_REPORT)]
    pages = group(
        fetch_hot_repos.s(since, per_page=100, page=page, report_id=report_id).set(task_id=page_id)
        for page, page_id in enumerate(page_ids, start=1)
    )
    self.logger.info("report %s (%s since %s): fetching its pages", report_id, period, since)
    try:
        raise self.replace(chord(pages, build_report_task.s(since, report_id=report_id)))
    finally:
        forget_results(self.backend, page_ids)


def forget_results(backend: object, task_ids: list[str]) -> None:
    """Stop listening for results this worker process will never read.

    Sending a group, Celery subscribes the sender to each task's result (``result.then``, for a
    barrier): right for a client that waits, wrong in a worker, which must not wait. On the
    Redis backend that left every produce process subscribed to the channels of all the pages
    it ever sent, unread: each page's result (about 20 kB) piled up on a connection nobody
    reads, until Redis dropped it at its pub/sub buffer limit, and the reconnect fetched (MGET)
    every result it had ever subscribed to before the next chord could go (bench/results.md).
    Backends without a result consumer (django-db) subscribe nothing.
    """
    consumer = getattr(backend, "result_consumer", None)
    if consumer is None:
        return
    for task_id in task_ids:
        consumer.cancel_for(task_id)
