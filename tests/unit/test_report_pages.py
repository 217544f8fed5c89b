"""The report's page, the history and their JSON through Django's test client (no browser)."""

import threading
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from freezegun import freeze_time

from celery_uncovered.toyex.hotrepos import github, progress, tasks
from celery_uncovered.toyex.hotrepos.presenting import earliest_reference_day, range_words
from celery_uncovered.toyex.hotrepos.views import REPORTS_PER_PAGE
from celery_uncovered.toyex.models import Report, ReportPage, finish_page, record_page
from tests.support.report_status import with_pages_fetched

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STATUS_KEYS = {
    "task_id", "period", "since", "ref_date", "range", "created", "state", "pages_fetched",
    "pages_total", "pages", "repos_found", "incomplete_results", "languages", "repositories",
    "error", "notice", "notice_page", "status_url", "download_url", "download_name", "repeated",
}  # fmt: skip


@pytest.fixture
def queued():
    """The produce task's apply_async, recorded instead of sent (no broker in this tier)."""
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def a_report(status: str = "running", **fields) -> Report:
    values = {"period": "week", "since": "2026-11-17", "ref_date": "2026-11-24", **fields}
    fetched = values.pop("pages_fetched", 0)
    report = Report.objects.create(task_id=str(uuid.uuid4()), status=status, **values)
    return with_pages_fetched(report, fetched)


@pytest.mark.parametrize(
    ("accept", "html"),
    [(BROWSER, True), ("text/html", True), (None, False), ("*/*", False),
     ("application/json", False), ("application/json, text/html;q=0.5", False)],
)  # fmt: skip
def test_a_browser_gets_the_report_s_page_and_a_script_keeps_its_json(client, accept, html):
    """Accept decides: HTML ranked first gets the page; no Accept, */* and JSON get JSON."""
    report = a_report(pages_fetched=2)
    headers = {"Accept": accept} if accept else {}
    answer = client.get(f"/reports/{report.task_id}/", headers=headers)
    assert answer.status_code == 200
    if html:
        assert answer["Content-Type"].startswith("text/html")
        page = answer.content.decode()
        assert "Week report from 2026-11-17" in page
        assert "(2026-11-17) or later: a week before the reference day" in page
        assert "running: 2 of 5 pages" in page
    else:
        assert answer["Content-Type"] == "application/json"
        assert answer.json()["pages_fetched"] == 2


def test_an_unknown_report_is_a_page_for_a_browser_and_json_for_a_script(client):
    """404 either way: a page with a way back for people, {"error"} for scripts."""
    path = f"/reports/{uuid.uuid4()}/"
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert "No such report" in page.content.decode()
    script = client.get(path)
    assert (script.status_code, script["Content-Type"]) == (404, "application/json")
    assert script.json()["error"]


def test_the_status_json_has_the_range_each_page_and_the_summary(client):
    """The shape the page polls: five pages (waiting until a worker writes one), counts if done.

    A done report's pages are done, even one whose row its fetch has not written yet (it writes
    it after the chord was told, so the body can finish first).
    """
    report = a_report("running", languages_count=3, repos_count=42)
    record_page(report.task_id, 1, ReportPage.State.DONE, repos=30)
    record_page(report.task_id, 2, ReportPage.State.DONE, repos=12)
    running = client.get(f"/reports/{report.task_id}/").json()
    assert [page["state"] for page in running["pages"]] == ["done", "done", *["waiting"] * 3]
    assert running["pages_fetched"] == 2
    Report.mark(report.task_id, Report.Status.DONE)
    body = client.get(f"/reports/{report.task_id}/").json()
    assert set(body) == STATUS_KEYS
    assert body["ref_date"] == "2026-11-24"
    assert [page["state"] for page in body["pages"]] == ["done"] * 5
    assert body["pages_fetched"] == 5
    assert (body["repos_found"], body["languages"], body["repositories"]) == (42, 3, 42)
    assert body["download_url"] == f"/reports/{report.task_id}/csv"


def test_a_retrying_page_says_how_many_seconds_are_left(client):
    """retry_in counts down from the wait GitHub asked for; a page never shows a negative wait."""
    report = a_report()
    with freeze_time("2026-11-24 12:00:00"):
        record_page(report.task_id, 3, ReportPage.State.RETRYING, retry_in=3)
    with freeze_time("2026-11-24 12:00:01"):
        pages = client.get(f"/reports/{report.task_id}/").json()["pages"]
    assert pages[2] == {"number": 3, "state": "retrying", "repos": 0, "retry_in": 2.0}
    with freeze_time("2026-11-24 12:00:09"):
        assert client.get(f"/reports/{report.task_id}/").json()["pages"][2]["retry_in"] == 0.0


def test_a_failed_report_answers_its_error_and_no_progress(client):
    """Nothing stale beside the error: no pages, no counts, no link."""
    report = a_report("failed", pages_fetched=2, error="page 1: Bad credentials")
    record_page(report.task_id, 2, ReportPage.State.DONE, repos=30)
    body = client.get(f"/reports/{report.task_id}/").json()
    assert (body["error"], body["pages"], body["download_url"]) == (
        "page 1: Bad credentials", [], None,
    )  # fmt: skip


