"""How do I get one report per request, per double click and per beat, without a race?

One report per period and day while one is queued or running, whoever asks and how often.

A double click, two web servers, two beat processes at midnight: each tries to insert its row, and
the partial unique index ``one_active_report_per_period_and_day`` lets exactly one succeed. The
others read the winner's row and follow it. There is no check-then-act: the database decides.

Scenario 1 asks for it through ``settings.REPORT_CLAIMS`` (the produce task's ``start_report``) and
through the caps (``reportcaps.py``, a person's request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from celery_uncovered.toyex.models import Report

# A row that ended between our failed insert and our read frees the slot: insert again, a few times.
CLAIM_ATTEMPTS = 5


@dataclass(frozen=True)
class ReportClaim:
    """The report a request ends up with; ``existing``: someone else's, still queued or running."""

    report: Report
    existing: bool


def active_report(period: str, since: str) -> Report | None:
    """The queued or running report of ``period`` and ``since``, if there is one."""
    return Report.objects.filter(period=period, since=since, status__in=Report.ACTIVE).first()


def give_up_if_abandoned(report: Report) -> bool:
    """Fail an active report that has not moved for REPORT_CLAIM_STALE_SECONDS; True if it did.

    Moved: its row or one of its pages' rows was written (``Report.last_moved``).
    Its message was lost (a broker without persistence, a worker killed with early acks): without
    this bound it would hold its period and day for ever. One conditional UPDATE, so of two
    requests that find it stale only one fails it.
    """
    bound = timezone.now() - timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)
    if report.last_moved() >= bound:
        return False
    message = f"abandoned: no progress for {settings.REPORT_CLAIM_STALE_SECONDS:g}s"
    stale = Report.objects.filter(pk=report.pk, status__in=Report.ACTIVE, updated__lt=bound)
    return bool(
        stale.exclude(page_rows__updated__gte=bound).update(
            status=Report.Status.FAILED, error=message, updated=timezone.now()
        )
    )


def claim_report(
    task_id: str,
    period: str,
    since: str,
    status: str = "queued",
    ref_date: str = "",
    client: str = "",
) -> ReportClaim:
    """Insert report ``task_id`` for ``period``/``since``, or return the one already holding them.

    Also the answer when ``task_id`` itself exists (a message delivered twice): that row, existing.
    """
    for _ in range(CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    task_id=task_id,
                    period=period,
                    since=since,
                    status=status,
                    ref_date=ref_date,
                    client=client,
                )
            return ReportClaim(report, existing=False)
        except IntegrityError:
            holder = Report.objects.filter(task_id=task_id).first() or active_report(period, since)
        if holder is None:
            continue  # it ended between our insert and our read: the slot is free
        if holder.task_id != task_id and give_up_if_abandoned(holder):
            continue  # we failed an abandoned report: the slot is free
        return ReportClaim(holder, existing=True)
    raise RuntimeError(
        f"could not claim the {period} report of {since}: the database kept refusing"
    )
