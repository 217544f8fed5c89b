"""Queue a report for a person (CLI and web): validate once, record, then send.

Which report answers a request, and whether one more may start, are patterns past the tutorial
(advex): asked of the module ``settings.REPORT_CAPS`` names, so this scenario never imports them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from celery.utils import uuid
from django.conf import settings

from celery_uncovered.messaging.sending import PERSON_RETRY_POLICY, send_for_a_person
from celery_uncovered.toyex.models import Report

from .dates import InvalidReportRequest, reference_date, report_request_errors, strf_date
from .tasks import produce_hot_repo_report


class Claim(Protocol):
    """The answer to a request: its report, and whether it was already under way."""

    report: Report
    existing: bool


def queue_report(
    period: str,
    ref_date: str | None = None,
    client: str = "",
    refused: dict[str, str] | None = None,
) -> Claim:
    """The claim (``.report``, ``.existing``) that answers this request; InvalidReportRequest
    (a ValueError with every field's problem) for bad input, nothing queued or written.

    ``refused`` holds problems the caller found in how the fields were sent (a form field sent
    twice): reported with the others, and nothing is queued. While a report of the same period and
    day is queued or running, that one is the answer (``existing``), and nothing is sent: a double
    click or a second web server gets one report. The row is written before the message is sent,
    under the id the task will run with, so a status page asked a millisecond later finds "queued"
    instead of an unknown id. The caps are checked in the transaction that writes it, before it
    exists (``claim_within_caps``): a refused request leaves no row for another to read.
    ``client`` is who asked ("" for the CLI).
    """
    errors = report_request_errors(period, ref_date, refused or {})
    if errors:
        raise InvalidReportRequest(errors)
    # "Today" is resolved once, here, and travels in the message: a report asked for at 23:59 and
    # run after midnight still covers the day the person meant.
    ref_date = reference_date(ref_date)
    task_id = uuid()
    caps = import_module(settings.REPORT_CAPS)
    try:
        claim: Claim = caps.claim_within_caps(
            task_id, period, strf_date(period, ref_date), ref_date, client
        )
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
