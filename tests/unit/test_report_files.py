"""Where a report's CSV lives: one file per report, a deliberate mode, the tutorial's name shown."""

import stat
import uuid

import pytest
from django.urls import reverse

from celery_uncovered.toyex.hotrepos.tasks import build_report_task
from celery_uncovered.toyex.models import Report

pytestmark = pytest.mark.django_db


def page(*repos):
    return {"items": [{"id": i, "full_name": n, "language": "Go"} for i, n in repos]}


def build(report_id: str, *repos) -> str:
    Report.objects.create(task_id=report_id, period="week", since="2026-11-17")
    return build_report_task.delay([page(*repos)], "2026-11-17", report_id=report_id).get()


def test_two_reports_of_one_day_write_two_files(celery_live_eager, settings, tmp_path):
    """A newer report of the same `since` leaves the older one's file as it was."""
    settings.MEDIA_ROOT = tmp_path
    older, newer = str(uuid.uuid4()), str(uuid.uuid4())
    older_path = build(older, (1, "a/old"))
    newer_path = build(newer, (2, "b/new"))
    assert older_path != newer_path
    assert Report.objects.get(task_id=older).csv_path.read_text() == "Go,a/old\n"
    assert Report.objects.get(task_id=newer).csv_path.read_text() == "Go,b/new\n"


def test_a_report_file_is_readable_by_a_web_server_of_another_user(
    celery_live_eager, settings, tmp_path
):
    """Written with REPORT_FILE_MODE (0644), not the temporary file's 0600."""
    settings.MEDIA_ROOT = tmp_path
    rid = str(uuid.uuid4())
    path = build(rid, (1, "a/b"))
    assert stat.S_IMODE(Report.objects.get(task_id=rid).csv_path.stat().st_mode) == 0o644
    assert settings.REPORT_FILE_MODE == 0o644
    assert str(Report.objects.get(task_id=rid).csv_path) == path


def test_each_id_downloads_its_own_bytes_under_the_tutorials_name(
    client, celery_live_eager, settings, tmp_path
):
    """Both downloads are named github-hot-repos-<since>-week.csv; each carries its own rows."""
    settings.MEDIA_ROOT = tmp_path
    older, newer = str(uuid.uuid4()), str(uuid.uuid4())
    build(older, (1, "a/old"))
    build(newer, (2, "b/new"))
    for rid, rows in ((older, b"Go,a/old\n"), (newer, b"Go,b/new\n")):
        answer = client.get(reverse("report-csv", args=[rid]))
        assert answer["Content-Disposition"] == (
            'attachment; filename="github-hot-repos-2026-11-17-week.csv"'
        )
        assert b"".join(answer.streaming_content) == rows


def test_a_build_delivered_twice_writes_the_same_file_and_row_again(
    celery_live_eager, settings, tmp_path
):
    """A second delivery of the chord's body: one file, the same bytes, no temp file left."""
    settings.MEDIA_ROOT = tmp_path
    rid = str(uuid.uuid4())
    first = build(rid, (1, "a/b"))
    second = build_report_task.delay([page((1, "a/b"))], "2026-11-17", report_id=rid).get()
    assert first == second
    assert [p.name for p in tmp_path.iterdir()] == [Report.objects.get(task_id=rid).csv_path.name]
    assert Report.objects.get(task_id=rid).csv_content == "Go,a/b\n"
