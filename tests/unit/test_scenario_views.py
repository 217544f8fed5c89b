"""/scenario/ over HTTP: queue with a POST, and read back only the reads this route queued."""

import uuid
from unittest import mock

import pytest
from django.test import Client

from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """The scenario task's apply_async, recorded instead of sent (no broker in this tier)."""
    with mock.patch.object(tasks.read_scenario_file_task, "apply_async") as apply_async:
        yield apply_async


def done_result(value):
    return mock.patch.object(
        tasks.read_scenario_file_task,
        "AsyncResult",
        return_value=mock.Mock(
            state="SUCCESS", failed=lambda: False, successful=lambda: True, result=value
        ),
    )


def test_a_get_queues_nothing(client, queued):
    """Reading /scenario/ changes nothing: 405 with a JSON error, no task, no record."""
    from celery_uncovered.tricks.models import ScenarioRead

    answer = client.get("/scenario/")
    assert answer.status_code == 405
    assert "error" in answer.json()
    queued.assert_not_called()
    assert not ScenarioRead.objects.exists()


def test_a_post_records_the_read_before_queueing_it(client, queued):
    """202 with the id the task is sent under; the record exists when the message goes out."""
    from celery_uncovered.tricks.models import ScenarioRead

    seen = []
    queued.side_effect = lambda *a, **kw: seen.append(
        ScenarioRead.objects.filter(task_id=kw["task_id"]).exists()
    )
    answer = client.post("/scenario/", HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 202
    body = answer.json()
    assert seen == [True]
    assert queued.call_args.kwargs["task_id"] == body["task_id"]
    assert body["status_url"] == f"/scenario/{body['task_id']}/"


def test_a_post_without_the_csrf_token_is_refused(queued):
    """A cross-site form cannot queue scenario reads."""
    answer = Client(enforce_csrf_checks=True).post("/scenario/")
    assert answer.status_code == 403
    queued.assert_not_called()


@pytest.mark.parametrize("kind", ["unknown", "report"])
def test_only_reads_queued_here_are_answered(client, kind):
    """An unknown id or a report's id is a 404, even when its result holds a server path."""
    task_id = str(uuid.uuid4())
    if kind == "report":
        Report.objects.create(task_id=task_id, period="week", status="done")
    with done_result("/srv/app/var/media/github-hot-repos-2026-11-17.csv"):
        answer = client.get(f"/scenario/{task_id}/")
    assert answer.status_code == 404
    assert "/srv/app" not in answer.content.decode()


def test_a_recorded_read_shows_its_scenario(client, queued):
    """The id this route queued answers with the file the worker read."""
    task_id = client.post("/scenario/").json()["task_id"]
    with done_result({"locale_id": "en", "greeting": "Hello"}):
        answer = client.get(f"/scenario/{task_id}/")
    assert answer.json() == {"state": "done", "scenario": {"locale_id": "en", "greeting": "Hello"}}