def test_record_page_keeps_one_row_per_page_and_ignores_unknown_reports():
    """A page's later state replaces its earlier one; a report nobody recorded writes nothing."""
    report = a_report()
    record_page(report.task_id, 1, ReportPage.State.FETCHING)
    record_page(report.task_id, 1, ReportPage.State.DONE, repos=7)
    record_page("no-such-report", 1, ReportPage.State.DONE)
    record_page("", 1, ReportPage.State.DONE)
    assert list(ReportPage.objects.values_list("number", "state", "repos")) == [(1, "done", 7)]


def test_a_page_is_finished_once_and_a_second_copy_does_not_reopen_it():
    """Two copies of one page's message: the first finish wins, the second is told; done stays."""
    report = a_report()
    record_page(report.task_id, 3, ReportPage.State.FETCHING)
    assert finish_page(report.task_id, 3, repos=7)
    record_page(report.task_id, 3, ReportPage.State.FETCHING)  # the second copy starts
    assert not finish_page(report.task_id, 3, repos=7)
    assert finish_page(report.task_id, 4, repos=2)  # no row yet: the insert is the claim
    assert not finish_page(report.task_id, 4, repos=2)
    rows = ReportPage.objects.order_by("number").values_list("number", "state", "repos")
    assert list(rows) == [(3, "done", 7), (4, "done", 2)]
    assert finish_page("", 1, repos=0)  # a page of no report is never a copy


def test_a_fetched_page_and_a_built_report_are_recorded(celery_live_eager, settings, tmp_path):
    """fetch_hot_repos marks its page done with its count; the build stores the CSV's counts."""
    settings.MEDIA_ROOT = tmp_path
    report = a_report()
    items = [{"id": n, "full_name": f"o/r{n}", "language": lang} for n, lang in
             [(1, "Go"), (2, "Go"), (3, None)]]  # fmt: skip
    page = github.SearchPage(page=2, items=items, incomplete_results=False, total_count=3)
    with mock.patch.object(github, "search_hot_repos", return_value=page):
        result = tasks.fetch_hot_repos.delay("2026-11-17", 100, 2, report_id=report.task_id).get()
    assert ReportPage.objects.get(number=2).repos == 3
    assert Report.objects.get(pk=report.pk).pages_fetched == 1
    tasks.build_report_task.delay([result], "2026-11-17", report_id=report.task_id).get()
    report.refresh_from_db()
    assert (report.status, report.languages_count, report.repos_count) == ("done", 2, 3)


@freeze_time("2026-11-24 12:00:00")
def test_the_history_is_newest_first_and_paginated(client):
    """Twenty a page, newest first; a page past the end or not a number shows the nearest page."""
    for minutes in range(REPORTS_PER_PAGE + 5):
        a_report("done", created=timezone.now() - timedelta(minutes=minutes))
    newest = Report.objects.order_by("-created")
    first = client.get("/reports/", headers={"Accept": "application/json"}).json()
    assert [r["task_id"] for r in first["reports"]] == [r.task_id for r in newest[:20]]
    assert (first["page"], first["pages"], first["count"]) == (1, 2, 25)
    second = client.get("/reports/?page=2", headers={"Accept": "application/json"}).json()
    assert [r["task_id"] for r in second["reports"]] == [r.task_id for r in newest[20:]]
    assert (
        client.get("/reports/?page=99", headers={"Accept": "application/json"}).json()["page"] == 2
    )
    html = client.get("/reports/?page=x").content.decode()
    assert "Page 1 of 2" in html
    assert newest[0].task_id in html
    assert newest[24].task_id not in html


def test_the_history_names_reports_under_way_so_the_form_can_offer_them(client):
    """Queued and running reports are "active" (the form offers to follow them); ended ones not."""
    # Two active reports need two periods: one period and day holds one active report at most.
    running, queued = a_report("running"), a_report("queued", period="day", since="2026-11-23")
    a_report("done"), a_report("failed")
    body = client.get("/reports/", headers={"Accept": "application/json"}).json()
    assert {r["task_id"] for r in body["active"]} == {running.task_id, queued.task_id}
    assert {"period", "ref_date", "state", "status_url"} <= set(body["active"][0])


@freeze_time("2026-11-24")
@pytest.mark.parametrize(
    ("data", "field"),
    [({"period": "fortnight"}, "period"), ({"period": "week", "date": "2008-01-03"}, "date"),
     ({"period": "week", "date": "2999-01-01"}, "date")],
)  # fmt: skip
def test_a_refused_post_names_the_field_it_is_about(client, queued, data, field):
    """400 {"error", "field"}: the page puts the message next to that field."""
    answer = client.post("/reports/", data)
    assert answer.status_code == 400
    assert answer.json()["field"] == field


@freeze_time("2026-11-24")
def test_a_form_posted_without_javascript_goes_to_the_report_s_page(client, queued):
    """A browser's plain form POST gets 303 to the new report; its row knows its reference day."""
    answer = client.post("/reports/", {"period": "day"}, headers={"Accept": BROWSER})
    assert answer.status_code == 303
    report = Report.objects.get()
    assert answer["Location"] == f"/reports/{report.task_id}/"
    assert (report.since, report.ref_date) == ("2026-11-23", "2026-11-24")


