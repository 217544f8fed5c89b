"""One report per request, on a real worker: a message delivered twice, two POSTs, two beats.

Each asks for the same period and day while the first report is queued or running, and each must
end with one ``Report`` row and one chord: the replay server is asked for each page once.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery.result import AsyncResult
from django.conf import settings
from django.db import connections
from django.test import Client
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.hotrepos.queueing import queue_report
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks.logs import task_log_path
from tests.support.absence import stays_false
from tests.support.github_recordings import GOLDEN
from tests.support.report_status import follow_status

pytestmark = pytest.mark.live
PRODUCE = "celery_uncovered.toyex.tasks.produce_hot_repo_report"


def asked_pages(github) -> list[int]:
    """The pages the replay server was asked for, in order, repeats included."""
    return sorted(int(seen["query"]["page"]) for seen in list(github.state.seen))


def produce_log() -> str:
    """The produce task's own log file (written by the worker process)."""
    path = task_log_path(PRODUCE, settings.LOGS_DIR)
    return path.read_text() if path.exists() else ""


def test_the_same_produce_message_delivered_twice_makes_one_report_and_one_chord(
    threads_worker, github
):
    """A redelivered produce message (same task id) finds its report claimed and sends nothing."""
    report = queue_report("week", "2026-11-24").report
    before = produce_log().count("a second delivery")
    # The broker hands the same message out again (a lost ack, Redis's visibility timeout).
    produce_hot_repo_report.apply_async(("week", "2026-11-24"), task_id=report.task_id)

    path = Path(threads_worker.wait(AsyncResult(report.task_id), timeout=60))
    # The second copy ran: it found the report claimed and stopped (so no second chord comes).
    wait_until(
        lambda: produce_log().count("a second delivery") > before, 20, "the second copy to run"
    )
    assert asked_pages(github) == [1, 2, 3, 4, 5]
    assert path.read_bytes() == GOLDEN.read_bytes()
    assert Report.objects.count() == 1
    assert Report.objects.get().status == "done"


def test_two_concurrent_posts_for_one_period_and_day_get_one_report(threads_worker, github):
    """Two POSTs at the same instant: one report; the second answer names it, marked existing."""
    github.state.latency = 0.3  # the report is still running when the second POST lands
    start = threading.Barrier(2)
    answers: list[dict] = []

    def post() -> None:
        try:
            start.wait(10)
            answer = Client().post("/reports/", {"period": "week", "date": "2026-11-24"})
            answers.append({"status": answer.status_code, **answer.json()})
        finally:
            connections.close_all()  # this thread's connection, before the test database goes

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [a["status"] for a in answers] == [202, 202]
    assert answers[0]["task_id"] == answers[1]["task_id"]
    assert answers[0]["status_url"] == answers[1]["status_url"]
    assert sorted(a["existing"] for a in answers) == [False, True]
    assert Report.objects.count() == 1
    assert follow_status(Client(), answers[0]["status_url"])[-1]["state"] == "done"
    stays_false(lambda: len(asked_pages(github)) > 5, 1, "a page asked by a second chord")
    assert asked_pages(github) == [1, 2, 3, 4, 5]


def start_beat(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    """A real `celery beat` with its own schedule file, as on another host; its log file."""
    folder.mkdir()
    log = folder / "beat.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_uncovered", "beat", "-l", "INFO",
             "-s", str(folder / "schedule"), "--max-interval", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
        )  # fmt: skip
    return process, log


def test_two_beats_firing_the_midnight_entry_make_one_report(
    threads_worker, github, manage_py, tmp_path
):
    """Two `celery beat` processes send produce('today') every second: one report, one chord."""
    github.state.add_fault(3, "slow", wait=8)  # the report runs while the beats keep firing
    env = {
        **os.environ,
        **manage_py.env,
        "TEST_BEAT_PRODUCE_EVERY_SECOND": "1",
        "CELERY_TASK_DEFAULT_QUEUE": threads_worker.queue,
    }
    before = produce_log().count("already queued or running")
    beats = [start_beat(tmp_path / name, env) for name in ("beat-a", "beat-b")]

    def sends(log: Path) -> int:
        return log.read_text().count("Sending due task produce-csv-reports")

    try:
        wait_until(lambda: all(sends(log) >= 3 for _, log in beats), 40, "both beats to fire")
    finally:
        for process, _ in beats:
            process.terminate()
            process.wait(10)
    report = Report.objects.get()
    assert report.period == "today"
    assert follow_status(Client(), f"/reports/{report.task_id}/")[-1]["state"] == "done"
    assert Report.objects.count() == 1
    # every other firing ran and followed the one report instead of starting its own
    assert produce_log().count("already queued or running") - before >= 5
    assert asked_pages(github) == [1, 2, 3, 4, 5]
