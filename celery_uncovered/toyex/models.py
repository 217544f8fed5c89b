"""A report's progress, in the database so that every worker, the web page and the CLI see it."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from .hotrepos.report import report_filename, stored_filename

PAGES_PER_REPORT = 5


def report_csv_path(since: str, report_id: str) -> Path:
    """Where the CSV of report ``report_id`` lives: the one place that knows (tasks, views, CLI)."""
    return Path(settings.MEDIA_ROOT) / stored_filename(since, report_id)


class ReportQuerySet(models.QuerySet["Report"]):
    def with_pages_fetched(self) -> ReportQuerySet:
        """Each report with its count of fetched pages, in the same query (lists of reports)."""
        fetched = Count("page_rows", filter=Q(page_rows__state="done"))
        return self.annotate(fetched_rows=fetched)


class Report(models.Model):
    """One request for a hot-repo report, keyed by the id of the task that produces it.

    No counter of fetched pages lives here: five pages finishing at once would all write this one
    row, and queue on its lock in the middle of the fan-out. ``pages_fetched`` counts the pages'
    own rows (ReportPage) when it is read.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    task_id = models.CharField(max_length=64, unique=True)
    period = models.CharField(max_length=8)
    since = models.CharField(max_length=10, blank=True)
    # The day the period is counted back from (YYYY-MM-DD): what the report's page and the
    # history name; ``since`` alone cannot give it back (a month before Mar 28..31 is Feb 28).
    ref_date = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    pages_total = models.PositiveSmallIntegerField(default=PAGES_PER_REPORT)
    incomplete_results = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    # Why the report is slower than usual right now (a rate limit, a retry): for the status page.
    notice = models.CharField(max_length=500, blank=True)
    # The name a person sees once the report is done; the worker's own copy is ``csv_path``.
    csv_name = models.CharField(max_length=64, blank=True)
    # Written with the CSV, for the history and the summary: rows of the CSV, unique repositories.
    languages_count = models.PositiveIntegerField(null=True, blank=True)
    repos_count = models.PositiveIntegerField(null=True, blank=True)
    # The CSV itself, written with "done" in one UPDATE: the web serves it from here, so it needs
    # no disk shared with the worker that built it (README, Decisions).
    csv_content = models.TextField(blank=True)
    # Who asked (the web client's address, clients.client_address); "" for the CLI and beat. The
    # per-client cap counts a client's reports under way (advex/reportcaps.py).
    client = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        constraints = [
            # The claim behind "one report per request": while a report of a period and day is
            # queued or running, a second row for them cannot exist (advex/reportclaims.py).
            models.UniqueConstraint(
                fields=["period", "since"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_report_per_period_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.task_id} ({self.period}, {self.status})"

    @property
    def csv_path(self) -> Path:
        """This report's own CSV (ValueError if the row's date or id could not name one)."""
        return report_csv_path(self.since, self.task_id)

    @property
    def download_name(self) -> str:
        """The tutorial's name, ``github-hot-repos-<since>.csv``, for the person downloading."""
        return report_filename(self.since)

    @property
    def pages_fetched(self) -> int:
        """Pages in: all of them once the report is done, else its page rows marked done.

        A row per page, so a page fetched twice (a redelivery) is still one page. Read from the
        list's annotation when there is one (``with_pages_fetched``), else counted now.
        """
        if self.status == self.Status.DONE:
            return self.pages_total
        fetched = getattr(self, "fetched_rows", None)
        if fetched is None:
            fetched = self.page_rows.filter(state=ReportPage.State.DONE).count()
        return min(fetched, self.pages_total)

    def last_moved(self) -> datetime:
        """When the report last moved: its own row, or the latest of its pages' rows."""
        latest = self.page_rows.aggregate(latest=Max("updated"))["latest"]
        return max(self.updated, latest) if latest else self.updated

    @classmethod
    def fail(cls, task_id: str, error: str) -> bool:
        """Fail the report unless it already ended; False when an earlier outcome stands.

        One conditional UPDATE, so of two pages failing at once only the first is shown: a later
        error (often a consequence of the first) never replaces the reason a person needs.
        """
        ended = (cls.Status.FAILED, cls.Status.DONE)
        updated = (
            cls.objects.filter(task_id=task_id)
            .exclude(status__in=ended)
            .update(status=cls.Status.FAILED, error=error, updated=timezone.now())
        )
        return bool(updated)

    @classmethod
    def has_failed(cls, task_id: str) -> bool:
        """Whether a step of this report already failed it (its other steps can stop)."""
        return cls.objects.filter(task_id=task_id, status=cls.Status.FAILED).exists()

    @classmethod
    def mark(cls, task_id: str, status: str, **fields: object) -> None:
        cls.objects.filter(task_id=task_id).update(status=status, updated=timezone.now(), **fields)


class ReportPage(models.Model):
    """Where one of a report's five search pages is: a row per page, so five fetches finishing
    at once each write their own row and never wait on, or overwrite, each other.

    No row yet means the page waits for a worker.
    """

    class State(models.TextChoices):
        WAITING = "waiting"
        FETCHING = "fetching"
        RETRYING = "retrying"
        DONE = "done"
        FAILED = "failed"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="page_rows")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.WAITING)
    # Repositories on the page as GitHub sent them (pages may overlap: the CSV counts each once).
    repos = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_row_per_report_page")
        ]

    def __str__(self) -> str:
        return f"page {self.number} of report {self.report_id}: {self.state}"