@freeze_time("2026-11-24")
def test_a_form_refused_without_javascript_shows_the_message_on_the_form(client, queued):
    """The form comes back, 400, with the message under the date and the choices kept."""
    data = {"period": "month", "date": "2008-01-15"}
    answer = client.post("/reports/", data, headers={"Accept": BROWSER})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "before GitHub existed" in page
    assert 'value="2008-01-15"' in page
    assert 'aria-invalid="true"' in page
    queued.assert_not_called()


def test_the_date_field_s_earliest_day_follows_the_2008_floor_per_period():
    """The same floor the server applies: a week report may start no earlier than 2008-01-08."""
    assert [earliest_reference_day(p) for p in ("today", "day", "week", "month")] == [
        "2008-01-01", "2008-01-02", "2008-01-08", "2008-02-01",
    ]  # fmt: skip


def test_the_range_reads_as_a_sentence_with_iso_dates():
    """Words and the ISO dates; "or later" because GitHub's query has no end date."""
    report = Report(period="month", since="2026-02-28", ref_date="2026-03-31")
    assert range_words(report) == (
        "repositories created on Sat 28 Feb 2026 (2026-02-28) or later: a month before the "
        "reference day Tue 31 Mar 2026 (2026-03-31)"
    )


def test_a_page_fetched_twice_counts_once_and_lists_count_in_one_query(
    django_assert_num_queries,
):
    """A redelivered fetch writes its page's row again: still one page; the history counts
    every report's pages in the query that lists them (no query per report)."""
    report = a_report()
    for number in (1, 2, 2, 3):
        record_page(report.task_id, number, ReportPage.State.DONE, repos=4)
    record_page(report.task_id, 4, ReportPage.State.FETCHING)
    assert Report.objects.get(pk=report.pk).pages_fetched == 3
    a_report(pages_fetched=1, since="2026-11-10")
    with django_assert_num_queries(1):
        counts = sorted(r.pages_fetched for r in Report.objects.with_pages_fetched())
    assert counts == [1, 3]


def test_the_fetch_marks_its_page_done_before_it_returns_its_result(celery_live_eager):
    """The page is claimed done in the body, before the chord hears of the result: the copy of a
    redelivered page that loses the claim must not return a result for the chord to count."""
    report = a_report()
    page = github.SearchPage(page=4, items=[{"id": 1}], incomplete_results=True, total_count=1)
    with mock.patch.object(github, "search_hot_repos", return_value=page):
        tasks.fetch_hot_repos.run("2026-11-17", 100, 4, report_id=report.task_id)
    row = ReportPage.objects.get(number=4)
    assert (row.state, row.repos) == ("done", 1)
    report.refresh_from_db()
    assert (report.pages_fetched, report.incomplete_results) == (1, True)


def test_a_page_moving_is_the_report_moving():
    """A page row written now makes the report recent for the stall and abandonment checks,
    though the report's own row was last written long ago."""
    report = a_report()
    long_ago = timezone.now() - timedelta(hours=2)
    Report.objects.filter(pk=report.pk).update(updated=long_ago)
    report.refresh_from_db()
    assert report.last_moved() == long_ago
    record_page(report.task_id, 1, ReportPage.State.FETCHING)
    assert report.last_moved() > long_ago + timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_a_fetching_row_written_beside_the_request_lands_before_the_page_s_next_row():
    """The background write (a real worker's path) is settled before the done row is written,
    so the done row is the last word, however slow the background thread is."""
    report = a_report()
    started = threading.Event()
    original = progress.record_page

    def slow_record(*args, **kwargs):
        started.wait(5)
        return original(*args, **kwargs)

    with mock.patch.object(progress, "record_page", side_effect=slow_record):
        progress.record_page_beside("task-1", report.task_id, 2, "fetching", now=False)
        assert not ReportPage.objects.filter(number=2).exists()  # not written in the caller
        started.set()
        progress.settle("task-1")
    assert ReportPage.objects.get(number=2).state == "fetching"
    record_page(report.task_id, 2, ReportPage.State.DONE, repos=1)
    progress.settle("task-1")  # nothing pending any more: returns at once
    assert ReportPage.objects.get(number=2).state == "done"


@pytest.mark.parametrize("wait", [16, 0.4, 2.0])
def test_the_page_strips_the_wait_from_the_notice_the_fetch_actually_writes(wait):
    """Ties presenting's pattern to tasks.retry_notice: rewording either breaks this test."""
    from celery_uncovered.toyex.hotrepos.presenting import live_notice

    notice = tasks.retry_notice(3, github.GitHubError("GitHub rate limit (403): slow down."), wait)
    counting = [{"number": 3, "retry_in": wait}]
    shown = live_notice(notice, counting)
    assert (
        shown
        == "page 3: GitHub rate limit (403): slow down; retrying (the wait is counted down above)"
    )
    assert live_notice(notice, [{"number": 3, "retry_in": None}]) == notice  # no countdown: keep it
