"""The report's build step in the eager tier: incomplete results are kept, logged and recorded."""

import logging
from pathlib import Path

import pytest

from celery_uncovered.toyex.models import Report
from celery_uncovered.toyex.tasks import build_report_task


@pytest.mark.django_db
def test_incomplete_results_are_recorded_on_the_report_and_logged(
    eager, settings, tmp_path, caplog
):
    """One incomplete page: the CSV is still written, the report says so, a warning logs it."""
    settings.MEDIA_ROOT = tmp_path
    Report.objects.create(task_id="r1", period="week", since="2026-11-17")
    pages = [
        {
            "page": 1,
            "items": [{"id": 1, "full_name": "a/b", "language": "Go"}],
            "incomplete_results": False,
        },
        {"page": 2, "items": [], "incomplete_results": True},
    ]
    caplog.set_level(logging.WARNING)
    path = build_report_task.delay(pages, "2026-11-17", report_id="r1").get()
    assert Path(path).read_text(encoding="utf-8") == "Go,a/b\n"
    report = Report.objects.get(task_id="r1")
    assert (report.status, report.incomplete_results, report.csv_name) == (
        "done",
        True,
        "github-hot-repos-2026-11-17.csv",
    )
    assert "incomplete search results" in caplog.text
