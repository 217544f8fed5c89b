"""A report has an address, a history, a date and a range: the page as a person uses it.

A real Chromium on pytest-django's live server, a threads worker on the run's broker, and the
GitHub replay server, slowed or broken page by page where a test needs something to watch.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from celery_uncovered.toyex.hotrepos.dates import strf_date
from celery_uncovered.toyex.models import Report
from tests.e2e.accessibility import wcag_violations
from tests.support.report_status import with_pages_fetched

pytestmark = [pytest.mark.live, pytest.mark.e2e]

REPORT_URL = re.compile(r"/reports/([0-9a-f-]{36})/$")
# Pages 2 to 5 answer late enough that a reload lands in the middle of the report.
SLOW = {2: 1.5, 3: 2.0, 4: 2.5, 5: 3.0}


def generate(page, live_server, period: str = "week") -> str:
    """Open the form, choose ``period``, press the button; the new report's id, from the address."""
    page.goto(f"{live_server.url}/reports/")
    page.get_by_label(period, exact=True).check()
    page.get_by_role("button", name="Generate report").click()
    page.wait_for_url(REPORT_URL)
    return REPORT_URL.search(page.url).group(1)


def a_report(status: str, **fields) -> Report:
    """A report row as the worker leaves it, for pages that need one without running it."""
    today = timezone.localdate().isoformat()
    values = {"period": "week", "since": strf_date("week", today), "ref_date": today, **fields}
    fetched = values.pop("pages_fetched", 0)
    report = Report.objects.create(task_id=str(uuid.uuid4()), status=status, **values)
    return with_pages_fetched(report, fetched)


def test_the_report_has_an_address_that_survives_reload_and_back_lists_it(
    live_server, threads_worker, github, page
):
    """Submit → the address is the report's; reload mid-report stays live; Back lists it."""
    for number, wait in SLOW.items():
        github.state.add_fault(number, "slow", wait=wait)

    task_id = generate(page, live_server)
    report_url = page.url
    expect(page.locator("#status")).to_contain_text("of 5 pages")
    assert page.locator("#download").is_hidden(), "the report finished before the reload"

    page.reload()
    assert page.url == report_url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week report from")
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    expect(page.locator("#status")).to_have_text("done: 5 of 5 pages")
    expect(page.locator("#summary")).to_contain_text(re.compile(r"\d+ languages, \d+ repositories"))
    done = [re.compile(rf"Page {n}: done, \d+ repositories") for n in range(1, 6)]
    expect(page.locator("#pages li")).to_have_text(done)

    polls = []
    page.on("request", lambda request: polls.append(request.url))
    page.wait_for_timeout(1_500)
    assert polls == [], f"the page still polls a finished report: {polls}"

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/reports/")
    row = page.locator(f"tr[data-task-id='{task_id}']")
    expect(row).to_contain_text("done")
    expect(row.get_by_role("link", name=re.compile(r"github-hot-repos-.*\.csv"))).to_be_visible()


