"""Bad input at every door: a clear error, nothing queued, nothing written.

The tests send to a queue no worker consumes, so "nothing queued" is a fact read from the broker
(its message count), not an assumption about a mock.
"""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_celery_live.queues import queue_depth, use_queue

from celery_uncovered import celery_app
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks.tasks import read_scenario_file_task

pytestmark = [pytest.mark.live, pytest.mark.faults]

HUGE = "w" * 1_000_000
# (period, date, what the message must say)
BAD_REPORT_REQUESTS = [
    ("fortnight", None, "invalid period 'fortnight'"),
    ("", None, "invalid period ''"),
    ("Week", None, "invalid period 'Week'"),
    ("week", "2026-02-30", "no such day"),
    ("week", "24.11.2026", "expected YYYY-MM-DD"),
    ("week", "2026-11-24T00:00", "expected YYYY-MM-DD"),
    ("week", "9999-12-31", "in the future"),
    ("week", "1900-01-01", "before GitHub existed"),
    ("week", "2008-01-05", "before GitHub existed"),
    ("week", "0001-01-01", "before GitHub existed"),  # was an OverflowError: a 500, two e-mails
    ("month", "0001-01-01", "before GitHub existed"),  # was "year 0 is out of range"
    ("week", "../../etc/passwd", "expected YYYY-MM-DD"),
    (HUGE, None, "invalid period 'wwww"),
    ("week", HUGE, "invalid date 'wwww"),
]
IDS = [
    "wrong",
    "empty",
    "case",
    "no-such-day",
    "format",
    "datetime",
    "future",
    "before-github",
    "since-before-2008",
    "year-1-week",
    "year-1-month",
    "path",
    "huge",
    "huge-date",
]


@pytest.fixture
def nobody_listens(celery_live_broker_url, transactional_db, settings, tmp_path):
    """A queue no worker consumes, and an empty media folder: where a leak would show."""
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-nobody-{uuid.uuid4().hex[:6]}"
    with use_queue(celery_app, queue):
        yield queue
    assert queue_depth(celery_app, queue) == 0, "something was queued"
    assert not Report.objects.exists(), "a report row was written"
    assert not settings.MEDIA_ROOT.exists(), "a file was written"


@pytest.mark.parametrize(("period", "date", "message"), BAD_REPORT_REQUESTS, ids=IDS)
def test_the_management_command(nobody_listens, period, date, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("hot_repos_report", period=period, date=date)
    assert len(str(error.value)) < 200


@pytest.mark.parametrize(("period", "date", "message"), BAD_REPORT_REQUESTS, ids=IDS)
def test_the_http_route(nobody_listens, period, date, message):
    answer = Client().post("/reports/", {"period": period, "date": date or ""})
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert len(answer.json()["error"]) < 200


@pytest.mark.parametrize(("period", "date", "message"), BAD_REPORT_REQUESTS, ids=IDS)
def test_the_task_call(nobody_listens, period, date, message):
    with pytest.raises(ValueError, match=message):
        produce_hot_repo_report.delay(period, date)


@pytest.mark.parametrize(
    "locale_id", ["xx", "EN", "../../etc/passwd", "en/../../x", "sc_en.json", "", HUGE]
)
def test_unknown_or_crafted_locales_in_a_task_call(nobody_listens, locale_id):
    with pytest.raises(ValueError, match=r"(unknown|invalid) locale") as error:
        read_scenario_file_task.delay(locale_id=locale_id)
    assert len(str(error.value)) < 200


@pytest.mark.parametrize(
    "path",
    [
        "/reports/..%2F..%2Fetc%2Fpasswd/",
        "/reports/00000000-0000-0000-0000-000000000000/csv",
        f"/reports/{uuid.uuid4()}/csv/../../../config/settings/base.py",
        "/scenario/..%2F..%2Fetc%2Fpasswd/",
        "/scenario/not-a-uuid/",
        f"/reports/{'a' * 5000}/",
    ],
)
def test_path_tricks_in_ids_are_404(nobody_listens, path):
    assert Client().get(path).status_code == 404


def test_an_oversized_body_is_refused(nobody_listens, settings):
    """A POST larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 400 before any field is read.

    Django logs it as a security event at ERROR, so the admins get one e-mail through Celery:
    the only message on the queue is that, never a report.
    """
    body = {"period": "week", "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    answer = Client(raise_request_exception=False).post("/reports/", body)
    assert answer.status_code == 400
    with celery_app.connection_for_write() as conn:
        queue = celery_app.amqp.queues[nobody_listens](conn.default_channel)
        message = queue.get(no_ack=True)
        assert message.headers["task"] == "celery_uncovered.toyex.tasks.report_error_task"
        assert "RequestDataTooBig" in repr(message.decode())
        assert queue.get(no_ack=True) is None
