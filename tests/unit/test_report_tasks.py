"""The report's build step in the eager tier: incomplete results are kept, logged and recorded."""

import logging
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from celery_uncovered.toyex.hotrepos.tasks import (
    build_report_task,
    failure_message,
    produce_hot_repo_report,
)
from celery_uncovered.toyex.models import Report
from config.settingshelpers import check_visibility_timeout


@pytest.mark.django_db
def test_incomplete_results_are_recorded_on_the_report_and_logged(
    celery_live_eager, settings, tmp_path, caplog
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fortnight",), "invalid period 'fortnight'"),
        (("week", "2026-13-01"), "no such day"),
        (("week", "3000-01-01"), "in the future"),
        (("week", "1900-01-01"), "before GitHub existed"),
        (("week", "../../etc/passwd"), "expected YYYY-MM-DD"),
    ],
)
def test_a_bad_task_call_is_refused_before_anything_is_sent(args, message):
    """delay() itself raises: no broker is touched (none runs in this tier), nothing is queued."""
    with pytest.raises(ValueError, match=message):
        produce_hot_repo_report.delay(*args)


def test_a_failure_reads_as_a_sentence_for_a_person():
    """The page, GitHub's message, how many retries; cut short, never a traceback."""
    exc = ValueError("GitHub failed (502): Bad Gateway")
    assert failure_message(exc, page=3, retries=5) == (
        "page 3: GitHub failed (502): Bad Gateway (gave up after 5 retries)"
    )
    assert failure_message(RuntimeError()) == "RuntimeError"
    assert len(failure_message(ValueError("x" * 10_000))) == 500


def test_a_visibility_timeout_a_countdown_could_outlast_is_refused():
    """Settings refuse a Redis visibility timeout shorter than the longest hold of a message."""
    with pytest.raises(ImproperlyConfigured, match="deliver it twice"):
        check_visibility_timeout({"visibility_timeout": 300}, longest_hold=300)
    check_visibility_timeout({"visibility_timeout": 600}, longest_hold=300)
    check_visibility_timeout({}, longest_hold=300)  # RabbitMQ, filesystem: no such timeout


def test_a_failure_message_shows_no_server_path(settings, tmp_path):
    """An OSError naming the CSV's path reads MEDIA_ROOT/..., not the server's folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    exc = PermissionError(13, "Permission denied", str(settings.MEDIA_ROOT / "x.csv"))
    message = failure_message(exc)
    assert str(tmp_path) not in message
    assert "MEDIA_ROOT/x.csv" in message
    inside = failure_message(ValueError(f"bad {settings.BASE_DIR}/config/settings/base.py"))
    assert str(settings.BASE_DIR) not in inside


@pytest.mark.django_db
def test_the_first_failure_of_a_report_is_the_one_that_stays():
    """A failure is written only while the report has not failed (or finished) yet."""
    Report.objects.create(task_id="r1", period="week", since="2026-11-17")
    assert Report.fail("r1", "page 1: the first reason")
    assert not Report.fail("r1", "page 3: a later reason")
    report = Report.objects.get(task_id="r1")
    assert (report.status, report.error) == ("failed", "page 1: the first reason")
