"""Each report keeps its own CSV on a real worker: a newer one of the same day changes nothing."""

import stat
from pathlib import Path

import pytest

from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.toyex.models import Report
from tests.support.github_recordings import GOLDEN
from tests.support.report_status import follow_status

pytestmark = pytest.mark.live


def download(client, task_id: str) -> tuple[str, bytes]:
    """The download's Content-Disposition and its bytes."""
    answer = client.get(f"/reports/{task_id}/csv")
    assert answer.status_code == 200
    return answer["Content-Disposition"], b"".join(answer.streaming_content)


def test_two_reports_of_one_day_keep_two_files_and_each_downloads_its_own_bytes(
    client, threads_worker, github, settings
):
    """The older report's id still serves the bytes it produced after a newer one of that day."""
    github.state.add_fault(2, "incomplete")  # the first report lacks page 2: other bytes
    older = client.post("/reports/", {"period": "week", "date": "2026-11-24"}).json()
    assert follow_status(client, older["status_url"])[-1]["state"] == "done"
    _, older_bytes = download(client, older["task_id"])
    assert older_bytes != GOLDEN.read_bytes()

    newer = client.post("/reports/", {"period": "week", "date": "2026-11-24"}).json()
    assert follow_status(client, newer["status_url"])[-1]["state"] == "done"

    older_name, older_again = download(client, older["task_id"])
    newer_name, newer_bytes = download(client, newer["task_id"])
    assert older_again == older_bytes
    assert newer_bytes == GOLDEN.read_bytes()
    expected_name = 'attachment; filename="github-hot-repos-2026-11-17-week.csv"'
    assert older_name == newer_name == expected_name
    paths = [Report.objects.get(task_id=r["task_id"]).csv_path for r in (older, newer)]
    assert paths[0] != paths[1]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == settings.REPORT_FILE_MODE == 0o644


def test_the_workers_result_is_the_reports_own_file(client, threads_worker, github):
    """The task's result (the CSV path) is the file the report's download serves."""
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    path = Path(threads_worker.wait(result, timeout=60))
    assert path == Report.objects.get(task_id=result.id).csv_path
    assert download(client, result.id)[1] == path.read_bytes() == GOLDEN.read_bytes()


def test_the_download_serves_the_workers_csv_when_web_and_worker_share_no_disk(
    client, celery_live_own_workers, github, settings, tmp_path
):
    """Worker and web with different media folders: the download is the worker's CSV all the same.

    The web never reads the worker's folder: the CSV travels in the report's row.
    """
    worker_media, web_media = tmp_path / "worker-media", tmp_path / "web-media"
    web_media.mkdir()
    settings.MEDIA_ROOT = web_media
    celery_live_own_workers.start(MEDIA_ROOT=str(worker_media))
    queued = client.post("/reports/", {"period": "week", "date": "2026-11-24"}).json()
    assert follow_status(client, queued["status_url"])[-1]["state"] == "done"

    _, body = download(client, queued["task_id"])
    assert body == GOLDEN.read_bytes()
    assert list(web_media.iterdir()) == []
    assert [p.name for p in worker_media.iterdir()] == [
        Report.objects.get(task_id=queued["task_id"]).csv_path.name
    ]
