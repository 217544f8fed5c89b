"""What a stranger met in the browser: both field errors, the history's range, a CSV not ready.

A real Chromium on pytest-django's live server; the rows are written by the test (no worker).
"""

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from celery_uncovered.toyex.hotrepos.dates import strf_date
from celery_uncovered.toyex.models import Report
from tests.e2e.accessibility import wcag_violations

pytestmark = [pytest.mark.live, pytest.mark.e2e]


def test_a_wrong_period_and_a_wrong_date_are_both_shown(live_server, transactional_db, page):
    """No period chosen and a date before GitHub: each message under its own field."""
    page.goto(f"{live_server.url}/reports/")
    # A radio cannot be unchecked by a click: a page restored or edited can send no period.
    page.evaluate("document.querySelectorAll('input[name=period]').forEach(r => r.checked = false)")
    page.get_by_label("Reference date").fill("2007-12-31")
    page.get_by_role("button", name="Generate report").click()
    expect(page.locator("#period-error")).to_contain_text("invalid period")
    expect(page.locator("#date-error")).to_contain_text("before GitHub existed")
    expect(page.locator("#date")).to_have_attribute("aria-invalid", "true")
    assert not Report.objects.exists()
    assert wcag_violations(page) == ""


def test_the_history_says_the_range_as_the_report_page_does(live_server, transactional_db, page):
    """A dated week report: "from <since> or later" in the list, the page's own range words."""
    today = timezone.localdate().isoformat()
    since = strf_date("week", today)
    report = Report.objects.create(
        task_id=str(uuid.uuid4()), status="queued", period="week", since=since, ref_date=today
    )
    page.goto(f"{live_server.url}/reports/")
    row = page.locator(f'#history tr[data-task-id="{report.task_id}"]')
    expect(row).to_contain_text(f"week from {since} or later")
    expect(row).not_to_contain_text("(reference day)")
    page.get_by_role("link", name=f"week from {since} or later").click()
    range_words = page.locator("#range").inner_text()
    page.go_back()
    row_text = row.inner_text()
    shown = range_words.removeprefix("Covers ").split(". GitHub")[0]
    assert shown in row_text, (shown, row_text)


def test_a_failed_reports_csv_link_opens_a_page_leading_back_to_the_report(
    live_server, transactional_db, page
):
    """A browser asking for the CSV of a failed report: a 404 page, and a link to the report."""
    report = Report.objects.create(
        task_id=str(uuid.uuid4()), status="failed", period="week", since="2026-11-17",
        error="page 1: GitHub said 401: Bad credentials",
    )  # fmt: skip
    answer = page.goto(f"{live_server.url}/reports/{report.task_id}/csv")
    assert answer.status == 404
    expect(page.locator("#not-ready")).to_contain_text("it is failed")
    page.get_by_role("link", name="See the report").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.task_id}/$"))
    expect(page.locator("#error")).to_contain_text("Bad credentials")