def _page_row(report_id: str) -> int | None:
    """The pk of report ``report_id``'s row, or None (a task called alone records nothing)."""
    if not report_id:
        return None
    return Report.objects.filter(task_id=report_id).values_list("pk", flat=True).first()


def record_page(
    report_id: str, number: int, state: str, repos: int = 0, retry_in: float | None = None
) -> None:
    """Write where page ``number`` of report ``report_id`` is (with ``finish_page``, the only
    writers of ReportPage).

    One row per page, written by the one task that holds that page: concurrent pages never touch
    the same row. A page once done stays done: a second copy of its message (redelivered after
    an ack was lost with a broker node) does not show it fetching again (nor does a "fetching"
    row written late by the background writer, ``progress.py``). A report without a row (a task
    called alone) records nothing.
    """
    pk = _page_row(report_id)
    if pk is None:
        return
    retry_at = None if retry_in is None else timezone.now() + timedelta(seconds=retry_in)
    fields = {"state": state, "repos": repos, "retry_at": retry_at, "updated": timezone.now()}
    rows = ReportPage.objects.filter(report_id=pk, number=number)
    if rows.exclude(state=ReportPage.State.DONE).update(**fields) or rows.exists():
        return
    with contextlib.suppress(IntegrityError), transaction.atomic():
        ReportPage.objects.create(report_id=pk, number=number, **fields)


def finish_page(report_id: str, number: int, repos: int) -> bool:
    """Mark page ``number`` done; False if another copy of the same page's message already did.

    The claim that keeps a page counted once: the chord counts results, not pages, so a second
    result for one page lets the build start before the last page is in. One conditional
    UPDATE (or the insert under ``one_row_per_report_page``): only one copy can win it.
    """
    pk = _page_row(report_id)
    if pk is None:
        return True
    fields = {"state": ReportPage.State.DONE, "repos": repos, "retry_at": None}
    rows = ReportPage.objects.filter(report_id=pk, number=number)
    if rows.exclude(state=ReportPage.State.DONE).update(**fields, updated=timezone.now()):
        return True
    if rows.exists():
        return False
    try:
        with transaction.atomic():
            ReportPage.objects.create(report_id=pk, number=number, **fields)
    except IntegrityError:
        return False
    return True


class ErrorMailClaim(models.Model):
    """One error's e-mail in one throttle window: the first to insert the row sends the mail.

    The unique constraint is the claim, so it holds across web processes and hosts; later
    identical errors in the window only add to ``count``, which the summary e-mail reports.
    """

    fingerprint = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    window_seconds = models.FloatField()
    # What the summary names: logger, exception class and route, never attacker-chosen values.
    description = models.CharField(max_length=300)
    count = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "window_start"], name="one_error_mail_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.count} since {self.window_start:%H:%M:%S}"


class MailTaskClaim(models.Model):
    """One e-mail task id being sent, or sent: a duplicate delivery of that id finds it and stops.

    The unique ``task_id`` is the claim (advex/mailclaims.py). ``sent`` is set once SMTP took the
    mail; a claim neither sent nor renewed for ``MAIL_CLAIM_STALE_SECONDS`` belongs to a sender
    that died, and the next copy takes it over, so no mail is lost.
    """

    task_id = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"mail task {self.task_id} ({'sent' if self.sent else 'claimed'})"
