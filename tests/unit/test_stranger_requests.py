"""What a stranger's odd requests met on the web routes: each a clear 4xx, never a 500.

Through Django's test client, and through Django's WSGI handler itself where the fault was in
the error handling (a 500 that the test client's own handler would not show the same way).
"""

import io
import json
import uuid
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.test import Client
from freezegun import freeze_time

from celery_uncovered import wsgi
from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks import tasks as tricks_tasks

pytestmark = pytest.mark.django_db

REPORTS = "/reports/"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def queued():
    """Both queueing routes' sends, recorded instead of made (no broker in this tier)."""
    with (
        mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as reports,
        mock.patch.object(tricks_tasks.read_scenario_file_task, "apply_async") as reads,
    ):
        yield lambda: reports.call_count + reads.call_count


def wsgi_call(method: str, path: str, body: bytes = b"", **environ: str) -> tuple[str, dict, bytes]:
    """One request through the project's WSGI application, as runserver or gunicorn make it."""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        **environ,
    }
    setup_testing_defaults(env)
    answer: dict = {}

    def start_response(status: str, headers: list, exc_info=None) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    content = b"".join(wsgi.application(env, start_response))
    return answer["status"], answer["headers"], content


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", [REPORTS, "/scenario/"])
@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "nope"])
def test_a_form_body_in_another_charset_is_a_json_400_through_wsgi(
    settings, queued, debug, path, charset
):
    """A non-UTF-8 (or unknown) form charset: a 400 naming the fix, JSON, nothing queued."""
    settings.DEBUG = debug
    status, headers, content = wsgi_call(
        "POST", path, b"x", CONTENT_TYPE=f"{FORM}; charset={charset}", HTTP_ACCEPT="*/*"
    )
    assert status.startswith("400"), (status, content[:300])
    assert headers["Content-Type"] == "application/json"
    assert "UTF-8" in json.loads(content)["error"]
    assert queued() == 0


@pytest.mark.parametrize("debug", [False, True])
def test_a_form_body_in_another_charset_is_a_400_with_the_csrf_check_on(settings, queued, debug):
    """The tester's curl: a cookie but no token; the error view used to re-read the body."""
    settings.DEBUG = debug
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get(REPORTS)
    answer = browser.post(REPORTS, b"x", content_type=f"{FORM}; charset=utf-16")
    assert answer.status_code == 400
    assert "UTF-8" in answer.json()["error"]
    assert queued() == 0


def test_utf_8_spelled_another_way_is_read(client, queued):
    """``charset=UTF8`` is UTF-8: read, not refused (Django alone refused it)."""
    answer = client.post(REPORTS, b"period=week", content_type=f"{FORM}; charset=UTF8")
    assert answer.status_code == 202, answer.content
    assert queued() == 1


def test_head_on_the_reports_page_is_a_get_without_a_body(client, queued):
    """HEAD /reports/ answers as GET does (it used to take the POST branch: 400)."""
    for accept in ("text/html", "application/json", "*/*"):
        answer = client.head(REPORTS, headers={"Accept": accept})
        assert answer.status_code == 200, accept
        assert answer.content == b""
    assert queued() == 0


def test_every_negotiated_answer_varies_on_accept(client):
    """One URL, HTML or JSON by Accept: caches must key on Accept, errors included."""
    report = Report.objects.create(task_id=str(uuid.uuid4()), period="week", since="2026-11-17")
    for path in (REPORTS, f"/reports/{report.task_id}/", f"/reports/{uuid.uuid4()}/"):
        for accept in ("text/html", "application/json"):
            answer = client.get(path, headers={"Accept": accept})
            assert "Accept" in [v.strip() for v in answer["Vary"].split(",")], (path, accept)