def test_a_dated_report_made_with_the_keyboard_alone_says_the_range_it_covers(
    live_server, threads_worker, github, page
):
    """Tab, arrows and typing choose "day" and a date; the page names both ISO dates."""
    ref = timezone.localdate() - timedelta(days=30)
    since = ref - timedelta(days=1)
    page.goto(f"{live_server.url}/reports/")

    page.keyboard.press("Tab")  # the period group: focus lands on the checked radio (week)
    assert page.evaluate("document.activeElement.value") == "week"
    page.keyboard.press("ArrowUp")  # week → day
    page.keyboard.press("Tab")  # the date field (en-US: month, day, year)
    assert page.evaluate("document.activeElement.id") == "date"
    page.keyboard.type(ref.strftime("%m%d%Y"))
    assert page.locator("#date").input_value() == ref.isoformat()
    for _ in range(8):
        if page.evaluate("document.activeElement.id") == "generate":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_url(REPORT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Day report from {since}")
    expect(page.locator("#range")).to_contain_text(f"({since.isoformat()}) or later")
    expect(page.locator("#range")).to_contain_text("a day before the reference day")
    expect(page.locator("#range")).to_contain_text(f"({ref.isoformat()})")
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename == f"github-hot-repos-{since.isoformat()}-day.csv"


def test_a_rate_limited_page_counts_down_then_the_report_completes(
    live_server, threads_worker, github, page
):
    """GitHub asks page 3 to wait 3 s: the page says so, counts down, then finishes clean."""
    github.state.add_fault(3, "403", wait=3)
    generate(page, live_server)

    page_3 = page.locator("#pages li").nth(2)
    expect(page_3).to_contain_text("retrying in", timeout=15_000)
    expect(page.locator("#notice")).to_contain_text("page 3")
    seen = []
    while "retrying in" in (text := page_3.text_content()):
        seen.append(int(re.search(r"retrying in (\d+) s", text).group(1)))
        page.wait_for_timeout(200)
        assert len(seen) < 100, f"no end to the countdown: {seen}"
    assert seen == sorted(seen, reverse=True), f"the countdown went up: {seen}"
    assert len(set(seen)) >= 2, f"the countdown did not move: {seen}"

    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    expect(page_3).to_have_text(re.compile(r"Page 3: done, \d+ repositories"))
    expect(page.locator("#notice")).to_be_hidden()


def test_a_failed_report_shows_its_error_and_nothing_else(
    live_server, threads_worker, github, page
):
    """Bad credentials: the error in words; no bar, no pages, no notice, no link, no old status."""
    github.state.add_fault(1, "401")
    generate(page, live_server)

    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("The report failed: page 1:")
    expect(error).to_contain_text("Bad credentials")
    for hidden in ("#progress-section", "#notice", "#download", "#summary", "#incomplete"):
        expect(page.locator(hidden)).to_be_hidden()
    shown = page.locator("main").inner_text()
    assert "of 5 pages" not in shown, shown
    assert "Traceback" not in shown, shown
    page.reload()
    expect(error).to_contain_text("Bad credentials")
    expect(page.locator("#progress-section")).to_be_hidden()


def test_the_form_offers_to_follow_a_report_already_under_way(live_server, transactional_db, page):
    """A month report for today is running: choosing month offers it; following opens its page."""
    running = a_report("running", period="month", since=strf_date("month"), pages_fetched=2)
    page.goto(f"{live_server.url}/reports/")
    offer = page.locator("#existing")
    expect(offer).to_be_hidden()
    page.get_by_label("month", exact=True).check()
    expect(offer).to_contain_text("A month report for")
    expect(offer).to_contain_text("already running (2 of 5 pages)")
    page.get_by_role("link", name="Follow that report").click()
    expect(page).to_have_url(f"{live_server.url}/reports/{running.task_id}/")
    expect(page.locator("#status")).to_have_text("running: 2 of 5 pages")


def test_an_answer_naming_an_existing_report_goes_to_that_report(
    live_server, transactional_db, page
):
    """The server's "one report per request" answer (existing: true) opens the first report."""
    first = a_report("running", pages_fetched=1)
    answer = {
        "task_id": first.task_id,
        "status_url": f"/reports/{first.task_id}/",
        "existing": True,
    }

    def post_answers_existing(route):
        if route.request.method == "POST":
            route.fulfill(status=202, json=answer)
        else:
            route.continue_()

    page.route("**/reports/", post_answers_existing)
    generate(page, live_server)
    assert page.url == f"{live_server.url}/reports/{first.task_id}/"
    expect(page.locator("#followed")).to_be_visible()


def test_a_refused_date_is_explained_next_to_the_field_which_gets_the_focus(
    live_server, transactional_db, page
):
    """The server's 400 message sits under the date field, marked invalid and focused."""
    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("week", exact=True).check()
    page.get_by_label("Reference date").fill("2008-01-03")
    page.get_by_role("button", name="Generate report").click()
    expect(page.locator("#date-error")).to_contain_text("before GitHub existed")
    expect(page.locator("#date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#date")).to_be_focused()
    assert page.url == f"{live_server.url}/reports/"
    assert not Report.objects.exists()
    assert wcag_violations(page) == ""


def test_the_page_rides_out_a_server_restart(live_server, threads_worker, github, page):
    """Polls that fail say the server is not answering; once it answers again the page goes on."""
    for number, wait in SLOW.items():
        github.state.add_fault(number, "slow", wait=wait)
    generate(page, live_server)
    page.route(REPORT_URL, lambda route: route.abort("connectionrefused"))
    expect(page.locator("#connection")).to_be_visible(timeout=10_000)
    page.unroute(REPORT_URL)
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    expect(page.locator("#connection")).to_be_hidden()


def test_the_list_and_a_finished_report_pass_an_accessibility_scan(
    live_server, threads_worker, github, page, artifacts_dir
):
    """axe-core finds no WCAG A/AA violation on the history (every state) or a finished report."""
    a_report("failed", error="page 1: GitHub rejected the credentials (401): Bad credentials")
    # Another period: a queued week report of today would be the one the button follows (one
    # report per period and day), and it never runs here.
    a_report("queued", period="month", since=strf_date("month"))
    generate(page, live_server)
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    assert wcag_violations(page) == ""
    page.screenshot(path=artifacts_dir / "report-finished.png", full_page=True)

    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("#history tbody tr")).to_have_count(3)
    assert wcag_violations(page) == ""
    page.screenshot(path=artifacts_dir / "reports-list.png", full_page=True)
