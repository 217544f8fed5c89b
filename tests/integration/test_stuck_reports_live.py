"""Beat's stuck-report check on a real worker: a report that can never finish is failed with a
notice and frees its period and day; one that still moves is left alone (advex/stuckreports.py)."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from celery_uncovered.advex.reportclaims import claim_report
from celery_uncovered.advex.tasks import fail_stuck_reports
from celery_uncovered.toyex.models import Report, ReportPage

pytestmark = pytest.mark.live


def running_report(since: str, pages_done: int, quiet_for: float) -> Report:
    """A report "running" with ``pages_done`` pages done, none of its rows moved for a while."""
    report = Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since=since, ref_date="", status="running"
    )
    for number in range(1, pages_done + 1):
        ReportPage.objects.create(report=report, number=number, state="done", repos=8)
    then = timezone.now() - timedelta(seconds=quiet_for)
    Report.objects.filter(pk=report.pk).update(updated=then)
    ReportPage.objects.filter(report=report).update(updated=then)
    return report


def test_beat_fails_a_report_whose_pages_are_all_done_and_frees_its_slot(celery_live_proc_worker):
    all_done = running_report("2026-11-10", 5, settings.REPORT_BUILD_GRACE + 5)
    stalled = running_report("2026-11-03", 2, settings.REPORT_STALL_AFTER + 5)
    moving = running_report("2026-10-27", 5, 1)  # its body may be on its way: not stuck yet

    failed = fail_stuck_reports.delay().get(timeout=30)

    assert set(failed) == {all_done.task_id, stalled.task_id}
    all_done.refresh_from_db()
    assert all_done.status == "failed"
    assert all_done.error == (
        "stopped: its 5 pages were fetched but the CSV was never built (a worker or the result "
        "store was lost on the way); ask for the report again"
    )
    stalled.refresh_from_db()
    assert stalled.error.startswith("stopped: nothing moved for ")
    assert "2 of 5 pages fetched" in stalled.error
    moving.refresh_from_db()
    assert moving.status == "running"
    # Asking again for the failed report's period and day starts a new report.
    claim = claim_report(str(uuid.uuid4()), "week", "2026-11-10", status="queued")
    assert not claim.existing


def test_the_check_is_on_beats_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["fail-stuck-reports"]
    assert entry["task"] == fail_stuck_reports.name
    assert entry["schedule"] == settings.REPORT_CHECK_EVERY
