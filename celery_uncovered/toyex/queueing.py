"""Queue a report for a person (CLI and web): validate, record, then send."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from celery.utils import uuid
from django.conf import settings
from django.utils import timezone

from .dates import reference_date, strf_date, validate_report_request
from .models import Report
from .reportclaim import ReportClaim, claim_report
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


# A password inside a URL (scheme://user:password@host) that a broker's error might repeat.
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
REASON_CHARS = 300


class QueueUnavailable(RuntimeError):
    """The broker did not take the report: nothing was queued, the caller may try again."""

    status = 503


class TooManyReports(QueueUnavailable):
    """REPORT_MAX_ACTIVE reports are under way: nothing was queued, try when one has finished."""

    status = 429


def publish_failure_reason(exc: BaseException) -> str:
    """The broker's reason in one line for a person: no traceback, no password, not a page long."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    return URL_PASSWORD.sub(r"\1***@", reason)[:REASON_CHARS]


def queue_report(period: str, ref_date: str | None = None) -> ReportClaim:
    """The report that answers this request; ValueError for bad input (nothing queued or written).

    While a report of the same period and day is queued or running, that one is the answer
    (``existing``), and nothing is sent: a double click or a second web server gets one report.
    The row is written before the message is sent, under the id the task will run with, so a status
    page asked a millisecond later finds "queued" instead of an unknown id.
    """
    period, ref_date = validate_report_request(period, ref_date)
    # "Today" is resolved once, here, and travels in the message: a report asked for at 23:59 and
    # run after midnight still covers the day the person meant.
    ref_date = reference_date(ref_date)
    claim = claim_report(uuid(), period, strf_date(period, ref_date), ref_date=ref_date)
    if claim.existing:
        return claim
    report = claim.report
    refuse_past_the_cap(report)
    send_for_a_person(
        lambda: produce_hot_repo_report.apply_async(
            (period, ref_date), task_id=report.task_id, retry_policy=PERSON_RETRY_POLICY
        ),
        undo=report.delete,
    )
    return claim


def refuse_past_the_cap(report: Report) -> None:
    """Undo ``report`` and refuse it when REPORT_MAX_ACTIVE others are queued or running.

    Each report costs five GitHub searches from one token's quota, and anyone who can reach the
    form can ask for one per day since 2008: a cap on work under way keeps the quota for real
    requests. A count, not a claim: two requests at the cap's edge may both pass, which is fine
    for a budget. Reports abandoned long ago (REPORT_CLAIM_STALE_SECONDS) do not count.
    """
    bound = timezone.now() - timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)
    others = Report.objects.filter(status__in=Report.ACTIVE, updated__gte=bound).exclude(
        pk=report.pk
    )
    if others.count() >= settings.REPORT_MAX_ACTIVE:
        report.delete()
        raise TooManyReports(
            f"too many reports under way ({settings.REPORT_MAX_ACTIVE}), nothing was queued: "
            "try again when one has finished"
        )


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
