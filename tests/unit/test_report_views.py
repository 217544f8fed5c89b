"""The report page's routes through Django's test client: queue, follow, download, refuse."""

import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from kombu.exceptions import OperationalError

from celery_uncovered.messaging.sending import PERSON_RETRY_POLICY
from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.hotrepos.dates import strf_date, validate_report_request
from celery_uncovered.toyex.hotrepos.queueing import queue_report
from celery_uncovered.toyex.models import Report
from tests.support.github_recordings import GOLDEN
from tests.support.report_status import with_pages_fetched

pytestmark = pytest.mark.django_db

REPORTS = "/reports/"


def a_weeks_report(**fields: object) -> Report:
    """A week's report row under a task id of its own, in the state ``fields`` give it."""
    return Report.objects.create(task_id=str(uuid.uuid4()), period="week", **fields)


@pytest.fixture
def queued():
    """The produce task's apply_async, recorded instead of sent (no broker in this tier)."""
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def test_the_page_offers_every_period_and_a_csrf_protected_form(client):
    """GET shows the four periods, the button and a CSRF token; / leads there."""
    page = client.get(REPORTS)
    html = page.content.decode()
    assert page.status_code == 200
    for period in ("today", "day", "week", "month"):
        assert f'value="{period}"' in html
    assert "Generate report" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert client.get("/").url == REPORTS


@freeze_time("2026-11-24 12:00")
def test_a_post_queues_one_report_and_answers_202_with_the_status_url(client, queued):
    """202 carries the id the task was queued under; the status says queued, 0 of 5."""
    answer = client.post(REPORTS, {"period": "week"})
    assert answer.status_code == 202
    body = answer.json()
    queued.assert_called_once_with(
        ("week", "2026-11-24"), task_id=body["task_id"], retry_policy=PERSON_RETRY_POLICY
    )
    assert body["status_url"] == f"/reports/{body['task_id']}/"
    status = client.get(body["status_url"]).json()
    assert status["state"] == "queued"
    assert (status["pages_fetched"], status["pages_total"]) == (0, 5)
    assert status["download_url"] is None


def test_a_report_asked_for_before_midnight_covers_the_day_it_was_asked_on(queued):
    """ "Today" is resolved once, when queued: a worker running it after midnight keeps that day."""
    with freeze_time("2026-11-24 23:59:59"):
        report = queue_report("today").report
    ((period, ref_date),) = queued.call_args.args
    with freeze_time("2026-11-25 00:00:05"):  # the worker's clock, when the message arrives
        period, ref_date = validate_report_request(period, ref_date)
        assert strf_date(period, ref_date) == report.since == "2026-11-24"


@freeze_time("2026-11-24")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "invalid period ''"),
        ({"period": "fortnight"}, "invalid period 'fortnight'"),
        ({"period": "WEEK"}, "invalid period 'WEEK'"),
        ({"period": "week", "date": "24/11/2026"}, "expected YYYY-MM-DD"),
        ({"period": "week", "date": "2026-02-30"}, "no such day"),
        ({"period": "week", "date": "2999-01-01"}, "in the future"),
        ({"period": "week", "date": "1900-01-01"}, "before GitHub existed"),
        ({"period": "x" * 100_000}, "invalid period 'xxxx"),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message_and_nothing_queued(client, queued, data, message):
    """The error names what was wrong (cut short if huge); no task, no row."""
    answer = client.post(REPORTS, data)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert len(answer.json()["error"]) < 200
    queued.assert_not_called()
    assert not Report.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(queued):
    """A cross-site form cannot start reports; the page's own token can."""
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(REPORTS, {"period": "week"}).status_code == 403
    queued.assert_not_called()
    browser.get(REPORTS)
    token = browser.cookies["csrftoken"].value
    answer = browser.post(REPORTS, {"period": "week"}, headers={"X-CSRFToken": token})
    assert answer.status_code == 202


def test_a_broker_outage_is_a_503_and_leaves_no_report_behind(client, queued):
    """When the message cannot be sent the person is told, and no row pretends it was queued."""
    queued.side_effect = OperationalError("[Errno 111] Connection refused")
    answer = client.post(REPORTS, {"period": "week"})
    assert answer.status_code == 503
    assert "nothing was queued" in answer.json()["error"]
    assert not Report.objects.exists()


def test_only_get_and_post_are_allowed(client):
    assert client.put(REPORTS).status_code == 405
    assert client.post(f"/reports/{uuid.uuid4()}/").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        f"/reports/{uuid.uuid4()}/",
        f"/reports/{uuid.uuid4()}/csv",
        "/reports/not-a-uuid/",
        "/reports/..%2F..%2Fetc%2Fpasswd/csv",
        "/reports/../../etc/passwd",
    ],
)
def test_unknown_or_crafted_ids_are_404(client, path):
    """An id nobody queued is a 404, never a PENDING forever or a file."""
    assert client.get(path).status_code == 404


