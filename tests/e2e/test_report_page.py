"""The report page in a real browser: a person clicks, watches the bar, downloads the CSV.

Everything under the page is real: pytest-django's live server, a threads worker on the run's
broker, the database the page reads progress from, and the GitHub replay server serving recorded
pages slowly enough that the bar has somewhere to be between empty and full.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.support.github_recordings import GOLDEN

pytestmark = [pytest.mark.live, pytest.mark.e2e]

# Pages 2 to 5 answer later and later, so the five pages arrive one by one about 0.5 s apart.
STAGGER = {2: 0.5, 3: 1.0, 4: 1.5, 5: 2.0}


def test_a_person_generates_follows_and_downloads_the_report(
    live_server, threads_worker, github, page, artifacts_dir
):
    """Click Generate; the bar moves through intermediate values; the download is the golden CSV."""
    github.state.latency = 0.2
    for number, wait in STAGGER.items():
        github.state.add_fault(number, "slow", wait=wait)

    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("week").check()
    page.get_by_role("button", name="Generate report").click()

    download_link = page.locator("#download")
    bar_values = []
    while not download_link.is_visible():
        assert page.locator("#error").is_hidden(), page.locator("#error").text_content()
        bar_values.append(page.locator("#progress").evaluate("bar => bar.value"))
        page.wait_for_timeout(50)
        assert len(bar_values) < 600, f"no download link after 30 s; bar went {bar_values}"

    assert bar_values == sorted(bar_values), "the bar went backwards"
    assert len({value for value in bar_values if 0 < value < 5}) >= 2, bar_values
    assert page.locator("#progress").evaluate("bar => bar.value") == 5
    assert page.locator("#status").text_content() == "done: 5 of 5 pages"
    page.screenshot(path=artifacts_dir / "report-page-done.png", full_page=True)

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    since = timezone.localdate() - timedelta(days=7)
    assert download.suggested_filename == f"github-hot-repos-{since.isoformat()}-week.csv"
    assert Path(download.path()).read_bytes() == GOLDEN.read_bytes()


def test_a_failing_report_shows_the_reason_on_the_page(live_server, threads_worker, github, page):
    """Bad credentials: the page says so in words and offers no download."""
    github.state.add_fault(1, "401")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("button", name="Generate report").click()
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "The report failed:" in error.text_content()
    assert "Bad credentials" in error.text_content()
    assert "Traceback" not in error.text_content()
    assert page.locator("#download").is_hidden()


def test_the_page_says_when_no_worker_consumes_the_queue_and_polls_less_often(
    live_server, celery_live_own_workers, page
):
    """No worker on the queue: the page names the queue, and its polls slow down meanwhile."""
    polls = []
    page.on("request", lambda r: polls.append(time.monotonic()) if "/reports/" in r.url else None)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("button", name="Generate report").click()

    notice = page.locator("#notice")
    notice.get_by_text(f"no worker is consuming queue {celery_live_own_workers.queue}").wait_for(
        state="visible", timeout=20_000
    )
    assert page.locator("#status").text_content() == "queued: 0 of 5 pages"
    started = time.monotonic()
    page.wait_for_timeout(6_000)
    recent = [at for at in polls if at >= started]
    assert len(recent) <= 8, f"{len(recent)} polls in 6 s while nothing changed (5 a second before)"
