"""The broker dies mid-report and comes back: the report completes, nothing is lost.

The broker here is the test's own (``celery_live_private_broker``: a RabbitMQ or Redis server on a
private port with its own data folder), never the machine's shared one. The report is queued through
the real CLI in a separate process, the worker is a separate process, and both know only the private
broker's URL; the test process only watches the database.
"""

import os
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.conf import settings

from celery_uncovered.toyex.models import Report
from tests.support.faults import (
    finished_report,
    golden_name,
    visibility_timeout,
    wait_until_page_hangs,
)
from tests.support.github_recordings import GOLDEN
from tests.support.project import ROOT, database_url_for_worker

pytestmark = [pytest.mark.live, pytest.mark.faults]


def test_the_report_completes_after_the_broker_is_killed_and_restarted(
    celery_live_private_broker, celery_live_own_workers, github, tmp_path
):
    """Crash the broker while page 3 is in flight; restart it; the report finishes whole.

    Relies on durable queues and persistent messages (RabbitMQ) or the append-only file (Redis) to
    keep what was queued, on ``acks_late`` to keep the page in flight, on the worker reconnecting
    (``broker_connection_retry``), and on CELERY_TASK_PUBLISH_RETRY_POLICY to hold the chord's
    body until the broker answers again instead of failing the report.
    """
    media = tmp_path / "media"
    env = {"CELERY_BROKER_URL": celery_live_private_broker.url, "MEDIA_ROOT": str(media)}
    probe = Celery("probe", broker=celery_live_private_broker.url, set_as_current=False)
    celery_live_own_workers.start(app=probe, **env)
    github.state.add_fault(3, "slow", wait=4)

    queued = subprocess.run(
        [sys.executable, "manage.py", "hot_repos_report", "--period", "week",
         "--date", "2026-11-24"],
        env={**os.environ, **celery_live_own_workers.env, **env,
             "CELERY_TASK_DEFAULT_QUEUE": celery_live_own_workers.queue,
             "DATABASE_URL": database_url_for_worker()},
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    task_id = queued.stdout.split()[2]

    wait_until_page_hangs(github, task_id)
    celery_live_private_broker.crash()
    time.sleep(2)  # documented use: the outage's length (the broker stays down 2 s), not a wait
    celery_live_private_broker.start()

    report = finished_report(task_id, timeout=visibility_timeout() + 60)
    assert (report.status, report.error) == ("done", "")
    assert sorted(path.name for path in media.iterdir()) == [golden_name(task_id)]
    assert (media / golden_name(task_id)).read_bytes() == GOLDEN.read_bytes()
    probe.close()


def test_a_request_during_a_broker_outage_is_told_and_nothing_is_recorded(
    celery_live_private_broker, transactional_db
):
    """The CLI with the broker down: a clear error within seconds, no report row left behind."""
    celery_live_private_broker.crash()
    started = time.monotonic()
    answer = subprocess.run(
        [sys.executable, "manage.py", "hot_repos_report", "--period", "week"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
             "TEST_RUN_ID": settings.TEST_RUN_ID,
             "CELERY_BROKER_URL": celery_live_private_broker.url,
             "DATABASE_URL": database_url_for_worker()},
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert answer.returncode != 0
    assert "the task queue is unavailable, nothing was queued" in answer.stderr
    assert time.monotonic() - started < 20
    assert not Report.objects.exists()
