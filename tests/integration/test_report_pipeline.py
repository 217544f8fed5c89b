"""Scenario 1 live: five fetches on a real worker, chorded into the CSV, against replayed GitHub."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks.logs import task_log_path
from tests.support.github_recordings import GOLDEN

pytestmark = pytest.mark.live


def search_pages(github) -> list[int]:
    return [int(seen["query"]["page"]) for seen in github.state.seen]


def test_the_report_is_built_by_a_real_worker_from_five_pages(threads_worker, github):
    """The id the caller holds resolves to the report's own CSV; it equals the golden report."""
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    path = Path(threads_worker.wait(result, timeout=60))
    report = Report.objects.get(task_id=result.id)
    assert path == report.csv_path
    assert path.parent == Path(settings.MEDIA_ROOT)
    assert path.read_bytes() == GOLDEN.read_bytes()
    assert sorted(search_pages(github)) == [1, 2, 3, 4, 5]
    assert (report.status, report.pages_fetched, report.csv_name) == (
        "done",
        5,
        "github-hot-repos-2026-11-17.csv",
    )


def test_the_produce_task_never_blocks_a_worker_slot(single_slot_worker, github):
    """With one slot, a produce task waiting on its fetches would deadlock; ours replaces itself."""
    result = produce_hot_repo_report.delay("day", "2026-11-24")
    path = Path(single_slot_worker.wait(result, timeout=60))
    assert path.read_bytes() == GOLDEN.read_bytes()


def test_a_rate_limited_page_is_retried_after_retry_after(threads_worker, github):
    """A 403 with Retry-After: 1 on page 3 is retried a second later; the report is still whole."""
    github.state.add_fault(3, "403", wait=1)
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    path = Path(threads_worker.wait(result, timeout=60))
    assert path.read_bytes() == GOLDEN.read_bytes()
    page3 = [seen["at"] for seen in github.state.seen if seen["query"]["page"] == "3"]
    assert len(page3) == 2
    assert page3[1] - page3[0] >= 1.0


def test_progress_is_visible_while_the_report_runs(threads_worker, github):
    """With slow pages, a reader of the Report row sees pages arrive one by one."""
    github.state.latency = 0.3
    github.state.add_fault(5, "slow", wait=2)
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    seen = set()

    def done() -> bool:
        report = Report.objects.filter(task_id=result.id).first()
        seen.add(report and report.pages_fetched)
        return bool(report and report.status == "done")

    threads_worker.wait_until(done, 30, f"report {result.id} to be done")
    threads_worker.wait(result, timeout=30)
    assert 4 in seen, seen
    assert 5 in seen, seen


def test_celery_beat_sends_a_scheduled_entry_that_a_worker_runs(celery_live_proc_worker, tmp_path):
    """A real `celery beat` with a per-second entry: the worker runs it (its log says so)."""
    log_file = task_log_path("celery_uncovered.tricks.tasks.add", settings.LOGS_DIR)
    before = log_file.read_text().count("Result of 7 + 8 = 15") if log_file.exists() else 0
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_RUN_ID": settings.TEST_RUN_ID,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "TEST_BEAT_EVERY_SECOND": "1",
        "CELERY_TASK_DEFAULT_QUEUE": celery_live_proc_worker.queue,
    }

    def ran() -> int:
        count = log_file.read_text().count("Result of 7 + 8 = 15") if log_file.exists() else 0
        return count if count > before else 0

    beat_log = (tmp_path / "beat.log").open("wb")
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_uncovered", "beat", "-l", "INFO",
         "-s", str(tmp_path / "beat-schedule"), "--max-interval", "1"],
        env=env, stdout=beat_log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
    )  # fmt: skip
    try:
        count = celery_live_proc_worker.wait_until(ran, 30, "beat's entry to run", interval=0.2)
    finally:
        beat.terminate()
        beat.wait(10)
        beat_log.close()
    assert count > before, (tmp_path / "beat.log").read_text()[-2000:]