@pytest.mark.parametrize("debug", [False, True])
def test_too_many_query_fields_is_a_400_json_when_json_is_asked(settings, debug):
    """1,500 query fields: a 400 in JSON for a script, never the debug page's 500."""
    settings.DEBUG = debug
    query = "&".join(f"f{n}=1" for n in range(1500))
    status, headers, content = wsgi_call(
        "GET", REPORTS, QUERY_STRING=query, HTTP_ACCEPT="application/json"
    )
    assert status.startswith("400"), (status, content[:300])
    assert headers["Content-Type"] == "application/json"
    assert "too many" in json.loads(content)["error"]
    status, headers, _ = wsgi_call("GET", REPORTS, QUERY_STRING=query, HTTP_ACCEPT="text/html")
    assert status.startswith("400")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_charset_beside_too_many_query_fields_is_a_400_not_a_crash(queued, method):
    """Django's request evaluated the query while reading the charset: a 500 before middleware."""
    query = "&".join(f"f{n}=1" for n in range(1500))
    status, _, content = wsgi_call(
        method, "/scenario/", b"x=1", QUERY_STRING=query, CONTENT_TYPE=f"{FORM}; charset=utf-8"
    )
    assert status.startswith("400"), (status, content[:300])
    assert "too many" in json.loads(content)["error"]
    assert queued() == 0


def test_a_json_body_is_refused_with_the_body_it_needs(client, queued):
    """A JSON body is not read: say so (415) rather than 'invalid period'."""
    answer = client.post(REPORTS, {"period": "week"}, content_type="application/json")
    assert answer.status_code == 415
    assert "application/x-www-form-urlencoded" in answer.json()["error"]
    assert queued() == 0


def test_a_repeated_field_is_refused(client, queued):
    """period=week&period=day used to make a day report (the last one won)."""
    answer = client.post(REPORTS, b"period=week&period=day", content_type=FORM)
    assert answer.status_code == 400
    assert answer.json()["field"] == "period"
    assert "once" in answer.json()["error"]
    assert queued() == 0


@freeze_time("2026-11-24 12:00")
def test_a_date_in_other_digits_is_a_format_error(client, queued):
    """Arabic-Indic digits are digits to a regex's \\d, not to YYYY-MM-DD."""
    arabic_indic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in "2026-11-20")
    answer = client.post(REPORTS, {"period": "week", "date": arabic_indic})
    assert answer.status_code == 400
    assert "expected YYYY-MM-DD" in answer.json()["error"]


def test_a_wrong_method_is_a_405_even_without_the_csrf_token(queued):
    """DELETE without a token: 405 with Allow, not a message about a POST's token."""
    stranger = Client(enforce_csrf_checks=True)
    for path in (REPORTS, f"/reports/{uuid.uuid4()}/", "/scenario/"):
        answer = stranger.delete(path)
        assert answer.status_code == 405, path
        assert "DELETE" not in answer["Allow"]
        assert answer.json()["error"].startswith("method not allowed: use ")
    answer = stranger.post(REPORTS, {"period": "week"})
    assert answer.status_code == 403
    assert "CSRF token" in answer.json()["error"]


def test_an_uppercase_report_id_finds_the_report(client):
    """UUIDs are case-insensitive: the uppercase spelling is the same report."""
    report = Report.objects.create(task_id=str(uuid.uuid4()), period="week", since="2026-11-17")
    answer = client.get(f"/reports/{report.task_id.upper()}/")
    assert answer.status_code == 200
    assert answer.json()["task_id"] == report.task_id


def test_a_failed_reports_csv_is_a_page_for_a_browser_and_json_for_a_script(client):
    """The 404 of a CSV not ready: a page linking to the report for a browser."""
    report = Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since="2026-11-17", status="failed"
    )
    path = f"/reports/{report.task_id}/csv"
    page = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert f'href="/reports/{report.task_id}/"' in page.content.decode()
    script = client.get(path)
    assert script.status_code == 404
    assert script.json()["error"] == "the report is not ready: it is failed"


def test_two_reports_from_one_day_download_under_two_names(client):
    """A day report of 04-04 and a week report of 04-10 both start 04-03: two names."""
    names = {}
    cases = (("day", "2026-04-04"), ("week", "2026-04-10"), ("today", "2026-04-03"))
    for period, ref_date in cases:
        report = Report.objects.create(
            task_id=str(uuid.uuid4()), period=period, since="2026-04-03", ref_date=ref_date,
            status="done", csv_content="Go,a/b\n",
        )  # fmt: skip
        answer = client.get(f"/reports/{report.task_id}/csv")
        names[period] = answer["Content-Disposition"]
    assert names == {
        "day": 'attachment; filename="github-hot-repos-2026-04-03-day.csv"',
        "week": 'attachment; filename="github-hot-repos-2026-04-03-week.csv"',
        "today": 'attachment; filename="github-hot-repos-2026-04-03.csv"',  # the tutorial's
    }


