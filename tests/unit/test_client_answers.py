"""What a client reads in the answers an operator and an attacker met in production (issue 25)."""

import io
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time
from kombu.exceptions import OperationalError

from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.hotrepos.dates import strf_date
from celery_uncovered.toyex.models import Report

pytestmark = pytest.mark.django_db

REPORTS = "/reports/"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def queued():
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def an_active_report(ref_date: str, **fields: object) -> Report:
    return Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since=strf_date("week", ref_date),
        ref_date=ref_date, **fields,
    )  # fmt: skip


@freeze_time("2026-11-24 12:00")
def test_the_cap_429_says_when_to_try_again(client, queued, settings):
    settings.REPORT_MAX_ACTIVE = 1
    an_active_report("2026-11-01")
    answer = client.post(REPORTS, {"period": "week", "date": "2026-11-03"})
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    page = client.post(REPORTS, {"period": "week", "date": "2026-11-03"}, headers=BROWSER)
    assert (page.status_code, int(page["Retry-After"]) > 0) == (429, True)


def test_the_broker_down_503_says_when_to_try_again(client, queued):
    queued.side_effect = OperationalError("[Errno 111] Connection refused")
    answer = client.post(REPORTS, {"period": "week"})
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0


def test_the_download_is_utf8_csv_and_never_cached(client):
    report = an_active_report("2026-11-01", status="done", csv_content="Go,a/b\n")
    download = client.get(f"/reports/{report.task_id}/csv")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "get", "put"])
def test_reports_without_the_slash_is_a_308_to_the_real_url(method, queued):
    """308 keeps the method and body (301 made a client re-send a POST as a GET: nothing queued)."""
    client = Client(enforce_csrf_checks=True)
    answer = getattr(client, method)(
        "/reports?page=2", {"period": "week"} if method == "post" else None
    )
    assert answer.status_code == 308
    assert answer["Location"] == "/reports/?page=2"
    assert answer.json()["error"].startswith("this URL is /reports/")
    queued.assert_not_called()


def test_a_post_to_reports_without_the_slash_with_debug_on_is_no_500(client, settings, queued):
    settings.DEBUG = True
    assert client.post("/reports", {"period": "week"}).status_code == 308


def test_a_browser_gets_a_page_for_a_wrong_method(client):
    """A form posted to a report's page: a 405 page with the way back, not a blank one."""
    report = an_active_report("2026-11-01")
    answer = client.post(f"/reports/{report.task_id}/", headers=BROWSER)
    assert answer.status_code == 405
    assert answer["Content-Type"].startswith("text/html")
    html = answer.content.decode()
    assert "GET, HEAD" in html
    assert f'href="/reports/{report.task_id}/"' in html
    assert "Allow" in answer


def test_a_script_still_gets_json_for_a_wrong_method(client):
    report = an_active_report("2026-11-01")
    answer = client.post(f"/reports/{report.task_id}/")
    assert answer.status_code == 405
    assert answer.json()["error"].startswith("method not allowed")


def test_follow_takes_an_id_in_any_case_as_the_web_does(client):
    """The web answers /reports/<ID>/ for an upper-case id; --follow does too."""
    report = an_active_report("2026-11-01", status="done", csv_content="Go,a/b\n")
    upper = report.task_id.upper()
    assert client.get(f"/reports/{upper}/").status_code == 200
    out = io.StringIO()
    call_command("hot_repos_report", follow=upper, timeout=5, stdout=out)
    assert report.task_id in out.getvalue() or "github-hot-repos" in out.getvalue()


@freeze_time("2026-11-24 12:00")
def test_one_client_cannot_fill_the_cap_for_everybody(queued, settings):
    """Past REPORT_MAX_ACTIVE_PER_CLIENT one address gets 429; another still gets its report."""
    settings.REPORT_MAX_ACTIVE, settings.REPORT_MAX_ACTIVE_PER_CLIENT = 20, 3
    attacker, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    days = [f"2026-10-{day:02d}" for day in range(1, 5)]
    answers = [attacker.post(REPORTS, {"period": "week", "date": day}) for day in days]
    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert "the most one client may have" in answers[-1].json()["error"]
    assert int(answers[-1]["Retry-After"]) > 0
    assert other.post(REPORTS, {"period": "week", "date": "2026-11-10"}).status_code == 202
    assert Report.objects.filter(client="203.0.113.7").count() == 3


@pytest.mark.parametrize(
    ("hops", "forwarded", "counted_as"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "6.6.6.6, 192.0.2.9", "192.0.2.9"),  # one proxy: its entry, not the forged one
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_is_who_the_deployments_proxies_saw(
    queued, settings, hops, forwarded, counted_as
):
    settings.CLIENT_PROXY_HOPS = hops
    client = Client(REMOTE_ADDR="10.0.0.1")
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    assert client.post(REPORTS, {"period": "week"}, headers=headers).status_code == 202
    assert Report.objects.get().client == counted_as


def test_an_ipv6_client_counts_by_its_64():
    from celery_uncovered.web.clients import normalised

    assert normalised("2001:db8::1") == normalised("2001:db8::ffff:2") == "2001:db8::/64"
    assert normalised("::ffff:192.0.2.1") == "192.0.2.1"


@freeze_time("2026-11-24 12:00:00")
@pytest.mark.parametrize("state", ["fetching", "done"])
def test_a_rate_limit_notice_goes_once_its_page_is_fetched_again(client, state):
    """After the wait the page is fetched again: no "trying again in 4s" left in role=status."""
    from celery_uncovered.toyex.models import ReportPage

    report = an_active_report(
        "2026-11-01", status="running",
        notice="page 1: GitHub said 403 (rate limited); trying again in 4s",
    )  # fmt: skip
    ReportPage.objects.create(report=report, number=1, state=state)
    status = client.get(f"/reports/{report.task_id}/").json()
    assert status["notice"] == ""
    page = client.get(f"/reports/{report.task_id}/", headers=BROWSER).content.decode()
    assert "trying again in 4s" not in page


def test_a_retried_fetch_clears_its_pages_notice(celery_live_eager, settings, db):
    """The worker side: the fetch that goes again takes its page's notice off the report."""
    from celery_uncovered.toyex.hotrepos.tasks import clear_notice_of_page

    report = an_active_report(
        "2026-11-01", status="running", notice="page 2: slow; trying again in 4s"
    )
    clear_notice_of_page(report.task_id, 3)
    assert Report.objects.get(pk=report.pk).notice.startswith("page 2:")
    clear_notice_of_page(report.task_id, 2)
    assert Report.objects.get(pk=report.pk).notice == ""


def test_the_status_names_the_page_its_retry_notice_is_about(client):
    """report.js hides the notice when that page's own countdown ends (notice_page)."""
    from datetime import timedelta

    from django.utils import timezone

    from celery_uncovered.toyex.models import ReportPage

    report = an_active_report(
        "2026-11-01", status="running", notice="page 4: slow; trying again in 9s"
    )
    ReportPage.objects.create(
        report=report, number=4, state="retrying", retry_at=timezone.now() + timedelta(seconds=9)
    )
    assert client.get(f"/reports/{report.task_id}/").json()["notice_page"] == 4
