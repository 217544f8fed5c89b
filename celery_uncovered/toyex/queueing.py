"""Queue a report for a person (CLI and web): validate, record, then send."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from celery.utils import uuid
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .dates import reference_date, strf_date, validate_report_request
from .models import Report
from .reportclaim import ReportClaim, active_report, claim_report, give_up_if_abandoned
from .resultstore import result_store_problem
from .tasks import produce_hot_repo_report

# A person waits for this answer: two quick retries, then "try again" (a worker's own sends ride
# out a longer outage, see CELERY_TASK_PUBLISH_RETRY_POLICY).
PERSON_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}


# The advisory lock the report caps are counted under (any fixed number; "cu" 0x6375).
CLAIM_LOCK_KEY = 0x6375_0001

# A password inside a URL (scheme://user:password@host) that a broker's error might repeat.
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
REASON_CHARS = 300


class QueueUnavailable(RuntimeError):
    """The broker did not take the report: nothing was queued, the caller may try again."""

    status = 503
    # Seconds a client should wait before asking again (Retry-After): a broker back in seconds.
    retry_after = 10


class TooManyReports(QueueUnavailable):
    """REPORT_MAX_ACTIVE reports are under way: nothing was queued, try when one has finished."""

    status = 429
    # A report takes about a minute on GitHub's search quota; one slot frees when one finishes.
    retry_after = 30


def publish_failure_reason(exc: BaseException) -> str:
    """The broker's reason in one line for a person: no traceback, no password, not a page long."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    return URL_PASSWORD.sub(r"\1***@", reason)[:REASON_CHARS]


def queue_report(period: str, ref_date: str | None = None, client: str = "") -> ReportClaim:
    """The report that answers this request; ValueError for bad input (nothing queued or written).

    While a report of the same period and day is queued or running, that one is the answer
    (``existing``), and nothing is sent: a double click or a second web server gets one report.
    The row is written before the message is sent, under the id the task will run with, so a status
    page asked a millisecond later finds "queued" instead of an unknown id. The caps are checked
    in the transaction that writes it, before it exists (``claim_within_caps``): a refused request
    leaves no row for another to read. ``client`` is who asked ("" for the CLI).
    """
    period, ref_date = validate_report_request(period, ref_date)
    # "Today" is resolved once, here, and travels in the message: a report asked for at 23:59 and
    # run after midnight still covers the day the person meant.
    ref_date = reference_date(ref_date)
    task_id = uuid()
    try:
        claim = claim_within_caps(task_id, period, strf_date(period, ref_date), ref_date, client)
        if claim.existing:
            return claim
        send_for_a_person(
            lambda: produce_hot_repo_report.apply_async(
                (period, ref_date), task_id=task_id, retry_policy=PERSON_RETRY_POLICY
            ),
            undo=claim.report.delete,
        )
    except KeyboardInterrupt:
        # Ctrl-C in the CLI anywhere from the insert to the broker's answer (a hung broker): the
        # row must not stay "queued" with no message behind it; it answered every web POST for
        # its day for an hour. Only our own id: an existing report is someone else's.
        Report.objects.filter(task_id=task_id).delete()
        raise
    return claim


def claim_within_caps(
    task_id: str, period: str, since: str, ref_date: str, client: str
) -> ReportClaim:
    """The report under way for ``period``/``since``, or a new row if the caps allow one.

    Each report costs five GitHub searches from one token's quota, and anyone who can reach the
    form can ask for one per day since 2008: REPORT_MAX_ACTIVE bounds the work under way, and
    REPORT_MAX_ACTIVE_PER_CLIENT keeps one client from taking every slot. Checked and written in
    one transaction under one lock (``lock_claims``), so parallel requests at the cap's edge see
    each other: the last slot goes to one. Reports abandoned long ago do not count.
    """
    bound = timezone.now() - timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)
    with transaction.atomic():
        lock_claims()
        holder = active_report(period, since)
        if holder is not None and not give_up_if_abandoned(holder):
            return ReportClaim(holder, existing=True)  # asking again is no new work
        under_way = Report.objects.filter(status__in=Report.ACTIVE, updated__gte=bound)
        if under_way.count() >= settings.REPORT_MAX_ACTIVE:
            raise TooManyReports(
                f"too many reports under way ({settings.REPORT_MAX_ACTIVE}), nothing was queued: "
                "try again when one has finished"
            )
        limit = settings.REPORT_MAX_ACTIVE_PER_CLIENT
        if client and under_way.filter(client=client).count() >= limit:
            raise TooManyReports(
                f"you have {limit} reports under way, the most one client may have: nothing was "
                "queued, try again when one has finished"
            )
        # The row, under the same lock (the partial unique index is still the last word).
        return claim_report(task_id, period, since, ref_date=ref_date, client=client)


def lock_claims() -> None:
    """Serialise the caps' count-then-insert across web processes, until the transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: the settings' IMMEDIATE transactions
    already hold the database's one write lock from BEGIN. Other databases get no lock: two
    requests at the cap's edge may then both pass (a budget, not a guarantee).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK_KEY])


def send_for_a_person(send: Callable[[], object], undo: Callable[[], object]) -> None:
    """Publish what a person asked for; if the broker does not take it, undo its record.

    Any failure to publish (refused login, unknown vhost, unreachable, a bad URL) means the same
    to a person: nothing was queued. Kombu wraps only some in OperationalError; py-amqp's
    AccessRefused and NotAllowed arrive raw. The record goes, or a status page says "queued"
    forever. Every route that queues work for a person sends through here. A Redis result store
    is asked first (``resultstore``): Celery would wait out its whole retry policy at the send.
    """
    problem = result_store_problem(produce_hot_repo_report.app)
    if problem is not None:
        undo()
        reason = publish_failure_reason(problem)
        raise QueueUnavailable(
            f"the result store is unavailable, nothing was queued ({reason})"
        ) from problem
    try:
        send()
    except Exception as exc:
        undo()
        raise QueueUnavailable(
            f"the task queue is unavailable, nothing was queued ({publish_failure_reason(exc)})"
        ) from exc