def test_the_summary_says_why_the_pages_counted_more_than_the_csv(client):
    """112 on the pages, 110 in the CSV: the repeats are said on the page and in the JSON."""
    from celery_uncovered.toyex.models import ReportPage

    report = Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since="2026-11-17", status="done",
        languages_count=11, repos_count=110, csv_content="Go,a/b\n",
    )  # fmt: skip
    for number, repos in enumerate((30, 30, 30, 20, 2), start=1):
        ReportPage.objects.create(report=report, number=number, state="done", repos=repos)
    status = client.get(f"/reports/{report.task_id}/").json()
    assert (status["repos_found"], status["repositories"], status["repeated"]) == (112, 110, 2)
    page = client.get(f"/reports/{report.task_id}/", headers={"Accept": "text/html"})
    assert "The pages listed 112, 2 of them twice" in page.content.decode()


@freeze_time("2026-11-24 12:00:00")
def test_a_retrying_pages_wait_is_said_once_by_its_countdown(client):
    """The notice written at retry time no longer carries a second, frozen number of seconds."""
    from datetime import timedelta

    from django.utils import timezone

    from celery_uncovered.toyex.models import ReportPage

    report = Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since="2026-11-17", status="running",
        notice="page 1: GitHub said 403 (rate limited); trying again in 16s",
    )  # fmt: skip
    ReportPage.objects.create(
        report=report, number=1, state="retrying", retry_at=timezone.now() + timedelta(seconds=7)
    )
    status = client.get(f"/reports/{report.task_id}/").json()
    assert status["pages"][0]["retry_in"] == 7
    assert "16s" not in status["notice"]
    assert status["notice"].startswith("page 1: GitHub said 403 (rate limited); retrying")


@freeze_time("2026-12-02 12:00")
def test_the_history_says_or_later_as_the_report_page_does(client):
    """No end date in GitHub's query: the history must not say "to <day>"."""
    Report.objects.create(
        task_id=str(uuid.uuid4()), period="week", since="2026-11-25", ref_date="2026-12-02"
    )
    html = client.get(REPORTS, headers={"Accept": "text/html"}).content.decode()
    assert "week from 2026-11-25 or later" in html
    assert "(reference day)" not in html
    assert "a week before the reference day Wed 2 Dec 2026 (2026-12-02)" in html


@freeze_time("2026-12-02 12:00")
def test_the_date_fields_min_follows_the_period_in_the_first_html(client):
    """Without JavaScript too: week (the default) starts 2008-01-08, month 2008-02-01."""
    html = client.get(REPORTS).content.decode()
    assert 'min="2008-01-08"' in html
    refused = client.post(
        REPORTS, {"period": "month", "date": "2008-01-15"}, headers={"Accept": "text/html"}
    )
    assert 'min="2008-02-01"' in refused.content.decode()


@freeze_time("2026-12-02 12:00")
def test_both_wrong_fields_are_both_named(client, queued):
    """A wrong period and a wrong date: two messages, each under its field; JSON has both."""
    answer = client.post(REPORTS, {"period": "year", "date": "2026-13-01"})
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert errors["period"].startswith("invalid period 'year'")
    assert errors["date"] == "invalid date '2026-13-01': no such day"
    page = client.post(
        REPORTS, {"period": "year", "date": "2026-13-01"}, headers={"Accept": "text/html"}
    ).content.decode()
    assert "invalid period &#x27;year&#x27;" in page
    assert "invalid date &#x27;2026-13-01&#x27;: no such day" in page
    assert queued() == 0


def test_pages_name_an_inline_icon_so_browsers_ask_for_no_favicon(client):
    """Every page's head says its icon is empty: no /favicon.ico 404 logged per page load."""
    assert '<link rel="icon" href="data:,">' in client.get(REPORTS).content.decode()
