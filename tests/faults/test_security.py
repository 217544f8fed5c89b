"""Security properties as tests: the token stays secret, pickles are refused, routes are closed."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_results.models import TaskResult

from celery_uncovered import celery_app
from tests.support import livetasks
from tests.support.faults import finished_report
from tests.support.project import ROOT

pytestmark = [pytest.mark.live, pytest.mark.faults]


def test_the_token_never_leaves_the_authorization_header(client, threads_worker, github):
    """A report with a retry and a failure: the token is in no URL, log, result, row or error."""
    token = settings.GITHUB_TOKEN
    assert len(token) >= 20, "the fault tier runs with a GITHUB_TOKEN (noxfile FAULT_ENV)"
    github.state.add_fault(3, "502")
    github.state.add_fault(2, "401")
    task_id = client.post("/reports/", {"period": "week", "date": "2026-11-24"}).json()["task_id"]
    report = finished_report(task_id, timeout=60)
    assert report.status == "failed"

    assert {seen["headers"].get("Authorization") for seen in github.state.seen} == {
        f"Bearer {token}"
    }
    for seen in github.state.seen:
        assert token not in seen["path"]
        assert token not in repr(seen["query"])
    places = {"report row": repr(list(report.__dict__.values()))}
    places["status"] = client.get(f"/reports/{task_id}/").content.decode()
    places["worker log"] = threads_worker.log_text()
    for log_file in Path(settings.LOGS_DIR).glob("*.log"):
        places[log_file.name] = log_file.read_text(encoding="utf-8", errors="replace")
    if settings.CELERY_RESULT_BACKEND == "django-db":
        for row in TaskResult.objects.all():
            places[f"result {row.task_id}"] = repr(row.__dict__)
    leaks = [place for place, text in places.items() if token in text]
    assert leaks == []
    assert "401" in report.error


class Payload:
    """Unpickling this creates a file: proof that code in a message would have run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


def test_a_pickled_message_is_refused_by_the_worker(celery_live_proc_worker, tmp_path):
    """The worker accepts JSON only: a pickle's code never runs, and the worker carries on."""
    marker = tmp_path / "unpickled"
    pickle.dumps(Payload(marker))  # pickling alone runs nothing
    assert not marker.exists()
    livetasks.append_line.apply_async(args=[Payload(marker)], serializer="pickle")
    assert celery_live_proc_worker.wait(livetasks.noop.delay(), timeout=20) == "ran"
    assert not marker.exists()
    assert "ContentDisallowed" in celery_live_proc_worker.log_text()
    assert "application/x-python-serialize" in celery_live_proc_worker.log_text()
    assert celery_app.conf.accept_content == ["json"]


def test_report_error_does_not_exist_in_production_settings():
    """The deliberately failing view answers 404 under config.settings.production."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/report-error', secure=True).status_code)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",  # required in production (issue 25)
        "DJANGO_DEBUG": "true",  # production pins DEBUG off whatever the environment says
    }
    answer = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert answer.stdout.strip() == "404"
