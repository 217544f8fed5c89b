"""What happens to a report whose chord was lost, and who notices?

Reports that will never finish on their own: found by beat, failed with a notice, slot freed.

A report waits on its chord, and a chord can be lost: a result the backend never stored, a
worker killed between a page and its result on a backend that counts every result, a body
lost with a broker. Such a report stayed "running" for good, kept its period and day (asking
again returned it) and one of the active slots. This check, run by beat, fails it with a
sentence a person can act on; a new request then starts a new report.

Its beat task is ``advex/tasks.py``'s ``fail_stuck_reports``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from celery_uncovered.toyex.models import Report

ASK_AGAIN = "; ask for the report again"


def stuck_reason(report: Report, now: datetime, build_grace: float, stall_after: float) -> str:
    """Why ``report`` will not finish by itself, or "" while it may still (it moved lately)."""
    quiet = now - report.last_moved()
    fetched = report.pages_fetched
    if fetched >= report.pages_total and quiet > timedelta(seconds=build_grace):
        return (
            f"stopped: its {fetched} pages were fetched but the CSV was never built (a worker or "
            "the result store was lost on the way)" + ASK_AGAIN
        )
    if quiet > timedelta(seconds=stall_after):
        return (
            f"stopped: nothing moved for {round(quiet.total_seconds() / 60)} min, "
            f"{fetched} of {report.pages_total} pages fetched" + ASK_AGAIN
        )
    return ""


def fail_stuck_reports(
    now: datetime | None = None,
    build_grace: float | None = None,
    stall_after: float | None = None,
) -> dict[str, str]:
    """Fail every running report that is stuck; returns {report id: the notice it now shows}.

    ``Report.fail`` changes only a report not yet done or failed, so a body that finishes at the
    same instant keeps its "done".
    """
    now = now or timezone.now()
    grace = settings.REPORT_BUILD_GRACE if build_grace is None else build_grace
    stall = settings.REPORT_STALL_AFTER if stall_after is None else stall_after
    failed: dict[str, str] = {}
    for report in Report.objects.filter(status=Report.Status.RUNNING):
        reason = stuck_reason(report, now, grace, stall)
        if reason and Report.fail(report.task_id, reason):
            failed[report.task_id] = reason
    return failed
