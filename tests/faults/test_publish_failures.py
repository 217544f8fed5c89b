"""A broker that refuses, is unreachable or is misconfigured: nothing was queued, in one line.

The CLI runs as a person runs it (a subprocess, with the broker URL in its environment); the web
route publishes through a connection to the same refusing broker. Either way the row written
before the send must be gone, or the status page would say "queued" forever.
"""

import pytest
import requests
from django.test import Client
from pytest_celery_live.brokers import free_port

from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks.models import ScenarioRead
from celery_uncovered.tricks.tasks import read_scenario_file_task

pytestmark = [pytest.mark.live, pytest.mark.faults]


def test_the_cli_with_wrong_broker_credentials_says_so_in_one_line(manage_py, refusing_rabbitmq):
    """Wrong password: one line on stderr with the broker's reason, exit non-zero, no row."""
    answer = manage_py.run(
        "hot_repos_report", "--period", "week", CELERY_BROKER_URL=refusing_rabbitmq
    )
    assert answer.returncode != 0
    lines = answer.stderr.strip().splitlines()
    assert len(lines) == 1, answer.stderr
    assert "nothing was queued" in lines[0]
    assert "ACCESS_REFUSED" in lines[0]
    assert "wrongpw" not in answer.stderr + answer.stdout
    assert not Report.objects.exists()


BROKERS = {
    "wrong-password": ("amqp://guest:wrongpw@127.0.0.1:5672//", "ACCESS_REFUSED"),
    "no-such-vhost": ("amqp://guest:guest@127.0.0.1:5672/no-such-vhost", "vhost"),
    "redis-wrong-user": (
        "redis://nobody:wrongpw@127.0.0.1:6379/14",
        "invalid username-password pair",
    ),
    "redis-no-such-db": ("redis://127.0.0.1:6379/99", "DB index is out of range"),
    "unreachable": ("amqp://guest:guest@127.0.0.1:{port}//", "nothing was queued"),
}


@pytest.mark.parametrize("case", BROKERS)
def test_the_web_route_answers_503_with_the_reason_and_leaves_no_row(
    case, refusing_rabbitmq, publish_through, transactional_db
):
    """Every failure to publish is a 503 JSON with the broker's reason, and no report row."""
    url, reason = BROKERS[case]
    publish_through(url.format(port=free_port()))
    answer = Client().post("/reports/", {"period": "week"})
    assert answer.status_code == 503, answer.content
    error = answer.json()["error"]
    assert error.startswith("the task queue is unavailable, nothing was queued")
    assert reason in error
    assert "\n" not in error
    assert "wrongpw" not in error
    assert not Report.objects.exists()


@pytest.mark.parametrize("case", BROKERS)
def test_the_scenario_route_answers_503_with_the_reason_and_leaves_no_row(
    case, refusing_rabbitmq, publish_through, transactional_db
):
    """/scenario/ sends through the same door: a 503 with the reason, no orphan record (was 500)."""
    url, reason = BROKERS[case]
    publish_through(url.format(port=free_port()), task=read_scenario_file_task)
    answer = Client().post("/scenario/")
    assert answer.status_code == 503, answer.content
    error = answer.json()["error"]
    assert error.startswith("the task queue is unavailable, nothing was queued")
    assert reason in error
    assert not ScenarioRead.objects.exists()


def dead_result_store() -> str:
    """A Redis result backend URL where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


def test_the_cli_with_the_result_store_down_names_it_in_one_line(manage_py):
    """Redis results unreachable: the store is named (it was "the task queue", after 20 s)."""
    answer = manage_py.run(
        "hot_repos_report", "--period", "week", CELERY_RESULT_BACKEND=dead_result_store()
    )
    assert answer.returncode != 0
    lines = answer.stderr.strip().splitlines()
    assert len(lines) == 1, answer.stderr
    assert "the result store is unavailable, nothing was queued" in lines[0]
    assert "Connection refused" in lines[0]
    assert not Report.objects.exists()


def test_the_web_routes_with_the_result_store_down_answer_503_and_mail_synchronously(
    runserver, smtp_server
):
    """Both person-facing routes say which service is down; a 500's e-mail still goes out."""
    server = runserver(CELERY_RESULT_BACKEND=dead_result_store())
    session = requests.Session()
    session.get(server.url + "/reports/", timeout=30)  # the CSRF cookie, as a browser gets it
    token = {"X-CSRFToken": session.cookies["csrftoken"]}
    for path, data in (("/reports/", {"period": "week"}), ("/scenario/", {})):
        answer = session.post(server.url + path, data=data, headers=token, timeout=30)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"].startswith("the result store is unavailable"), answer.text
    assert not Report.objects.exists()
    assert not ScenarioRead.objects.exists()

    before = len(smtp_server.mailbox.messages)  # each 503 is a server error, mailed too
    assert server.get("/report-error") == 500
    assert len(smtp_server.mailbox.messages) == before + 1, server.log_text()[-3000:]
    assert "ZeroDivisionError" in smtp_server.mailbox.messages[-1]["Subject"]
    assert "could not queue the admin e-mail (broker or result store down)" in server.log_text()