def test_the_download_is_404_until_the_report_is_done(client, settings, tmp_path):
    """Even with a file of that name on disk, a running report has nothing to download."""
    settings.MEDIA_ROOT = tmp_path
    report = a_weeks_report(since="2026-11-17", status="running")
    with_pages_fetched(report, 3)
    report.csv_path.write_text("Go,a/b\n")
    assert client.get(reverse("report-csv", args=[report.task_id])).status_code == 404
    status = client.get(reverse("report-status", args=[report.task_id])).json()
    assert (status["state"], status["pages_fetched"]) == ("running", 3)


@pytest.mark.parametrize(
    "since", ["../../settings.py", "/etc/passwd", "x", "", "2026-11-17/../../settings"]
)
def test_the_download_serves_nothing_but_a_report_csv_in_the_media_folder(
    client, settings, tmp_path, since
):
    """A tampered date in the database still cannot name another file (the id is a UUID)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (tmp_path / "settings.py").write_text("SECRET")
    report = a_weeks_report(since=since, status="done", csv_name="x.csv")
    assert client.get(reverse("report-csv", args=[report.task_id])).status_code == 404


def test_a_failed_report_shows_its_message_and_no_download(client):
    """The status carries the error text a person can act on, and no link."""
    report = a_weeks_report(status="failed", error="GitHub said 401: Bad credentials")
    with_pages_fetched(report, 2)
    status = client.get(reverse("report-status", args=[report.task_id])).json()
    assert status["state"] == "failed"
    assert status["error"] == "GitHub said 401: Bad credentials"
    assert status["download_url"] is None


def test_a_done_report_downloads_as_a_csv_attachment(client, settings, tmp_path):
    """The link in a done status serves that report's own file, under the tutorial's name."""
    settings.MEDIA_ROOT = tmp_path
    report = a_weeks_report(
        since="2026-11-17",
        status="done",
        incomplete_results=True,
        csv_name="github-hot-repos-2026-11-17-week.csv",
    )
    with_pages_fetched(report, 5)
    report.csv_path.write_bytes(GOLDEN.read_bytes())
    status = client.get(reverse("report-status", args=[report.task_id])).json()
    assert (status["state"], status["pages_fetched"], status["incomplete_results"]) == (
        "done",
        5,
        True,
    )
    download = client.get(status["download_url"])
    assert download["Content-Disposition"] == (
        'attachment; filename="github-hot-repos-2026-11-17-week.csv"'
    )
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(download.streaming_content) == GOLDEN.read_bytes()


def an_active_report(period: str, ref_date: str, **fields: object) -> Report:
    """A report queued under way for ``period`` and ``ref_date``."""
    since = strf_date(period, ref_date)
    return Report.objects.create(
        task_id=str(uuid.uuid4()), period=period, since=since, ref_date=ref_date, **fields
    )


@freeze_time("2026-11-24 12:00")
def test_past_the_cap_of_reports_under_way_a_new_one_is_429_and_nothing_is_queued(
    client, queued, settings
):
    """An attacker asking for one report per day since 2008 gets REPORT_MAX_ACTIVE, then 429s."""
    settings.REPORT_MAX_ACTIVE = 2
    first = an_active_report("week", "2026-11-01")
    an_active_report("week", "2026-11-02", status="running")
    answer = client.post(REPORTS, {"period": "week", "date": "2026-11-03"})
    assert answer.status_code == 429, answer.content
    assert answer.json()["error"].startswith("too many reports under way (2), nothing was queued")
    assert Report.objects.count() == 2
    queued.assert_not_called()
    # Asking for a report already under way is no new work: it is answered, not refused.
    again = client.post(REPORTS, {"period": "week", "date": "2026-11-01"})
    assert (again.status_code, again.json()["task_id"]) == (202, first.task_id)


@freeze_time("2026-11-24 12:00")
def test_finished_and_long_abandoned_reports_do_not_count_against_the_cap(client, queued, settings):
    settings.REPORT_MAX_ACTIVE = 1
    an_active_report("week", "2026-11-01", status="done")
    stale = an_active_report("week", "2026-11-02")
    Report.objects.filter(pk=stale.pk).update(updated="2026-11-24T10:00:00Z")  # 2 h unmoved
    answer = client.post(REPORTS, {"period": "week", "date": "2026-11-03"})
    assert answer.status_code == 202, answer.content
    queued.assert_called_once()
